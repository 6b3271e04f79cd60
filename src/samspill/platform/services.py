"""Operator commands on the kernel's tables. Events and audit entries are otherwise
written only by `events.publish()`, `delivery` and `audit.record()`."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from samspill.platform import audit, delivery
from samspill.platform.errors import Conflict, NotFound
from samspill.platform.models import OutboxEvent
from samspill.platform.permissions import require


@transaction.atomic
def replay_event(event_id, *, actor) -> OutboxEvent:
    """Give a pending, failed or dead event a fresh set of delivery attempts and deliver
    it after commit. Subscribers that already handled it are not run again."""
    if actor is not None:
        require(actor, "platform.replay_outboxevent")
    event = OutboxEvent.objects.select_for_update().filter(pk=event_id).first()
    if event is None:
        raise NotFound(_("There is no such event."))
    if not event.can_replay:
        raise Conflict(
            _("This event has already been delivered to every subscriber."),
            code="event_already_delivered",
        )
    before = {"status": event.status, "attempts": event.attempts}
    delivery.replay(event.pk)
    event.refresh_from_db()
    audit.record(
        "update",
        event,
        actor=actor,
        changes=audit.diff(before, {"status": event.status, "attempts": event.attempts}),
        object_repr=event.type,
    )
    return event
