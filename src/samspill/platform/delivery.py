"""Delivery of outbox events to subscribers through the Django Tasks API.

At-least-once: a task delivers one event to each subscriber that has not handled it yet.
Each handler runs in its own transaction together with the HandledEvent row that marks it
done, so a redelivered event is processed once. A failing handler makes the event FAILED
with the error and schedules a retry with exponential backoff; after
SAMSPILL["EVENT_MAX_ATTEMPTS"] attempts it becomes a dead letter, visible and replayable on
the operations page. `samspill deliver-events` sweeps pending events whose task was lost.
"""

from __future__ import annotations

import logging
import traceback
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from samspill.platform.compat import task
from samspill.platform.events import subscribers_for

log = logging.getLogger(__name__)


def backoff(attempt: int) -> timedelta:
    """2, 4, 8 ... seconds, capped at one hour."""
    return timedelta(seconds=min(2**attempt, 3600))


def enqueue_delivery(event_id, *, run_after=None) -> None:
    task_ = deliver_event_task
    if run_after is not None and task_.get_backend().supports_defer:
        task_ = task_.using(run_after=run_after)
    task_.enqueue(str(event_id))


def deliver(event_id) -> str:
    """Deliver one event to its outstanding subscribers. Returns the new status."""
    from samspill.platform.models import HandledEvent, OutboxEvent

    event = OutboxEvent.objects.filter(pk=event_id).first()
    if event is None or event.status in (OutboxEvent.Status.DELIVERED, OutboxEvent.Status.DEAD):
        return event.status if event else "missing"
    done = set(HandledEvent.objects.filter(event=event).values_list("subscriber", flat=True))
    errors = []
    for subscriber in subscribers_for(event.type):
        if subscriber.name in done:
            continue
        try:
            with transaction.atomic():
                subscriber.handler(event)
                HandledEvent.objects.create(event=event, subscriber=subscriber.name)
        except Exception:
            log.exception("event handler failed", extra={"event": str(event.pk)})
            errors.append(f"{subscriber.name}:\n{traceback.format_exc(limit=5)}")
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
    else:
        event.status = OutboxEvent.Status.FAILED
        event.last_error = "\n".join(errors)
        event.next_attempt_at = timezone.now() + backoff(event.attempts)
    event.save(
        update_fields=["status", "attempts", "last_error", "next_attempt_at", "delivered_at"]
    )
    if event.status == OutboxEvent.Status.FAILED:
        enqueue_delivery(event.pk, run_after=event.next_attempt_at)
    return event.status


@task()
def deliver_event_task(event_id: str) -> str:
    return deliver(event_id)


def sweep(now=None) -> int:
    """Re-deliver pending or failed events that are due (a lost task, a killed worker)."""
    from samspill.platform.models import OutboxEvent

    now = now or timezone.now()
    due = OutboxEvent.objects.filter(
        status__in=[OutboxEvent.Status.PENDING, OutboxEvent.Status.FAILED]
    ).exclude(next_attempt_at__gt=now)
    count = 0
    for event_id in due.values_list("pk", flat=True).iterator():
        deliver(event_id)
        count += 1
    return count


def replay(event_id) -> None:
    """Operator action: give a failed or dead event a fresh set of attempts."""
    from samspill.platform.models import OutboxEvent

    OutboxEvent.objects.filter(pk=event_id).update(
        status=OutboxEvent.Status.PENDING, attempts=0, next_attempt_at=None
    )
    transaction.on_commit(lambda: enqueue_delivery(event_id))
