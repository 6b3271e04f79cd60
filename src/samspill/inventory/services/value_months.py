"""The monthly stock value summary (models.StockValueMonth): per product and calendar month,
the net quantity and value that came into the company's internal locations. The stock
engine (`apply_moves`) adds each batch of moves to it in the caller's transaction, with
one bulk upsert (a back-dated move lands in its own month, so the summary stays exact);
`rebuild()` recomputes it from the moves alone (`samspill rebuild-stock-value`)."""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, DateField, DecimalField, F, Q, Sum, When
from django.db.models.functions import TruncMonth

from samspill.inventory.models import Location, StockMove, StockValueMonth

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


def record(moves: list[StockMove], kinds: dict[int, str]) -> None:
    """Add the moves (done, valued) to the monthly summary: one upsert per batch of
    (product, month) rows, in a fixed order so concurrent transactions never wait on
    each other in a circle."""
    changes = sorted((key, row) for key, row in deltas(moves, kinds).items() if row[0] or row[1])
    if not changes:
        return
    table = connection.ops.quote_name(StockValueMonth._meta.db_table)
    for start in range(0, len(changes), BATCH):
        chunk = changes[start : start + BATCH]
        placeholders = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
        params: list = []
        for (product_id, month), (quantity, value) in chunk:
            params += [product_id, month, quantity, value]
        # Only the model's table name and placeholders are put in; the values are params.
        sql = " ".join(
            [
                "INSERT INTO",
                table,
                "(product_id, month, quantity, value) VALUES",
                placeholders,
                "ON CONFLICT (product_id, month) DO UPDATE SET",
                f"quantity = {table}.quantity + excluded.quantity,",
                f"value = {table}.value + excluded.value",
            ]
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


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
    """Recompute the whole monthly summary from the moves (after a bulk import of moves,
    or to prove it right): the number of (product, month) rows written. Holds a lock on
    the summary table while it runs on PostgreSQL so no move is recorded in between."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"LOCK TABLE {connection.ops.quote_name(StockValueMonth._meta.db_table)} "
                "IN EXCLUSIVE MODE"
            )
    StockValueMonth.objects.all().delete()
    written = 0
    batch: list[StockValueMonth] = []
    for row in from_moves().iterator(chunk_size=5000):
        quantity, value = row["quantity"] or ZERO, row["value"] or ZERO
        if not quantity and not value:
            continue
        batch.append(
            StockValueMonth(
                product_id=row["product_id"], month=row["month"], quantity=quantity, value=value
            )
        )
        if len(batch) >= 5000:
            StockValueMonth.objects.bulk_create(batch)
            written += len(batch)
            batch = []
    if batch:
        StockValueMonth.objects.bulk_create(batch)
        written += len(batch)
    return written
