"""Deliveries to customers: created from confirmed sales orders, reserved, picked and
shipped (in parts, with a back order for the rest), cancelled; customer returns."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.inventory import events
from samspill.inventory.models import (
    Delivery,
    DeliveryLine,
    DeliveryPick,
    Location,
    ProductTracking,
    StockMove,
    qty,
)
from samspill.inventory.services.common import (
    HANDLE_DELIVERY,
    RECEIVE_RETURN,
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
from samspill.inventory.services.stock import check_serial, release_lines, reserve_lines
from samspill.parties import queries as parties
from samspill.platform import audit
from samspill.platform.errors import ValidationFailed
from samspill.platform.events import publish

OUT_PREFIX = "WH/OUT/"
RETURN_PREFIX = "WH/RET/"


def _lock(delivery: Delivery | int) -> Delivery:
    pk = delivery.pk if isinstance(delivery, Delivery) else delivery
    return (
        Delivery.objects.select_for_update(of=("self",))
        .select_related("warehouse__stock_location")
        .get(pk=pk)
    )


def _lines(delivery: Delivery) -> list[DeliveryLine]:
    return list(
        delivery.lines.select_related("product", "product__unit").prefetch_related(
            Prefetch("picks", queryset=DeliveryPick.objects.select_related("lot"))
        )
    )


def _state(lines: list[DeliveryLine]) -> str:
    ready = all(line.is_consumable or line.reserved >= line.quantity - line.done for line in lines)
    return Delivery.State.READY if ready else Delivery.State.WAITING


def _line_payload(lines) -> list[dict[str, Any]]:
    return [
        {
            "order_line_id": line.order_line_id,
            "product_id": line.product_id,
            "quantity": str(line.quantity),
        }
        for line in lines
    ]


def _new_delivery(
    *, actor, party_id, warehouse, order_id, order_number, rows, backorder_of=None, note=""
):
    """Create a delivery with lines (product, order_line_id, quantity, consumable), reserve
    stock for it and publish inventory.delivery.created."""
    delivery = Delivery.objects.create(
        number=temp_number(),
        party_id=party_id,
        warehouse=warehouse,
        order_id=order_id,
        order_number=order_number or "",
        backorder_of=backorder_of,
        note=note[:200],
    )
    next_number(delivery, OUT_PREFIX)
    lines = DeliveryLine.objects.bulk_create(
        [
            DeliveryLine(
                delivery=delivery,
                product_id=product_id,
                order_line_id=order_line_id,
                quantity=quantity,
                is_consumable=consumable,
                reserved=reserved,
            )
            for product_id, order_line_id, quantity, consumable, reserved in rows
        ]
    )
    reserve_lines(lines, warehouse.stock_location_id)
    delivery.state = _state(lines)
    Delivery.objects.filter(pk=delivery.pk).update(state=delivery.state)
    audit.record(
        "create",
        delivery,
        actor=actor,
        changes=audit.diff({}, audit.snapshot(delivery, exclude=("created_at",))),
    )
    publish(
        events.DeliveryCreated(
            delivery_id=delivery.pk,
            number=delivery.number,
            order_id=order_id,
            party_id=party_id,
            backorder_of=backorder_of.pk if backorder_of else None,
            lines=_line_payload(lines),
        ),
        actor=actor,
    )
    return delivery


@transaction.atomic
def create_delivery_for_order(payload: dict[str, Any], *, actor=None) -> Delivery | None:
    """The delivery of a confirmed sales order (payload of sales.order.confirmed v1).
    Service lines are ignored; an order without goods gets no delivery. Quantities are
    converted from the order line's unit to the product's unit. Runs once per order."""
    order_id = payload["order_id"]
    existing = Delivery.objects.filter(order_id=order_id, kind=Delivery.Kind.OUTGOING).first()
    if existing is not None:
        return existing
    goods = [line for line in payload.get("lines", []) if line.get("product_type") != "service"]
    if not goods:
        return None
    party = parties.get_party(None, payload["party_id"], include_merged=True)
    warehouse = get_warehouse(payload.get("warehouse_code") or "")
    rows = []
    for line in goods:
        product = get_product(line["product_id"])
        quantity = convert(product, parse_quantity(line["quantity"]), line.get("unit"))
        consumable = product.product_type == "consumable"
        rows.append((product.pk, line.get("line_id"), quantity, consumable, Decimal(0)))
    return _new_delivery(
        actor=actor,
        party_id=party.pk,
        warehouse=warehouse,
        order_id=order_id,
        order_number=payload.get("number", ""),
        rows=rows,
    )


@transaction.atomic
def check_availability(*, actor, delivery: Delivery | int) -> Delivery:
    """Reserve what is still missing for an open delivery (after stock came in)."""
    check(actor, HANDLE_DELIVERY)
    delivery = _lock(delivery)
    conflict_if(
        not delivery.is_open, _("Only open deliveries can reserve stock."), "delivery_closed"
    )
    lines = _lines(delivery)
    reserve_lines(lines, delivery.warehouse.stock_location_id)
    delivery.state = _state(lines)
    delivery.save(update_fields=["state"])
    return delivery


@transaction.atomic
def pick(*, actor, delivery: Delivery | int, picks: list[dict[str, Any]]) -> Delivery:
    """Record picked quantities: picks = [{"line_id", "quantity", "lot"}]. Picking more than
    a line still asks for, an unknown lot, or a lot on an untracked product is an error and
    nothing is recorded."""
    check(actor, HANDLE_DELIVERY)
    delivery = _lock(delivery)
    conflict_if(not delivery.is_open, _("Only open deliveries can be picked."), "delivery_closed")
    if not picks:
        fail("picks", _("Enter at least one picked quantity."))
    lines = {line.pk: line for line in _lines(delivery)}
    picked = {
        pk: sum((p.quantity for p in line.picks.all()), Decimal(0)) for pk, line in lines.items()
    }
    tracking = tracking_of([line.product_id for line in lines.values()])
    new = []
    for index, entry in enumerate(picks):
        line_id = entry.get("line_id")
        line = lines.get(line_id) if isinstance(line_id, int) else None
        field = f"picks.{index}"
        if line is None:
            fail(field, _("This delivery has no such line."))
        quantity = parse_quantity(entry.get("quantity"), field=f"{field}.quantity")
        lot = resolve_lot(line.product, entry.get("lot"), field=f"{field}.lot")
        if tracking[line.product_id] == ProductTracking.Tracking.SERIAL and quantity != 1:
            fail(f"{field}.quantity", _("Pick serial numbers one at a time (quantity 1)."))
        remaining = line.quantity - line.done - picked[line.pk]
        if quantity > remaining:
            raise ValidationFailed(
                _("%(sku)s: %(quantity)s picked, but only %(remaining)s remain to deliver.")
                % {"sku": line.product.sku, "quantity": quantity, "remaining": remaining},
                code="over_delivery",
                errors={
                    f"{field}.quantity": [_("At most %(remaining)s.") % {"remaining": remaining}]
                },
            )
        picked[line.pk] += quantity
        new.append(DeliveryPick(line=line, lot=lot, quantity=quantity))
    DeliveryPick.objects.bulk_create(new)
    audit.record(
        "update",
        delivery,
        actor=actor,
        changes={
            "picked": [
                None,
                [
                    f"{p.line.product.sku} {p.quantity}{' ' + p.lot.name if p.lot else ''}"
                    for p in new
                ],
            ]
        },
    )
    return delivery


@transaction.atomic
def pick_reserved(*, actor, delivery: Delivery | int) -> Delivery:
    """Pick everything reserved (and all consumables) on the untracked lines: the usual
    case of a delivery without lots."""
    check(actor, HANDLE_DELIVERY)
    delivery = _lock(delivery)
    conflict_if(not delivery.is_open, _("Only open deliveries can be picked."), "delivery_closed")
    lines = _lines(delivery)
    tracking = tracking_of([line.product_id for line in lines])
    picks = []
    for line in lines:
        if tracking[line.product_id] != ProductTracking.Tracking.NONE:
            continue
        picked = sum((p.quantity for p in line.picks.all()), Decimal(0))
        ready = (line.quantity - line.done if line.is_consumable else line.reserved) - picked
        if ready > 0:
            picks.append({"line_id": line.pk, "quantity": ready})
    if not picks:
        raise ValidationFailed(
            _("Nothing reserved is left to pick; pick lots and serial numbers line by line."),
            code="nothing_to_pick",
        )
    return pick(actor=actor, delivery=delivery, picks=picks)


@transaction.atomic
def clear_picks(*, actor, delivery: Delivery | int) -> Delivery:
    check(actor, HANDLE_DELIVERY)
    delivery = _lock(delivery)
    conflict_if(not delivery.is_open, _("Only open deliveries can be picked."), "delivery_closed")
    DeliveryPick.objects.filter(line__delivery=delivery).delete()
    audit.record("update", delivery, actor=actor, changes={"picked": ["…", []]})
    return delivery


@transaction.atomic
def ship(*, actor, delivery: Delivery | int) -> Delivery:
    """Ship what is picked: stock moves from the warehouse's stock location to the customer
    location, reservations of the shipped quantities released. What is not shipped goes to
    a new delivery (the back order) with its reservations. Publishes inventory.delivery.done
    (and inventory.delivery.created for the back order)."""
    check(actor, HANDLE_DELIVERY)
    delivery = _lock(delivery)
    conflict_if(not delivery.is_open, _("Only open deliveries can be shipped."), "delivery_closed")
    lines = _lines(delivery)
    shipped: dict[int, Decimal] = {
        line.pk: sum((p.quantity for p in line.picks.all()), Decimal(0)) for line in lines
    }
    if not any(shipped.values()):
        raise ValidationFailed(_("Pick something before shipping."), code="nothing_picked")
    stock = delivery.warehouse.stock_location_id
    customer = virtual(Location.Kind.CUSTOMER)
    release_lines(lines, stock, shipped)
    moves = [
        StockMove(
            product_id=line.product_id,
            from_location_id=stock,
            to_location=customer,
            quantity=p.quantity,
            lot=p.lot,
            reason=StockMove.Reason.DELIVERY,
            reference=delivery.number,
            delivery=delivery,
        )
        for line in lines
        for p in line.picks.all()
    ]
    apply_moves(
        moves,
        actor=actor,
        check_negative={line.product_id for line in lines if not line.is_consumable},
    )
    DeliveryPick.objects.filter(line__delivery=delivery).delete()
    rest = []
    for line in lines:
        line.done += shipped[line.pk]
        left = line.quantity - line.done
        if left > 0:
            rest.append(
                (line.product_id, line.order_line_id, left, line.is_consumable, line.reserved)
            )
            line.reserved = Decimal(0)  # moves to the back order with the rest
    DeliveryLine.objects.bulk_update(lines, ["done", "reserved"])
    before = audit.snapshot(delivery, exclude=("created_at",))
    delivery.state = Delivery.State.DONE
    delivery.done_at = timezone.now()
    delivery.save(update_fields=["state", "done_at"])
    backorder = None
    if rest:
        backorder = _new_delivery(
            actor=actor,
            party_id=delivery.party_id,
            warehouse=delivery.warehouse,
            order_id=delivery.order_id,
            order_number=delivery.order_number,
            rows=rest,
            backorder_of=delivery,
        )
    audit.record(
        "update",
        delivery,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(delivery, exclude=("created_at",))),
    )
    publish(
        events.DeliveryDone(
            delivery_id=delivery.pk,
            number=delivery.number,
            order_id=delivery.order_id,
            party_id=delivery.party_id,
            lines=[
                {
                    "order_line_id": line.order_line_id,
                    "product_id": line.product_id,
                    "quantity": str(qty(shipped[line.pk])),
                }
                for line in lines
                if shipped[line.pk] > 0
            ],
            backorder_id=backorder.pk if backorder else None,
        ),
        actor=actor,
    )
    return delivery


def _cancel(delivery: Delivery, *, actor) -> None:
    lines = _lines(delivery)
    release_lines(lines, delivery.warehouse.stock_location_id)
    DeliveryPick.objects.filter(line__delivery=delivery).delete()
    before = audit.snapshot(delivery, exclude=("created_at",))
    delivery.state = Delivery.State.CANCELLED
    delivery.save(update_fields=["state"])
    audit.record(
        "update",
        delivery,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(delivery, exclude=("created_at",))),
    )
    publish(
        events.DeliveryCancelled(
            delivery_id=delivery.pk,
            order_id=delivery.order_id,
            party_id=delivery.party_id,
            number=delivery.number,
        ),
        actor=actor,
    )


@transaction.atomic
def cancel(*, actor, delivery: Delivery | int) -> Delivery:
    """Cancel an open delivery: reservations released, picks dropped."""
    check(actor, HANDLE_DELIVERY)
    delivery = _lock(delivery)
    conflict_if(
        not delivery.is_open, _("Only open deliveries can be cancelled."), "delivery_closed"
    )
    _cancel(delivery, actor=actor)
    return delivery


@transaction.atomic
def cancel_for_order(order_id: int, *, actor=None) -> int:
    """Cancel every open delivery of a sales order (sales.order.cancelled). Returns how many."""
    ids = list(
        Delivery.objects.filter(order_id=order_id, state__in=Delivery.OPEN).values_list(
            "pk", flat=True
        )
    )
    for pk in ids:
        _cancel(_lock(pk), actor=actor)
    return len(ids)


@transaction.atomic
def receive_return(
    *,
    actor,
    party,
    lines: list[dict[str, Any]],
    order_id: int | None = None,
    warehouse: str = "",
    note: str = "",
) -> Delivery:
    """Goods a customer sends back, into the warehouse's stock location: lines =
    [{"product", "quantity", "unit"?, "lot"?}]. Lots must be known (they were shipped).
    Publishes inventory.return.received."""
    check(actor, RECEIVE_RETURN)
    party = parties.get_party(None, getattr(party, "pk", party))
    if not lines:
        fail("lines", _("Add at least one returned product."))
    wh = get_warehouse(warehouse)
    customer = virtual(Location.Kind.CUSTOMER)
    rows = []
    for index, entry in enumerate(lines):
        product = get_product(entry.get("product"))
        if product.product_type == "service":
            fail(f"lines.{index}.product", _("Services are not kept in stock."))
        quantity = convert(
            product,
            parse_quantity(entry.get("quantity"), f"lines.{index}.quantity"),
            entry.get("unit"),
        )
        lot = resolve_lot(product, entry.get("lot"), field=f"lines.{index}.lot")
        if lot is not None:
            check_serial(product, lot, quantity)
        rows.append((product, quantity, lot))
    delivery = Delivery.objects.create(
        number=temp_number(),
        kind=Delivery.Kind.RETURN,
        state=Delivery.State.DONE,
        party=party,
        warehouse=wh,
        order_id=order_id,
        note=(note or "")[:200],
        done_at=timezone.now(),
    )
    next_number(delivery, RETURN_PREFIX)
    created = DeliveryLine.objects.bulk_create(
        [
            DeliveryLine(delivery=delivery, product_id=p.pk, quantity=q, done=q)
            for p, q, _lot in rows
        ]
    )
    apply_moves(
        [
            StockMove(
                product_id=p.pk,
                from_location=customer,
                to_location_id=wh.stock_location_id,
                quantity=q,
                lot=lot,
                reason=StockMove.Reason.RETURN,
                reference=delivery.number,
                delivery=delivery,
            )
            for p, q, lot in rows
        ],
        actor=actor,
    )
    audit.record(
        "create",
        delivery,
        actor=actor,
        changes=audit.diff({}, audit.snapshot(delivery, exclude=("created_at",))),
    )
    publish(
        events.ReturnReceived(
            delivery_id=delivery.pk,
            number=delivery.number,
            order_id=order_id,
            party_id=party.pk,
            lines=_line_payload(created),
        ),
        actor=actor,
    )
    return delivery


def merge_parties(survivor, duplicate, actor) -> None:
    """Parties merge hook (run inside the merge transaction): the duplicate's deliveries and
    returns, and the receipts from them as a supplier, now belong to the surviving party."""
    from samspill.inventory.models import Receipt

    Delivery.objects.filter(party=duplicate).update(party=survivor)
    Receipt.objects.filter(party=duplicate).update(party=survivor)
