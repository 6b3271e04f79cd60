"""Events published and delivered per second through the outbox and the task backend.

Publishing: one event per transaction, as a service publishes it (outbox row, subject row,
task enqueued after commit). Delivery through the task worker: the queued tasks are run the
way `samspill worker` runs them (claim, every subscriber in its own transaction with its
HandledEvent row, status update). Delivery through the sweep: the same number of events whose
tasks were lost (deleted), delivered by the worker's housekeeping round. Subscribers are the
installed ones (automation rules and webhooks, none configured) plus one that writes a row.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, ClassVar

from support import Context

N = 2_000
EVENT_TYPE = "bench.thing.happened"
SUBSCRIBER = "bench.record_thing"


def run(ctx: Context) -> list[dict]:
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction

    from samspill.platform import housekeeping
    from samspill.platform.events import EVENT_TYPES, Event, publish, subscribe
    from samspill.platform.models import AuditEntry, HandledEvent, OutboxEvent
    from samspill.platform.tasks import run_queued_tasks

    @dataclass(frozen=True, kw_only=True)
    class ThingHappened(Event):
        type: ClassVar[str] = EVENT_TYPE
        description: ClassVar[Any] = "A thing happened"
        subject_fields: ClassVar[dict[str, str]] = {"party_id": "party"}

        party_id: int
        amount: str

    content_type = ContentType.objects.get_for_model(OutboxEvent)

    @subscribe(EVENT_TYPE, name=SUBSCRIBER)
    def record_thing(event) -> None:  # one write per event, like a real subscriber
        AuditEntry.objects.create(
            channel="system",
            action=AuditEntry.Action.UPDATE,
            content_type=content_type,
            object_id=str(event.pk),
            object_repr="bench",
        )

    actor = ctx.user("admin")
    records: list[dict] = []
    try:

        def publish_many(offset: int) -> float:
            started = time.perf_counter()
            for i in range(N):
                with transaction.atomic():
                    publish(ThingHappened(party_id=offset + i % 500, amount=f"{i}.50"), actor=actor)
            return time.perf_counter() - started

        elapsed = publish_many(0)
        records.append(
            ctx.record(
                "event_delivery", "events published (1 per transaction)", N / elapsed, "events/s", N
            )
        )

        started = time.perf_counter()
        run_queued_tasks()
        elapsed = time.perf_counter() - started
        delivered = OutboxEvent.objects.filter(type=EVENT_TYPE, status="delivered").count()
        if delivered != N:
            raise RuntimeError(f"task worker delivered {delivered} of {N} events")
        records.append(
            ctx.record(
                "event_delivery",
                f"events delivered by the task worker ({settings.TASK_BACKEND})",
                N / elapsed,
                "events/s",
                N,
            )
        )

        publish_many(1_000)
        if settings.TASK_BACKEND == "db":
            from django_tasks_db.models import DBTaskResult

            DBTaskResult.objects.all().delete()  # the tasks are lost
        elif settings.TASK_BACKEND == "rq":
            import django_rq

            django_rq.get_queue(settings.TASK_QUEUE).empty()
        started = time.perf_counter()
        housekeeping.run_once()
        elapsed = time.perf_counter() - started
        delivered = OutboxEvent.objects.filter(type=EVENT_TYPE, status="delivered").count()
        if delivered != 2 * N:
            raise RuntimeError(f"the sweep delivered {delivered - N} of {N} events")
        records.append(
            ctx.record(
                "event_delivery",
                "events delivered by the sweep (lost tasks)",
                N / elapsed,
                "events/s",
                N,
            )
        )
        handled = HandledEvent.objects.filter(subscriber=SUBSCRIBER).count()
        if handled != 2 * N:
            raise RuntimeError(f"{handled} handled rows for {2 * N} events")
    finally:
        EVENT_TYPES.pop(EVENT_TYPE, None)
    return records
