"""Receipts: goods expected from suppliers (created when a purchase order is confirmed),
received in parts (with lots or serial numbers when tracked) from the supplier location
into the warehouse's stock location, closed or cancelled with their purchase order.
Arrivals reserve stock for deliveries waiting for it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.inventory import events
from samspill.inventory.models import (
    Delivery,
    DeliveryLine,
    Location,
    ProductTracking,
    Receipt,
    ReceiptLine,
    StockMove,
    qty,
)
from samspill.inventory.services.common import apply_moves as _apply_moves
from samspill.inventory.services.common import (
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
from samspill.inventory.services.stock import check_serial, reserve_lines
from samspill.parties import queries as parties
from samspill.platform import audit
from samspill.platform.errors import ValidationFailed
from samspill.platform.events import publish

IN_PREFIX = "WH/IN/"
RECEIVE = "inventory.change_receipt"
HUNDRED = Decimal(100)


def tolerance_percent() -> Decimal:
    """SAMSPILL["RECEIPT_TOLERANCE_PERCENT"]: how much more than ordered may arrive."""
    raw = getattr(settings, "SAMSPILL", {}).get("RECEIPT_TOLERANCE_PERCENT", "0") or "0"
    try:
        value = Decimal(str(raw))
    except ArithmeticError:
        value = Decimal(0)
    return max(value, Decimal(0))


def _plain(value: Decimal) -> str:
    """A quantity without trailing zeros ("10", "2.5") for messages."""
    return format(Decimal(value).normalize(), "f")


def _lock(receipt: Receipt | int) -> Receipt:
    pk = receipt.pk if isinstance(receipt, Receipt) else receipt
    return (
        Receipt.objects.select_for_update(of=("self",))
        .select_related("warehouse__stock_location")
        .get(pk=pk)
    )


@transaction.atomic
def create_receipt(
    *,
    actor,
    party_id: int,
    lines: list[dict[str, Any]],
    order_id: int | None = None,
    order_number: str = "",
    warehouse_code: str = "",
    expected_date=None,
) -> Receipt | None:
    """Expect goods from a supplier: lines = [{"product_id", "quantity", "unit",
    "order_line_id", "unit_cost"}] (unit_cost: the net purchase price of one unit of the
    line, NOK; what the goods are valued at when they arrive). Services are not received;
    quantities are converted to the product's unit. Runs once per purchase order (a
    second call returns the first receipt). Publishes inventory.receipt.created."""
    if order_id is not None:
        existing = Receipt.objects.filter(order_id=order_id).order_by("pk").first()
        if existing is not None:
            return existing
    party = parties.get_party(None, party_id, include_merged=True)
    warehouse = get_warehouse(warehouse_code or "")
    rows = []
    for index, line in enumerate(lines):
        product = get_product(line["product_id"])
        if product.product_type == "service":
            continue
        quantity = convert(
            product,
            parse_quantity(line["quantity"], f"lines.{index}.quantity"),
            line.get("unit"),
            f"lines.{index}.unit",
        )
        unit_cost = line.get("unit_cost")
        if unit_cost is not None:
            # The price is per unit of the order line; per unit of the product after conversion.
            ordered = Decimal(str(line["quantity"]))
            unit_cost = Decimal(str(unit_cost)) * ordered / quantity
        rows.append(
            ReceiptLine(
                product_id=product.pk,
                order_line_id=line.get("order_line_id"),
                quantity=quantity,
                unit_cost=unit_cost.quantize(Decimal("0.0001")) if unit_cost is not None else None,
            )
        )
    if not rows:
        return None
    receipt = Receipt.objects.create(
        number=temp_number(),
        party_id=party.pk,
        warehouse=warehouse,
        order_id=order_id,
        order_number=order_number or "",
        expected_date=expected_date,
    )
    next_number(receipt, IN_PREFIX)
    for row in rows:
        row.receipt = receipt
    ReceiptLine.objects.bulk_create(rows)
    audit.record(
        "create",
        receipt,
        actor=actor,
        changes=audit.diff({}, audit.snapshot(receipt, exclude=("created_at",))),
    )
    publish(
        events.ReceiptCreated(
            receipt_id=receipt.pk,
            number=receipt.number,
            order_id=order_id,
            party_id=party.pk,
            lines=[
                {
                    "receipt_line_id": row.pk,
                    "order_line_id": row.order_line_id,
                    "product_id": row.product_id,
                    "quantity": str(row.quantity),
                }
                for row in rows
            ],
        ),
        actor=actor,
    )
    return receipt


@transaction.atomic
def receive(*, actor, receipt: Receipt | int, lines: list[dict[str, Any]]) -> Receipt:
    """Goods arrived: lines = [{"line_id", "quantity", "lot"}] (quantities in the product's
    unit, a lot or serial number for tracked products). Moves them from the supplier
    location into the warehouse's stock location, publishes inventory.receipt.done and
    reserves the arrived goods for deliveries waiting for them. Refused, with nothing
    written: a receipt that is received in full, closed or cancelled; more than ordered
    beyond the tolerance (SAMSPILL["RECEIPT_TOLERANCE_PERCENT"])."""
    check(actor, RECEIVE)
    receipt = _lock(receipt)
    conflict_if(
        not receipt.is_open,
        _(
            "Receipt %(number)s is %(state)s: nothing more can be received against "
            "purchase order %(order)s."
        )
        % {
            "number": receipt.number,
            "state": receipt.get_state_display().lower(),
            "order": receipt.order_number or "-",
        },
        "receipt_closed",
    )
    if not lines:
        fail("lines", _("Enter at least one received quantity."))
    by_id = {
        line.pk: line
        for line in receipt.lines.select_related("product", "product__unit").order_by("pk")
    }
    tracking = tracking_of([line.product_id for line in by_id.values()])
    tolerance = tolerance_percent()
    supplier = virtual(Location.Kind.SUPPLIER)
    stock = receipt.warehouse.stock_location
    moves: list[StockMove] = []
    arrived: dict[int, Decimal] = {}
    errors: dict[str, list[str]] = {}
    for index, entry in enumerate(lines):
        field = f"lines.{index}"
        line_id = entry.get("line_id")
        line = by_id.get(line_id) if isinstance(line_id, int) else None
        if line is None:
            errors.setdefault(f"{field}.line_id", []).append(
                _("This receipt has no line with this id.")
            )
            continue
        quantity = parse_quantity(entry.get("quantity"), f"{field}.quantity")
        total = line.done + arrived.get(line.pk, Decimal(0)) + quantity
        allowed = qty(line.quantity * (HUNDRED + tolerance) / HUNDRED)
        if total > allowed:
            errors.setdefault(f"{field}.quantity", []).append(
                _(
                    "%(sku)s: %(ordered)s %(unit)s were ordered and %(done)s have arrived; "
                    "%(quantity)s more is beyond what may be received (tolerance %(tolerance)s %%)."
                )
                % {
                    "sku": line.product.sku,
                    "ordered": _plain(line.quantity),
                    "unit": line.product.unit.code,
                    "done": _plain(line.done),
                    "quantity": _plain(quantity),
                    "tolerance": _plain(tolerance),
                }
            )
            continue
        lot = None
        if tracking[line.product_id] != ProductTracking.Tracking.NONE:
            lot = resolve_lot(line.product, entry.get("lot"), create=True, field=f"{field}.lot")
            if lot is not None:
                check_serial(line.product, lot, quantity)
        elif entry.get("lot"):
            resolve_lot(line.product, entry.get("lot"), field=f"{field}.lot")
        arrived[line.pk] = arrived.get(line.pk, Decimal(0)) + quantity
        moves.append(
            StockMove(
                product_id=line.product_id,
                from_location=supplier,
                to_location=stock,
                quantity=quantity,
                lot=lot,
                reason=StockMove.Reason.RECEIPT,
                reference=receipt.number,
                receipt=receipt,
                unit_cost=line.unit_cost,
            )
        )
    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationFailed(first, errors=errors, code="over_receipt")
    _apply_moves(moves, actor=actor)
    changed = []
    for pk, amount in arrived.items():
        line = by_id[pk]
        line.done += amount
        changed.append(line)
    ReceiptLine.objects.bulk_update(changed, ["done"])
    before = audit.snapshot(receipt)
    complete = all(line.done >= line.quantity for line in by_id.values())
    if complete:
        receipt.state = Receipt.State.DONE
        receipt.done_at = timezone.now()
        receipt.save(update_fields=["state", "done_at"])
    changes = audit.diff(before, audit.snapshot(receipt))
    changes["received"] = [
        None,
        [f"{by_id[pk].product.sku} × {amount}" for pk, amount in arrived.items()],
    ]
    audit.record("update", receipt, actor=actor, changes=changes)
    publish(
        events.ReceiptDone(
            receipt_id=receipt.pk,
            number=receipt.number,
            order_id=receipt.order_id,
            party_id=receipt.party_id,
            complete=complete,
            lines=[
                {
                    "receipt_line_id": pk,
                    "order_line_id": by_id[pk].order_line_id,
                    "product_id": by_id[pk].product_id,
                    "quantity": str(amount),
                }
                for pk, amount in arrived.items()
            ],
        ),
        actor=actor,
    )
    reserve_waiting({by_id[pk].product_id for pk in arrived}, receipt.warehouse_id, stock.pk)
    return receipt


def reserve_waiting(product_ids: set[int], warehouse_id: int, location_id: int) -> int:
    """Reserve newly arrived stock for the open deliveries of the warehouse waiting for
    these products, oldest first; returns how many deliveries became ready. In the
    caller's transaction (the stock levels are locked by reserve_lines)."""
    from samspill.inventory.services.deliveries import _state

    wanted = DeliveryLine.objects.filter(
        product_id__in=product_ids,
        delivery__state=Delivery.State.WAITING,
        delivery__kind=Delivery.Kind.OUTGOING,
        delivery__warehouse_id=warehouse_id,
    ).values("delivery_id")
    # FOR UPDATE allows no DISTINCT (PostgreSQL): the deliveries are chosen by a subquery.
    waiting = list(
        Delivery.objects.select_for_update()
        .filter(pk__in=wanted, state=Delivery.State.WAITING)
        .order_by("created_at", "pk")
    )
    if not waiting:
        return 0
    by_delivery: dict[int, list[DeliveryLine]] = {}
    for line in DeliveryLine.objects.filter(delivery__in=waiting).order_by("pk"):
        by_delivery.setdefault(line.delivery_id, []).append(line)
    ready = []
    for delivery in waiting:
        delivery_lines = by_delivery.get(delivery.pk, [])
        reserve_lines(
            [line for line in delivery_lines if line.product_id in product_ids], location_id
        )
        if _state(delivery_lines) == Delivery.State.READY:
            ready.append(delivery.pk)
    if ready:
        Delivery.objects.filter(pk__in=ready).update(state=Delivery.State.READY)
    return len(ready)


@transaction.atomic
def close_receipts_for_order(order_id: int, *, actor, cancelled: bool = False) -> list[Receipt]:
    """The purchase order was closed (nothing more will come) or cancelled: its expected
    receipts stop waiting. A receipt with nothing received becomes cancelled, one with
    part of its goods becomes received (what came is what there is).
    Publishes inventory.receipt.cancelled for the ones cancelled."""
    receipts = list(
        Receipt.objects.select_for_update()
        .filter(order_id=order_id, state=Receipt.State.EXPECTED)
        .order_by("pk")
    )
    for receipt in receipts:
        before = audit.snapshot(receipt)
        got_some = receipt.lines.filter(done__gt=0).exists()
        receipt.state = (
            Receipt.State.DONE if got_some and not cancelled else Receipt.State.CANCELLED
        )
        receipt.done_at = timezone.now()
        receipt.save(update_fields=["state", "done_at"])
        audit.record(
            "update", receipt, actor=actor, changes=audit.diff(before, audit.snapshot(receipt))
        )
        if receipt.state == Receipt.State.CANCELLED:
            publish(
                events.ReceiptCancelled(
                    receipt_id=receipt.pk,
                    number=receipt.number,
                    order_id=order_id,
                    party_id=receipt.party_id,
                ),
                actor=actor,
            )
    return receipts
