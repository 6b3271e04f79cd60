"""Inventory reacts to sales' events by their type string (the contract in docs/events.md):
the events are written to the outbox as sales would write them and delivered."""

from __future__ import annotations

from decimal import Decimal

import pytest

from samspill.inventory.models import Delivery, StockLevel
from samspill.platform.models import HandledEvent, OutboxEvent

pytestmark = pytest.mark.django_db


def sales_event(type_, payload):
    return OutboxEvent.objects.create(
        type=type_,
        payload=payload,
        subjects={"party": [str(payload["party_id"])], "order": [str(payload["order_id"])]},
    )


def test_confirmed_order_creates_a_reserved_delivery_once(
    run_tasks, put, product, stock, order_payload
):
    put(product, "10")
    event = sales_event("sales.order.confirmed", order_payload([(product, "4")], order_id=42))
    run_tasks()
    delivery = Delivery.objects.get(order_id=42)
    assert delivery.order_number == "SO-2026-00042" and delivery.state == "ready"
    assert StockLevel.objects.get(product=product, location=stock).reserved == Decimal("4.000")
    assert HandledEvent.objects.filter(event=event, subscriber="inventory.create_delivery").exists()
    OutboxEvent.objects.filter(pk=event.pk).update(
        status="pending"
    )  # delivered again (at least once)
    HandledEvent.objects.filter(event=event).delete()
    run_tasks()
    assert Delivery.objects.filter(order_id=42).count() == 1


def test_order_of_services_only_gets_no_delivery(run_tasks, order_payload):
    from samspill.catalog.tests.factories import ProductFactory

    consult = ProductFactory(sku="CONSULT", product_type="service")
    sales_event("sales.order.confirmed", order_payload([(consult, "2")], order_id=5))
    run_tasks()
    assert not Delivery.objects.exists()


def test_cancelled_order_cancels_open_deliveries(
    run_tasks, put, product, stock, order_payload, customer
):
    put(product, "10")
    sales_event("sales.order.confirmed", order_payload([(product, "4")], order_id=9))
    run_tasks()
    sales_event(
        "sales.order.cancelled", {"order_id": 9, "number": "SO-2026-00009", "party_id": customer.pk}
    )
    run_tasks()
    assert Delivery.objects.get(order_id=9).state == "cancelled"
    assert StockLevel.objects.get(product=product, location=stock).reserved == Decimal("0.000")
    cancelled = OutboxEvent.objects.get(type="inventory.delivery.cancelled")
    assert cancelled.subjects["party"] == [str(customer.pk)] and cancelled.subjects["order"] == [
        "9"
    ]


def test_merging_parties_moves_their_deliveries(admin_user, put, product, order_payload, customer):
    from samspill.parties import services as parties
    from samspill.parties.tests.factories import OrganizationFactory

    put(product, "5")
    delivery = services_create(order_payload([(product, "1")]))
    survivor = OrganizationFactory(name="Kunde AS (ny)")
    parties.merge_parties(actor=admin_user, survivor=survivor, duplicate=customer)
    delivery.refresh_from_db()
    assert delivery.party_id == survivor.pk


def services_create(payload):
    from samspill.inventory import services

    return services.create_delivery_for_order(payload)
