"""Production: bills of materials (what it takes to make a product) and production
orders (WH/MO/00001) that reserve the components, consume them into the production
location and bring the finished goods from there into stock, valued at exactly what the
components were worth (services.valuation)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from samspill.catalog import queries as catalog
from samspill.inventory import events
from samspill.inventory.models import (
    BillOfMaterials,
    BomLine,
    Location,
    Lot,
    ProductionLine,
    ProductionOrder,
    ProductTracking,
    StockLevel,
    StockMove,
    Warehouse,
    qty,
)
from samspill.inventory.services import valuation
from samspill.inventory.services.common import (
    _lock_levels,
    apply_moves,
    check,
    conflict_if,
    convert,
    fail,
    get_product,
    get_warehouse,
    next_number,
    parse_quantity,
    resolve_lot,
    temp_number,
    tracking_of,
    virtual,
)
from samspill.platform import audit
from samspill.platform.errors import NotFound, ValidationFailed
from samspill.platform.events import publish

PREFIX = "WH/MO/"
gettext_noop("scrapped")  # the history's label of a scrap on a production order
MANAGE_BOM = "inventory.add_billofmaterials"
PRODUCE = "inventory.change_productionorder"


# --- Bills of materials --------------------------------------------------------------------


def _components_of() -> dict[int, set[int]]:
    """product id -> the component product ids of its active bills of materials."""
    graph: dict[int, set[int]] = defaultdict(set)
    for product_id, component_id in BomLine.objects.filter(bom__is_active=True).values_list(
        "bom__product_id", "product_id"
    ):
        graph[product_id].add(component_id)
    return graph


def _makes_cycle(product_id: int, component_ids: set[int]) -> bool:
    """Would `product_id` made of `component_ids` be (indirectly) its own component?"""
    graph = _components_of()
    seen: set[int] = set()
    todo = list(component_ids)
    while todo:
        current = todo.pop()
        if current == product_id:
            return True
        if current in seen:
            continue
        seen.add(current)
        todo.extend(graph.get(current, ()))
    return False


@transaction.atomic
def create_bom(
    *,
    actor,
    product,
    quantity: Any = 1,
    lines: list[dict[str, Any]],
    note: str = "",
) -> BillOfMaterials:
    """A bill of materials: `quantity` of `product` is made of `lines` = [{"product",
    "quantity", "unit" (code, default the component's unit)}]. Refused: no components, a
    component equal to the product, a cycle through other bills, quantities not > 0,
    a unit of another dimension."""
    check(actor, MANAGE_BOM)
    finished = get_product(product)
    made = parse_quantity(quantity, "quantity")
    if not lines:
        fail("lines", _("Enter at least one component."))
    errors: dict[str, list[str]] = {}
    rows = []
    for index, entry in enumerate(lines):
        field = f"lines.{index}"
        try:
            component = get_product(entry.get("product"))
            amount = parse_quantity(entry.get("quantity"), f"{field}.quantity")
            unit_code = (entry.get("unit") or component.unit.code).strip()
            convert(component, amount, unit_code, f"{field}.unit")
        except ValidationFailed as error:
            for key, messages in (error.errors or {}).items():
                name = key if key.startswith(field) else f"{field}.{key}"
                errors.setdefault(name, []).extend(messages)
            continue
        if component.pk == finished.pk:
            errors.setdefault(f"{field}.product", []).append(
                _("A product cannot be a component of itself.")
            )
            continue
        unit = catalog.units().filter(code__iexact=unit_code).first() or component.unit
        rows.append((component, amount, unit))
    if not errors and _makes_cycle(finished.pk, {component.pk for component, _a, _u in rows}):
        errors.setdefault("lines", []).append(
            _("%(sku)s is already a component of one of these components: that is a cycle.")
            % {"sku": finished.sku}
        )
    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationFailed(first, errors=errors)
    bom = BillOfMaterials.objects.create(product=finished, quantity=made, note=note[:200])
    BomLine.objects.bulk_create(
        BomLine(bom=bom, product=component, quantity=amount, unit=unit)
        for component, amount, unit in rows
    )
    audit.record(
        "create",
        bom,
        actor=actor,
        changes={
            "product": [None, finished.sku],
            "quantity": [None, str(made)],
            "lines": [None, [f"{c.sku} × {a} {u.code}" for c, a, u in rows]],
        },
    )
    return bom


# --- Production orders ---------------------------------------------------------------------


def _lock(order: ProductionOrder | int) -> ProductionOrder:
    pk = order.pk if isinstance(order, ProductionOrder) else order
    found = (
        ProductionOrder.objects.select_for_update(of=("self",))
        .select_related("warehouse__stock_location", "product__unit")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound(_("There is no production order with this id."))
    return found


def _get_bom(bom) -> BillOfMaterials:
    pk = getattr(bom, "pk", bom)
    found = (
        BillOfMaterials.objects.select_related("product").filter(pk=pk, is_active=True).first()
        if str(pk).isdigit()
        else None
    )
    if found is None:
        fail("bom", _("There is no bill of materials with this id."))
    return found


@transaction.atomic
def create_production(
    *, actor, bom, quantity: Any, warehouse: Warehouse | str | None = None
) -> ProductionOrder:
    """A draft production order making `quantity` of the bill's product in `warehouse`
    (the default one): a line per component, its quantity scaled from the bill and in
    the component's unit."""
    check(actor, PRODUCE)
    bill = _get_bom(bom)
    amount = parse_quantity(quantity, "quantity")
    where = warehouse if isinstance(warehouse, Warehouse) else get_warehouse(warehouse or "")
    order = ProductionOrder.objects.create(
        number=temp_number(), product_id=bill.product_id, quantity=amount, warehouse=where, bom=bill
    )
    next_number(order, PREFIX)
    lines = []
    for line in bill.lines.select_related("product__unit", "unit").order_by("pk"):
        needed = convert(line.product, qty(line.quantity * amount / bill.quantity), line.unit.code)
        lines.append(ProductionLine(order=order, product_id=line.product_id, quantity=needed))
    ProductionLine.objects.bulk_create(lines)
    audit.record(
        "create",
        order,
        actor=actor,
        changes={"product": [None, bill.product.sku], "quantity": [None, str(amount)]},
    )
    return order


def _reserve(lines: list[ProductionLine], location_id: int) -> None:
    """Reserve what is available at the stock location for the lines (locked levels)."""
    wanted = [line for line in lines if line.reserved < line.quantity]
    if not wanted:
        return
    levels = _lock_levels({(line.product_id, location_id) for line in wanted})
    for line in wanted:
        level = levels[(line.product_id, location_id)]
        take = min(max(level.on_hand - level.reserved, Decimal(0)), line.quantity - line.reserved)
        if take > 0:
            level.reserved += take
            line.reserved += take
    StockLevel.objects.bulk_update(list(levels.values()), ["reserved"])
    ProductionLine.objects.bulk_update(wanted, ["reserved"])


def _release(lines: list[ProductionLine], location_id: int) -> None:
    held = [line for line in lines if line.reserved > 0]
    if not held:
        return
    levels = _lock_levels({(line.product_id, location_id) for line in held})
    for line in held:
        levels[(line.product_id, location_id)].reserved -= line.reserved
        line.reserved = Decimal(0)
    StockLevel.objects.bulk_update(list(levels.values()), ["reserved"])
    ProductionLine.objects.bulk_update(held, ["reserved"])


def _state_change(order: ProductionOrder, state: str, *, actor) -> None:
    before = audit.snapshot(order)
    order.state = state
    fields = ["state"]
    if state == ProductionOrder.State.DONE:
        order.done_at = timezone.now()
        fields += ["done_at", "unit_cost", "value", "produced"]
    order.save(update_fields=fields)
    audit.record("update", order, actor=actor, changes=audit.diff(before, audit.snapshot(order)))


@transaction.atomic
def confirm_production(*, actor, order: ProductionOrder | int) -> ProductionOrder:
    """Draft -> confirmed: the components are reserved as far as stock allows."""
    check(actor, PRODUCE)
    order = _lock(order)
    conflict_if(
        order.state != ProductionOrder.State.DRAFT,
        _("Only a draft production order can be confirmed."),
        "not_draft",
    )
    _reserve(list(order.lines.order_by("pk")), order.warehouse.stock_location_id)
    _state_change(order, ProductionOrder.State.CONFIRMED, actor=actor)
    publish(
        events.ProductionConfirmed(
            production_id=order.pk,
            number=order.number,
            product_id=order.product_id,
            quantity=str(order.quantity),
        ),
        actor=actor,
    )
    return order


def _release_some(lines: list[ProductionLine], amounts: dict[int, Decimal], location_id) -> None:
    """Release `amounts` (line id -> quantity, at most what the line holds) of the lines'
    reservations at the stock location (locked levels)."""
    held = [line for line in lines if min(amounts.get(line.pk, Decimal(0)), line.reserved) > 0]
    if not held:
        return
    levels = _lock_levels({(line.product_id, location_id) for line in held})
    for line in held:
        take = min(amounts[line.pk], line.reserved)
        levels[(line.product_id, location_id)].reserved -= take
        line.reserved -= take
    StockLevel.objects.bulk_update(list(levels.values()), ["reserved"])
    ProductionLine.objects.bulk_update(held, ["reserved"])


def _component_lots(
    order: ProductionOrder,
    lines: list[ProductionLine],
    consume: dict[int, Decimal],
    picks: list[dict[str, Any]],
    tracking: dict[int, str],
) -> dict[int, list[tuple[Lot | None, Decimal]]]:
    """line id -> [(lot, quantity)] to consume: the picked lots of tracked components
    (they must add up to what the run consumes; unknown lots are refused), the whole
    quantity without lot for the others. Every problem is reported at once."""
    by_id = {line.pk: line for line in lines}
    errors: dict[str, list[str]] = {}
    picked: dict[int, list[tuple[Lot | None, Decimal]]] = defaultdict(list)
    for index, pick in enumerate(picks):
        field = f"components.{index}"
        line = by_id.get(_int(pick.get("line_id")) or 0)
        if line is None:
            errors.setdefault(f"{field}.line_id", []).append(
                _("This is not a component line of %(number)s.") % {"number": order.number}
            )
            continue
        try:
            amount = parse_quantity(pick.get("quantity"), f"{field}.quantity")
            lot = resolve_lot(line.product, pick.get("lot"), field=f"{field}.lot")
        except ValidationFailed as error:
            for key, messages in (error.errors or {}).items():
                errors.setdefault(key, []).extend(messages)
            continue
        picked[line.pk].append((lot, amount))
    result: dict[int, list[tuple[Lot | None, Decimal]]] = {}
    for line in lines:
        needed = consume.get(line.pk, Decimal(0))
        if tracking[line.product_id] == ProductTracking.Tracking.NONE:
            if needed > 0:
                result[line.pk] = [(None, needed)]
            continue
        given = sum((amount for _lot, amount in picked.get(line.pk, [])), Decimal(0))
        if given != needed:
            errors.setdefault("components", []).append(
                _("Pick lots of %(sku)s adding up to %(quantity)s %(unit)s.")
                % {
                    "sku": line.product.sku,
                    "quantity": needed,
                    "unit": line.product.unit.code,
                }
            )
            continue
        result[line.pk] = picked.get(line.pk, [])
    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationFailed(first, errors=errors)
    return result


def _int(value) -> int | None:
    return int(value) if str(value).isdigit() else None


@transaction.atomic
def produce(
    *,
    actor,
    order: ProductionOrder | int,
    quantity: Any = None,
    lot: str | None = "",
    components: list[dict[str, Any]] | None = None,
    close: bool = False,
) -> ProductionOrder:
    """A production run of a confirmed order: make `quantity` (default: what remains) of
    the product, consuming the components' share of it (the line's quantity × made so far /
    order quantity, less what earlier runs consumed; the last run takes the rest) from the
    stock location into production, and the finished goods from production into stock at
    exactly the components' value. Tracked components take `components` = [{"line_id",
    "lot", "quantity"}] adding up to what the run consumes; a tracked product is made into
    `lot` (a new lot is created; a serial number is one unit). The order is done when
    everything is made, or when `close` (a short finish: the rest will not be made and
    its reservations are released); otherwise it stays confirmed for the rest. Refused,
    nothing written: more than remains, unknown lots, lots not adding up, a short
    component (InsufficientStock) unless the location allows negative stock."""
    check(actor, PRODUCE)
    order = _lock(order)
    conflict_if(
        order.state != ProductionOrder.State.CONFIRMED,
        _("Only a confirmed production order can be done."),
        "not_confirmed",
    )
    remaining = order.quantity - order.produced
    amount = remaining if quantity in (None, "") else parse_quantity(quantity, "quantity")
    if amount > remaining:
        fail(
            "quantity",
            _("Only %(remaining)s %(unit)s remain to be made on %(number)s.")
            % {"remaining": remaining, "unit": order.product.unit.code, "number": order.number},
            code="over_production",
        )
    lines = list(order.lines.select_related("product__unit").order_by("pk"))
    tracking = tracking_of([order.product_id, *(line.product_id for line in lines)])
    finished_lot = None
    if tracking[order.product_id] != ProductTracking.Tracking.NONE:
        finished_lot = resolve_lot(order.product, lot, create=True, field="lot")
        if tracking[order.product_id] == ProductTracking.Tracking.SERIAL and amount != 1:
            fail("quantity", _("A serial number is one unit: make 1 at a time."))
    elif (lot or "").strip():
        resolve_lot(order.product, lot, field="lot")  # refuses: not tracked
    made = order.produced + amount
    last = made == order.quantity
    consume = {
        line.pk: max(
            (line.quantity if last else qty(line.quantity * made / order.quantity)) - line.done,
            Decimal(0),
        )
        for line in lines
    }
    lots = _component_lots(order, lines, consume, components or [], tracking)
    finishing = last or close
    stock = order.warehouse.stock_location
    _release_some(
        lines,
        {line.pk: (line.reserved if finishing else consume[line.pk]) for line in lines},
        stock.pk,
    )
    production = virtual(Location.Kind.PRODUCTION)
    moves = [
        StockMove(
            product_id=line.product_id,
            from_location=stock,
            to_location=production,
            quantity=quantity_,
            lot=picked_lot,
            reason=StockMove.Reason.PRODUCTION,
            reference=order.number,
            production=order,
        )
        for line in lines
        for picked_lot, quantity_ in lots.get(line.pk, [])
    ]
    output = StockMove(
        product_id=order.product_id,
        from_location=production,
        to_location=stock,
        quantity=amount,
        lot=finished_lot,
        reason=StockMove.Reason.PRODUCTION,
        reference=order.number,
        production=order,
    )
    apply_moves([*moves, output], actor=actor)
    for line in lines:
        line.done += consume[line.pk]
    ProductionLine.objects.bulk_update(lines, ["done"])
    before = audit.snapshot(order)
    order.produced = made
    order.value = (order.value or Decimal(0)) + (output.value or Decimal(0))
    order.unit_cost = valuation.cost(order.value / order.produced)
    components_out = [
        {
            "product_id": move.product_id,
            "quantity": str(move.quantity),
            "value": str(move.value),
            "lot": move.lot.name if move.lot else "",
        }
        for move in moves
    ]
    fields = ["produced", "value", "unit_cost"]
    if finishing:
        order.state = ProductionOrder.State.DONE
        order.done_at = timezone.now()
        fields += ["state", "done_at"]
    order.save(update_fields=fields)
    audit.record("update", order, actor=actor, changes=audit.diff(before, audit.snapshot(order)))
    if finishing:
        _publish_done(order, short=not last, actor=actor)
    else:
        publish(
            events.ProductionProduced(
                production_id=order.pk,
                number=order.number,
                product_id=order.product_id,
                quantity=str(amount),
                produced=str(order.produced),
                remaining=str(order.quantity - order.produced),
                lot=finished_lot.name if finished_lot else "",
                unit_cost=str(output.unit_cost),
                value=str(output.value),
                components=components_out,
            ),
            actor=actor,
        )
    return order


def _publish_done(order: ProductionOrder, *, short: bool, actor) -> None:
    """inventory.production.done with the totals of every run (one query)."""
    consumed = (
        StockMove.objects.filter(production=order, to_location__kind=Location.Kind.PRODUCTION)
        .values("product_id")
        .annotate(quantity=Sum("quantity"), value=Sum("value"))
        .order_by("product_id")
    )
    made_lots = sorted(
        set(
            StockMove.objects.filter(
                production=order,
                from_location__kind=Location.Kind.PRODUCTION,
                lot__isnull=False,
            ).values_list("lot__name", flat=True)
        )
    )
    publish(
        events.ProductionDone(
            production_id=order.pk,
            number=order.number,
            product_id=order.product_id,
            quantity=str(order.produced),
            unit_cost=str(order.unit_cost),
            value=str(order.value),
            components=[
                {
                    "product_id": row["product_id"],
                    "quantity": str(qty(row["quantity"])),
                    "value": str(valuation.money(row["value"] or 0)),
                }
                for row in consumed
            ],
            short=short,
            lots=made_lots,
        ),
        actor=actor,
    )


@transaction.atomic
def finish_production(*, actor, order: ProductionOrder | int) -> ProductionOrder:
    """Confirmed -> done: make everything that remains in one run (see `produce`)."""
    return produce(actor=actor, order=order)


@transaction.atomic
def close_production(*, actor, order: ProductionOrder | int) -> ProductionOrder:
    """A short finish of a confirmed order that has made part of its quantity: done with
    what was made, the rest will not be made and its reservations are released. An
    order that made nothing is cancelled instead."""
    check(actor, PRODUCE)
    order = _lock(order)
    conflict_if(
        order.state != ProductionOrder.State.CONFIRMED,
        _("Only a confirmed production order can be closed."),
        "not_confirmed",
    )
    conflict_if(
        order.produced <= 0,
        _("Nothing was made on this order yet: cancel it instead."),
        "nothing_produced",
    )
    lines = list(order.lines.order_by("pk"))
    _release_some(
        lines, {line.pk: line.reserved for line in lines}, order.warehouse.stock_location_id
    )
    _state_change(order, ProductionOrder.State.DONE, actor=actor)
    _publish_done(order, short=order.produced < order.quantity, actor=actor)
    return order


@transaction.atomic
def scrap_production(
    *,
    actor,
    order: ProductionOrder | int,
    product: Any,
    quantity: Any,
    lot: str | None = "",
    note: str = "",
) -> StockMove:
    """Scrap components or finished goods of a confirmed or done production order: move
    `quantity` of `product` (the order's product or one of its components) from the
    warehouse's stock location to inventory loss, valued at the moving average and booked
    Dr 4390 Shrinkage / Cr 1460. A scrapped component of an open order releases as much of
    the order's reservation (those were the units that broke). Refused, nothing written:
    another product, unknown lot, not enough stock."""
    check(actor, PRODUCE)
    order = _lock(order)
    conflict_if(
        order.state not in (ProductionOrder.State.CONFIRMED, ProductionOrder.State.DONE),
        _("Only a confirmed or done production order can scrap."),
        "not_started",
    )
    item = get_product(product)
    lines = list(order.lines.select_related("product").order_by("pk"))
    if item.pk != order.product_id and item.pk not in {line.product_id for line in lines}:
        fail(
            "product",
            _("%(sku)s is neither the product nor a component of %(number)s.")
            % {"sku": item.sku, "number": order.number},
        )
    amount = parse_quantity(quantity, "quantity")
    scrapped_lot = resolve_lot(item, lot, field="lot")
    stock = order.warehouse.stock_location
    if order.state == ProductionOrder.State.CONFIRMED:
        _release_some(
            [line for line in lines if line.product_id == item.pk],
            {line.pk: amount for line in lines if line.product_id == item.pk},
            stock.pk,
        )
    move = StockMove(
        product_id=item.pk,
        from_location=stock,
        to_location=virtual(Location.Kind.LOSS),
        quantity=amount,
        lot=scrapped_lot,
        reason=StockMove.Reason.SCRAP,
        reference=order.number,
        production=order,
        note=note[:200],
    )
    apply_moves([move], actor=actor)
    audit.record(
        "update",
        order,
        actor=actor,
        changes={  # "scrapped": translated by the history (gettext_noop below)
            "scrapped": [
                None,
                f"{item.sku} × {amount}" + (f" ({scrapped_lot})" if scrapped_lot else ""),
            ]
        },
    )
    publish(
        events.ProductionScrapped(
            production_id=order.pk,
            number=order.number,
            product_id=item.pk,
            quantity=str(amount),
            lot=scrapped_lot.name if scrapped_lot else "",
            value=str(move.value),
            note=note[:200],
        ),
        actor=actor,
    )
    return move


@transaction.atomic
def cancel_production(*, actor, order: ProductionOrder | int) -> ProductionOrder:
    """Draft or confirmed -> cancelled: the reservations are released."""
    check(actor, PRODUCE)
    order = _lock(order)
    conflict_if(
        order.state not in (ProductionOrder.State.DRAFT, ProductionOrder.State.CONFIRMED),
        _("A done or cancelled production order cannot be cancelled."),
        "not_open",
    )
    _release(list(order.lines.order_by("pk")), order.warehouse.stock_location_id)
    _state_change(order, ProductionOrder.State.CANCELLED, actor=actor)
    publish(
        events.ProductionCancelled(
            production_id=order.pk, number=order.number, product_id=order.product_id
        ),
        actor=actor,
    )
    return order
