"""Delivery of outbox events to subscribers through the Django Tasks API.

At-least-once: a task delivers one event to each subscriber that has not handled it yet.
Each handler runs in its own transaction together with the HandledEvent row that marks it
done, so a redelivered event is processed once per subscriber. A failing handler makes the
event FAILED with the error and schedules a retry with exponential backoff; after
SAMSPILL["EVENT_MAX_ATTEMPTS"] attempts it becomes a dead letter, visible and replayable on
the operations page.

Before delivering, a worker claims the event with one conditional UPDATE that pushes
`next_attempt_at` a lease into the future, so a task and the sweeper (or two workers)
never deliver the same event at the same time. `sweep()` delivers every pending or
failed event that is due: events whose task was lost, retries on a backend that cannot
defer tasks, and events published inside a test transaction that never committed.
"""

from __future__ import annotations

import logging
import traceback
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from samspill.platform.compat import task
from samspill.platform.events import subscribers_for

log = logging.getLogger(__name__)

SWEEP_BATCH = 500


def backoff(attempt: int) -> timedelta:
    """2, 4, 8 ... seconds after the 1st, 2nd, 3rd ... failed attempt, capped at one hour."""
    return timedelta(seconds=min(2**attempt, 3600))


def lease() -> timedelta:
    return timedelta(seconds=settings.SAMSPILL.get("EVENT_DELIVERY_LEASE_SECONDS", 300))


def enqueue_delivery(event_id, *, run_after: datetime | None = None) -> bool:
    """Hand one event to the task backend. A retry (`run_after`) is only enqueued when the
    backend can defer tasks; otherwise the worker's sweep picks it up when it is due.
    Returns whether a task was enqueued."""
    task_ = deliver_event_task
    if run_after is not None:
        if not task_.get_backend().supports_defer:
            return False
        task_ = task_.using(run_after=run_after)
    task_.enqueue(str(event_id))
    return True


def _due(now: datetime) -> Q:
    return Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)


def claim(event_id, now: datetime | None = None) -> bool:
    """Take an undelivered, due event for delivery for the length of the lease."""
    from samspill.platform.models import OutboxEvent

    now = now or timezone.now()
    claimed = OutboxEvent.objects.filter(
        _due(now),
        pk=event_id,
        status__in=[OutboxEvent.Status.PENDING, OutboxEvent.Status.FAILED],
    ).update(next_attempt_at=now + lease())
    return claimed == 1


def deliver(event_id) -> str:
    """Deliver one event to its outstanding subscribers. Returns the event's status after
    the attempt ("missing" if there is no such event). An event that is delivered, dead,
    not yet due or being delivered by another worker is left alone."""
    from samspill.platform.models import OutboxEvent

    if not claim(event_id):
        status = OutboxEvent.objects.filter(pk=event_id).values_list("status", flat=True).first()
        return status or "missing"
    return _deliver_claimed(event_id)


def _deliver_claimed(event_id) -> str:
    from samspill.platform.models import HandledEvent, OutboxEvent

    event = OutboxEvent.objects.get(pk=event_id)
    done = set(HandledEvent.objects.filter(event=event).values_list("subscriber", flat=True))
    errors = []
    for subscriber in subscribers_for(event.type):
        if subscriber.name in done:
            continue
        try:
            with transaction.atomic():
                subscriber.handler(event)
                HandledEvent.objects.create(event=event, subscriber=subscriber.name)
        except Exception as exc:
            log.warning(
                "event handler failed",
                exc_info=True,
                extra={"event": str(event.pk), "type": event.type, "subscriber": subscriber.name},
            )
            errors.append(
                f"{subscriber.name}: {type(exc).__name__}: {exc}\n{traceback.format_exc(limit=5)}"
            )
    event.attempts += 1
    if not errors:
        event.status = OutboxEvent.Status.DELIVERED
        event.delivered_at = timezone.now()
        event.last_error = ""
        event.next_attempt_at = None
    elif event.attempts >= settings.SAMSPILL["EVENT_MAX_ATTEMPTS"]:
        event.status = OutboxEvent.Status.DEAD
        event.last_error = "\n".join(errors)
        event.next_attempt_at = None
        log.error(
            "event dead-lettered",
            extra={"event": str(event.pk), "type": event.type, "attempts": event.attempts},
        )
    else:
        event.status = OutboxEvent.Status.FAILED
        event.last_error = "\n".join(errors)
        event.next_attempt_at = timezone.now() + backoff(event.attempts)
    event.save(
        update_fields=["status", "attempts", "last_error", "next_attempt_at", "delivered_at"]
    )
    if event.status == OutboxEvent.Status.FAILED:
        try:
            enqueue_delivery(event.pk, run_after=event.next_attempt_at)
        except Exception:  # the sweep retries it when it is due
            log.warning("could not enqueue a retry", exc_info=True, extra={"event": str(event.pk)})
    return event.status


@task()
def deliver_event_task(event_id: str) -> str:
    return deliver(event_id)


def sweep(now: datetime | None = None, *, limit: int = SWEEP_BATCH) -> int:
    """Deliver up to `limit` pending or failed events that are due, oldest first (a lost
    task, a killed worker, a retry on a backend that cannot defer). Returns how many
    events were attempted."""
    from samspill.platform.models import OutboxEvent

    now = now or timezone.now()
    due = (
        OutboxEvent.objects.filter(
            _due(now), status__in=[OutboxEvent.Status.PENDING, OutboxEvent.Status.FAILED]
        )
        .order_by("occurred_at")
        .values_list("pk", flat=True)
    )
    count = 0
    for event_id in list(due[:limit]):
        if claim(event_id, now):
            _deliver_claimed(event_id)
            count += 1
    return count


def replay(event_id) -> None:
    """Give an undelivered event a fresh set of attempts and deliver it after commit.
    Use `samspill.platform.services.replay_event`, which checks permission and audits."""
    from samspill.platform.models import OutboxEvent

    OutboxEvent.objects.filter(pk=event_id).exclude(status=OutboxEvent.Status.DELIVERED).update(
        status=OutboxEvent.Status.PENDING, attempts=0, next_attempt_at=None
    )
    transaction.on_commit(lambda: enqueue_delivery(event_id), robust=True)
