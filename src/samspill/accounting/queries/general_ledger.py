"""The general ledger report (hovedbok): every account with postings in a range, its opening
balance, its lines with the running balance and its closing balance, paginated by lines
with a fixed number of queries however large the ledger (see `ledger_page`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Q, Sum

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


def _lines(spec: LedgerFilter, user=None):
    return (
        lines(user)
        .filter(spec.q(), date__gte=spec.date_from, date__lte=spec.date_to)
        .order_by("date", "entry_id", "line_no")
    )


def balances(spec: LedgerFilter, account_ids=None, user=None) -> dict[int, tuple]:
    """(opening, debit, credit, lines in the range) per account, for the accounts given or
    all with postings up to the end of the range; one GROUP BY. Profit-and-loss accounts open
    every fiscal year at zero and an earlier year's unclosed result opens on retained
    earnings, as in the trial balance."""
    year = FiscalYear.objects.filter(start__lte=spec.date_from, end__gte=spec.date_from).first()
    year_start = year.start if year is not None else spec.date_from
    base = restrict(JournalLine.objects.all(), user).filter(spec.q())
    scoped = base.filter(date__lte=spec.date_to)
    if account_ids is not None:
        scoped = scoped.filter(account_id__in=list(account_ids))
    in_range = Q(date__gte=spec.date_from)
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
            period_debit=Sum("debit", filter=in_range, output_field=MONEY),
            period_credit=Sum("credit", filter=in_range, output_field=MONEY),
            count=Count("id", filter=in_range),
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
            row["count"],
        )
    retained = Account.objects.filter(number=RETAINED_EARNINGS).values_list("pk", flat=True)
    retained_id = next(iter(retained), None)
    if retained_id in result:
        earlier = base.filter(account__kind__in=PROFIT_AND_LOSS, date__lt=year_start).aggregate(
            total=Sum(F("debit") - F("credit"), output_field=MONEY)
        )["total"]
        opening, debit, credit, count = result[retained_id]
        result[retained_id] = (opening + cents(earlier), debit, credit, count)
    return result


@dataclass
class LedgerPage:
    number: int
    per_page: int
    count: int
    blocks: list[AccountBlock]

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def ledger_page(spec: LedgerFilter, number: int, per_page: int, user=None) -> LedgerPage:
    """Page `number` (from 1; past the end is the last page) of the report, `per_page` lines.

    The balances and line counts of all accounts come first (one GROUP BY), which says
    which accounts and which of their lines fall on the page; then at most three line
    queries (the rest of the first account, the accounts wholly on the page, the start of
    the last one), each walking the (account, date) index, and one sum of the first
    account's lines before the page for its running balance. No window over the whole
    ledger, so a page costs about what the trial balance costs."""
    sums = balances(spec, None, user)
    counted = {pk: row[3] for pk, row in sums.items() if row[3]}
    ordered = list(
        Account.objects.filter(pk__in=list(counted)).order_by("number").values_list("pk", flat=True)
    )
    count = sum(counted.values())
    page = LedgerPage(number=1, per_page=per_page, count=count, blocks=[])
    page.number = min(max(number, 1), page.num_pages)
    start, end = (page.number - 1) * per_page, page.number * per_page
    segments: list[tuple[int, int, int]] = []  # (account id, offset, limit)
    position = 0
    for pk in ordered:
        n = counted[pk]
        if position + n > start and position < end:
            offset = max(0, start - position)
            segments.append((pk, offset, min(n, end - position) - offset))
        position += n
        if position >= end:
            break
    if not segments:
        return page
    base = _lines(spec, user)
    first_pk, first_offset, first_limit = segments[0]
    rows = list(base.filter(account_id=first_pk)[first_offset : first_offset + first_limit])
    middle = [pk for pk, _offset, _limit in segments[1:-1]]
    if middle:
        rows += list(base.filter(account_id__in=middle).order_by("account__number", *ORDER))
    if len(segments) > 1:
        last_pk, _offset, last_limit = segments[-1]
        rows += list(base.filter(account_id=last_pk)[:last_limit])
    before = ZERO
    if first_offset:
        before = cents(
            base.filter(account_id=first_pk)[:first_offset].aggregate(
                total=Sum(F("debit") - F("credit"), output_field=MONEY)
            )["total"]
        )
    page.blocks = _blocks(rows, sums, {first_pk: (first_offset > 0, before)})
    return page


ORDER = ("date", "entry_id", "line_no")


def _blocks(rows, sums, continued: dict) -> list[AccountBlock]:
    """Group lines (in report order) by account; each line gets `balance`, the account's
    balance after it."""
    result: list[AccountBlock] = []
    balance = ZERO
    for line in rows:
        if not result or result[-1].account.pk != line.account_id:
            opening, debit, credit, _count = sums.get(line.account_id, (ZERO, ZERO, ZERO, 0))
            is_continued, before = continued.get(line.account_id, (False, ZERO))
            result.append(
                AccountBlock(
                    account=line.account,
                    opening=opening,
                    debit=debit,
                    credit=credit,
                    continued=is_continued,
                )
            )
            balance = opening + before
        balance += line.debit - line.credit
        line.balance = balance
        result[-1].lines.append(line)
    return result


def ledger_rows(spec: LedgerFilter, user=None):
    """Every line of the report, flat, in order, with its balance (for the export): one
    query for the balances and one for the lines."""
    sums = balances(spec, None, user)
    rows = _lines(spec, user).order_by("account__number", *ORDER)
    current, balance = None, ZERO
    for line in rows.iterator(chunk_size=2000):
        if line.account_id != current:
            current, balance = line.account_id, sums.get(line.account_id, (ZERO,))[0]
        balance += line.debit - line.credit
        line.balance = balance
        yield line
