"""Locations, product tracking, stock adjustments, reservations."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from samspill.inventory import events
from samspill.inventory.models import (
    DeliveryLine,
    Location,
    Lot,
    LotLevel,
    ProductTracking,
    StockLevel,
    StockMove,
)
from samspill.inventory.services.common import (
    ADJUST,
    CHANGE_LOCATION,
    CHANGE_TRACKING,
    _lock_levels,
    apply_moves,
    check,
    convert,
    fail,
    get_location,
    get_product,
    parse_quantity,
    resolve_lot,
    tracking_of,
    virtual,
)
from samspill.platform import audit
from samspill.platform.events import publish


@transaction.atomic
def create_location(
    *, actor, parent: Location | int, name: str, allow_negative: bool = False
) -> Location:
    """A zone or a bin below an internal location of a warehouse (code: parent code/name)."""
    check(actor, CHANGE_LOCATION)
    parent = parent if isinstance(parent, Location) else get_location(parent, "parent")
    name = (name or "").strip()
    if not name:
        fail("name", _("This field is required."))
    if len(name) > 60 or "/" in name:
        fail("name", _("Use at most 60 characters and no “/”."))
    if (
        parent.kind not in (Location.Kind.VIEW, Location.Kind.INTERNAL)
        or parent.warehouse_id is None
    ):
        fail("parent", _("Zones and bins go inside a warehouse location."))
    code = f"{parent.code}/{name.upper()}"
    if len(code) > 120:
        fail("name", _("The full location code is too long."))
    if Location.objects.filter(code=code).exists():
        fail("name", _("There is already a location “%(code)s”.") % {"code": code})
    location = Location.objects.create(
        name=name,
        code=code,
        kind=Location.Kind.INTERNAL,
        parent=parent,
        warehouse_id=parent.warehouse_id,
        allow_negative=bool(allow_negative),
    )
    audit.record(
        "create",
        location,
        actor=actor,
        changes=audit.diff({}, audit.snapshot(location)),
    )
    return location


@transaction.atomic
def set_tracking(*, actor, product, tracking: str) -> ProductTracking:
    """Track a product by lot, by serial number or not at all. Changing it is only possible
    while the product has no stock anywhere in the company's locations."""
    check(actor, CHANGE_TRACKING)
    product = get_product(product)
    if tracking not in ProductTracking.Tracking.values:
        fail("tracking", _("Choose how the product is tracked."))
    row, _created = ProductTracking.objects.select_for_update().get_or_create(product_id=product.pk)
    if row.tracking == tracking:
        return row
    in_stock = (
        StockLevel.objects.filter(product_id=product.pk, location__kind=Location.Kind.INTERNAL)
        .exclude(on_hand=0)
        .exists()
    )
    if in_stock:
        fail(
            "tracking",
            _("%(sku)s is in stock; tracking can only change while it is not.")
            % {"sku": product.sku},
        )
    before = audit.snapshot(row)
    row.tracking = tracking
    row.save()
    audit.record("update", row, actor=actor, changes=audit.diff(before, audit.snapshot(row)))
    return row


@transaction.atomic
def adjust_stock(
    *,
    actor,
    product,
    location: Location | int,
    quantity,
    reason: str,
    unit: str | None = None,
    lot: str | None = None,
) -> StockMove:
    """Add (quantity > 0) or remove (quantity < 0) stock at an internal location by hand,
    against the inventory-loss location, with a reason. Publishes inventory.stock.adjusted."""
    check(actor, ADJUST)
    product = get_product(product)
    if product.product_type == "service":
        fail("product", _("Services are not kept in stock."))
    location = location if isinstance(location, Location) else get_location(location)
    if location.kind != Location.Kind.INTERNAL:
        fail("location", _("Stock is adjusted at an internal location of a warehouse."))
    reason = (reason or "").strip()
    if not reason:
        fail("reason", _("Give a reason for the adjustment."))
    signed = parse_quantity(quantity, signed=True)
    amount = convert(product, abs(signed), unit)
    if signed < 0:
        amount = -amount
    lot_row = resolve_lot(product, lot, create=amount > 0)
    if lot_row is not None:
        check_serial(product, lot_row, amount)
    loss = virtual(Location.Kind.LOSS)
    move = StockMove(
        product_id=product.pk,
        from_location=loss if amount > 0 else location,
        to_location=location if amount > 0 else loss,
        quantity=abs(amount),
        lot=lot_row,
        reason=StockMove.Reason.ADJUSTMENT,
        reference=reason[:60],
        note=reason[:200],
    )
    apply_moves([move], actor=actor)
    audit.record(
        "create",
        move,
        actor=actor,
        changes={
            "quantity": [None, str(amount)],
            "location": [None, location.code],
            "reason": [None, reason],
        },
    )
    publish(
        events.StockAdjusted(
            product_id=product.pk,
            sku=product.sku,
            location_id=location.pk,
            location=location.code,
            quantity=str(amount),
            lot=lot_row.name if lot_row else "",
            reason=reason,
        ),
        actor=actor,
    )
    return move


def check_serial(product, lot: Lot, amount: Decimal) -> None:
    """A serial number is one item: it moves one at a time and is in stock at most once."""
    if tracking_of([product.pk])[product.pk] != ProductTracking.Tracking.SERIAL:
        return
    if abs(amount) != 1:
        fail("quantity", _("A serial number is one item: use quantity 1."))
    if amount > 0:
        in_stock = LotLevel.objects.filter(
            lot=lot, location__kind=Location.Kind.INTERNAL, on_hand__gt=0
        ).exists()
        if in_stock:
            fail(
                "lot",
                _("Serial number “%(lot)s” is already in stock.") % {"lot": lot.name},
                code="serial_in_stock",
            )


def reserve_lines(lines: list[DeliveryLine], location_id: int) -> None:
    """Reserve what is missing on `lines` from the available stock at `location_id`.
    The stock level rows are locked (FOR UPDATE) first, so parallel reservations of the
    last units wait for each other and never reserve more than is on hand."""
    wanted = [
        line
        for line in lines
        if not line.is_consumable and line.reserved < line.quantity - line.done
    ]
    if not wanted:
        return
    levels = _lock_levels({(line.product_id, location_id) for line in wanted})
    changed = []
    for line in wanted:
        level = levels[(line.product_id, location_id)]
        free = max(level.on_hand - level.reserved, Decimal(0))
        take = min(free, line.quantity - line.done - line.reserved)
        if take > 0:
            level.reserved += take
            line.reserved += take
            changed.append(line)
    if changed:
        StockLevel.objects.bulk_update(list(levels.values()), ["reserved"])
        DeliveryLine.objects.bulk_update(changed, ["reserved"])


def release_lines(
    lines: list[DeliveryLine], location_id: int, amounts: dict[int, Decimal] | None = None
) -> None:
    """Give back the reservations of `lines` (all of it, or `amounts` per line id)."""
    held = [line for line in lines if line.reserved > 0]
    if not held:
        return
    levels = _lock_levels({(line.product_id, location_id) for line in held})
    for line in held:
        amount = (
            line.reserved
            if amounts is None
            else min(line.reserved, amounts.get(line.pk, Decimal(0)))
        )
        levels[(line.product_id, location_id)].reserved -= amount
        line.reserved -= amount
    StockLevel.objects.bulk_update(list(levels.values()), ["reserved"])
    DeliveryLine.objects.bulk_update(held, ["reserved"])
