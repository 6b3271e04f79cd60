"""Demo stock of Nordlys Handel AS: zones and bins in the main warehouse HOVED and an
opening stock for every stockable product of the demo catalogue, posted as inventory
adjustments (from the inventory-loss location, reason "Åpningsbalanse"), valued at the
catalogue's cost price and, when accounting is set up, booked Dr 1460 / Cr 2050.

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
    # The opening stock is part of the opening balance: against equity, not shrinkage.
    apply_moves(moves, actor=actor, counter_account="2050")
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
