"""The demo leaves posted invoices, a credit note and payments: partly and fully paid, one
overdue, one in euro, one draft; a second run adds nothing."""

from decimal import Decimal

import pytest

pytestmark = pytest.mark.django_db


def test_demo_invoices(make_user):
    from samspill.accounting import demo as ledger_demo
    from samspill.accounting import demo_invoices
    from samspill.accounting.models import Invoice, Payment
    from samspill.accounting.queries import invoices as queries
    from samspill.catalog import demo as catalog_demo
    from samspill.organization import demo as organization_demo
    from samspill.parties import demo as parties_demo
    from samspill.users import demo as users_demo

    users_demo.load()
    organization_demo.load()
    actor = make_user("admin")
    parties_demo.load(actor=actor)
    catalog_demo.load(actor=actor)
    ledger_demo.load(actor=actor)
    assert demo_invoices.load(actor=actor) == {"invoices": 7, "payments": 2}
    states = sorted(Invoice.objects.values_list("kind", "state", "currency"))
    assert states == sorted(
        [
            ("invoice", "posted", "NOK"),  # overdue
            ("invoice", "partly_paid", "NOK"),
            ("invoice", "paid", "NOK"),
            ("invoice", "paid", "NOK"),  # credited
            ("credit_note", "paid", "NOK"),
            ("invoice", "posted", "EUR"),
            ("invoice", "draft", "NOK"),
        ]
    )
    overdue = queries.invoices().filter(queries.overdue_q())
    assert overdue.count() == 1 and overdue[0].open_amount > Decimal("0")
    assert Payment.objects.count() == 2
    assert demo_invoices.load(actor=actor) == {"invoices": 0, "payments": 0}
