"""Read side of the SAF-T export. Every figure is aggregated in SQL (one GROUP BY per
master file); the journal lines are read with one streamed query ordered by journal and
voucher, never a query per voucher.

Which lines count: posted lines, except the lines of a carried-forward opening entry (they
repeat earlier years' balances, which the history already holds) - the same rule as the
trial balance. Opening balances are computed from the history:
- balance sheet accounts (classes 1-2): everything before the start of the selection;
- profit and loss accounts (classes 3-8): the fiscal year up to the start of the selection;
- the result of earlier years not yet closed is added to retained earnings (2050), so that
  the opening balances of the file always sum to zero.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, DecimalField, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce

from samspill.accounting.models import Account, Journal, JournalEntry, JournalLine
from samspill.localization.no.chart import RETAINED_EARNINGS
from samspill.localization.no.models import VatCode
from samspill.localization.no.saft.selection import Selection

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
MONEY = DecimalField(max_digits=20, decimal_places=2)


def _sum(condition: Q | None, expression) -> Coalesce:
    value = Case(When(condition, then=expression), output_field=MONEY) if condition else expression
    return Coalesce(Sum(value, output_field=MONEY), Value(ZERO), output_field=MONEY)


def ledger_lines(selection: Selection | None = None):
    """Posted lines that count (no carried-forward repeats), up to the selection's end."""
    lines = JournalLine.objects.filter(posted=True, carry_forward=False)
    if selection is not None:
        lines = lines.filter(date__lte=selection.date_to)
    return lines


def _in_range(selection: Selection) -> Q:
    return Q(date__gte=selection.date_from)


@dataclass
class AccountBalance:
    account: Account
    opening: Decimal  # debit - credit
    debit: Decimal
    credit: Decimal
    lines: int

    @property
    def closing(self) -> Decimal:
        return self.opening + self.debit - self.credit


def account_balances(selection: Selection) -> list[AccountBalance]:
    """Every account used in the selection or with an opening or closing balance, by
    number, with opening balance and the debits and credits of the range. Two queries."""
    year_start = selection.fiscal_year.start
    amount = F("debit") - F("credit")
    rows = (
        ledger_lines(selection)
        .values("account_id")
        .annotate(
            before_year=_sum(Q(date__lt=year_start), amount),
            year_before_range=_sum(Q(date__gte=year_start, date__lt=selection.date_from), amount),
            debit_in_range=_sum(_in_range(selection), F("debit")),
            credit_in_range=_sum(_in_range(selection), F("credit")),
            lines_in_range=Count("id", filter=_in_range(selection)),
        )
        .order_by()
    )
    accounts = {a.pk: a for a in Account.objects.all()}
    result: dict[int, AccountBalance] = {}
    earlier_result = ZERO  # profit and loss of earlier years that no year-end close moved
    for row in rows:
        account = accounts[row["account_id"]]
        if account.is_profit_and_loss:
            opening = row["year_before_range"]
            earlier_result += row["before_year"]
        else:
            opening = row["before_year"] + row["year_before_range"]
        result[account.pk] = AccountBalance(
            account=account,
            opening=opening,
            debit=row["debit_in_range"],
            credit=row["credit_in_range"],
            lines=row["lines_in_range"],
        )
    if earlier_result:
        equity = next((a for a in accounts.values() if a.number == RETAINED_EARNINGS), None)
        if equity is not None:
            balance = result.setdefault(equity.pk, AccountBalance(equity, ZERO, ZERO, ZERO, 0))
            balance.opening += earlier_result
    rows_out = [b for b in result.values() if b.lines or b.opening or b.closing]
    return sorted(rows_out, key=lambda b: b.account.number)


def receivable_accounts() -> dict[int, str]:
    """{account id: "customer" | "supplier"}: the reconcilable accounts that need a party -
    assets are customer receivables (1500), liabilities supplier payables (2400)."""
    rows = Account.objects.filter(reconcilable=True, party_required=True).values_list("pk", "kind")
    kinds: dict[str, str] = {Account.Kind.ASSET: "customer", Account.Kind.LIABILITY: "supplier"}
    return {pk: kinds[kind] for pk, kind in rows if kind in kinds}


@dataclass
class PartyBalance:
    account_number: str
    opening: Decimal
    debit: Decimal
    credit: Decimal

    @property
    def closing(self) -> Decimal:
        return self.opening + self.debit - self.credit


@dataclass
class PartyMaster:
    party: Any  # parties.Party with `addresses` prefetched
    role: str  # "customer" | "supplier"
    balances: list[PartyBalance] = field(default_factory=list)


def party_masters(selection: Selection, roles: dict[int, str] | None = None):
    """(customers, suppliers): the parties on lines of receivable / payable accounts that
    moved in the selection or carry a balance, each with its balance per account. Two
    queries and one for the addresses."""
    from samspill.parties.models import Party

    roles = receivable_accounts() if roles is None else roles
    amount = F("debit") - F("credit")
    rows = (
        ledger_lines(selection)
        .filter(account_id__in=list(roles), party_id__isnull=False)
        .values("party_id", "account_id", "account__number")
        .annotate(
            opening=_sum(Q(date__lt=selection.date_from), amount),
            debit_in_range=_sum(_in_range(selection), F("debit")),
            credit_in_range=_sum(_in_range(selection), F("credit")),
            lines_in_range=Count("id", filter=_in_range(selection)),
        )
        .order_by("party_id", "account__number")
    )
    masters: dict[tuple[int, str], PartyMaster] = {}
    kept = []
    for row in rows:
        balance = PartyBalance(
            account_number=row["account__number"],
            opening=row["opening"],
            debit=row["debit_in_range"],
            credit=row["credit_in_range"],
        )
        if not (row["lines_in_range"] or balance.opening or balance.closing):
            continue
        kept.append((row["party_id"], roles[row["account_id"]], balance))
    # Merged parties' tombstones are included: the ledger lines still name them.
    parties = Party.objects.filter(pk__in={party_id for party_id, _r, _b in kept}).prefetch_related(
        "addresses"
    )
    by_id = {p.pk: p for p in parties}
    for party_id, role, balance in kept:
        master = masters.setdefault((party_id, role), PartyMaster(by_id[party_id], role))
        master.balances.append(balance)
    customers = [m for (_pk, role), m in sorted(masters.items()) if role == "customer"]
    suppliers = [m for (_pk, role), m in sorted(masters.items()) if role == "supplier"]
    return customers, suppliers


def vat_codes() -> list[VatCode]:
    return list(VatCode.objects.order_by("direction", "code"))


def entries_in(selection: Selection):
    return JournalEntry.objects.filter(
        state=JournalEntry.State.POSTED,
        date__gte=selection.date_from,
        date__lte=selection.date_to,
    ).exclude(kind=JournalEntry.Kind.CARRY_FORWARD)


@dataclass(frozen=True)
class JournalSummary:
    code: str
    name: str
    kind: str
    entries: int


@dataclass(frozen=True)
class Totals:
    entries: int
    lines: int
    debit: Decimal
    credit: Decimal
    journals: tuple[JournalSummary, ...]


def totals(selection: Selection) -> Totals:
    """Counts and sums of the selection (the GeneralLedgerEntries header and the preview):
    two queries."""
    per_journal = (
        entries_in(selection).values("journal_id").annotate(entries=Count("id")).order_by()
    )
    counts = {row["journal_id"]: row["entries"] for row in per_journal}
    journals = tuple(
        JournalSummary(j.code, j.name, j.kind, counts[j.pk])
        for j in Journal.objects.filter(pk__in=list(counts)).order_by("code")
    )
    sums = (
        ledger_lines(selection)
        .filter(_in_range(selection))
        .aggregate(lines=Count("id"), debit=_sum(None, F("debit")), credit=_sum(None, F("credit")))
    )
    return Totals(
        entries=sum(counts.values()),
        lines=sums["lines"],
        debit=sums["debit"].quantize(CENT),
        credit=sums["credit"].quantize(CENT),
        journals=journals,
    )


ENTRY_FIELDS = (
    "id",
    "journal__code",
    "number",
    "date",
    "description",
    "kind",
    "reversal_of_id",
    "created_at",
    "posted_at",
    "posted_by__username",
    "period__number",
    "fiscal_year__name",
)
LINE_FIELDS = (
    "id",
    "entry_id",
    "line_no",
    "account_id",
    "account__number",
    "debit",
    "credit",
    "description",
    "party_id",
    "vat_code__code",
    "vat_code__rate",
    "vat_of_id",
    "department__code",
    "project__code",
)
VOUCHER_ORDER = ("journal__code", "number", "id")


def entries_in_order(selection: Selection, chunk_size: int = 2000) -> Iterator[dict]:
    """The vouchers of the selection as dicts, ordered by journal and voucher number: one
    query, streamed (a server-side cursor on PostgreSQL)."""
    return (
        entries_in(selection)
        .values(*ENTRY_FIELDS)
        .order_by(*VOUCHER_ORDER)
        .iterator(chunk_size=chunk_size)
    )


def lines_in_order(selection: Selection, chunk_size: int = 2000) -> Iterator[dict]:
    """The lines of the selection as dicts, in the order of `entries_in_order` and by line
    number: one query, streamed beside it."""
    return (
        ledger_lines(selection)
        .filter(_in_range(selection))
        .values(*LINE_FIELDS)
        .order_by(*(f"entry__{name}" for name in VOUCHER_ORDER), "line_no")
        .iterator(chunk_size=chunk_size)
    )


def analysis_codes(selection: Selection) -> dict[str, list[tuple[str, str]]]:
    """The departments and projects used on the lines of the selection: {"department":
    [(code, name)], "project": [...]}. Two queries."""
    lines = ledger_lines(selection).filter(_in_range(selection))
    departments = (
        lines.filter(department__isnull=False)
        .values_list("department__code", "department__name")
        .distinct()
        .order_by("department__code")
    )
    projects = (
        lines.filter(project__isnull=False)
        .values_list("project__code", "project__name")
        .distinct()
        .order_by("project__code")
    )
    return {"department": list(departments), "project": list(projects)}


def company():
    from samspill.organization import queries as organization

    return organization.company()


def finance_contact():
    """The lead of the finance department's first team: the company's contact person in a
    file exported without a user (the command line without --user)."""
    from samspill.organization import queries as organization

    team = (
        organization.teams()
        .filter(department__function="finance", lead__isnull=False, lead__is_active=True)
        .order_by("pk")
        .first()
    )
    return team.lead if team is not None else None
