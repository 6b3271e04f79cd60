from datetime import date
from decimal import Decimal

import pytest

from samspill.accounting import queries, services
from samspill.accounting.models import JournalEntry, JournalLine, Period
from samspill.platform.errors import Conflict, PermissionDenied, ValidationFailed
from samspill.platform.models import AuditEntry, OutboxEvent

pytestmark = pytest.mark.django_db
D = Decimal


def sale(customer, net="1000", day=date(2026, 3, 10), code="3"):
    gross = D(net) * (1 + {"3": D("0.25"), "31": D("0.15"), "33": D("0.12")}[code])
    return {
        "journal": "SAL",
        "date": day,
        "description": "Sale",
        "lines": [
            {"account": "1500", "debit": gross, "party": customer.pk},
            {"account": "3000" if code == "3" else "3030", "credit": D(net), "vat_code": code},
        ],
    }


def test_a_sale_with_vat_code_gets_its_vat_line_and_posts_with_the_first_number(
    ledger, customer, finance
):
    entry = services.create_entry(actor=finance, **sale(customer))
    lines = list(entry.lines.order_by("line_no").values_list("account__number", "debit", "credit"))
    assert lines == [
        ("1500", D("1250.00"), D("0.00")),
        ("3000", D("0.00"), D("1000.00")),
        ("2700", D("0.00"), D("250.00")),
    ]
    assert entry.state == "draft" and entry.number is None

    posted = services.post_entry(entry, actor=finance)
    assert posted.number == 1
    assert posted.voucher == "SAL 2026-1"
    assert set(JournalLine.objects.filter(entry=entry).values_list("posted", flat=True)) == {True}
    event = OutboxEvent.objects.get(type="accounting.entry.posted")
    assert event.subjects == {"journal_entry": [str(entry.pk)], "party": [str(customer.pk)]}
    assert event.payload["total"] == "1250.00"
    assert AuditEntry.objects.filter(object_id=str(entry.pk), action="update").exists()


def test_food_rate_rounds_half_up_to_the_ore(ledger, customer):
    data = sale(customer, net="10.03", code="31")  # 15 % of 10.03 = 1.5045 -> 1.50
    data["lines"][0]["debit"] = D("11.53")
    entry = services.create_entry(actor=None, **data)
    vat = entry.lines.get(account__number="2701")
    assert vat.credit == D("1.50")
    services.post_entry(entry, actor=None)


def test_reverse_charge_posts_output_and_input_vat(ledger):
    entry = services.create_entry(
        actor=None,
        journal="PUR",
        date=date(2026, 2, 1),
        lines=[
            {"account": "6705", "debit": "1000", "vat_code": "86"},
            {"account": "1920", "credit": "1000"},
        ],
    )
    amounts = dict(entry.lines.values_list("account__number", "debit"))
    credits = dict(entry.lines.values_list("account__number", "credit"))
    assert credits["2704"] == D("250.00") and amounts["2714"] == D("250.00")
    services.post_entry(entry, actor=None)


def test_unbalanced_entry_is_refused_and_nothing_is_posted(ledger, customer):
    data = sale(customer)
    data["lines"][0]["debit"] = D("1249.99")
    entry = services.create_entry(actor=None, **data)
    with pytest.raises(ValidationFailed) as exc:
        services.post_entry(entry, actor=None)
    assert "does not balance" in str(exc.value.message)
    entry.refresh_from_db()
    assert entry.state == "draft" and entry.number is None
    assert not OutboxEvent.objects.filter(type="accounting.entry.posted").exists()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ({"account": "9999", "debit": "10"}, "existing account"),
        ({"account": "1920", "debit": "10", "credit": "10"}, "either a debit or a credit"),
        ({"account": "1920", "debit": "-10"}, "cannot be negative"),
        ({"account": "1920", "debit": "abc"}, "Enter an amount"),
        ({"account": "1920", "debit": "10", "vat_code": "XX"}, "existing VAT code"),
        ({"account": "1920", "debit": "10", "party": 999999}, "existing party"),
    ],
)
def test_bad_lines_are_refused_with_a_clear_message_and_nothing_written(ledger, line, message):
    with pytest.raises(ValidationFailed) as exc:
        services.create_entry(actor=None, journal="GEN", date=date(2026, 1, 5), lines=[line])
    assert message in str(exc.value.message)
    assert not JournalEntry.objects.exists()


def test_posting_rules_party_vat_and_active_account(ledger, customer):
    no_party = sale(customer)
    del no_party["lines"][0]["party"]
    entry = services.create_entry(actor=None, **no_party)
    with pytest.raises(ValidationFailed, match="customer or supplier"):
        services.post_entry(entry, actor=None)

    wrong_vat = services.create_entry(
        actor=None,
        journal="GEN",
        date=date(2026, 1, 5),
        lines=[
            {"account": "3000", "credit": "100", "vat_code": "1"},
            {"account": "1920", "debit": "125"},
        ],
    )
    with pytest.raises(ValidationFailed, match="not allowed on account"):
        services.post_entry(wrong_vat, actor=None)

    services.update_account(queries.account_by_number("1900"), actor=None, active=False)
    inactive = services.create_entry(
        actor=None,
        journal="CSH",
        date=date(2026, 1, 5),
        lines=[{"account": "1900", "debit": "100"}, {"account": "1920", "credit": "100"}],
    )
    with pytest.raises(ValidationFailed, match="not active"):
        services.post_entry(inactive, actor=None)


def test_date_without_fiscal_year_is_refused(ledger):
    with pytest.raises(ValidationFailed, match="No fiscal year"):
        services.create_entry(
            actor=None,
            journal="GEN",
            date=date(2030, 1, 1),
            lines=[{"account": "1920", "debit": "1"}],
        )


def test_posted_entries_are_immutable_and_reversal_links_and_mirrors(ledger, customer):
    entry = services.create_entry(actor=None, **sale(customer))
    services.post_entry(entry, actor=None)
    with pytest.raises(Conflict):
        services.update_entry(entry, actor=None, description="changed")
    with pytest.raises(Conflict):
        services.delete_entry(entry, actor=None)
    with pytest.raises(Conflict):
        services.post_entry(entry, actor=None)

    reversal = services.reverse_entry(entry, actor=None)
    assert reversal.reversal_of_id == entry.pk
    assert reversal.number == 2 and reversal.state == "posted"
    original = sorted(entry.lines.values_list("account__number", "debit", "credit"))
    mirrored = sorted(reversal.lines.values_list("account__number", "credit", "debit"))
    assert original == mirrored
    tb = queries.trial_balance(date(2026, 1, 1), date(2026, 12, 31))
    assert all(row.closing == 0 for row in tb)
    event = OutboxEvent.objects.get(type="accounting.entry.reversed")
    assert event.subjects["party"] == [str(customer.pk)]
    with pytest.raises(Conflict, match="already been reversed"):
        services.reverse_entry(entry, actor=None)
    with pytest.raises(Conflict, match="itself a reversal"):
        services.reverse_entry(reversal, actor=None)


def test_voucher_numbers_are_gapless_per_journal_and_year(ledger, customer):
    services.open_fiscal_year(actor=None, start=date(2027, 1, 1))
    numbers = []
    for day in (date(2026, 1, 2), date(2026, 1, 3), date(2027, 1, 2)):
        entry = services.create_entry(actor=None, **sale(customer, day=day))
        numbers.append(services.post_entry(entry, actor=None).voucher)
    general = services.create_entry(
        actor=None,
        journal="GEN",
        date=date(2026, 1, 4),
        lines=[{"account": "1920", "debit": "5"}, {"account": "2050", "credit": "5"}],
    )
    numbers.append(services.post_entry(general, actor=None).voucher)
    assert numbers == ["SAL 2026-1", "SAL 2026-2", "SAL 2027-1", "GEN 2026-1"]


def test_post_entries_bulk_is_all_or_nothing(ledger, customer):
    good = [sale(customer, day=date(2026, 1, d)) for d in (3, 1, 2)]
    created = services.post_entries(good, actor=None)
    assert sorted(e.number for e in created) == [1, 2, 3]
    by_date = sorted(created, key=lambda e: e.date)
    assert [e.number for e in by_date] == [1, 2, 3]
    assert JournalLine.objects.filter(posted=True).count() == 9
    bad = sale(customer)
    bad["lines"][0]["debit"] = D("1")
    with pytest.raises(ValidationFailed, match="Entry 2"):
        services.post_entries([sale(customer), bad], actor=None)
    assert JournalEntry.objects.count() == 3


def test_closed_period_refuses_postings_until_reopened(ledger, customer, finance):
    march = Period.objects.get(fiscal_year=ledger, number=3)
    services.close_period(march, actor=finance)
    entry = services.create_entry(actor=finance, **sale(customer))
    with pytest.raises(Conflict, match="closed"):
        services.post_entry(entry, actor=finance)
    services.reopen_period(march, actor=finance)
    services.post_entry(entry, actor=finance)
    types = list(
        OutboxEvent.objects.filter(type__startswith="accounting.period")
        .values_list("type", flat=True)
        .order_by("occurred_at")
    )
    assert types == ["accounting.period.closed", "accounting.period.reopened"]
    assert AuditEntry.objects.filter(object_id=str(march.pk), action="update").count() == 2


def test_period_with_drafts_cannot_close(ledger, customer):
    services.create_entry(actor=None, **sale(customer))
    with pytest.raises(Conflict, match="draft"):
        services.close_period(Period.objects.get(fiscal_year=ledger, number=3), actor=None)


def test_permissions_by_role(ledger, customer, make_user):
    sales = make_user("sales")
    management = make_user("management")
    with pytest.raises(PermissionDenied):
        services.create_entry(actor=sales, **sale(customer))
    with pytest.raises(PermissionDenied):
        services.close_period(Period.objects.first(), actor=management)
    entry = services.create_entry(actor=None, **sale(customer))
    with pytest.raises(PermissionDenied):
        services.post_entry(entry, actor=management)


def test_year_end_close_moves_result_to_equity_and_carries_balances_forward(ledger, customer):
    services.post_entries(
        [
            sale(customer, net="10000"),
            {
                "journal": "PUR",
                "date": date(2026, 4, 1),
                "lines": [
                    {"account": "4300", "debit": "4000"},
                    {"account": "1920", "credit": "4000"},
                ],
            },
        ],
        actor=None,
    )
    services.close_year(ledger, actor=None)
    ledger.refresh_from_db()
    assert ledger.closed
    assert not Period.objects.filter(fiscal_year=ledger, closed=False).exists()
    year_end = {
        r.number: r.closing for r in queries.trial_balance(date(2026, 1, 1), date(2026, 12, 31))
    }
    assert year_end["2050"] == D("-6000.00")  # the profit, a credit on retained earnings
    assert all(year_end.get(n, 0) == 0 for n in ("3000", "4300"))
    opening = JournalEntry.objects.get(kind="carry_forward")
    assert opening.date == date(2027, 1, 1)
    carried = dict(opening.lines.values_list("account__number", "debit"))
    assert carried["1500"] == D("12500.00")
    event = OutboxEvent.objects.get(type="accounting.year.closed")
    assert event.payload["result"] == "6000.00"
    # The next year's trial balance opens with the same balances (no double counting).
    next_year = {
        r.number: r.opening for r in queries.trial_balance(date(2027, 1, 1), date(2027, 1, 31))
    }
    assert next_year["1500"] == D("12500.00")
    assert sum(next_year.values()) == 0
    with pytest.raises(Conflict):
        services.reopen_period(Period.objects.get(fiscal_year=ledger, number=1), actor=None)
    with pytest.raises(Conflict, match="one by one"):
        services.reverse_entry(JournalEntry.objects.get(kind="closing"), actor=None)
    with pytest.raises(Conflict, match="already closed"):
        services.close_year(ledger, actor=None)


def test_party_balance_key_figure(ledger, customer, finance):
    services.post_entries([sale(customer), sale(customer)], actor=None)
    assert queries.party_balance(customer.pk) == D("2500.00")
    from samspill.platform.registry import key_figures

    figures = key_figures(finance, customer)
    assert any(f.value == D("2500.00") for f in figures)


def test_profit_and_loss_and_balance_sheet_agree_before_and_after_year_end(ledger, customer):
    services.post_entries(
        [
            sale(customer, net="10000"),
            {
                "journal": "PUR",
                "date": date(2026, 4, 1),
                "lines": [
                    {"account": "4300", "debit": "4000", "vat_code": "1"},
                    {"account": "1920", "credit": "5000"},
                ],
            },
            {
                "journal": "GEN",
                "date": date(2026, 5, 1),
                "lines": [
                    {"account": "5000", "debit": "1000"},
                    {"account": "1920", "credit": "1000"},
                ],
            },
        ],
        actor=None,
    )
    pl = queries.profit_and_loss(date(2026, 1, 1), date(2026, 12, 31))
    totals = {s.key: s.total for s in pl["sections"]}
    assert totals["income"] == D("10000.00")
    assert totals["goods"] == D("-4000.00") and totals["payroll"] == D("-1000.00")
    assert pl["result"] == pl["operating_result"] == D("5000.00")
    bs = queries.balance_sheet(date(2026, 12, 31))
    assert bs["unclosed_result"] == D("5000.00")
    assert bs["total_assets"] == bs["total_equity_and_liabilities"] == D("6500.00")

    services.close_year(ledger, actor=None)
    assert queries.profit_and_loss(date(2026, 1, 1), date(2026, 12, 31))["result"] == D("5000.00")
    after = queries.balance_sheet(date(2026, 12, 31))
    assert after["unclosed_result"] == 0
    assert after["equity"].total == D("5000.00")
    assert after["total_assets"] == after["total_equity_and_liabilities"]


def test_merging_parties_moves_ledger_lines(ledger, customer, make_user):
    from samspill.parties import services as parties

    duplicate = parties.create_organization(actor=None, name="Fjord Kaffe A/S", roles=["customer"])
    services.post_entries([sale(duplicate), sale(customer)], actor=None)
    parties.merge_parties(survivor=customer, duplicate=duplicate, actor=make_user("admin"))
    assert queries.party_balance(customer.pk) == D("2500.00")
    assert not JournalLine.objects.filter(party=duplicate).exists()


def test_profit_and_loss_accounts_open_each_fiscal_year_at_zero(ledger):
    """Before the year-end close of 2026, the 2027 trial balance opens the income and cost
    accounts at zero and shows 2026's result on retained earnings, as the close will."""
    services.open_fiscal_year(actor=None, start=date(2027, 1, 1))
    services.post_entries(
        [
            {
                "journal": "GEN",
                "date": date(2026, 6, 1),
                "lines": [
                    {"account": "1920", "debit": "10000"},
                    {"account": "3000", "credit": "10000"},
                ],
            },
            {
                "journal": "GEN",
                "date": date(2027, 1, 10),
                "lines": [
                    {"account": "1920", "debit": "500"},
                    {"account": "3000", "credit": "500"},
                ],
            },
        ],
        actor=None,
    )
    rows = {r.number: r for r in queries.trial_balance(date(2027, 1, 1), date(2027, 1, 31))}
    assert rows["3000"].opening == D("0.00")
    assert rows["3000"].closing == D("-500.00")
    assert rows["2050"].opening == D("-10000.00")  # the 2026 profit, not yet closed
    assert rows["1920"].opening == D("10000.00")
    assert sum(r.opening for r in rows.values()) == 0
    assert sum(r.closing for r in rows.values()) == 0
    # Within the year, the income account opens with what the year has posted so far.
    february = {r.number: r for r in queries.trial_balance(date(2027, 2, 1), date(2027, 2, 28))}
    assert february["3000"].opening == D("-500.00")
