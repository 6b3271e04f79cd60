"""Open items by party with ageing (kundereskontro / leverandørreskontro) on a reconcilable
account, as of a date.

An *item* is an unmatched line, or a match (its lines share a match number) that does not
sum to zero: its remainder is open. An item's key is its match number or, unmatched, its
line id (a match number is the id of one of its own lines, so keys never collide). It falls
due on the line's due date, or its date when it has none (for a match: the earliest).
Amounts are shown on the account's normal side: what customers owe us on 1500, what we owe
suppliers on 2400. Items per party and the ageing buckets are aggregated in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import BigIntegerField, F, Min, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy

from samspill.accounting.models import ZERO, Account, JournalLine
from samspill.accounting.queries.ledger import MONEY, cents, lines
from samspill.parties.models import Party
from samspill.platform.permissions import restrict

HALF_CENT = Decimal("0.005")
BUCKETS = (
    ("not_due", gettext_lazy("Not due")),
    ("days_1_30", gettext_lazy("1–30 days")),
    ("days_31_60", gettext_lazy("31–60 days")),
    ("days_61_90", gettext_lazy("61–90 days")),
    ("over_90", gettext_lazy("Over 90 days")),
)


def item_key():
    return Coalesce("match", "id", output_field=BigIntegerField())


def sign(account: Account) -> int:
    return -1 if account.normal_side == Account.Side.CREDIT else 1


def bucket_of(due: date, at: date) -> str:
    days = (at - due).days
    if days <= 0:
        return "not_due"
    if days <= 30:
        return "days_1_30"
    if days <= 60:
        return "days_31_60"
    if days <= 90:
        return "days_61_90"
    return "over_90"


def items(account: Account, at: date, user=None, party: int | None = None):
    """One row per open item: party_id, item (key), amount (debit - credit), due, first
    (the earliest date)."""
    scope = restrict(JournalLine.objects.all(), user).filter(
        posted=True, account=account, date__lte=at
    )
    if party is not None:
        scope = scope.filter(party_id=party)
    return (
        scope.annotate(item=item_key())
        .values("party_id", "item")
        .annotate(
            amount=Sum(F("debit") - F("credit"), output_field=MONEY),
            due=Min(Coalesce("due_date", "date")),
            first=Min("date"),
        )
        .filter(Q(amount__gte=HALF_CENT) | Q(amount__lte=-HALF_CENT))
        .order_by()
    )


@dataclass
class PartyAgeing:
    party_id: int | None
    name: str
    items: int
    not_due: Decimal
    days_1_30: Decimal
    days_31_60: Decimal
    days_61_90: Decimal
    over_90: Decimal
    total: Decimal

    @property
    def overdue(self) -> Decimal:
        return self.total - self.not_due


def ageing(account: Account, at: date, user=None) -> dict:
    """Per party with open items on `account` at `at`: the count of items, the amounts per
    ageing bucket (days past due) and the total; the overall totals. Two queries: the items
    grouped by party into buckets (one SQL statement), then the parties' names."""
    inner, params = items(account, at, user).query.sql_with_params()
    limits = [at, at - timedelta(days=30), at - timedelta(days=60), at - timedelta(days=90)]
    # Dates as the backend stores them (ISO strings on SQLite).
    limits_sql = [connection.ops.adapt_datefield_value(day) for day in limits]
    sql = f"""
        SELECT party_id, COUNT(*),
          SUM(CASE WHEN due >= %s THEN amount ELSE 0 END),
          SUM(CASE WHEN due < %s AND due >= %s THEN amount ELSE 0 END),
          SUM(CASE WHEN due < %s AND due >= %s THEN amount ELSE 0 END),
          SUM(CASE WHEN due < %s AND due >= %s THEN amount ELSE 0 END),
          SUM(CASE WHEN due < %s THEN amount ELSE 0 END),
          SUM(amount)
        FROM ({inner}) AS open_items GROUP BY party_id
    """  # noqa: S608 (inner is Django's own SQL with its parameters)
    a, b, c, d = limits_sql
    with connection.cursor() as cursor:
        cursor.execute(sql, [a, a, b, b, c, c, d, d, *params])
        rows = cursor.fetchall()
    names = dict(
        Party.objects.filter(pk__in=[r[0] for r in rows if r[0]]).values_list("pk", "name")
    )
    factor = sign(account)
    parties = [
        PartyAgeing(
            party_id=row[0],
            name=names.get(row[0], "") if row[0] else "",
            items=row[1],
            not_due=factor * cents(row[2]),
            days_1_30=factor * cents(row[3]),
            days_31_60=factor * cents(row[4]),
            days_61_90=factor * cents(row[5]),
            over_90=factor * cents(row[6]),
            total=factor * cents(row[7]),
        )
        for row in rows
    ]
    parties.sort(key=lambda p: (p.name.lower(), p.party_id or 0))
    totals = {
        key: sum((getattr(p, key) for p in parties), ZERO)
        for key in ("not_due", "days_1_30", "days_31_60", "days_61_90", "over_90", "total")
    }
    return {"account": account, "at": at, "parties": parties, "totals": totals}


@dataclass
class OpenItem:
    key: int
    amount: Decimal
    due: date
    first: date
    days_overdue: int
    bucket: str
    lines: list
    matched: bool


def party_items(account: Account, party: int | None, at: date, user=None) -> list[OpenItem]:
    """The open items of one party with their lines, oldest due first (two queries)."""
    rows = list(items(account, at, user, party=party))
    keys = [row["item"] for row in rows]
    found: dict[int, list] = {key: [] for key in keys}
    scope = (
        lines(user)
        .filter(posted=True, account=account, date__lte=at, party_id=party)
        .annotate(item=item_key())
        .filter(item__in=keys)
        .order_by("date", "entry_id", "line_no")
    )
    for line in scope:
        found[line.item].append(line)
    factor = sign(account)
    result = []
    for row in rows:
        due = _as_date(row["due"])
        result.append(
            OpenItem(
                key=row["item"],
                amount=factor * cents(row["amount"]),
                due=due,
                first=_as_date(row["first"]),
                days_overdue=max((at - due).days, 0),
                bucket=bucket_of(due, at),
                lines=found[row["item"]],
                matched=any(line.match is not None for line in found[row["item"]]),
            )
        )
    result.sort(key=lambda i: (i.due, i.key))
    return result


def _as_date(value) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def reconcilable_accounts(user=None):
    return restrict(Account.objects.filter(reconcilable=True), user).order_by("number")
