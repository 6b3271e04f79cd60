from datetime import date

import pytest


@pytest.fixture
def ledger(db):
    """VAT codes, the chart, journals and fiscal year 2026 (loaded without an actor)."""
    from samspill.accounting import services
    from samspill.localization.no import services as localization

    localization.load_vat_codes(actor=None)
    services.load_chart(actor=None)
    return services.open_fiscal_year(actor=None, start=date(2026, 1, 1))


@pytest.fixture
def customer(db):
    from samspill.parties.services import create_organization

    return create_organization(actor=None, name="Fjord Kaffe AS", roles=["customer"])


@pytest.fixture
def finance(make_user):
    return make_user("finance")


@pytest.fixture(autouse=True)
def english(settings):
    """Messages are asserted in English, the source language."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
