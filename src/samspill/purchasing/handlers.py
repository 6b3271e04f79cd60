"""What purchasing does when inventory's and accounting's events arrive. The platform runs
each handler once per event, in a transaction with the note that it ran (idempotent)."""

from __future__ import annotations

from samspill.platform.events import subscribe
from samspill.purchasing import services


@subscribe("inventory.receipt.done", name="purchasing.record_receipt")
def record_receipt(event) -> None:
    """Goods arrived: the order lines' received quantities and the order's status follow."""
    services.record_receipt(event.payload, actor=event.actor)


@subscribe("accounting.bill.approved", name="purchasing.record_billing")
def record_billing(event) -> None:
    """A supplier bill was approved: the order lines' billed quantities follow."""
    services.record_billing(event.payload, actor=event.actor)
