"""Automation subscribes to every event type but only wants those its active rules and
webhooks name: other events are stored as delivered at once (no task, no delivery work).
(The test's OrderShipped names only an order, which no follower can follow, so the
platform's followers subscriber does not want it either; OrderPlaced names a party.)"""

import pytest

from samspill.automation import services
from samspill.automation.models import RuleRun, WebhookDelivery
from samspill.automation.tests.factories import PLACED, SHIPPED, WebhookFactory
from samspill.platform.events import subscribers_for
from samspill.platform.models import HandledEvent, OutboxEvent

pytestmark = pytest.mark.django_db


def _names(event_type):
    return [s.name for s in subscribers_for(event_type) if s.name.startswith("automation.")]


def test_without_rules_or_webhooks_events_are_delivered_at_once(events, emit, staff):
    _placed, OrderShipped = events
    row = emit(OrderShipped(order_id=1))
    assert _names(SHIPPED) == []
    assert [s.name for s in subscribers_for(SHIPPED)] == []
    row.refresh_from_db()
    assert row.status == OutboxEvent.Status.DELIVERED and row.delivered_at is not None
    assert not HandledEvent.objects.filter(event=row).exists()


def test_an_active_rule_makes_its_type_wanted_and_only_that(events, notes, emit, settle, staff):
    _placed, OrderShipped = events
    rule = services.create_rule(
        actor=staff,
        name="Note shipments",
        event_type=SHIPPED,
        actions=[{"action": "testing.note", "params": {"note": "hi"}}],
    )
    assert _names(SHIPPED) == ["automation.rules"]
    assert _names(PLACED) == []
    shipped = emit(OrderShipped(order_id=1))
    assert OutboxEvent.objects.get(pk=shipped.pk).status == OutboxEvent.Status.PENDING
    settle()
    assert RuleRun.objects.filter(rule=rule, event=shipped).count() == 1
    assert OutboxEvent.objects.get(pk=shipped.pk).status == OutboxEvent.Status.DELIVERED

    services.set_rule_active(rule, False, actor=staff)
    assert _names(SHIPPED) == []
    again = emit(OrderShipped(order_id=2))
    assert OutboxEvent.objects.get(pk=again.pk).status == OutboxEvent.Status.DELIVERED


def test_a_webhook_for_all_events_wants_every_type(events, emit, settle, staff):
    _placed, OrderShipped = events
    hook = WebhookFactory(all_events=True, url="http://127.0.0.1:9/samspill")
    assert _names(SHIPPED) == ["automation.webhooks"]
    row = emit(OrderShipped(order_id=3))
    assert OutboxEvent.objects.get(pk=row.pk).status == OutboxEvent.Status.PENDING
    settle()
    assert WebhookDelivery.objects.filter(webhook=hook, event=row).count() == 1

    services.delete_webhook(hook, actor=staff)
    assert _names(SHIPPED) == []
