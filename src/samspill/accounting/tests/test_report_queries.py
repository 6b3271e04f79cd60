"""VAT report, general ledger report and open items with ageing: the read side."""

from datetime import date
from decimal import Decimal

import pytest

from samspill.accounting import services
from samspill.accounting.models import Account
from samspill.accounting.queries import general_ledger as gl
from samspill.accounting.queries import open_items, vat

pytestmark = pytest.mark.django_db
D = Decimal


def post(day, lines, journal="GEN", **kwargs):
    return services.create_entry(
        actor=None, journal=journal, date=day, lines=lines, post=True, **kwargs
    )


def sale(customer, net, day, due=None):
    return post(
        day,
        [
            {
                "account": "1500",
                "debit": D(net) * D("1.25"),
                "party": customer.pk,
                "due_date": due,
            },
            {"account": "3000", "credit": D(net), "vat_code": "3"},
        ],
        journal="SAL",
    )


def pay(customer, amount, day):
    return post(
        day,
        [
            {"account": "1920", "debit": D(amount)},
            {"account": "1500", "credit": D(amount), "party": customer.pk},
        ],
        journal="BNK",
    )


def test_terms_are_two_months():
    assert vat.term_range(2026, 1) == (date(2026, 1, 1), date(2026, 2, 28))
    assert vat.term_range(2028, 1) == (date(2028, 1, 1), date(2028, 2, 29))
    assert vat.term_range(2026, 6) == (date(2026, 11, 1), date(2026, 12, 31))
    assert vat.term_of(date(2026, 4, 30)) == 2
    with pytest.raises(ValueError):
        vat.term_range(2026, 7)


def test_vat_report_by_code(ledger, customer):
    sale(customer, "1000", date(2026, 3, 10))
    sale(customer, "200", date(2026, 4, 2))
    sale(customer, "999", date(2026, 5, 2))  # next term
    post(  # purchase at 25 %
        date(2026, 3, 12),
        [
            {"account": "6800", "debit": D("400"), "vat_code": "1"},
            {"account": "1920", "credit": D("500")},
        ],
    )
    post(  # services bought abroad: output and input VAT, nets to zero
        date(2026, 4, 20),
        [
            {"account": "6700", "debit": D("1000"), "vat_code": "86"},
            {"account": "1920", "credit": D("1000")},
        ],
    )
    report = vat.vat_report(*vat.term_range(2026, 2))
    rows = {r.code: r for r in report["rows"]}
    assert [r.code for r in report["rows"]] == ["3", "1", "86"]
    assert (rows["3"].basis, rows["3"].output_vat, rows["3"].input_vat) == (
        D("1200.00"),
        D("300.00"),
        D("0.00"),
    )
    assert rows["3"].standard_code == "3" and rows["3"].rate == D("25")
    assert (rows["1"].basis, rows["1"].output_vat, rows["1"].input_vat) == (
        D("400.00"),
        D("0.00"),
        D("100.00"),
    )
    assert (rows["86"].basis, rows["86"].output_vat, rows["86"].input_vat) == (
        D("1000.00"),
        D("250.00"),
        D("250.00"),
    )
    assert report["output_vat"] == D("550.00")
    assert report["input_vat"] == D("350.00")
    assert report["to_pay"] == D("200.00")
    drill = vat.vat_code_lines(rows["3"].vat_code_id, *vat.term_range(2026, 2))
    assert [(line.account.number, line.credit) for line in drill] == [
        ("3000", D("1000.00")),
        ("2700", D("250.00")),
        ("3000", D("200.00")),
        ("2700", D("50.00")),
    ]


def test_a_credit_note_reduces_the_basis(ledger, customer):
    sale(customer, "1000", date(2026, 1, 10))
    post(
        date(2026, 1, 20),
        [
            {"account": "1500", "credit": D("125"), "party": customer.pk},
            {"account": "3000", "debit": D("100"), "vat_code": "3"},
        ],
        journal="SAL",
    )
    (row,) = vat.vat_report(date(2026, 1, 1), date(2026, 2, 28))["rows"]
    assert (row.basis, row.output_vat) == (D("900.00"), D("225.00"))


def test_general_ledger_report(ledger, customer):
    post(
        date(2026, 1, 5),
        [{"account": "1920", "debit": D("1000")}, {"account": "2000", "credit": D("1000")}],
    )
    sale(customer, "100", date(2026, 2, 1))
    pay(customer, "125", date(2026, 2, 10))
    post(
        date(2026, 2, 11),
        [{"account": "6300", "debit": D("40")}, {"account": "1920", "credit": D("40")}],
    )
    spec = gl.LedgerFilter(
        date(2026, 2, 1), date(2026, 2, 28), account_from="1500", account_to="1999"
    )
    page = gl.ledger_page(spec, 1, 100)
    assert (page.count, page.num_pages) == (4, 1)
    assert [b.account.number for b in page.blocks] == ["1500", "1920"]
    bank = page.blocks[1]
    assert (bank.opening, bank.debit, bank.credit, bank.closing) == (
        D("1000.00"),
        D("125.00"),
        D("40.00"),
        D("1085.00"),
    )
    assert [line.balance for line in bank.lines] == [D("1125.00"), D("1085.00")]
    assert not bank.continued
    # Pages of one line: the last page starts inside the bank account's lines.
    pages = [gl.ledger_page(spec, n, 1) for n in (1, 2, 3, 4, 99)]
    assert [p.number for p in pages] == [1, 2, 3, 4, 4]
    assert [(p.blocks[0].account.number, p.blocks[0].continued) for p in pages] == [
        ("1500", False),
        ("1500", True),
        ("1920", False),
        ("1920", True),
        ("1920", True),
    ]
    assert pages[3].blocks[0].lines[0].balance == D("1085.00")
    # Pages that span three accounts: the middle one whole.
    spec3 = gl.LedgerFilter(date(2026, 1, 1), date(2026, 12, 31))
    every = [line for b in gl.ledger_page(spec3, 1, 100).blocks for line in b.lines]
    split = gl.ledger_page(spec3, 2, 4)
    assert [b.account.number for b in split.blocks] == ["1920", "2000", "2700", "3000"]
    assert [line.pk for b in split.blocks for line in b.lines] == [x.pk for x in every[4:8]]
    assert [line.balance for b in split.blocks for line in b.lines] == [
        x.balance for x in every[4:8]
    ]
    assert [x.pk for x in gl.ledger_rows(spec3)] == [x.pk for x in every]
    by_journal = gl.LedgerFilter(date(2026, 2, 1), date(2026, 2, 28), journal="BNK")
    assert [(r.account.number, r.balance) for r in gl.ledger_rows(by_journal)] == [
        ("1500", D("-125.00")),
        ("1920", D("125.00")),
    ]
    by_party = gl.LedgerFilter(date(2026, 1, 1), date(2026, 12, 31), party=customer.pk)
    assert [r.balance for r in gl.ledger_rows(by_party)] == [D("125.00"), D("0.00")]


def test_open_items_and_ageing(ledger, customer):
    from samspill.parties.services import create_organization

    other = create_organization(actor=None, name="Aalesund Bakeri AS", roles=["customer"])
    a = sale(customer, "1000", date(2026, 1, 10), due="2026-01-24")  # 1250, 100+ days late
    sale(customer, "400", date(2026, 4, 1), due="2026-04-15")  # 500, 46 days late at 31 May
    sale(customer, "80", date(2026, 5, 20), due="2026-06-03")  # 100, not due
    sale(other, "200", date(2026, 5, 1))  # 250 due on its date: 30 days late
    part = pay(customer, "250", date(2026, 2, 1))
    services.match_lines(
        [a.lines.get(account__number="1500").pk, part.lines.get(account__number="1500").pk],
        actor=None,
    )
    sale(customer, "1", date(2026, 6, 2))  # after the date: left out
    at = date(2026, 5, 31)
    account = Account.objects.get(number="1500")
    report = open_items.ageing(account, at)
    assert [(p.name, p.items) for p in report["parties"]] == [
        ("Aalesund Bakeri AS", 1),
        ("Fjord Kaffe AS", 3),
    ]
    bakery, coffee = report["parties"]
    assert (bakery.days_1_30, bakery.total) == (D("250.00"), D("250.00"))
    assert (coffee.not_due, coffee.days_31_60, coffee.over_90, coffee.total) == (
        D("100.00"),
        D("500.00"),
        D("1000.00"),
        D("1600.00"),
    )
    assert report["totals"]["total"] == D("1850.00")
    assert report["totals"]["days_61_90"] == D("0.00")
    items = open_items.party_items(account, customer.pk, at)
    assert [(i.amount, i.bucket, i.matched, len(i.lines)) for i in items] == [
        (D("1000.00"), "over_90", True, 2),
        (D("500.00"), "days_31_60", False, 1),
        (D("100.00"), "not_due", False, 1),
    ]
    assert items[0].days_overdue == 127


def test_supplier_items_show_what_we_owe(ledger):
    from samspill.parties.services import create_organization

    supplier = create_organization(actor=None, name="Lager AS", roles=["supplier"])
    post(
        date(2026, 3, 1),
        [
            {"account": "2400", "credit": D("500"), "party": supplier.pk},
            {"account": "6800", "debit": D("500")},
        ],
        journal="PUR",
    )
    report = open_items.ageing(Account.objects.get(number="2400"), date(2026, 3, 1))
    assert report["totals"]["total"] == D("500.00")
    assert report["parties"][0].not_due == D("500.00")


def test_auto_match_pairs_payments_with_the_oldest_invoice_of_the_same_amount(
    ledger, customer, finance
):
    from samspill.parties.services import create_organization
    from samspill.platform.models import OutboxEvent

    other = create_organization(actor=None, name="Aalesund Bakeri AS", roles=["customer"])
    first = sale(customer, "100", date(2026, 1, 10))
    second = sale(customer, "100", date(2026, 1, 20))
    sale(customer, "300", date(2026, 1, 21))
    sale(other, "100", date(2026, 1, 5))
    payment = pay(customer, "125", date(2026, 2, 1))
    pay(customer, "99", date(2026, 2, 2))  # no invoice of that amount
    account = Account.objects.get(number="1500")
    before = OutboxEvent.objects.filter(type="accounting.lines.matched").count()
    numbers = services.auto_match(account, customer.pk, actor=finance)
    invoice_line = first.lines.get(account__number="1500")
    assert numbers == [invoice_line.pk]
    invoice_line.refresh_from_db()
    assert invoice_line.match == invoice_line.pk
    assert payment.lines.get(account__number="1500").match == invoice_line.pk
    assert second.lines.get(account__number="1500").match is None
    assert OutboxEvent.objects.filter(type="accounting.lines.matched").count() == before + 1
    assert services.auto_match(account, customer.pk, actor=finance) == []


def test_auto_match_needs_permission_and_a_reconcilable_account(ledger, make_user):
    from samspill.platform.errors import PermissionDenied, ValidationFailed

    with pytest.raises(PermissionDenied):
        services.auto_match(Account.objects.get(number="1500"), actor=make_user("sales"))
    with pytest.raises(ValidationFailed):
        services.auto_match(Account.objects.get(number="3000"), actor=None)


def test_demo_books_have_settled_and_open_receivables(db):
    from samspill.accounting import demo
    from samspill.accounting.models import JournalLine
    from samspill.parties.services import create_organization

    for name in ("Fjord Kaffe AS", "Nordlys Bakeri AS"):
        create_organization(actor=None, name=name, roles=["customer"])
    create_organization(actor=None, name="Grossist AS", roles=["supplier"])
    demo.load(actor=None)
    receivables = Account.objects.get(number="1500")
    matched = JournalLine.objects.filter(account=receivables, match__isnull=False)
    assert matched.count() > 50
    report = open_items.ageing(receivables, date.today())
    assert report["totals"]["total"] > 0  # some customers have not paid
    assert report["totals"]["total"] > report["totals"]["not_due"]  # some of it overdue
    suppliers = open_items.ageing(Account.objects.get(number="2400"), date.today())
    assert suppliers["totals"]["total"] >= 0


def test_statement_does_not_count_carried_forward_balances_twice(ledger):
    from samspill.accounting import queries

    post(
        date(2026, 6, 1),
        [{"account": "1920", "debit": D("700")}, {"account": "2000", "credit": D("700")}],
    )
    services.close_year(ledger, actor=None)
    bank = Account.objects.get(number="1920")
    start, end = date(2027, 1, 1), date(2027, 12, 31)
    opening = queries.opening_balance(bank, start)
    rows = list(queries.statement(bank, start, end))
    assert opening == D("700.00")
    assert [(r.carry_forward, r.debit) for r in rows] == [(True, D("700.00"))]
    assert opening + queries.cents(rows[0].running) == D("700.00")
    spec = gl.LedgerFilter(start, end, account_from="1920", account_to="1920")
    assert gl.ledger_page(spec, 1, 10).count == 0  # carried-forward lines are no postings
