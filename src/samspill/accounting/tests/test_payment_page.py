"""One payment for several invoices from the page (amounts oldest first, editable; an
over-payment only as a prepayment), and an open credit note offset against an invoice (UI,
API, service), with refusals that write nothing."""

from decimal import Decimal

import pytest
from django.urls import reverse

from samspill.accounting import services
from samspill.accounting.models import Invoice, JournalEntry, Payment
from samspill.accounting.queries import invoices as queries
from samspill.accounting.queries.ledger import cents
from samspill.accounting.services.offsets import offset_credit_note
from samspill.platform.errors import DomainError

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def company(db):
    from samspill.organization import services as organization
    from samspill.organization.demo import COMPANY

    return organization.update_company(actor=None, **COMPANY)


def make_invoice(party, amount="1000", day="2026-03-10"):
    return services.create_invoice(
        actor=None,
        party=party,
        lines=[{"description": "Service", "quantity": "1", "unit_price": amount, "vat_code": "3"}],
        invoice_date=day,
        post=True,
    )


def open_amount(invoice):
    return cents(queries.invoice(invoice.pk).open_amount)


def paid_then_credited(party, finance):
    """An invoice of 1250 paid in full, then credited 250: a credit note with 250 left."""
    invoice = make_invoice(party, day="2026-03-01")
    services.register_payment(
        actor=finance, party=party, amount="1250", date="2026-03-05",
        allocations=[{"invoice": invoice.pk, "amount": "1250"}],
    )  # fmt: skip
    credit = services.create_credit_note(
        invoice,
        actor=finance,
        lines=[{"description": "Rabatt", "quantity": "1", "unit_price": "200", "vat_code": "3"}],
        post=True,
    )
    return invoice, credit


def test_page_allocates_one_payment_to_several_invoices(
    ledger, company, customer, finance, login, django_assert_max_num_queries
):
    old = make_invoice(customer, day="2026-03-01")
    new = make_invoice(customer, amount="400", day="2026-03-10")
    ui = login(finance)
    url = reverse("accounting:payment_create")
    with django_assert_max_num_queries(12):
        page = ui.get(url, {"party": customer.pk}).content.decode()
    assert page.index(old.number) < page.index(new.number)  # oldest due first
    assert f'name="amount_{old.pk}" value="1250.00"' in page
    assert f'name="amount_{new.pk}" value="500.00"' in page
    response = ui.post(
        url,
        {
            "party": customer.pk,
            "date": "2026-03-20",
            "amount": "1500",
            "invoice": [old.pk, new.pk],
            f"amount_{old.pk}": "1250",
            f"amount_{new.pk}": "250",
            "reference": "Bank 20.03.",
        },
    )
    assert response.status_code == 302, response.content
    payment = Payment.objects.get()
    assert payment.amount == D("1500.00") and payment.prepayment == 0
    assert {(a.invoice_id, a.amount) for a in payment.allocations.all()} == {
        (old.pk, D("1250.00")),
        (new.pk, D("250.00")),
    }
    assert Invoice.objects.get(pk=old.pk).state == "paid"
    assert Invoice.objects.get(pk=new.pk).state == "partly_paid"


def test_over_payment_needs_the_prepayment_tick(ledger, company, customer, finance, login):
    invoice = make_invoice(customer)
    ui = login(finance)
    url = reverse("accounting:payment_create")
    data = {
        "party": customer.pk,
        "date": "2026-03-20",
        "amount": "1300",
        "invoice": [invoice.pk],
        f"amount_{invoice.pk}": "1250",
    }
    response = ui.post(url, data)
    assert response.status_code == 422
    assert "alert-danger" in response.content.decode()
    assert not Payment.objects.exists()
    response = ui.post(url, {**data, f"amount_{invoice.pk}": "1300"})
    assert response.status_code == 422 and "alert-danger" in response.content.decode()
    response = ui.post(url, {**data, f"amount_{invoice.pk}": "x"})
    assert response.status_code == 422 and not Payment.objects.exists()
    response = ui.post(url, {**data, "allow_prepayment": "on"})
    assert response.status_code == 302
    assert Payment.objects.get().prepayment == D("50.00")


def test_foreign_currency_invoice_is_settled_from_the_page(
    ledger, company, customer, finance, login
):
    eur = services.create_invoice(
        actor=None,
        party=customer,
        lines=[{"description": "Licence", "quantity": "1", "unit_price": "100", "vat_code": "3"}],
        invoice_date="2026-03-10",
        currency="EUR",
        exchange_rate="11.5",
        post=True,
    )  # 125 EUR = 1,437.50 NOK
    nok = make_invoice(customer)
    ui = login(finance)
    url = reverse("accounting:payment_create")
    page = ui.get(url, {"party": customer.pk}).content.decode()
    assert f'name="settle_{eur.pk}"' in page and f'name="settle_{nok.pk}"' not in page
    data = {
        "party": customer.pk,
        "date": "2026-03-20",
        "amount": "1400",
        "invoice": [eur.pk],
        f"amount_{eur.pk}": "1400",
    }
    response = ui.post(url, data)
    assert response.status_code == 302
    assert Invoice.objects.get(pk=eur.pk).state == "partly_paid"
    assert open_amount(eur) == D("37.50")
    later = {**data, "amount": "30", f"amount_{eur.pk}": "30", f"settle_{eur.pk}": "on"}
    response = ui.post(url, later)
    assert response.status_code == 302, response.content
    assert Invoice.objects.get(pk=eur.pk).state == "paid"
    assert open_amount(eur) == D("0.00")
    loss = JournalEntry.objects.latest("id").lines.get(account__number="8160")
    assert loss.debit == D("7.50")


def test_credit_note_offset_against_another_invoice(ledger, company, customer, finance):
    _invoice, credit = paid_then_credited(customer, finance)
    assert open_amount(credit) == D("-250.00")
    target = make_invoice(customer, amount="400", day="2026-03-12")
    entry = offset_credit_note(credit, target, actor=finance, date="2026-03-20")
    assert entry.journal.code == "GEN" and entry.state == "posted"
    lines = {
        (line.account.number, line.debit, line.credit)
        for line in entry.lines.select_related("account")
    }
    assert lines == {("1500", D("250.00"), D("0")), ("1500", D("0"), D("250.00"))}
    assert open_amount(credit) == 0 and open_amount(target) == D("250.00")
    assert Invoice.objects.get(pk=credit.pk).state == "paid"
    assert Invoice.objects.get(pk=target.pk).state == "partly_paid"
    assert open_amount(_invoice) == 0  # the credited invoice keeps its own match


@pytest.mark.parametrize("case", ["too_much", "other_customer", "not_credit", "no_credit_left"])
def test_offset_refusals_write_nothing(ledger, company, customer, finance, case):
    from samspill.parties.services import create_organization

    _invoice, credit = paid_then_credited(customer, finance)
    target = make_invoice(customer, amount="100", day="2026-03-12")  # 125 open
    kwargs: dict = {}
    source = credit
    if case == "too_much":
        kwargs["amount"] = "200"  # more than the invoice's 125
    elif case == "other_customer":
        other = create_organization(actor=None, name="Annen AS", roles=["customer"])
        target = make_invoice(other)
    elif case == "not_credit":
        source = target
        target = make_invoice(customer)
    elif case == "no_credit_left":
        offset_credit_note(credit, make_invoice(customer), actor=finance)
    before = JournalEntry.objects.count()
    with pytest.raises(DomainError):
        offset_credit_note(source, target, actor=finance, **kwargs)
    assert JournalEntry.objects.count() == before


def test_offset_from_the_page_and_the_api(ledger, company, customer, finance, login, api):
    _invoice, credit = paid_then_credited(customer, finance)
    target = make_invoice(customer, amount="400", day="2026-03-12")
    ui = login(finance)
    url = reverse("accounting:payment_create")
    page = ui.get(url, {"party": customer.pk}).content.decode()
    assert "data-offset-form" in page and credit.number in page
    response = ui.post(
        url,
        {
            "party": customer.pk,
            "action": "offset",
            "credit_note": credit.pk,
            "offset_invoice": target.pk,
            "offset_amount": "100",
            "date": "2026-03-20",
        },
    )
    assert response.status_code == 302
    assert open_amount(credit) == D("-150.00") and open_amount(target) == D("400.00")
    client = api(finance)
    response = client.post(
        f"/api/v1/accounting/credit-notes/{credit.pk}/offset",
        {"invoice_id": target.pk, "date": "2026-03-21"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["credit_left"] == "0.00" and body["invoice_open"] == "250.00"
    response = client.post(
        f"/api/v1/accounting/credit-notes/{credit.pk}/offset",
        {"invoice_id": target.pk},
        content_type="application/json",
    )
    assert response.status_code == 422


def test_payment_page_needs_the_right(ledger, company, login, make_user):
    response = login(make_user("sales")).get(reverse("accounting:payment_create"))
    assert response.status_code == 403
