"""What sales does when other domains report progress on an order. Each handler runs once
per event (the platform records it together with the handler's work)."""

from __future__ import annotations

from samspill.platform.events import subscribe
from samspill.sales import services


@subscribe("inventory.delivery.done", name="sales.order_delivered")
def delivery_done(event) -> None:
    payload = event.payload
    order = services.record_delivery(
        payload.get("order_id"), payload.get("lines") or [], delivery_id=payload.get("delivery_id")
    )
    if (
        order is not None
        and order.invoicing_policy == order.InvoicingPolicy.DELIVERY
        and order.status == order.Status.CONFIRMED
    ):
        services.invoice_order(order)


@subscribe("sales.order.confirmed", name="sales.invoice_on_order")
def order_confirmed(event) -> None:
    """Invoicing policy "on order": the whole order is invoiced when it is confirmed."""
    payload = event.payload
    if payload.get("invoicing_policy") != "order":
        return
    order = services.order_for_invoicing(payload.get("order_id"))
    if order is not None:
        services.invoice_order(order)


@subscribe("accounting.invoice.posted", name="sales.order_invoiced")
def invoice_posted(event) -> None:
    payload = event.payload
    if payload.get("order_id") is not None and payload.get("amount") is not None:
        services.record_invoice(payload["order_id"], payload["amount"])


@subscribe("accounting.payment.received", name="sales.order_paid")
def payment_received(event) -> None:
    """Each allocation of the payment to an invoice of an order adds to the order's paid
    amount (an older payload with one `order_id` and `amount` still works)."""
    payload = event.payload
    allocations = payload.get("allocations")
    if allocations is None:
        allocations = [{"order_id": payload.get("order_id"), "amount": payload.get("amount")}]
    for allocation in allocations:
        if allocation.get("order_id") is not None and allocation.get("amount") is not None:
            services.record_payment(allocation["order_id"], allocation["amount"])
