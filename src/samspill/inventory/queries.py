"""Read side of inventory: stock levels, availability, deliveries, locations, counts.

On hand, reserved and available come from the stock levels, the summary of the done moves
and the open reservations kept in the same transaction as they change; `on_hand_from_moves`
computes the same numbers from the moves alone (tests prove they agree)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import DecimalField, F, Max, Min, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.inventory.models import (
    BillOfMaterials,
    Delivery,
    DeliveryLine,
    DeliveryPick,
    Location,
    Lot,
    LotLevel,
    ProductCost,
    ProductionLine,
    ProductionOrder,
    ProductTracking,
    Receipt,
    ReceiptLine,
    StockCount,
    StockLevel,
    StockMove,
    StockValueMonth,
    StockValueTotal,
    Warehouse,
)
from samspill.platform.errors import NotFound
from samspill.platform.permissions import VIEW, restrict


def stock_levels(user=None) -> QuerySet[StockLevel]:
    """Stock at internal locations, with product and location, available annotated."""
    queryset = (
        StockLevel.objects.filter(location__kind=Location.Kind.INTERNAL)
        .select_related("product", "product__unit", "location")
        .annotate(available_qty=F("on_hand") - F("reserved"))
    )
    return restrict(queryset, user, VIEW)


def product_stock(product_id: int) -> list[StockLevel]:
    """One product's stock at every internal location (one indexed query)."""
    return list(
        StockLevel.objects.filter(product_id=product_id, location__kind=Location.Kind.INTERNAL)
        .select_related("location")
        .order_by("location__code")
    )


def availability(product_ids, location_id: int | None = None) -> dict[int, dict[str, Decimal]]:
    """{product id: {on_hand, reserved, available}} summed over internal locations (or one
    location), in one aggregate query."""
    queryset = StockLevel.objects.filter(
        product_id__in=list(product_ids), location__kind=Location.Kind.INTERNAL
    )
    if location_id is not None:
        queryset = queryset.filter(location_id=location_id)
    rows = queryset.values("product_id").annotate(
        on_hand_sum=Sum("on_hand"), reserved_sum=Sum("reserved")
    )
    result = {
        pk: {
            "on_hand": Decimal("0.000"),
            "reserved": Decimal("0.000"),
            "available": Decimal("0.000"),
        }
        for pk in product_ids
    }
    for row in rows:
        result[row["product_id"]] = {
            "on_hand": row["on_hand_sum"],
            "reserved": row["reserved_sum"],
            "available": row["on_hand_sum"] - row["reserved_sum"],
        }
    return result


def on_hand_from_moves() -> dict[tuple[int, int], Decimal]:
    """(product, location) -> on hand, aggregated in SQL from the done moves alone."""
    done = StockMove.objects.filter(state=StockMove.State.DONE)
    result: dict[tuple[int, int], Decimal] = {}
    incoming = done.values_list("product_id", "to_location_id").annotate(total=Sum("quantity"))
    for product_id, location_id, total in incoming:
        key = (product_id, location_id)
        result[key] = result.get(key, Decimal(0)) + total
    outgoing = done.values_list("product_id", "from_location_id").annotate(total=Sum("quantity"))
    for product_id, location_id, total in outgoing:
        key = (product_id, location_id)
        result[key] = result.get(key, Decimal(0)) - total
    return result


def reserved_from_deliveries() -> dict[tuple[int, int], Decimal]:
    """(product, location) -> reserved, aggregated from the open delivery lines and the
    confirmed production orders' components."""
    rows = (
        DeliveryLine.objects.filter(delivery__state__in=Delivery.OPEN, reserved__gt=0)
        .values("product_id", "delivery__warehouse__stock_location_id")
        .annotate(total=Sum("reserved"))
    )
    result = {
        (r["product_id"], r["delivery__warehouse__stock_location_id"]): r["total"] for r in rows
    }
    for r in (
        ProductionLine.objects.filter(order__state=ProductionOrder.State.CONFIRMED, reserved__gt=0)
        .values("product_id", "order__warehouse__stock_location_id")
        .annotate(total=Sum("reserved"))
    ):
        key = (r["product_id"], r["order__warehouse__stock_location_id"])
        result[key] = result.get(key, Decimal(0)) + r["total"]
    return result


def lot_stock(product_id: int) -> list[LotLevel]:
    return list(
        LotLevel.objects.filter(lot__product_id=product_id, location__kind=Location.Kind.INTERNAL)
        .exclude(on_hand=0)
        .select_related("lot", "location")
        .order_by("lot__name", "location__code")
    )


def tracking(product_id: int) -> str:
    row = ProductTracking.objects.filter(product_id=product_id).first()
    return row.tracking if row else ProductTracking.Tracking.NONE


def recent_moves(product_id: int, limit: int = 20) -> list[StockMove]:
    return list(
        StockMove.objects.filter(product_id=product_id)
        .select_related("from_location", "to_location", "lot", "created_by")
        .order_by("-done_at", "-pk")[:limit]
    )


# --- Locations ----------------------------------------------------------------------------


def warehouses() -> QuerySet[Warehouse]:
    return Warehouse.objects.select_related("view_location", "stock_location", "output_location")


def locations(user=None) -> QuerySet[Location]:
    return restrict(Location.objects.select_related("parent", "warehouse"), user, VIEW)


def location_tree(user=None) -> list[tuple[Location, int]]:
    """Every location with its depth, parents before children (one query)."""
    rows = list(locations(user).order_by("code"))
    children: dict[int | None, list[Location]] = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)
    known = {r.pk for r in rows}
    result: list[tuple[Location, int]] = []

    def walk(node: Location, depth: int) -> None:
        result.append((node, depth))
        for child in children.get(node.pk, []):
            walk(child, depth + 1)

    for row in rows:
        if row.parent_id is None or row.parent_id not in known:
            walk(row, 0)
    return result


def internal_locations() -> QuerySet[Location]:
    return Location.objects.filter(kind=Location.Kind.INTERNAL, is_active=True).order_by("code")


# --- Deliveries ---------------------------------------------------------------------------


def delivery_list(user=None) -> QuerySet[Delivery]:
    return restrict(Delivery.objects.select_related("party", "warehouse"), user, VIEW)


def get_delivery(user, pk) -> Delivery:
    delivery = delivery_list(user).filter(pk=pk).first() if str(pk).isdigit() else None
    if delivery is None:
        raise NotFound(_("There is no delivery with this id."))
    return delivery


def delivery_lines(delivery: Delivery) -> list[DeliveryLine]:
    from django.db.models import Prefetch

    lines = list(
        delivery.lines.select_related("product", "product__unit").prefetch_related(
            Prefetch("picks", queryset=DeliveryPick.objects.select_related("lot"))
        )
    )
    for line in lines:
        line.picked = sum((p.quantity for p in line.picks.all()), Decimal(0))  # type: ignore[attr-defined]
        line.remaining = line.quantity - line.done  # type: ignore[attr-defined]
    return lines


def open_deliveries_count(party_id: int) -> int:
    return Delivery.objects.filter(
        party_id=party_id, kind=Delivery.Kind.OUTGOING, state__in=Delivery.OPEN
    ).count()


def deliveries_for_order(order_id: int) -> QuerySet[Delivery]:
    return Delivery.objects.filter(order_id=order_id).order_by("pk")


# --- Receipts -----------------------------------------------------------------------------


def receipt_list(user=None) -> QuerySet[Receipt]:
    return restrict(Receipt.objects.select_related("party", "warehouse"), user, VIEW)


def get_receipt(user, pk) -> Receipt:
    receipt = receipt_list(user).filter(pk=pk).first() if str(pk).isdigit() else None
    if receipt is None:
        raise NotFound(_("There is no receipt with this id."))
    return receipt


def receipt_lines(receipt: Receipt) -> list[ReceiptLine]:
    """The lines with product and unit, and each line's `tracking` (one query more)."""
    lines = list(receipt.lines.select_related("product", "product__unit").order_by("pk"))
    tracked = dict(
        ProductTracking.objects.filter(
            product_id__in={line.product_id for line in lines}
        ).values_list("product_id", "tracking")
    )
    for line in lines:
        line.tracking = tracked.get(line.product_id, ProductTracking.Tracking.NONE)  # type: ignore[attr-defined]
    return lines


def receipts_for_order(order_id: int) -> list[Receipt]:
    """The receipts of a purchase order (for its page)."""
    return list(Receipt.objects.filter(order_id=order_id).order_by("pk"))


def expected_receipts_count(party_id: int) -> int:
    return Receipt.objects.filter(party_id=party_id, state=Receipt.State.EXPECTED).count()


def search_receipts(user, q: str, limit: int = 10) -> list[Receipt]:
    q = q.strip()
    return list(
        receipt_list(user)
        .filter(Q(number__icontains=q) | Q(order_number__iexact=q))
        .order_by("-pk")[:limit]
    )


# --- Lots and counts --------------------------------------------------------------------


def search_lots(user, q: str, limit: int = 10) -> list[Lot]:
    return list(
        restrict(Lot.objects.select_related("product"), user, VIEW)
        .filter(name__icontains=q.strip())
        .order_by("name")[:limit]
    )


def search_deliveries(user, q: str, limit: int = 10) -> list[Delivery]:
    q = q.strip()
    return list(
        delivery_list(user)
        .filter(Q(number__icontains=q) | Q(order_number__iexact=q))
        .order_by("-pk")[:limit]
    )


def count_list(user=None) -> QuerySet[StockCount]:
    from django.db.models import Count

    return restrict(
        StockCount.objects.select_related("location").annotate(line_count=Count("lines")),
        user,
        VIEW,
    )


def get_count(user, pk) -> StockCount:
    count = count_list(user).filter(pk=pk).first() if str(pk).isdigit() else None
    if count is None:
        raise NotFound(_("There is no stock count with this id."))
    return count


def count_lines(count: StockCount):
    return count.lines.select_related("product", "product__unit", "lot").order_by(
        "product__sku", "lot__name"
    )


# --- Valuation ----------------------------------------------------------------------------


def _end_of(day) -> datetime:
    """The first instant after `day` in the active time zone (moves before it count)."""
    start = datetime.combine(day + timedelta(days=1), time.min)
    return timezone.make_aware(start, timezone.get_current_timezone())


def stock_value_from_moves(at: date | None = None, q: str = "", user=None) -> QuerySet:
    """The stock value report recomputed from the moves alone: quantity and value in every
    internal location per product at the end of day `at` (today when None), aggregated in
    SQL over every done move before it (what came into internal locations minus what left
    them). The reference the fast report (`stock_value`) is proven against; slow at
    size. Rows: product_id, sku, name_nb, name_en, quantity, value; products with nothing
    left are left out."""
    internal = list(
        Location.objects.filter(kind=Location.Kind.INTERNAL).values_list("pk", flat=True)
    )
    zero_qty = Value(Decimal(0), output_field=DecimalField(max_digits=20, decimal_places=3))
    zero_value = Value(Decimal(0), output_field=DecimalField(max_digits=20, decimal_places=2))
    incoming = Q(to_location_id__in=internal)
    outgoing = Q(from_location_id__in=internal)
    rows = StockMove.objects.filter(
        state=StockMove.State.DONE, done_at__lt=_end_of(at or timezone.localdate())
    ).filter(incoming | outgoing)
    if q.strip():
        rows = rows.filter(
            Q(product__sku__icontains=q.strip()) | Q(product__name_nb__icontains=q.strip())
        )
    rows = restrict(rows, user, VIEW)
    return (
        rows.values(
            "product_id",
            sku=F("product__sku"),
            name_nb=F("product__name_nb"),
            name_en=F("product__name_en"),
        )
        .annotate(
            quantity=Coalesce(Sum("quantity", filter=incoming & ~outgoing), zero_qty)
            - Coalesce(Sum("quantity", filter=outgoing & ~incoming), zero_qty),
            value=Coalesce(Sum("value", filter=incoming & ~outgoing), zero_value)
            - Coalesce(Sum("value", filter=outgoing & ~incoming), zero_value),
        )
        .exclude(quantity=0, value=0)
        .order_by("sku")
    )


def _months_between(a: date, b: date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month


def _value_corrections(at: date | None, q: str = "", user=None):
    """How to get the stock value at the end of day `at` from the summaries, whichever
    reads fewer rows: (sign, months, moves) where the value per product is
    sign=+1: the months before the day's month plus that month's moves up to the day, or
    sign=-1: the product's running total (StockValueTotal) less the months after the
    day's month and that month's moves after the day. `months` (StockValueMonth rows)
    and `moves` (moves in or out of the company's stock) are querysets, not yet grouped.
    One query (the first and last month of the summary)."""
    from samspill.inventory.services.value_months import month_of, month_start

    end = _end_of(at or timezone.localdate())
    month = month_of(end - timedelta(microseconds=1))
    start = month_start(month)
    following = month_start(date(month.year + month.month // 12, month.month % 12 + 1, 1))
    bounds = StockValueMonth.objects.aggregate(first=Min("month"), last=Max("month"))
    forward = bounds["first"] is None or _months_between(bounds["first"], month) <= _months_between(
        month, bounds["last"]
    )
    internal = Location.objects.filter(kind=Location.Kind.INTERNAL).values("pk")
    incoming = Q(to_location_id__in=internal) & ~Q(from_location_id__in=internal)
    outgoing = Q(from_location_id__in=internal) & ~Q(to_location_id__in=internal)
    if forward:
        months = StockValueMonth.objects.filter(month__lt=month)
        moves = StockMove.objects.filter(done_at__gte=start, done_at__lt=end)
    else:
        months = StockValueMonth.objects.filter(month__gt=month)
        moves = StockMove.objects.filter(done_at__gte=end, done_at__lt=following)
    moves = moves.filter(state=StockMove.State.DONE).filter(incoming | outgoing)
    if q.strip():
        match = Q(product__sku__icontains=q.strip()) | Q(product__name_nb__icontains=q.strip())
        months, moves = months.filter(match), moves.filter(match)
    return (1 if forward else -1), restrict(months, user, VIEW), restrict(moves, user, VIEW)


def _grouped(months: QuerySet, moves: QuerySet) -> list[QuerySet]:
    """The two parts grouped by product: product_id, quantity, value."""
    internal = Location.objects.filter(kind=Location.Kind.INTERNAL).values("pk")
    incoming = Q(to_location_id__in=internal)
    zero_qty = Value(Decimal(0), output_field=DecimalField(max_digits=20, decimal_places=3))
    zero_value = Value(Decimal(0), output_field=DecimalField(max_digits=20, decimal_places=2))
    return [
        months.values("product_id")
        .annotate(quantity=Sum("quantity"), value=Sum("value"))
        .order_by(),
        moves.values("product_id")
        .annotate(
            quantity=Coalesce(Sum("quantity", filter=incoming), zero_qty)
            - Coalesce(Sum("quantity", filter=~incoming), zero_qty),
            value=Coalesce(Sum("value", filter=incoming), zero_value)
            - Coalesce(Sum("value", filter=~incoming), zero_value),
        )
        .order_by(),
    ]


def stock_value(at: date | None = None, q: str = "", user=None) -> list[dict]:
    """Quantity and value of the stock in every internal location per product at the end of
    day `at` (today when None), ordered by SKU; products with nothing left are left out.
    Rows (dicts): product_id, sku, name_nb, name_en, quantity, value.

    Four queries, whatever the size of the history, reading a few rows per product: the
    products' running totals (with their SKU and names) and either the months before the
    day's month plus that month's moves up to the day, or, when the day is nearer the end
    of the history, the total less the months after and that month's later moves
    (exactly what `stock_value_from_moves` sums over every move; tests prove it)."""
    sign, months, moves = _value_corrections(at, q, user)
    parts = _grouped(months, moves)
    base = StockValueTotal.objects.all()
    if q.strip():
        base = base.filter(
            Q(product__sku__icontains=q.strip()) | Q(product__name_nb__icontains=q.strip())
        )
    rows: dict[int, dict] = {}
    for row in restrict(base, user, VIEW).values(
        "product_id",
        "quantity",
        "value",
        sku=F("product__sku"),
        name_nb=F("product__name_nb"),
        name_en=F("product__name_en"),
    ):
        if sign > 0:
            row["quantity"], row["value"] = Decimal(0), Decimal(0)
        rows[row["product_id"]] = row
    missing: dict[int, dict] = {}
    for part in parts:
        for row in part:
            found = rows.get(row["product_id"])
            if found is None:  # a product whose months all net to zero: no running total
                found = missing.setdefault(
                    row["product_id"],
                    {"product_id": row["product_id"], "quantity": Decimal(0), "value": Decimal(0)},
                )
            found["quantity"] += sign * (row["quantity"] or 0)
            found["value"] += sign * (row["value"] or 0)
    if missing:
        from samspill.catalog import queries as catalog

        for pk, sku, name_nb, name_en in (
            catalog.product_list(None)
            .filter(pk__in=list(missing))
            .values_list("pk", "sku", "name_nb", "name_en")
        ):
            rows[pk] = {**missing[pk], "sku": sku, "name_nb": name_nb, "name_en": name_en}
    result = []
    for row in rows.values():
        if row["quantity"] or row["value"]:
            row["quantity"] = Decimal(row["quantity"]).quantize(Decimal("0.001"))
            row["value"] = Decimal(row["value"]).quantize(Decimal("0.01"))
            result.append(row)
    return sorted(result, key=lambda row: row["sku"])


def stock_value_total(at: date | None = None) -> Decimal:
    """The value of all stock at the end of day `at`: at most four aggregate queries over
    the summaries (see `stock_value`)."""
    sign, months, moves = _value_corrections(at)
    internal = Location.objects.filter(kind=Location.Kind.INTERNAL).values("pk")
    total = Decimal(0)
    if sign < 0:
        total = StockValueTotal.objects.aggregate(total=Sum("value"))["total"] or Decimal(0)
    row = moves.aggregate(
        incoming=Sum("value", filter=Q(to_location_id__in=internal)),
        outgoing=Sum("value", filter=~Q(to_location_id__in=internal)),
    )
    total += sign * (
        (months.aggregate(total=Sum("value"))["total"] or Decimal(0))
        + (row["incoming"] or Decimal(0))
        - (row["outgoing"] or Decimal(0))
    )
    return Decimal(total).quantize(Decimal("0.01"))


def average_costs(product_ids) -> dict[int, Decimal]:
    return dict(
        ProductCost.objects.filter(product_id__in=list(product_ids)).values_list(
            "product_id", "average_cost"
        )
    )


def warehouse_levels(product_ids, warehouse_ids) -> dict[tuple[int, int], tuple[Decimal, Decimal]]:
    """(product id, warehouse id) -> (on hand, reserved) over the warehouse's internal
    locations: one aggregate query (replenishment)."""
    rows = (
        StockLevel.objects.filter(
            product_id__in=list(product_ids),
            location__warehouse_id__in=list(warehouse_ids),
            location__kind=Location.Kind.INTERNAL,
        )
        .values("product_id", "location__warehouse_id")
        .annotate(on_hand=Sum("on_hand"), reserved=Sum("reserved"))
    )
    return {
        (row["product_id"], row["location__warehouse_id"]): (row["on_hand"], row["reserved"])
        for row in rows
    }


def boms(actor) -> QuerySet[BillOfMaterials]:
    """The active bills of materials (product and component lines prefetched)."""
    return (
        restrict(BillOfMaterials.objects.filter(is_active=True), actor, VIEW)
        .select_related("product__unit")
        .prefetch_related("lines__product", "lines__unit")
        .order_by("product__sku", "pk")
    )


def production_orders(actor) -> QuerySet[ProductionOrder]:
    return restrict(ProductionOrder.objects.all(), actor, VIEW).select_related(
        "product__unit", "warehouse"
    )


def production_order(actor, pk) -> ProductionOrder:
    order = (
        production_orders(actor).prefetch_related("lines__product__unit").filter(pk=pk).first()
        if str(pk).isdigit()
        else None
    )
    if order is None:
        raise NotFound(_("There is no production order with this id."))
    return order


def production_moves(order: ProductionOrder) -> list[StockMove]:
    """The stock moves of a production order (consumed, made, scrapped) with product,
    lot and locations: one query."""
    return list(
        StockMove.objects.filter(production=order)
        .select_related("product__unit", "lot", "from_location", "to_location")
        .order_by("done_at", "pk")
    )


def production_tracking(order: ProductionOrder) -> dict[int, str]:
    """product id -> tracking of the order's product and components (one query)."""
    ids = [order.product_id, *(line.product_id for line in order.lines.all())]
    rows = dict(
        ProductTracking.objects.filter(product_id__in=ids).values_list("product_id", "tracking")
    )
    return {pk: rows.get(pk, ProductTracking.Tracking.NONE) for pk in ids}
