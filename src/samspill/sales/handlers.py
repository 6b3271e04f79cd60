"""What sales does when other domains report progress on an order. Each handler runs once
per event (the platform records it together with the handler's work)."""

from __future__ import annotations

from samspill.platform.events import subscribe
from samspill.sales import services


@subscribe("inventory.delivery.done", name="sales.order_delivered")
def delivery_done(event) -> None:
    payload = event.payload
    services.record_delivery(
        payload.get("order_id"), payload.get("lines") or [], delivery_id=payload.get("delivery_id")
    )


@subscribe("accounting.invoice.posted", name="sales.order_invoiced")
def invoice_posted(event) -> None:
    payload = event.payload
    if payload.get("order_id") is not None and payload.get("amount") is not None:
        services.record_invoice(payload["order_id"], payload["amount"])


@subscribe("accounting.payment.received", name="sales.order_paid")
def payment_received(event) -> None:
    payload = event.payload
    if payload.get("order_id") is not None and payload.get("amount") is not None:
        services.record_payment(payload["order_id"], payload["amount"])
