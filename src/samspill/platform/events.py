"""Domain events with a transactional outbox.

A domain declares its events as frozen dataclasses subclassing `Event`, with a `type`
named `<domain>.<entity>.<past_tense_verb>` and a schema `version`. A service calls
`publish(event, actor=...)` inside its transaction: the outbox row is written with the
change, so a rolled-back transaction leaves no event. After commit the event is handed to
the task backend, which delivers it to every subscriber (see `samspill.platform.delivery`).

Subscribers name event types by their string, so a back-office domain can react to a
front-office event without importing it: `@subscribe("sales.order.confirmed")`.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from django.db import transaction

from samspill.platform.context import current_channel

EVENT_TYPE = re.compile(r"^[a-z]+\.[a-z_]+\.[a-z_]+$")

# type string -> Event subclass (for the catalogue in docs/events.md)
EVENT_TYPES: dict[str, type[Event]] = {}


@dataclass(frozen=True, kw_only=True)
class Event:
    """Base of every domain event. Subclasses add payload fields (JSON-serialisable values,
    Decimal, date and datetime are converted) and declare which fields are subjects."""

    type: ClassVar[str]
    version: ClassVar[int] = 1
    description: ClassVar[Any] = ""  # lazy-translated, what happened, for people
    # payload field -> subject kind, e.g. {"party_id": "party", "order_id": "order"}
    subject_fields: ClassVar[dict[str, str]] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "type" in cls.__dict__:
            if not EVENT_TYPE.match(cls.type):
                raise ValueError(f"event type {cls.type!r} is not <domain>.<entity>.<verb>")
            EVENT_TYPES[cls.type] = cls

    @classmethod
    def summarize(cls, payload: dict[str, Any]) -> str:
        """One line for timelines, in the active language. Override to use the payload."""
        return str(cls.description)

    def payload(self) -> dict[str, Any]:
        return {f.name: _jsonable(getattr(self, f.name)) for f in dataclasses.fields(self)}

    def subjects(self) -> dict[str, list[str]]:
        result: dict[str, list[str]] = defaultdict(list)
        for field_name, kind in self.subject_fields.items():
            value = getattr(self, field_name)
            values = value if isinstance(value, list | tuple) else [value]
            result[kind].extend(str(v) for v in values if v is not None)
        return dict(result)


def _jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


# --- Subscribers ------------------------------------------------------------------------

Handler = Callable[[Any], None]  # receives the OutboxEvent row


@dataclass(frozen=True)
class Subscriber:
    name: str  # stable, e.g. "inventory.reserve_stock"; recorded per handled event
    event_type: str
    handler: Handler
    # For "*" subscribers that act on few types (automation rules, webhooks): a cheap check
    # whether this type concerns them now. An event no subscriber wants is stored as
    # delivered at once: no task, no delivery transactions.
    wants: Callable[[str], bool] | None = None


SUBSCRIBERS: dict[str, list[Subscriber]] = defaultdict(list)


def subscribe(
    event_type: str, *, name: str | None = None, wants: Callable[[str], bool] | None = None
):
    """Register a handler for an event type (a string: no import of the publisher), or for
    every type with "*" (then `wants(type)` may say which types concern it)."""

    def decorator(func: Handler) -> Handler:
        subscriber = Subscriber(
            name or f"{func.__module__}.{func.__qualname__}", event_type, func, wants
        )
        if all(s.name != subscriber.name for s in SUBSCRIBERS[event_type]):
            SUBSCRIBERS[event_type].append(subscriber)
        return func

    return decorator


def subscribers_for(event_type: str) -> list[Subscriber]:
    """The subscribers an event of this type is delivered to: those of the type, and those
    of every type that want it."""
    return SUBSCRIBERS.get(event_type, []) + [
        s for s in SUBSCRIBERS.get("*", []) if s.wants is None or s.wants(event_type)
    ]


def autodiscover() -> None:
    """Import the `events` and `handlers` modules of every Samspill app, so that every
    event type is known (EVENT_TYPES, docs/events.md) and every subscriber is registered
    before the first event is published or delivered. Called from PlatformConfig.ready()."""
    from importlib import import_module

    from django.apps import apps
    from django.utils.module_loading import module_has_submodule

    for config in apps.get_app_configs():
        if not config.name.startswith("samspill."):
            continue
        for module in ("events", "handlers"):
            if module_has_submodule(config.module, module):
                import_module(f"{config.name}.{module}")


# --- Publishing -------------------------------------------------------------------------


def publish(event: Event, *, actor=None):
    """Write the event to the outbox in the current transaction; deliver after commit.

    If the transaction rolls back, the event never existed. If handing it to the task
    backend fails after commit (Redis down), the change stands and the worker's periodic
    sweep delivers the event later."""
    from django.utils import timezone

    from samspill.platform.models import EventSubject, OutboxEvent

    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("publish() must be called inside the service's transaction")
    has_subscribers = bool(subscribers_for(event.type))
    now = timezone.now()
    row = OutboxEvent.objects.create(
        type=event.type,
        version=event.version,
        occurred_at=now,
        actor=actor if actor is not None and actor.is_authenticated else None,
        channel=current_channel(),
        subjects=event.subjects(),
        payload=event.payload(),
        status=OutboxEvent.Status.PENDING if has_subscribers else OutboxEvent.Status.DELIVERED,
        delivered_at=None if has_subscribers else now,
    )
    EventSubject.objects.bulk_create(
        EventSubject(event=row, kind=kind, object_id=object_id, occurred_at=row.occurred_at)
        for kind, ids in row.subjects.items()
        for object_id in ids
    )
    if has_subscribers:
        from samspill.platform.delivery import enqueue_delivery

        transaction.on_commit(lambda: enqueue_delivery(row.pk), robust=True)
    return row


def summarize(row) -> str:
    """The timeline line of a stored event, in the active language."""
    event_class = EVENT_TYPES.get(row.type)
    if event_class is None:
        return row.type
    try:
        return event_class.summarize(row.payload)
    except (KeyError, TypeError, ValueError):
        return str(event_class.description) or row.type
