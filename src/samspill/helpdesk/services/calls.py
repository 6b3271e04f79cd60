"""The phone channel: an agent (or a telephony system through the API) logs a call on a
ticket, or opens a new phone ticket from it. The caller is matched by phone number through
the parties' contact points. A call shows in the ticket's conversation and, through the
event `helpdesk.call.logged`, on the customer's timeline."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.helpdesk import events
from samspill.helpdesk.models import CallLog, Channel, Ticket
from samspill.helpdesk.services import tickets
from samspill.helpdesk.services.common import (
    WrongState,
    check,
    customer_for_phone,
    match_phone,
    raise_if,
    refresh_next_due,
    track_pause,
)
from samspill.parties.models import normalize_phone
from samspill.platform import audit
from samspill.platform.events import publish

MAX_DURATION = 24 * 3600
MAX_NOTES = 20_000
S = Ticket.Status


def _clean(
    errors, *, direction, outcome, phone, duration_seconds, notes, started_at
) -> tuple[str, int, str, datetime]:
    if direction not in CallLog.Direction.values:
        errors.setdefault("direction", []).append(_("Choose inbound or outbound."))
    if outcome not in CallLog.Outcome.values:
        errors.setdefault("outcome", []).append(_("Choose how the call went."))
    number = ""
    try:
        number = normalize_phone(phone or "")
    except ValidationError:
        errors.setdefault("phone", []).append(_("Enter a valid phone number."))
    try:
        duration = int(duration_seconds or 0)
    except (TypeError, ValueError):
        duration = -1
    if not 0 <= duration <= MAX_DURATION:
        errors.setdefault("duration_seconds", []).append(
            _("The duration must be between 0 and 24 hours.")
        )
    notes = (notes or "").strip()
    if len(notes) > MAX_NOTES:
        errors.setdefault("notes", []).append(_("The notes are too long."))
    now = timezone.now()
    started = started_at or now
    if started > now + timedelta(minutes=5):
        errors.setdefault("started_at", []).append(_("A call cannot start in the future."))
    return number, duration, notes, started


def summary(call: CallLog) -> str:
    """One line for the conversation and the new ticket's first message."""
    return _("%(direction)s call, %(phone)s, %(outcome)s, %(duration)s") % {
        "direction": call.get_direction_display(),
        "phone": call.phone,
        "outcome": call.get_outcome_display().lower(),
        "duration": call.duration_display,
    }


@transaction.atomic
def log_call(
    *,
    actor,
    phone: str,
    direction: str = CallLog.Direction.INBOUND,
    outcome: str = CallLog.Outcome.ANSWERED,
    ticket: Ticket | None = None,
    started_at: datetime | None = None,
    duration_seconds: int = 0,
    notes: str = "",
    agent=None,
    subject: str = "",
    name: str = "",
    queue=None,
    external_id: str = "",
) -> CallLog:
    """Log a call on `ticket`, or open a new phone ticket from it (the caller found by the
    number, or created as a new person). A call with an `external_id` already logged is
    updated instead (a telephony system posts the call again when it ends). An answered
    inbound call on a waiting ticket opens it again; an answered outbound call is the first
    response when there was none."""
    check(actor, "helpdesk.add_calllog")
    errors: dict[str, list[str]] = {}
    number, duration, notes, started = _clean(
        errors,
        direction=direction,
        outcome=outcome,
        phone=phone,
        duration_seconds=duration_seconds,
        notes=notes,
        started_at=started_at,
    )
    external_id = (external_id or "").strip()[:200]
    if ticket is not None:
        ticket = Ticket.objects.select_related("queue").get(pk=ticket.pk)
    if ticket is not None and ticket.status == S.CLOSED:
        raise WrongState(_("Ticket %(number)s is closed.") % {"number": ticket.number})
    raise_if(errors)
    agent = agent if agent is not None else (actor if getattr(actor, "pk", None) else None)
    if external_id:
        existing = CallLog.objects.select_for_update().filter(external_id=external_id).first()
        if existing is not None:
            return _update(existing, actor, outcome, duration, notes)
    party = match_phone(number)
    message = None
    if ticket is None:
        if party is None:
            party, _contact = customer_for_phone(number, name)
        call_text = notes or _("Phone call from %(phone)s") % {"phone": number}
        ticket = tickets.open_ticket(
            actor=actor,
            subject=subject or _("Phone call from %(phone)s") % {"phone": number},
            body=call_text,
            channel=Channel.PHONE,
            party=party,
            queue=queue,
            at=started if started <= timezone.now() else None,
        )
        message = ticket.first_message  # type: ignore[attr-defined]
    call = CallLog.objects.create(
        ticket=ticket,
        message=message,
        direction=direction,
        phone=number,
        party=party,
        started_at=started,
        duration_seconds=duration,
        outcome=outcome,
        notes=notes,
        agent=agent,
        external_id=external_id,
    )
    _touch_ticket(ticket, call, actor)
    audit.record("create", call, actor=actor, changes=audit.diff({}, audit.snapshot(call)))
    publish(
        events.CallLogged(
            ticket_id=ticket.pk,
            number=ticket.number,
            party_id=ticket.party_id,
            call_id=call.pk,
            direction=call.direction,
            outcome=call.outcome,
            phone=call.phone,
            duration_seconds=call.duration_seconds,
            agent_id=call.agent_id,
        ),
        actor=actor,
    )
    return call


def _touch_ticket(ticket: Ticket, call: CallLog, actor) -> None:
    locked = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("queue", "sla_policy")
        .get(pk=ticket.pk)
    )
    now = timezone.now()
    previous = locked.status
    answered = call.outcome == CallLog.Outcome.ANSWERED
    inbound = call.direction == CallLog.Direction.INBOUND
    if answered and inbound and locked.status in (S.PENDING_CUSTOMER, S.RESOLVED):
        locked.status = S.OPEN  # the customer called back
        locked.resolved_at = None
    if answered and not inbound and locked.first_response_at is None:
        locked.first_response_at = now  # we reached the customer
        locked.sla_warned_at = locked.sla_breached_at = None
    locked.last_message_at = max(filter(None, [locked.last_message_at, call.started_at]))
    track_pause(locked, now)
    refresh_next_due(locked)
    locked.save()
    if previous != locked.status:
        tickets._status_event(locked, previous, actor)


def _update(call: CallLog, actor, outcome: str, duration: int, notes: str) -> CallLog:
    before = audit.snapshot(call)
    call.outcome = outcome
    call.duration_seconds = duration
    if notes:
        call.notes = notes
    call.save(update_fields=["outcome", "duration_seconds", "notes"])
    changes = audit.diff(before, audit.snapshot(call))
    if changes:
        audit.record("update", call, actor=actor, changes=changes)
    return call
