"""The general ledger report (hovedbok): every account with postings in a range, its opening
balance, its lines with the running balance and its closing balance. Lines come paginated
(the running balance is a window function over the whole range, so it is right on every
page); the balances of the accounts on a page come from one GROUP BY."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import F, Q, Sum, Window
from django.db.models.functions import RowNumber

from samspill.accounting.models import ZERO, Account, FiscalYear, JournalLine
from samspill.accounting.queries.ledger import MONEY, cents, lines
from samspill.localization.no.chart import RETAINED_EARNINGS
from samspill.platform.permissions import restrict

PROFIT_AND_LOSS = (Account.Kind.INCOME, Account.Kind.EXPENSE)


@dataclass(frozen=True)
class LedgerFilter:
    date_from: date
    date_to: date
    account_from: str = ""
    account_to: str = ""
    journal: str = ""  # journal code
    party: int | None = None

    def q(self) -> Q:
        """Everything but the date range."""
        q = Q(posted=True, carry_forward=False)
        if self.account_from:
            q &= Q(account__number__gte=self.account_from)
        if self.account_to:
            q &= Q(account__number__lte=self.account_to)
        if self.journal:
            q &= Q(entry__journal__code=self.journal)
        if self.party:
            q &= Q(party_id=self.party)
        return q


@dataclass
class AccountBlock:
    account: Account
    opening: Decimal
    debit: Decimal
    credit: Decimal
    lines: list = field(default_factory=list)
    continued: bool = False  # the account started on an earlier page

    @property
    def closing(self) -> Decimal:
        return self.opening + self.debit - self.credit


def ledger_lines(spec: LedgerFilter, user=None):
    """The lines of the report in order, each annotated with `running`, the running balance
    within the range per account (add the account's opening balance)."""
    order = [F("date").asc(), F("entry_id").asc(), F("line_no").asc()]
    return (
        lines(user)
        .filter(spec.q(), date__gte=spec.date_from, date__lte=spec.date_to)
        .annotate(
            running=Window(
                Sum(F("debit") - F("credit"), output_field=MONEY),
                partition_by=[F("account_id")],
                order_by=order,
            ),
            position=Window(RowNumber(), partition_by=[F("account_id")], order_by=order),
        )
        .order_by("account__number", "date", "entry_id", "line_no")
    )


def balances(spec: LedgerFilter, account_ids=None, user=None) -> dict[int, tuple]:
    """(opening, debit, credit) per account, for the accounts given or all with postings in
    the range. Profit-and-loss accounts open every fiscal year at zero and an earlier year's
    unclosed result opens on retained earnings, as in the trial balance."""
    year = FiscalYear.objects.filter(start__lte=spec.date_from, end__gte=spec.date_from).first()
    year_start = year.start if year is not None else spec.date_from
    base = restrict(JournalLine.objects.all(), user).filter(spec.q())
    scoped = base.filter(date__lte=spec.date_to)
    if account_ids is not None:
        scoped = scoped.filter(account_id__in=list(account_ids))
    rows = (
        scoped.values("account_id", "account__kind")
        .annotate(
            opening=Sum(
                F("debit") - F("credit"), filter=Q(date__lt=spec.date_from), output_field=MONEY
            ),
            this_year=Sum(
                F("debit") - F("credit"),
                filter=Q(date__lt=spec.date_from, date__gte=year_start),
                output_field=MONEY,
            ),
            period_debit=Sum("debit", filter=Q(date__gte=spec.date_from), output_field=MONEY),
            period_credit=Sum("credit", filter=Q(date__gte=spec.date_from), output_field=MONEY),
        )
        .order_by()
    )
    result: dict[int, tuple] = {}
    for row in rows:
        opening = cents(row["this_year" if row["account__kind"] in PROFIT_AND_LOSS else "opening"])
        result[row["account_id"]] = (
            opening,
            cents(row["period_debit"]),
            cents(row["period_credit"]),
        )
    retained = Account.objects.filter(number=RETAINED_EARNINGS).values_list("pk", flat=True)
    retained_id = next(iter(retained), None)
    if retained_id in result:
        earlier = base.filter(account__kind__in=PROFIT_AND_LOSS, date__lt=year_start).aggregate(
            total=Sum(F("debit") - F("credit"), output_field=MONEY)
        )["total"]
        opening, debit, credit = result[retained_id]
        result[retained_id] = (opening + cents(earlier), debit, credit)
    return result


def blocks(page_lines, spec: LedgerFilter, user=None) -> list[AccountBlock]:
    """Group a page of `ledger_lines` by account, with the balances of those accounts (a
    block whose first line is not the account's first in the range is `continued`)."""
    page_lines = list(page_lines)
    ids = list(dict.fromkeys(line.account_id for line in page_lines))
    sums = balances(spec, ids, user) if ids else {}
    result: list[AccountBlock] = []
    for line in page_lines:
        if not result or result[-1].account.pk != line.account_id:
            opening, debit, credit = sums.get(line.account_id, (ZERO, ZERO, ZERO))
            result.append(
                AccountBlock(
                    account=line.account,
                    opening=opening,
                    debit=debit,
                    credit=credit,
                    continued=line.position > 1,
                )
            )
        block = result[-1]
        line.balance = block.opening + cents(line.running)
        block.lines.append(line)
    return result


def ledger_rows(spec: LedgerFilter, user=None):
    """Every line of the report, flat, with its balance (for the export): one query for the
    balances and one for the lines."""
    sums = balances(spec, None, user)
    for line in ledger_lines(spec, user).iterator(chunk_size=2000):
        opening = sums.get(line.account_id, (ZERO,))[0]
        line.balance = opening + cents(line.running)
        yield line
