"""Open items: matching invoice and payment lines on a reconcilable account."""

from datetime import date
from decimal import Decimal

import pytest

from samspill.accounting import services
from samspill.accounting.models import JournalLine
from samspill.accounting.services.matching import residual
from samspill.platform.errors import Conflict, PermissionDenied, ValidationFailed
from samspill.platform.models import AuditEntry, OutboxEvent

pytestmark = pytest.mark.django_db
D = Decimal


def invoice(customer, gross="1250.00", day=date(2026, 3, 10), post=True):
    entry = services.create_entry(
        actor=None,
        journal="SAL",
        date=day,
        lines=[
            {"account": "1500", "debit": D(gross), "party": customer.pk, "due_date": "2026-03-24"},
            {"account": "3000", "credit": D(gross) / D("1.25"), "vat_code": "3"},
        ],
        post=post,
    )
    return entry.lines.get(account__number="1500")


def payment(customer, amount, day=date(2026, 3, 20)):
    entry = services.create_entry(
        actor=None,
        journal="BNK",
        date=day,
        lines=[
            {"account": "1920", "debit": D(amount)},
            {"account": "1500", "credit": D(amount), "party": customer.pk},
        ],
        post=True,
    )
    return entry.lines.get(account__number="1500")


def test_due_date_is_kept_on_the_open_item(ledger, customer):
    line = invoice(customer)
    assert line.due_date == date(2026, 3, 24)


def test_a_bad_due_date_is_refused_and_nothing_written(ledger, customer):
    with pytest.raises(ValidationFailed) as caught:
        services.create_entry(
            actor=None,
            journal="SAL",
            date=date(2026, 3, 10),
            lines=[{"account": "1500", "debit": "10", "party": customer.pk, "due_date": "x"}],
        )
    assert caught.value.errors == {"lines.0.due_date": ["Enter a valid date."]}
    assert not JournalLine.objects.exists()


def test_paying_in_two_parts_joins_one_match_that_is_settled_at_zero(ledger, customer, finance):
    item = invoice(customer)
    first = payment(customer, "1000.00")
    number = services.match_lines([item.pk, first.pk], actor=finance)
    assert number == item.pk
    assert residual(number) == D("250.00")
    second = payment(customer, "250.00", day=date(2026, 3, 28))
    assert services.match_lines([second.pk, first.pk], actor=finance) == number
    assert set(JournalLine.objects.filter(match=number).values_list("pk", flat=True)) == {
        item.pk,
        first.pk,
        second.pk,
    }
    assert residual(number) == D("0.00")
    events = OutboxEvent.objects.filter(type="accounting.lines.matched").order_by("occurred_at")
    assert [e.payload["residual"] for e in events] == ["250.00", "0.00"]
    assert events.last().subjects == {"party": [str(customer.pk)]}


def test_unmatching_releases_every_line(ledger, customer, finance):
    item, paid = invoice(customer), payment(customer, "1250.00")
    number = services.match_lines([item.pk, paid.pk], actor=finance)
    assert services.unmatch_lines(number, actor=finance) == 2
    assert not JournalLine.objects.filter(match__isnull=False).exists()
    assert OutboxEvent.objects.filter(type="accounting.lines.unmatched").count() == 1
    assert AuditEntry.objects.filter(changes__match=[number, None]).count() == 1


@pytest.mark.parametrize(
    "case, message",
    [
        ("one", "Choose at least two lines to match."),
        ("income", "Account 3000 does not keep open items."),
        ("other_account", "Matched lines must be on the same account."),
        ("other_party", "Matched lines must belong to the same party."),
        ("missing", "Choose existing lines."),
    ],
)
def test_wrong_matches_are_refused_and_nothing_changes(ledger, customer, finance, case, message):
    from samspill.parties.services import create_organization

    item = invoice(customer)

    def income():
        invoice(customer, gross="125.00")
        return list(JournalLine.objects.filter(account__number="3000").values_list("pk", flat=True))

    def other_account():
        payment(customer, "5.00")
        return [item.pk, JournalLine.objects.get(account__number="1920").pk]

    def other_party():
        other = create_organization(actor=None, name="Annen Kunde AS", roles=["customer"])
        return [item.pk, payment(other, "5.00").pk]

    ids = {
        "one": lambda: [item.pk],
        "income": income,
        "other_account": other_account,
        "other_party": other_party,
        "missing": lambda: [item.pk, 999_999],
    }[case]()
    with pytest.raises(ValidationFailed) as caught:
        services.match_lines(ids, actor=finance)
    assert caught.value.message == message
    assert not JournalLine.objects.filter(match__isnull=False).exists()
    assert not OutboxEvent.objects.filter(type="accounting.lines.matched").exists()


def test_draft_lines_cannot_be_matched(ledger, customer, finance):
    draft = invoice(customer, post=False)
    paid = payment(customer, "1250.00")
    with pytest.raises(Conflict):
        services.match_lines([draft.pk, paid.pk], actor=finance)


def test_matching_needs_permission(ledger, customer, make_user):
    item, paid = invoice(customer), payment(customer, "1250.00")
    with pytest.raises(PermissionDenied):
        services.match_lines([item.pk, paid.pk], actor=make_user("sales"))


def test_a_reversed_invoice_is_matched_with_its_reversal(ledger, customer, finance):
    item = invoice(customer)
    reversal = services.reverse_entry(item.entry, actor=finance)
    copy = reversal.lines.get(account__number="1500")
    assert copy.due_date == date(2026, 3, 24)
    item.refresh_from_db()
    copy.refresh_from_db()
    assert item.match == copy.match == item.pk
    assert residual(item.pk) == D("0.00")
