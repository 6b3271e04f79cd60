"""`samspill demo` loads the demo company across domains and is idempotent."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model.__module__.startswith("samspill.") and not model._meta.proxy
    }


def run_demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_demo_loads_the_company_and_a_second_run_adds_nothing(client):
    from samspill.users.demo import DEMO_PASSWORD, DEMO_USERS

    first = run_demo()
    after_first = row_counts()
    assert after_first["users.User"] == len(DEMO_USERS)
    assert after_first["parties.Party"] > 0
    assert after_first["organization.Company"] == 1
    assert after_first["platform.Comment"] == 9  # three demo conversations
    assert after_first["platform.Notification"] > 0
    # The bank statement: one customer paid by KID (matched at import and so paid), one
    # proposed by name and amount, the bank's fee left to book.
    from samspill.accounting.models import BankStatementLine

    lines = BankStatementLine.objects.all()
    assert sorted(line.state for line in lines) == ["matched", "proposed", "unmatched"]
    assert lines.get(state="matched").payment_id is not None
    # Supplier bills: imported from EHF (a draft with its XML), billed from a received
    # purchase order (2985 cleared, not 4300 again), awaiting approval, paid.
    from samspill.accounting.models import SupplierBill

    bills = {(bill.source, bill.state) for bill in SupplierBill.objects.all()}
    assert bills == {
        ("ehf", "draft"),
        ("purchase_order", "approved"),
        ("manual", "awaiting_approval"),
        ("manual", "paid"),
    }
    for username in DEMO_USERS:
        assert username in first
    assert DEMO_PASSWORD in first

    second = run_demo()
    assert row_counts() == after_first
    assert "none (already there)" in second

    # The demo logins work through the login form (django-axes needs the request).
    response = client.post("/login/", {"username": "sales", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_demo_refuses_a_production_database(settings):
    settings.DEBUG = False
    settings.TESTING = False
    with pytest.raises(CommandError, match="production"):
        call_command("demo", stdout=StringIO())
    assert row_counts()["users.User"] == 0
