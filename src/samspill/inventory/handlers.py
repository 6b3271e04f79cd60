"""What inventory does when sales' events arrive (named by type string: inventory never
imports sales). The platform runs each handler once per event, in a transaction with the
note that it ran."""

from __future__ import annotations

from samspill.inventory import services
from samspill.platform.events import subscribe


@subscribe("sales.order.confirmed", name="inventory.create_delivery")
def create_delivery(event) -> None:
    """A confirmed order gets a delivery with its goods reserved (service lines ignored)."""
    services.create_delivery_for_order(event.payload, actor=event.actor)


@subscribe("sales.order.cancelled", name="inventory.cancel_deliveries")
def cancel_deliveries(event) -> None:
    """A cancelled order's open deliveries are cancelled and their reservations released."""
    services.cancel_for_order(event.payload["order_id"], actor=event.actor)
