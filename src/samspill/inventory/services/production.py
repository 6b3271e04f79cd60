"""Production: bills of materials (what it takes to make a product) and production
orders (WH/MO/00001) that reserve the components, consume them into the production
location and bring the finished goods from there into stock, valued at exactly what the
components were worth (services.valuation)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.catalog import queries as catalog
from samspill.inventory import events
from samspill.inventory.models import (
    BillOfMaterials,
    BomLine,
    Location,
    ProductionLine,
    ProductionOrder,
    StockLevel,
    StockMove,
    Warehouse,
    qty,
)
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
    temp_number,
    tracking_of,
    virtual,
)
from samspill.platform import audit
from samspill.platform.errors import NotFound, ValidationFailed
from samspill.platform.events import publish

PREFIX = "WH/MO/"
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
    tracked = [
        pk
        for pk, kind in tracking_of(
            [bill.product_id, *bill.lines.values_list("product_id", flat=True)]
        ).items()
        if kind != "none"
    ]
    if tracked:
        fail("bom", _("Products tracked by lot or serial number cannot be produced yet."))
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
        fields += ["done_at", "unit_cost", "value"]
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


@transaction.atomic
def finish_production(*, actor, order: ProductionOrder | int) -> ProductionOrder:
    """Confirmed -> done: the components move from the stock location to production and
    the finished goods from production into stock, valued at the components' value (one
    batch, one ledger entry when it does not net to zero). Refused with InsufficientStock,
    nothing written, when a component is short (unless the location allows negative
    stock)."""
    check(actor, PRODUCE)
    order = _lock(order)
    conflict_if(
        order.state != ProductionOrder.State.CONFIRMED,
        _("Only a confirmed production order can be done."),
        "not_confirmed",
    )
    stock = order.warehouse.stock_location
    production = virtual(Location.Kind.PRODUCTION)
    lines = list(order.lines.order_by("pk"))
    _release(lines, stock.pk)
    moves = [
        StockMove(
            product_id=line.product_id,
            from_location=stock,
            to_location=production,
            quantity=line.quantity,
            reason=StockMove.Reason.PRODUCTION,
            reference=order.number,
            production=order,
        )
        for line in lines
    ]
    output = StockMove(
        product_id=order.product_id,
        from_location=production,
        to_location=stock,
        quantity=order.quantity,
        reason=StockMove.Reason.PRODUCTION,
        reference=order.number,
        production=order,
    )
    apply_moves([*moves, output], actor=actor)
    for line in lines:
        line.done = line.quantity
    ProductionLine.objects.bulk_update(lines, ["done"])
    order.unit_cost = output.unit_cost
    order.value = output.value
    _state_change(order, ProductionOrder.State.DONE, actor=actor)
    publish(
        events.ProductionDone(
            production_id=order.pk,
            number=order.number,
            product_id=order.product_id,
            quantity=str(order.quantity),
            unit_cost=str(order.unit_cost),
            value=str(order.value),
            components=[
                {
                    "product_id": move.product_id,
                    "quantity": str(move.quantity),
                    "value": str(move.value),
                }
                for move in moves
            ],
        ),
        actor=actor,
    )
    return order


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
