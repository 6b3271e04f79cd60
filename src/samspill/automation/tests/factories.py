"""Factories and throw-away event types and actions for the automation tests."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

import factory
from django.db import transaction

from samspill.automation.models import Rule, Webhook
from samspill.platform.actions import Action, Param, register_action, unregister_action
from samspill.platform.context import current_channel
from samspill.platform.errors import Conflict
from samspill.platform.events import EVENT_TYPES, Event, publish

PLACED = "testing.order.placed"
SHIPPED = "testing.order.shipped"


@contextmanager
def order_events():
    """Two test-only event types about orders (and the party who ordered)."""

    @dataclass(frozen=True, kw_only=True)
    class OrderPlaced(Event):
        type: ClassVar[str] = PLACED
        description: ClassVar[Any] = "An order was placed"
        subject_fields: ClassVar[dict[str, str]] = {"order_id": "order", "party_id": "party"}

        order_id: int
        party_id: int
        total: Decimal = Decimal("0")
        status: str = "new"
        email: str = ""
        tags: list[str] = field(default_factory=list)
        fields: list[str] = field(default_factory=list)
        placed_on: str = "2026-01-15"

    @dataclass(frozen=True, kw_only=True)
    class OrderShipped(Event):
        type: ClassVar[str] = SHIPPED
        description: ClassVar[Any] = "An order was shipped"
        subject_fields: ClassVar[dict[str, str]] = {"order_id": "order"}

        order_id: int

    try:
        yield OrderPlaced, OrderShipped
    finally:
        EVENT_TYPES.pop(PLACED, None)
        EVENT_TYPES.pop(SHIPPED, None)


class Notes:
    """What the test actions did: (action, subject id, params, actor)."""

    def __init__(self):
        self.calls: list[tuple[str, str | None, dict, Any]] = []
        self.channels: list[str] = []

    def of(self, key: str) -> list[tuple[str | None, dict, Any]]:
        return [(subject, params, actor) for k, subject, params, actor in self.calls if k == key]


@contextmanager
def testing_actions(notes: Notes):
    """Domain-like actions a rule can run in tests."""

    def note(subject_id, params, actor):
        notes.calls.append(("testing.note", subject_id, params, actor))
        notes.channels.append(current_channel())

    def fail(subject_id, params, actor):
        raise Conflict("The order is already closed.")

    def republish(subject_id, params, actor):
        placed = EVENT_TYPES[PLACED]
        with transaction.atomic():
            publish(placed(order_id=int(subject_id), party_id=1), actor=actor)

    def ship(subject_id, params, actor):
        shipped = EVENT_TYPES[SHIPPED]
        with transaction.atomic():
            publish(shipped(order_id=int(subject_id)), actor=actor)

    def ship_then_fail(subject_id, params, actor):
        ship(subject_id, params, actor)
        raise Conflict("Shipping failed half-way.")

    def place(subject_id, params, actor):
        placed = EVENT_TYPES[PLACED]
        with transaction.atomic():
            publish(placed(order_id=int(subject_id), party_id=1), actor=actor)

    def discount(subject_id, params, actor):
        notes.calls.append(("testing.discount", subject_id, params, actor))

    registered = [
        Action(
            key="testing.note",
            label="Add a note to the order",
            subject_kind="order",
            params={"note": Param(str, label="Note")},
            run=note,
        ),
        Action(
            key="testing.discount",
            label="Give a discount",
            subject_kind="order",
            params={
                "percent": Param(Decimal, label="Percent"),
                "times": Param(int, label="Times", required=False),
                "express": Param(bool, label="Express", required=False),
                "level": Param(
                    str,
                    label="Level",
                    required=False,
                    choices=[("gold", "Gold"), ("silver", "Silver")],
                ),
            },
            run=discount,
        ),
        Action(key="testing.fail", label="Fail", subject_kind="order", params={}, run=fail),
        Action(
            key="testing.republish",
            label="Place the order again",
            subject_kind="order",
            params={},
            run=republish,
        ),
        Action(key="testing.ship", label="Ship", subject_kind="order", params={}, run=ship),
        Action(
            key="testing.ship_then_fail",
            label="Ship, then fail",
            subject_kind="order",
            params={},
            run=ship_then_fail,
        ),
        Action(key="testing.place", label="Place", subject_kind="order", params={}, run=place),
        Action(
            key="testing.guarded",
            label="Needs a permission",
            subject_kind="order",
            params={},
            run=note,
            permission="automation.delete_webhook",
        ),
        Action(
            key="testing.party", label="On the party", subject_kind="party", params={}, run=note
        ),
    ]
    for action in registered:
        register_action(action)
    try:
        yield registered
    finally:
        for action in registered:
            unregister_action(action.key)


class RuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rule

    name = factory.Sequence(lambda n: f"Rule {n}")
    event_type = PLACED
    match = "all"
    conditions = factory.LazyFunction(list)
    actions = factory.LazyFunction(
        lambda: [{"action": "testing.note", "params": {"note": "hi"}, "subject_field": ""}]
    )
    is_active = True


class WebhookFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Webhook

    name = factory.Sequence(lambda n: f"Hook {n}")
    url = "http://127.0.0.1:9/hook"
    all_events = True
    event_types = factory.LazyFunction(list)
    is_active = True
