"""Demo stock of Nordlys Handel AS: zones and bins in the main warehouse HOVED and an
opening stock for every stockable product of the demo catalogue, posted as inventory
adjustments (from the inventory-loss location, reason "Åpningsbalanse"), valued at the
catalogue's cost price and, when accounting is set up, booked Dr 1460 / Cr 4300.

Why 4300: until the demo day the demo ledger (accounting.demo) books the company's goods
purchases the periodic way, straight to 4300 Purchase of goods, and the goods on hand were
bought that way. Capitalising them into 1460 takes their cost back out of 4300 (the
change in stock, as a periodic year end does), so each item reaches cost of goods once:
when a delivery books Dr 4300 / Cr 1460. Booked against equity (2050) they were expensed
twice, once as a purchase and again as cost of goods sold on delivery. From the demo day
on, goods come in through receipts (Dr 1460 / Cr 2985) and the supplier's bill clears
2985.

`load()` is deterministic and idempotent: a product that already has stock movements gets
none, zones and bins are keyed by code. One batch of moves (bulk inserts), audited; no
events (a bulk demo load is not business history)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from samspill.catalog import queries as catalog
from samspill.inventory.models import Location, StockMove
from samspill.inventory.services.common import apply_moves, ensure_setup, virtual
from samspill.platform.context import current_channel
from samspill.platform.models import AuditEntry

REASON = "Åpningsbalanse"
OPENING_COUNTER_ACCOUNT = "4300"  # Innkjøp av handelsvarer: the stock change
ZONES = {"A": ["A-01", "A-02", "A-03"], "B": ["B-01", "B-02"]}


def _quantity(pk: int) -> Decimal:
    """A believable, deterministic opening quantity: 5 to 120 units."""
    return Decimal((pk * 37) % 116 + 5)


@transaction.atomic
def load(*, actor=None) -> dict[str, int]:
    warehouse = ensure_setup()
    stock = warehouse.stock_location
    added_locations = 0
    for zone, bins in ZONES.items():
        parent, created = Location.objects.get_or_create(
            code=f"{stock.code}/{zone}",
            defaults={
                "name": f"Sone {zone}",
                "kind": Location.Kind.INTERNAL,
                "parent": stock,
                "warehouse": warehouse,
            },
        )
        added_locations += created
        for name in bins:
            _loc, created = Location.objects.get_or_create(
                code=f"{parent.code}/{name}",
                defaults={
                    "name": name,
                    "kind": Location.Kind.INTERNAL,
                    "parent": parent,
                    "warehouse": warehouse,
                },
            )
            added_locations += created
    moved = set(StockMove.objects.values_list("product_id", flat=True).distinct())
    products = [
        pk
        for pk in catalog.product_list(None)
        .filter(product_type="stockable", is_active=True)
        .values_list("pk", flat=True)
        if pk not in moved
    ]
    loss = virtual(Location.Kind.LOSS)
    moves = [
        StockMove(
            product_id=pk,
            from_location=loss,
            to_location=stock,
            quantity=_quantity(pk),
            reason=StockMove.Reason.ADJUSTMENT,
            reference=REASON,
            note=REASON,
        )
        for pk in products
    ]
    # The goods on hand were expensed to 4300 when bought (see the module docstring):
    # capitalising them takes that cost back out, so it is expensed once, on delivery.
    apply_moves(moves, actor=actor, counter_account=OPENING_COUNTER_ACCOUNT)
    real_actor = actor if actor is not None and actor.is_authenticated else None
    content_type = ContentType.objects.get_for_model(StockMove)
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor=real_actor,
                actor_repr=(real_actor.get_username() if real_actor else "system")[:150],
                channel=current_channel(),
                action="create",
                content_type=content_type,
                object_id=str(move.pk),
                object_repr=str(move)[:200],
                changes={
                    "quantity": [None, str(move.quantity)],
                    "location": [None, stock.code],
                    "reason": [None, REASON],
                },
            )
            for move in moves
        ],
        batch_size=1000,
    )
    return {"locations": added_locations, "products": len(moves)}
