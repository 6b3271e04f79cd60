"""The SLA watch, run by housekeeping: publish `helpdesk.ticket.sla_warning` when a ticket has
used `warning_percent` of its next target, and `helpdesk.ticket.sla_breached` when the target
has passed, once each per ticket and target."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from samspill.helpdesk import events
from samspill.helpdesk.models import OPEN_STATUSES, Ticket
from samspill.platform.events import publish

BATCH = 500


def _target(ticket: Ticket) -> str:
    return "first_response" if ticket.first_response_at is None else "resolution"


def check_sla(now=None) -> int:
    """Warnings and breaches published in this round (each ticket in its own transaction,
    so one bad row does not hold the others back)."""
    now = now or timezone.now()
    count = 0
    due = (
        Ticket.objects.filter(status__in=OPEN_STATUSES)
        .filter(
            Q(warn_at__lte=now, sla_warned_at__isnull=True)
            | Q(next_due__lte=now, sla_breached_at__isnull=True)
        )
        .values_list("pk", flat=True)
        .order_by("next_due")[:BATCH]
    )
    for pk in list(due):
        with transaction.atomic():
            ticket = Ticket.objects.select_for_update().filter(pk=pk).first()
            if ticket is None or ticket.status not in OPEN_STATUSES:
                continue
            base: dict[str, Any] = {
                "ticket_id": ticket.pk,
                "number": ticket.number,
                "party_id": ticket.party_id,
                "target": _target(ticket),
                "due": ticket.next_due.isoformat() if ticket.next_due else "",
                "assignee_id": ticket.assignee_id,
                "queue_id": ticket.queue_id,
            }
            fields = []
            if ticket.warn_at and ticket.warn_at <= now and ticket.sla_warned_at is None:
                ticket.sla_warned_at = now
                fields.append("sla_warned_at")
                publish(events.TicketSlaWarning(**base))
                count += 1
            if ticket.next_due and ticket.next_due <= now and ticket.sla_breached_at is None:
                ticket.sla_breached_at = now
                fields.append("sla_breached_at")
                publish(events.TicketSlaBreached(**base))
                count += 1
            if fields:
                ticket.save(update_fields=fields)
    return count
