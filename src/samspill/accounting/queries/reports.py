"""Financial reports: trial balance, account statement, profit and loss, balance sheet.
Reports aggregate in SQL (one GROUP BY), never in Python over lines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Case, F, Q, Sum, Value, When, Window
from django.utils.translation import gettext_lazy

from samspill.accounting.models import (
    ZERO,
    Account,
    FiscalYear,
    JournalEntry,
    JournalLine,
)
from samspill.accounting.queries.ledger import MONEY, cents, lines
from samspill.localization.no.chart import RETAINED_EARNINGS
from samspill.platform.permissions import restrict


@dataclass(frozen=True)
class TrialBalanceRow:
    account_id: int
    number: str
    name: str
    opening: Decimal
    debit: Decimal
    credit: Decimal
    closing: Decimal


def trial_balance(date_from: date, date_to: date, user=None) -> list[TrialBalanceRow]:
    """Per account with any posting up to `date_to`: the balance before `date_from`
    (debit - credit), the debits and credits in the range and the balance at its end.
    One GROUP BY over the posted lines by account id (no join: aggregates with FILTER on
    PostgreSQL), then the accounts in one small query. Carried-forward opening entries are
    left out, since the history they repeat is counted.

    Profit-and-loss accounts start every fiscal year at zero: their opening is what was
    posted since the start of the fiscal year of `date_from`. A result of earlier years that
    no year-end close has moved yet opens on retained earnings (2050), as a close would have
    put it, so opening and closing balances still sum to zero (the SAF-T export does the
    same)."""
    year = FiscalYear.objects.filter(start__lte=date_from, end__gte=date_from).first()
    year_start = year.start if year is not None else date_from
    rows = (
        restrict(JournalLine.objects.all(), user)
        .filter(posted=True, carry_forward=False, date__lte=date_to)
        .values("account_id")
        .annotate(
            opening=Sum(F("debit") - F("credit"), filter=Q(date__lt=date_from), output_field=MONEY),
            this_year=Sum(
                F("debit") - F("credit"),
                filter=Q(date__lt=date_from, date__gte=year_start),
                output_field=MONEY,
            ),
            period_debit=Sum("debit", filter=Q(date__gte=date_from), output_field=MONEY),
            period_credit=Sum("credit", filter=Q(date__gte=date_from), output_field=MONEY),
        )
        .order_by()
    )
    sums = {
        row["account_id"]: (
            cents(row["opening"]),
            cents(row["this_year"]),
            cents(row["period_debit"]),
            cents(row["period_credit"]),
        )
        for row in rows
    }
    accounts = {
        pk: (number, name, kind)
        for pk, number, name, kind in Account.objects.filter(
            Q(pk__in=sums) | Q(number=RETAINED_EARNINGS)
        ).values_list("pk", "number", "name", "kind")
    }
    profit_and_loss = (Account.Kind.INCOME, Account.Kind.EXPENSE)
    earlier_result = ZERO
    totals: dict[int, list[Decimal]] = {}
    for pk, (opening, this_year, debit, credit) in sums.items():
        if accounts[pk][2] in profit_and_loss:
            earlier_result += opening - this_year
            opening = this_year
        totals[pk] = [opening, debit, credit]
    retained = next((pk for pk, a in accounts.items() if a[0] == RETAINED_EARNINGS), None)
    if earlier_result and retained is not None:
        totals.setdefault(retained, [ZERO, ZERO, ZERO])[0] += earlier_result
    return [
        TrialBalanceRow(
            account_id=pk,
            number=accounts[pk][0],
            name=accounts[pk][1],
            opening=opening,
            debit=debit,
            credit=credit,
            closing=opening + debit - credit,
        )
        for pk, (opening, debit, credit) in sorted(totals.items(), key=lambda i: accounts[i[0]][0])
        if opening or debit or credit
    ]


def opening_balance(account: Account, date_from: date) -> Decimal:
    total = JournalLine.objects.filter(
        account=account, posted=True, carry_forward=False, date__lt=date_from
    ).aggregate(balance=Sum(F("debit") - F("credit"), output_field=MONEY))["balance"]
    return cents(total)


def statement(account: Account, date_from: date, date_to: date, user=None):
    """The posted lines of one account in a date range, oldest first, each with the
    running balance from the start of the range (a window function in the database). A
    carried-forward opening line is shown but not added: the opening balance already holds
    the history it repeats."""
    return (
        lines(user)
        .filter(account=account, posted=True, date__gte=date_from, date__lte=date_to)
        .annotate(
            running=Window(
                Sum(
                    Case(
                        When(carry_forward=True, then=Value(ZERO)),
                        default=F("debit") - F("credit"),
                        output_field=MONEY,
                    ),
                    output_field=MONEY,
                ),
                order_by=[F("date").asc(), F("entry_id").asc(), F("line_no").asc()],
            )
        )
        .order_by("date", "entry_id", "line_no")
    )


PL_SECTIONS = (
    ("income", gettext_lazy("Operating income"), ("3",)),
    ("goods", gettext_lazy("Cost of goods"), ("4",)),
    ("payroll", gettext_lazy("Payroll"), ("5",)),
    ("other", gettext_lazy("Other operating expenses"), ("6", "7")),
    ("financial", gettext_lazy("Financial items"), ("80", "81", "82")),
    ("tax", gettext_lazy("Tax"), ("83", "84", "85", "86", "87")),
)
BS_SECTIONS = (
    ("assets", gettext_lazy("Assets"), ("1",)),
    ("equity", gettext_lazy("Equity"), ("20",)),
    (
        "liabilities",
        gettext_lazy("Liabilities"),
        ("21", "22", "23", "24", "25", "26", "27", "28", "29"),
    ),
)


@dataclass(frozen=True)
class ReportLine:
    account_id: int
    number: str
    name: str
    amount: Decimal


@dataclass
class ReportSection:
    key: str
    title: object
    lines: list[ReportLine]

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)


def _balances(user, numbers: tuple[str, str] | None = None, **filters):
    """(account id, number, name, debit - credit) per account, one GROUP BY by account id
    (accounts in the number range `numbers`, [from, to), when given)."""
    accounts = Account.objects.all()
    if numbers:
        accounts = accounts.filter(number__gte=numbers[0], number__lt=numbers[1])
    names = {
        pk: (number, name) for pk, number, name in accounts.values_list("pk", "number", "name")
    }
    lines = restrict(JournalLine.objects.all(), user).filter(
        posted=True, carry_forward=False, **filters
    )
    if numbers:
        lines = lines.filter(account_id__in=list(names))
    rows = (
        lines.values("account_id")
        .annotate(balance=Sum("debit", output_field=MONEY) - Sum("credit", output_field=MONEY))
        .order_by()
    )
    result = [
        (r["account_id"], *names[r["account_id"]], cents(r["balance"]))
        for r in rows
        if r["account_id"] in names
    ]
    return sorted(result, key=lambda row: row[1])


def _sections(rows, layout, sign: int) -> list[ReportSection]:
    sections = [ReportSection(key, title, []) for key, title, _prefixes in layout]
    for account_id, number, name, balance in rows:
        for section, (_key, _title, prefixes) in zip(sections, layout, strict=True):
            if number.startswith(prefixes):
                if balance:
                    section.lines.append(ReportLine(account_id, number, name, sign * balance))
                break
    return sections


def profit_and_loss(date_from: date, date_to: date, user=None) -> dict:
    """Income positive, expenses negative, per section, and the result. The year-end
    closing voucher is left out (it only moves the result to equity)."""
    rows = _balances(user, ("3", "88"), date__gte=date_from, date__lte=date_to)
    closing_ids = list(
        JournalEntry.objects.filter(
            kind=JournalEntry.Kind.CLOSING, date__gte=date_from, date__lte=date_to
        ).values_list("pk", flat=True)
    )
    closing = (
        JournalLine.objects.filter(entry_id__in=closing_ids)
        .values("account_id")
        .annotate(balance=Sum("debit", output_field=MONEY) - Sum("credit", output_field=MONEY))
        .order_by()
        if closing_ids
        else []
    )
    undo = {r["account_id"]: cents(r["balance"]) for r in closing}
    rows = [(pk, number, name, balance - undo.get(pk, ZERO)) for pk, number, name, balance in rows]
    sections = _sections(rows, PL_SECTIONS, sign=-1)
    operating = sum(
        (s.total for s in sections if s.key in ("income", "goods", "payroll", "other")), ZERO
    )
    result = sum((s.total for s in sections), ZERO)
    return {"sections": sections, "operating_result": operating, "result": result}


def balance_sheet(at: date, user=None) -> dict:
    """Assets (debit positive) against equity and liabilities (credit positive) at a date,
    with the result not yet closed to equity shown on its own line."""
    rows = _balances(user, date__lte=at)
    assets, equity, liabilities = _sections(
        [r for r in rows if r[1][:1] in "12"], BS_SECTIONS, sign=1
    )
    for section in (equity, liabilities):
        section.lines = [
            ReportLine(line.account_id, line.number, line.name, -line.amount)
            for line in section.lines
        ]
    unclosed = -sum((r[3] for r in rows if r[1][:1] in "345678"), ZERO)
    return {
        "assets": assets,
        "equity": equity,
        "liabilities": liabilities,
        "unclosed_result": unclosed,
        "total_assets": assets.total,
        "total_equity_and_liabilities": equity.total + liabilities.total + unclosed,
    }
