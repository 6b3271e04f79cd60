"""Stock counts: a count sheet per location, counted quantities, and posting the
differences as adjustments against the inventory-loss location."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.inventory import events
from samspill.inventory.models import (
    Location,
    LotLevel,
    StockCount,
    StockCountLine,
    StockLevel,
    StockMove,
    qty,
)
from samspill.inventory.services.common import (
    COUNT,
    POST_COUNT,
    apply_moves,
    check,
    conflict_if,
    fail,
    get_location,
    get_product,
    next_number,
    parse_quantity,
    resolve_lot,
    temp_number,
    tracking_of,
    virtual,
)
from samspill.platform import audit
from samspill.platform.errors import ValidationFailed
from samspill.platform.events import publish

PREFIX = "WH/CNT/"


@transaction.atomic
def create_count(*, actor, location: Location | int) -> StockCount:
    """A count sheet for an internal location with a line for every product (and lot) in
    stock there, expected = on hand now."""
    check(actor, COUNT)
    location = location if isinstance(location, Location) else get_location(location)
    if location.kind != Location.Kind.INTERNAL:
        fail("location", _("Counts are made at an internal location of a warehouse."))
    count = StockCount.objects.create(number=temp_number(), location=location)
    next_number(count, PREFIX)
    levels = list(
        StockLevel.objects.filter(location=location)
        .exclude(on_hand=0)
        .values_list("product_id", "on_hand")
    )
    tracking = tracking_of([p for p, _q in levels])
    lots = list(
        LotLevel.objects.filter(location=location)
        .exclude(on_hand=0)
        .values_list("lot__product_id", "lot_id", "on_hand")
    )
    lines = [
        StockCountLine(count=count, product_id=p, expected=q)
        for p, q in levels
        if tracking[p] == "none"
    ] + [StockCountLine(count=count, product_id=p, lot_id=lot, expected=q) for p, lot, q in lots]
    StockCountLine.objects.bulk_create(lines)
    audit.record(
        "create",
        count,
        actor=actor,
        changes={"location": [None, location.code], "lines": [None, len(lines)]},
    )
    return count


def _open(count: StockCount | int) -> StockCount:
    pk = count.pk if isinstance(count, StockCount) else count
    count = StockCount.objects.select_for_update().select_related("location").get(pk=pk)
    conflict_if(
        count.state != StockCount.State.DRAFT, _("This count is already posted."), "count_posted"
    )
    return count


@transaction.atomic
def add_count_line(
    *, actor, count: StockCount | int, product, lot: str | None = None
) -> StockCountLine:
    """A product (or lot) found at the location that the sheet does not list."""
    check(actor, COUNT)
    count = _open(count)
    product = get_product(product)
    if product.product_type == "service":
        fail("product", _("Services are not kept in stock."))
    lot_row = resolve_lot(product, lot, create=True)
    if count.lines.filter(product_id=product.pk, lot=lot_row).exists():
        fail("product", _("The sheet already has a line for this product."))
    return StockCountLine.objects.create(
        count=count, product_id=product.pk, lot=lot_row, expected=Decimal(0)
    )


@transaction.atomic
def set_counted(*, actor, count: StockCount | int, counted: dict[int, Any]) -> StockCount:
    """Enter counted quantities: {line id: quantity or "" (not counted)}. Every bad value is
    reported at once and nothing is saved."""
    check(actor, COUNT)
    count = _open(count)
    lines = {line.pk: line for line in count.lines.all()}
    errors: dict[str, list[str]] = {}
    changed = []
    for pk, value in counted.items():
        line = lines.get(int(pk)) if str(pk).isdigit() else None
        if line is None:
            errors.setdefault(f"line_{pk}", []).append(_("This sheet has no such line."))
            continue
        if value in (None, ""):
            line.counted = None
        else:
            try:
                line.counted = parse_quantity(value, f"line_{pk}", zero=True)
            except ValidationFailed as exc:
                for field, messages in exc.errors.items():
                    errors.setdefault(field, []).extend(messages)
                continue
        changed.append(line)
    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationFailed(first, errors=errors)
    StockCountLine.objects.bulk_update(changed, ["counted"])
    return count


@transaction.atomic
def post_count(*, actor, count: StockCount | int, reason: str) -> StockCount:
    """Post the counted lines: the difference between counted and what is on hand now is
    moved from or to the inventory-loss location. Lines not counted are left as they are.
    Publishes inventory.count.posted; the count and each adjustment are audited."""
    check(actor, POST_COUNT)
    count = _open(count)
    reason = (reason or "").strip()
    if not reason:
        fail("reason", _("Give a reason for the adjustments."))
    lines = [line for line in count.lines.all() if line.counted is not None]
    if not lines:
        fail("lines", _("Enter at least one counted quantity."))
    location = count.location
    levels = {
        lv.product_id: lv.on_hand
        for lv in StockLevel.objects.select_for_update().filter(
            location=location, product_id__in={ln.product_id for ln in lines}
        )
    }
    lot_levels = {
        lv.lot_id: lv.on_hand
        for lv in LotLevel.objects.select_for_update().filter(
            location=location, lot_id__in={ln.lot_id for ln in lines if ln.lot_id}
        )
    }
    loss = virtual(Location.Kind.LOSS)
    moves, adjustments = [], []
    for line in lines:
        current = (
            lot_levels.get(line.lot_id, Decimal(0))
            if line.lot_id
            else levels.get(line.product_id, Decimal(0))
        )
        line.expected = current
        difference = qty(line.counted - current)
        if difference == 0:
            continue
        moves.append(
            StockMove(
                product_id=line.product_id,
                from_location=loss if difference > 0 else location,
                to_location=location if difference > 0 else loss,
                quantity=abs(difference),
                lot_id=line.lot_id,
                reason=StockMove.Reason.COUNT,
                reference=count.number,
                note=reason[:200],
            )
        )
        adjustments.append(
            {"product_id": line.product_id, "lot_id": line.lot_id, "quantity": str(difference)}
        )
    StockCountLine.objects.bulk_update(lines, ["expected"])
    apply_moves(moves, actor=actor)
    before = audit.snapshot(count, exclude=("created_at",))
    count.state = StockCount.State.POSTED
    count.reason = reason[:200]
    count.posted_at = timezone.now()
    count.save(update_fields=["state", "reason", "posted_at"])
    audit.record(
        "update",
        count,
        actor=actor,
        changes={
            **audit.diff(before, audit.snapshot(count, exclude=("created_at",))),
            "adjustments": [None, adjustments],
        },
    )
    publish(
        events.CountPosted(
            count_id=count.pk,
            number=count.number,
            location_id=location.pk,
            location=location.code,
            reason=reason,
            adjustments=adjustments,
        ),
        actor=actor,
    )
    return count
