"""The monthly stock value summary (models.StockValueMonth): per product and calendar month,
the net quantity and value that came into the company's internal locations, and each
product's running total over all months (models.StockValueTotal). The stock engine
(`apply_moves`) adds each batch of moves to both in the caller's transaction, with one
bulk upsert each (a back-dated move lands in its own month, so the summary stays exact);
`rebuild()` recomputes them from the moves alone (`samspill rebuild-stock-value`)."""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, DateField, DecimalField, F, Q, Sum, When
from django.db.models.functions import TruncMonth

from samspill.inventory.models import Location, StockMove, StockValueMonth, StockValueTotal

ZERO = Decimal(0)
BATCH = 500


def company_zone() -> zoneinfo.ZoneInfo:
    """The time zone months are cut in: the company's (settings.TIME_ZONE), never the
    viewer's, so the summary means the same to everybody."""
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def month_of(moment: datetime) -> date:
    """The first day of the month `moment` falls in, in the company's time zone."""
    local = moment.astimezone(company_zone())
    return date(local.year, local.month, 1)


def month_start(month: date) -> datetime:
    """The first instant of `month` (a date in it) in the company's time zone."""
    return datetime(month.year, month.month, 1, tzinfo=company_zone())


def deltas(moves: list[StockMove], kinds: dict[int, str]) -> dict[tuple[int, date], list]:
    """(product id, month) -> [quantity, value] the moves add to the company's internal
    stock: a move into an internal location from outside adds, out of one to outside
    subtracts, a move between two internal locations (or two virtual ones) changes
    nothing."""
    result: dict[tuple[int, date], list] = defaultdict(lambda: [ZERO, ZERO])
    internal = Location.Kind.INTERNAL
    for move in moves:
        into = kinds[move.to_location_id] == internal
        out_of = kinds[move.from_location_id] == internal
        if into == out_of:
            continue
        sign = 1 if into else -1
        row = result[(move.product_id, month_of(move.done_at))]
        row[0] += sign * move.quantity
        row[1] += sign * (move.value or ZERO)
    return result


def _upsert(table: str, key: list[str], rows: list[tuple]) -> None:
    """INSERT ... ON CONFLICT (key) DO UPDATE adding quantity and value (PostgreSQL and
    SQLite), in batches."""
    quoted = connection.ops.quote_name(table)
    columns = [*key, "quantity", "value"]
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        row = "(" + ", ".join(["%s"] * len(columns)) + ")"
        params = [value for entry in chunk for value in entry]
        # Only the model's table and column names and placeholders are put in; the values
        # are parameters.
        sql = " ".join(
            [
                "INSERT INTO",
                quoted,
                "(" + ", ".join(columns) + ") VALUES",
                ", ".join([row] * len(chunk)),
                "ON CONFLICT (" + ", ".join(key) + ") DO UPDATE SET",
                f"quantity = {quoted}.quantity + excluded.quantity,",
                f"value = {quoted}.value + excluded.value",
            ]
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def record(moves: list[StockMove], kinds: dict[int, str]) -> None:
    """Add the moves (done, valued) to the monthly summary and the products' running
    totals: one upsert each per batch, in a fixed order so concurrent transactions never
    wait on each other in a circle."""
    changes = sorted((key, row) for key, row in deltas(moves, kinds).items() if row[0] or row[1])
    if not changes:
        return
    totals: dict[int, list] = defaultdict(lambda: [ZERO, ZERO])
    for (product_id, _month), (quantity, value) in changes:
        totals[product_id][0] += quantity
        totals[product_id][1] += value
    _upsert(
        StockValueMonth._meta.db_table,
        ["product_id", "month"],
        [(p, m, q, v) for (p, m), (q, v) in changes],
    )
    _upsert(
        StockValueTotal._meta.db_table,
        ["product_id"],
        [(p, q, v) for p, (q, v) in sorted(totals.items())],
    )


def from_moves(product_ids=None):
    """The monthly summary computed in SQL from the done moves alone: rows of
    product_id, month, quantity, value (the reference `rebuild()` writes and tests compare
    with)."""
    internal = Location.objects.filter(kind=Location.Kind.INTERNAL).values("pk")
    into = Q(to_location_id__in=internal) & ~Q(from_location_id__in=internal)
    out_of = Q(from_location_id__in=internal) & ~Q(to_location_id__in=internal)
    quantity_field = DecimalField(max_digits=20, decimal_places=3)
    value_field = DecimalField(max_digits=20, decimal_places=2)
    rows = StockMove.objects.filter(state=StockMove.State.DONE).filter(into | out_of)
    if product_ids is not None:
        rows = rows.filter(product_id__in=list(product_ids))
    return (
        rows.annotate(month=TruncMonth("done_at", output_field=DateField(), tzinfo=company_zone()))
        .values("product_id", "month")
        .annotate(
            quantity=Sum(
                Case(
                    When(into, then=F("quantity")),
                    default=-F("quantity"),
                    output_field=quantity_field,
                )
            ),
            value=Sum(
                Case(
                    When(into, then=F("value")),
                    default=-F("value"),
                    output_field=value_field,
                )
            ),
        )
        .order_by("product_id", "month")
    )


@transaction.atomic
def rebuild() -> int:
    """Recompute the monthly summary and the running totals from the moves (after a bulk
    import of moves, or to prove them right): the number of (product, month) rows
    written. Locks both tables on PostgreSQL while it runs so no move is recorded in
    between."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (StockValueMonth, StockValueTotal):
                cursor.execute(
                    f"LOCK TABLE {connection.ops.quote_name(model._meta.db_table)} "
                    "IN EXCLUSIVE MODE"
                )
    StockValueMonth.objects.all().delete()
    StockValueTotal.objects.all().delete()
    written = 0
    batch: list[StockValueMonth] = []
    totals: dict[int, list] = defaultdict(lambda: [ZERO, ZERO])
    for row in from_moves().iterator(chunk_size=5000):
        quantity, value = row["quantity"] or ZERO, row["value"] or ZERO
        if not quantity and not value:
            continue
        batch.append(
            StockValueMonth(
                product_id=row["product_id"], month=row["month"], quantity=quantity, value=value
            )
        )
        totals[row["product_id"]][0] += quantity
        totals[row["product_id"]][1] += value
        if len(batch) >= 5000:
            StockValueMonth.objects.bulk_create(batch)
            written += len(batch)
            batch = []
    if batch:
        StockValueMonth.objects.bulk_create(batch)
        written += len(batch)
    StockValueTotal.objects.bulk_create(
        (StockValueTotal(product_id=pk, quantity=q, value=v) for pk, (q, v) in totals.items()),
        batch_size=5000,
    )
    return written
