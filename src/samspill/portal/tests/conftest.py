from datetime import date, time

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def queue(db):
    from samspill.helpdesk.models import Queue

    return Queue.objects.create(
        name="Support",
        email="support@firma.no",
        opens_at=time(8),
        closes_at=time(16),
        is_default=True,
    )


def _customer(name: str, person_email: str):
    from samspill.parties.tests.factories import (
        ContactPointFactory,
        OrganizationFactory,
        PersonFactory,
        RelationFactory,
    )

    org = OrganizationFactory(name=name, is_customer=True)
    person = PersonFactory(first_name=person_email.split("@")[0].title(), last_name="Kunde")
    ContactPointFactory(party=person, value=person_email, normalized=person_email.lower())
    RelationFactory(person=person, organization=org, is_primary=True)
    return org, person


@pytest.fixture
def fjord(db):
    """Fjordkaffe AS with its contact person kari@fjordkaffe.no."""
    return _customer("Fjordkaffe AS", "kari@fjordkaffe.no")


@pytest.fixture
def bakeri(db):
    """Another customer: Bergen Bakeri AS with per@bakeri.no."""
    return _customer("Bergen Bakeri AS", "per@bakeri.no")


@pytest.fixture
def agent(make_user):
    return make_user("service", first_name="Siri", last_name="Service")


@pytest.fixture
def kari_access(fjord, agent):
    from django.core import mail

    from samspill.portal import services

    access = services.invite(actor=agent, person=fjord[1])
    mail.outbox.clear()
    return access


@pytest.fixture
def portal_client(client):
    """portal_client(access) -> the test client signed in to the portal as that access."""
    from samspill.portal import services

    def sign_in(access):
        from samspill.portal.models import LoginToken

        services.request_link(access.email, ip="127.0.0.1")
        from django.core import mail

        link = mail.outbox[-1].body.split("/portal/login/", 1)[1].split("/", 1)[0]
        assert LoginToken.objects.filter(access=access, used_at__isnull=True).exists()
        _access, key = services.consume_link(link)
        client.cookies[services.COOKIE] = key
        return client

    return sign_in


@pytest.fixture
def company(db):
    from samspill.organization import services as organization
    from samspill.organization.demo import COMPANY

    return organization.update_company(actor=None, **COMPANY)


@pytest.fixture
def ledger(db):
    from samspill.accounting import services
    from samspill.localization.no import services as localization

    localization.load_vat_codes(actor=None)
    services.load_chart(actor=None)
    return services.open_fiscal_year(actor=None, start=date(2026, 1, 1))


def make_invoice(customer):
    from samspill.accounting import services

    return services.create_invoice(
        actor=None,
        party=customer,
        lines=[{"description": "Kaffe", "quantity": "2", "unit_price": "100"}],
        invoice_date="2026-03-10",
        post=True,
    )


def product():
    from decimal import Decimal

    from samspill.catalog.models import Product
    from samspill.catalog.tests.factories import ProductFactory

    return Product.objects.filter(sku="KAF-1").first() or ProductFactory(
        sku="KAF-1", sales_price=Decimal("100.00"), vat_category="food"
    )


def make_order(customer):
    from samspill.sales import services
    from samspill.sales.models import Order

    order = services.create_order(
        actor=None,
        party=customer,
        lines=[{"product_id": product().pk, "quantity": "2"}],
    )
    Order.objects.filter(pk=order.pk).update(status=Order.Status.CONFIRMED)
    order.refresh_from_db()
    return order
