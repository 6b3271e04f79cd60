"""Customer invoices, credit notes and payments: totals, KID, posting to the ledger, open
amounts, events and refusals that write nothing."""

from datetime import date
from decimal import Decimal

import pytest

from samspill.accounting import services
from samspill.accounting.models import Invoice, JournalEntry, JournalLine, Payment
from samspill.accounting.queries import invoices as queries
from samspill.accounting.services.invoices import WrongState, kid_is_valid, make_kid
from samspill.platform.errors import Conflict, PermissionDenied, ValidationFailed
from samspill.platform.models import OutboxEvent

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def company(db):
    from samspill.organization import services as organization
    from samspill.organization.demo import COMPANY

    return organization.update_company(actor=None, **COMPANY)


def make_invoice(customer, *, post=True, day="2026-03-10", lines=None, **header):
    lines = lines or [
        {"description": "Konsulenttimer", "quantity": "3", "unit": "h", "unit_price": "1000"},
        {"description": "Kaffe", "quantity": "2", "unit_price": "99.90", "vat_code": "31"},
        {"description": "Bok", "quantity": "1", "unit_price": "200", "discount_percent": "10",
         "vat_code": "5"},
    ]  # fmt: skip
    return services.create_invoice(
        actor=None, party=customer, lines=lines, invoice_date=day, post=post, **header
    )


def open_amount(invoice):
    from samspill.accounting.queries.ledger import cents

    return cents(queries.invoice(invoice.pk).open_amount)


def test_totals_round_vat_per_rate(ledger, customer, company):
    invoice = make_invoice(customer, post=False)
    assert invoice.state == "draft"
    assert invoice.number is None
    assert invoice.net_total == D("3379.80")  # 3000 + 199.80 + 180
    assert invoice.vat_total == D("779.97")  # 750 + 29.97 (15 % of 199.80) + 0
    assert invoice.total == D("4159.77")
    assert invoice.due_date == date(2026, 3, 24)  # the company's 14 days


def test_posting_numbers_kid_ledger_entry_and_event(ledger, customer, company, finance):
    invoice = make_invoice(customer, post=False, order_id=77)
    invoice = services.post_invoice(invoice, actor=finance)
    assert invoice.number == "202600001"
    assert invoice.kid == make_kid("202600001", "mod10") and kid_is_valid(invoice.kid)
    entry = JournalEntry.objects.get(pk=invoice.entry_id)
    assert entry.state == "posted" and entry.journal.code == "SAL"
    lines = {
        (line.account.number, line.debit, line.credit, line.party_id, line.due_date)
        for line in entry.lines.select_related("account")
    }
    assert lines == {
        ("1500", D("4159.77"), D("0"), customer.pk, date(2026, 3, 24)),
        ("3000", D("0"), D("3000.00"), None, None),
        ("2700", D("0"), D("750.00"), None, None),
        ("3030", D("0"), D("199.80"), None, None),
        ("2701", D("0"), D("29.97"), None, None),
        ("3100", D("0"), D("180.00"), None, None),
    }
    assert invoice.receivable_line.account.number == "1500"
    assert open_amount(invoice) == D("4159.77")
    event = OutboxEvent.objects.get(type="accounting.invoice.posted")
    assert event.payload == {
        "invoice_id": invoice.pk,
        "number": "202600001",
        "kind": "invoice",
        "party_id": customer.pk,
        "order_id": 77,
        "amount": "4159.77",
        "currency": "NOK",
        "due_date": "2026-03-24",
        "kid": invoice.kid,
        "credited_invoice_id": None,
    }
    assert event.subjects == {"invoice": [str(invoice.pk)], "party": [str(customer.pk)]}
    second = make_invoice(customer)
    assert second.number == "202600002"
    with pytest.raises(WrongState):
        services.post_invoice(invoice, actor=finance)


def test_mod11_kid(ledger, customer, company):
    from samspill.organization import services as organization

    organization.update_company(actor=None, kid_method="mod11")
    first, second = make_invoice(customer), make_invoice(customer)
    # weights 2..7 from the right; a remainder of 1 gives "-", as the banks' rules say
    assert (first.kid, second.kid) == ("202600001-", "2026000028")
    assert kid_is_valid(first.kid) and kid_is_valid(second.kid)
    assert not kid_is_valid("2026000029")


def test_bad_lines_are_refused_and_nothing_written(ledger, customer, company):
    with pytest.raises(ValidationFailed) as caught:
        make_invoice(
            customer,
            lines=[
                {"description": "", "quantity": "-1", "unit_price": "10"},
                {"description": "X", "quantity": "1", "unit_price": "10", "vat_code": "99"},
            ],
        )
    assert caught.value.errors == {
        "lines.0.description": ["Enter a description or choose a product."],
        "lines.0.quantity": ["The quantity must be a number greater than zero."],
        "lines.1.vat_code": ["Choose an active sales VAT code."],
    }
    assert not Invoice.objects.exists()
    assert not JournalEntry.objects.exists()


def test_posting_in_a_closed_period_is_refused_and_the_draft_stays(ledger, customer, company):
    from samspill.accounting.models import Period

    services.close_period(Period.objects.get(start=date(2026, 3, 1)), actor=None)
    invoice = make_invoice(customer, post=False)
    with pytest.raises(Conflict):
        services.post_invoice(invoice, actor=None)
    invoice.refresh_from_db()
    assert invoice.state == "draft" and invoice.number is None
    assert not JournalEntry.objects.exists()


def test_a_user_without_the_right_may_not_post(ledger, customer, company, make_user):
    invoice = make_invoice(customer, post=False)
    with pytest.raises(PermissionDenied):
        services.post_invoice(invoice, actor=make_user("sales"))


def test_credit_note_is_matched_with_its_invoice(ledger, customer, company):
    invoice = make_invoice(customer)
    credit = services.create_credit_note(invoice, actor=None, post=True)
    assert credit.kind == "credit_note" and credit.number == "202600002"
    assert credit.total == invoice.total
    receivable = JournalLine.objects.get(pk=credit.receivable_line_id)
    assert receivable.credit == invoice.total and receivable.debit == 0
    invoice.refresh_from_db()
    assert receivable.match == invoice.receivable_line.match == invoice.receivable_line_id
    assert open_amount(invoice) == 0
    assert invoice.state == "paid"
    event = OutboxEvent.objects.get(type="accounting.invoice.posted", payload__invoice_id=credit.pk)
    assert event.payload["amount"] == "-4159.77"
    assert event.payload["credited_invoice_id"] == invoice.pk


def test_partial_credit_leaves_the_rest_open(ledger, customer, company):
    invoice = make_invoice(customer)
    services.create_credit_note(
        invoice,
        actor=None,
        post=True,
        lines=[{"description": "Rabatt", "quantity": "1", "unit_price": "100"}],
    )
    assert open_amount(invoice) == D("4034.77")
    assert Invoice.objects.get(pk=invoice.pk).state == "partly_paid"


def test_payments_partial_then_full_then_paid_event(ledger, customer, company, finance):
    invoice = make_invoice(customer)
    first = services.register_payment(
        actor=finance,
        party=customer,
        amount="1000",
        date="2026-03-20",
        allocations=[{"invoice": invoice.pk, "amount": "1000"}],
    )
    assert first.entry.journal.code == "BNK"
    assert open_amount(invoice) == D("3159.77")
    assert Invoice.objects.get(pk=invoice.pk).state == "partly_paid"
    assert not OutboxEvent.objects.filter(type="accounting.invoice.paid").exists()
    services.register_payment(actor=finance, party=customer, amount="3159.77", date="2026-03-25")
    assert open_amount(invoice) == 0
    assert Invoice.objects.get(pk=invoice.pk).state == "paid"
    received = OutboxEvent.objects.filter(type="accounting.payment.received")
    assert sorted((e.payload["allocations"] for e in received), key=str) == [
        [{"invoice_id": invoice.pk, "order_id": None, "amount": "1000.00"}],
        [{"invoice_id": invoice.pk, "order_id": None, "amount": "3159.77"}],
    ]
    paid = OutboxEvent.objects.get(type="accounting.invoice.paid")
    assert paid.payload == {
        "invoice_id": invoice.pk,
        "number": invoice.number,
        "party_id": customer.pk,
        "order_id": None,
    }
    assert queries.party_invoice_figures(customer.pk) == {"unpaid": D("0"), "overdue": D("0")}


def test_one_payment_for_two_invoices_and_a_prepayment(ledger, customer, company):
    one = make_invoice(customer)
    two = make_invoice(customer, lines=[{"description": "X", "quantity": 1, "unit_price": 100}])
    payment = services.register_payment(
        actor=None,
        party=customer,
        amount="5000",
        date="2026-03-26",
        allocations=[
            {"invoice": one.pk, "amount": "4159.77"},
            {"invoice": two.pk, "amount": "125"},
        ],
        allow_prepayment=True,
    )
    assert payment.prepayment == D("715.23")
    assert {(a.invoice_id, a.amount) for a in payment.allocations.all()} == {
        (one.pk, D("4159.77")),
        (two.pk, D("125.00")),
    }
    assert open_amount(one) == open_amount(two) == 0
    prepaid = JournalLine.objects.get(entry=payment.entry, account__number="2900")
    assert prepaid.credit == D("715.23") and prepaid.party_id == customer.pk


def test_overpayment_without_prepayment_is_refused_and_nothing_written(ledger, customer, company):
    invoice = make_invoice(customer)
    entries_before = JournalEntry.objects.count()
    with pytest.raises(Conflict) as caught:
        services.register_payment(actor=None, party=customer, amount="5000", date="2026-03-20")
    assert caught.value.code == "overpayment"
    with pytest.raises(Conflict):
        services.register_payment(
            actor=None,
            party=customer,
            amount="5000",
            date="2026-03-20",
            allocations=[{"invoice": invoice.pk, "amount": "5000"}],
            allow_prepayment=True,
        )
    assert JournalEntry.objects.count() == entries_before
    assert not Payment.objects.exists()
    assert open_amount(invoice) == D("4159.77")


def test_overdue_figures_and_search(ledger, customer, company):
    invoice = make_invoice(customer, day="2026-01-05")
    figures = queries.party_invoice_figures(customer.pk)
    assert figures == {"unpaid": D("4159.77"), "overdue": D("4159.77")}
    hits = queries.search(None, invoice.kid, 5)
    assert [h.url for h in hits] == [invoice.get_absolute_url()]
    assert [h.url for h in queries.search(None, invoice.number, 5)] == [invoice.get_absolute_url()]


def test_foreign_currency_posts_in_kroner(ledger, customer, company):
    invoice = make_invoice(
        customer,
        currency="EUR",
        exchange_rate="11.5",
        lines=[{"description": "Licence", "quantity": "1", "unit_price": "100"}],
    )
    assert invoice.total == D("125.00")
    receivable = JournalLine.objects.get(pk=invoice.receivable_line_id)
    assert receivable.debit == D("1437.50")
    event = OutboxEvent.objects.get(type="accounting.invoice.posted")
    assert (event.payload["amount"], event.payload["currency"]) == ("125.00", "EUR")


def test_foreign_currency_invoice_settled_with_an_exchange_difference(ledger, customer, company):
    def eur_invoice():
        return make_invoice(
            customer,
            currency="EUR",
            exchange_rate="11.5",
            lines=[{"description": "Licence", "quantity": "1", "unit_price": "100"}],
        )  # 125 EUR = 1,437.50 NOK at posting

    lower, higher, nok = eur_invoice(), eur_invoice(), make_invoice(customer)
    # The bank credited 1,400.00 NOK for 125 EUR: paid in full, 37.50 currency loss.
    payment = services.register_payment(
        actor=None,
        party=customer,
        amount="1400",
        date="2026-03-20",
        allocations=[{"invoice": lower.pk, "amount": "1400", "settle": True}],
    )
    assert queries.invoice(lower.pk).state == "paid" and open_amount(lower) == D("0.00")
    booked = {
        line.account.number: (line.debit, line.credit)
        for line in JournalLine.objects.filter(entry=payment.entry).select_related("account")
    }
    assert booked == {
        "1920": (D("1400.00"), D("0")),
        "1500": (D("0"), D("1437.50")),
        "8160": (D("37.50"), D("0")),
    }
    assert payment.allocations.get().amount == D("1437.50")
    # 1,450.00 NOK for the other: 12.50 currency gain, no prepayment.
    gain = services.register_payment(
        actor=None,
        party=customer,
        amount="1450",
        date="2026-03-21",
        allocations=[{"invoice": higher.pk, "amount": "1450", "settle": True}],
    )
    assert queries.invoice(higher.pk).state == "paid"
    assert JournalLine.objects.get(entry=gain.entry, account__number="8060").credit == D("12.50")
    [event] = [
        e
        for e in OutboxEvent.objects.filter(type="accounting.payment.received")
        if e.payload["payment_id"] == gain.pk
    ]
    assert event.payload["allocations"][0]["exchange_difference"] == "-12.50"
    # Refused, nothing written: settling a NOK invoice, or a "difference" far too large.
    with pytest.raises(ValidationFailed):
        services.register_payment(
            actor=None,
            party=customer,
            amount="4000",
            allocations=[{"invoice": nok.pk, "amount": "4000", "settle": True}],
        )
    other = eur_invoice()
    before = JournalEntry.objects.count()
    with pytest.raises(ValidationFailed):
        services.register_payment(
            actor=None,
            party=customer,
            amount="700",
            allocations=[{"invoice": other.pk, "amount": "700", "settle": True}],
        )
    assert JournalEntry.objects.count() == before
    assert open_amount(other) == D("1437.50")


def test_foreign_currency_needs_a_rate(ledger, customer, company):
    with pytest.raises(ValidationFailed) as caught:
        make_invoice(customer, currency="EUR")
    assert caught.value.errors == {"exchange_rate": ["Enter the exchange rate of EUR."]}


def test_state_follows_matching_done_in_the_ledger(ledger, customer, company, run_tasks):
    invoice = make_invoice(customer)
    services.register_payment(actor=None, party=customer, amount=invoice.total, date="2026-03-20")
    invoice.refresh_from_db()
    assert invoice.state == "paid"
    match = JournalLine.objects.get(pk=invoice.receivable_line_id).match
    services.unmatch_lines(match, actor=None)
    run_tasks()
    invoice.refresh_from_db()
    assert invoice.state == "posted" and open_amount(invoice) == invoice.total
    payment_line = JournalLine.objects.get(
        entry__journal__code="BNK", account__number="1500", party=customer
    )
    services.match_lines([invoice.receivable_line_id, payment_line.pk], actor=None)
    run_tasks()
    invoice.refresh_from_db()
    assert invoice.state == "paid"
    assert OutboxEvent.objects.filter(type="accounting.invoice.paid").count() == 2
