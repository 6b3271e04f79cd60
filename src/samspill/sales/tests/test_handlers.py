"""The order's progress follows other domains' events, delivered through the platform."""

from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

import pytest
from django.db import transaction

from samspill.platform.events import EVENT_TYPES, Event, publish
from samspill.sales import services
from samspill.sales.models import Order

pytestmark = pytest.mark.django_db


@contextmanager
def synthetic(event_type: str):
    """A throw-away Event class for another domain's event type (that domain may not exist
    in this build), removed from the catalogue afterwards."""

    @dataclass(frozen=True, kw_only=True)
    class Synthetic(Event):
        type: ClassVar[str] = event_type
        subject_fields: ClassVar[dict[str, str]] = {}
        data: dict[str, Any]

        def payload(self):
            return self.data

    try:
        yield Synthetic
    finally:
        EVENT_TYPES.pop(event_type, None)


def _emit(event_type: str, payload: dict[str, Any]) -> None:
    with synthetic(event_type) as cls, transaction.atomic():
        publish(cls(data=payload))


@pytest.fixture
def order(seller, customer, quote_lines):
    order = services.create_order(actor=seller, party=customer, lines=quote_lines)
    return services.confirm_order(order, actor=seller)


def test_delivery_done_updates_delivered_quantities(order, run_tasks):
    mug, coffee, _course = order.lines.order_by("position")
    _emit(
        "inventory.delivery.done",
        {
            "delivery_id": 1,
            "number": "WH/OUT/00001",
            "order_id": order.pk,
            "party_id": order.party_id,
            "lines": [
                {"order_line_id": mug.pk, "product_id": mug.product_id, "quantity": "3.000"},
                {"order_line_id": coffee.pk, "product_id": coffee.product_id, "quantity": "1.000"},
            ],
            "backorder_id": 2,
        },
    )
    run_tasks()
    order.refresh_from_db()
    assert order.delivery_status == Order.DeliveryStatus.PARTIAL
    assert [line.delivered_quantity for line in order.lines.order_by("position")] == [
        Decimal("3.000"),
        Decimal("1.000"),
        Decimal("0.000"),
    ]
    run_tasks()  # delivered once: running again changes nothing
    order.refresh_from_db()
    assert order.lines.order_by("position")[0].delivered_quantity == Decimal("3.000")


def test_delivery_of_another_domain_without_order_is_ignored(order, run_tasks):
    _emit(
        "inventory.delivery.done",
        {"delivery_id": 1, "order_id": None, "party_id": 1, "lines": [], "backorder_id": None},
    )
    run_tasks()
    order.refresh_from_db()
    assert order.delivery_status == Order.DeliveryStatus.NOTHING


def test_invoice_posted_and_payment_received(order, run_tasks):
    _emit("accounting.invoice.posted", {"order_id": order.pk, "amount": str(order.total)})
    _emit("accounting.payment.received", {"order_id": order.pk, "amount": "100.00"})
    _emit("accounting.payment.received", {"invoice_id": 3})  # no order: ignored
    run_tasks()
    order.refresh_from_db()
    assert (order.invoice_status, order.invoiced_amount) == ("full", order.total)
    assert (order.payment_status, order.paid_amount) == ("partial", Decimal("100.00"))
