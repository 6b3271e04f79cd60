"""Factories and helpers for kernel tests (and for other apps' tests of event flows)."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

import factory
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from samspill.platform.events import EVENT_TYPES, SUBSCRIBERS, Event
from samspill.platform.models import AuditEntry, EventSubject, OutboxEvent

TEST_EVENT_TYPE = "testing.thing.happened"


@contextmanager
def thing_event():
    """A throw-away event type, `testing.thing.happened`, removed again afterwards."""

    @dataclass(frozen=True, kw_only=True)
    class ThingHappened(Event):
        type: ClassVar[str] = TEST_EVENT_TYPE
        version: ClassVar[int] = 1
        description: ClassVar[Any] = "A thing happened"
        subject_fields: ClassVar[dict[str, str]] = {"thing_id": "thing"}

        thing_id: int
        amount: Decimal = Decimal("0")

    try:
        yield ThingHappened
    finally:
        EVENT_TYPES.pop(TEST_EVENT_TYPE, None)


@contextmanager
def isolated_subscribers():
    """An empty subscriber registry inside (the apps' own subscribers, e.g. automation's
    wildcard, are set aside); the registry is restored afterwards."""
    saved = {key: list(value) for key, value in SUBSCRIBERS.items()}
    SUBSCRIBERS.clear()
    try:
        yield SUBSCRIBERS
    finally:
        SUBSCRIBERS.clear()
        SUBSCRIBERS.update(saved)


class OutboxEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutboxEvent
        skip_postgeneration_save = True

    type = TEST_EVENT_TYPE
    occurred_at = factory.LazyFunction(timezone.now)
    subjects = factory.LazyAttribute(lambda o: {"thing": [str(o.payload.get("thing_id", 1))]})
    payload = factory.Sequence(lambda n: {"thing_id": n, "amount": "0"})
    status = OutboxEvent.Status.DELIVERED

    @factory.post_generation
    def subject_rows(self, create, extracted, **kwargs):
        if create:
            EventSubject.objects.bulk_create(
                EventSubject(event=self, kind=kind, object_id=oid, occurred_at=self.occurred_at)
                for kind, ids in self.subjects.items()
                for oid in ids
            )


class AuditEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditEntry

    actor = None
    actor_repr = "system"
    channel = "ui"
    action = AuditEntry.Action.UPDATE
    content_type = factory.LazyFunction(lambda: ContentType.objects.get_for_model(OutboxEvent))
    object_id = factory.Sequence(str)
    object_repr = factory.Sequence(lambda n: f"record {n}")
    changes = factory.LazyFunction(lambda: {"status": ["failed", "pending"]})
