"""What the helpdesk commands share: permission checks, errors, gapless numbering, finding the
customer by e-mail and applying the SLA."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.helpdesk.businesshours import (
    OpeningHours,
    add_business_hours,
    business_seconds_between,
)
from samspill.helpdesk.models import Queue, SlaPolicy, Ticket
from samspill.parties import queries as parties
from samspill.parties import services as party_services
from samspill.platform import numbering
from samspill.platform.errors import Conflict, ValidationFailed
from samspill.platform.permissions import require


class WrongState(Conflict):
    code = "wrong_state"


class Collision(Conflict):
    """Someone else wrote on the ticket after the agent loaded it: nothing was sent."""

    code = "reply_collision"


def check(actor, perm: str) -> None:
    if actor is not None:
        require(actor, perm)


def raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationFailed(first, errors=errors)


def next_number(on: datetime) -> str:
    """ "T-2026-00001", the year in local time (the platform's gapless series
    "helpdesk.ticket")."""
    return numbering.next_number("helpdesk.ticket", "T", timezone.localtime(on).date())


def default_queue() -> Queue:
    queue = Queue.objects.filter(is_default=True).first() or Queue.objects.order_by("id").first()
    if queue is None:
        raise ValidationFailed(
            _("Create a queue first: every ticket waits in a queue."),
            code="no_queue",
            errors={"queue": [_("Create a queue first: every ticket waits in a queue.")]},
        )
    return queue


def customer_for_email(email: str, name: str = "", *, actor=None):
    """(party, contact) for a sender: a person with this e-mail is the contact of their
    organisation (or the customer themselves); an organisation's e-mail makes it the
    customer. An unknown sender becomes a new person (through the parties services)."""
    found = parties.find_duplicates(emails=[email], limit=5)
    persons = [p for p in found if p.kind == "person"]
    if persons:
        person = persons[0]
        relation = parties.organizations_of(person).first()
        return (relation.organization if relation else person), person
    if found:
        return found[0], None
    display = (name or "").strip() or email.split("@", 1)[0]
    first, _sep, last = display.partition(" ")
    person = party_services.create_person(
        actor=None,
        first_name=first[:100] or email,
        last_name=last[:100],
        roles=["customer"],
        contact_points=[{"kind": "email", "value": email}],
        force=True,
    )
    return person, person


def customer_for_phone(phone: str, name: str = ""):
    """(party, contact) for a caller or an SMS sender, matched by the phone numbers of the
    parties' contact points like customer_for_email; an unknown number becomes a new person
    with that number."""
    found = parties.find_duplicates(phones=[phone], limit=5)
    persons = [p for p in found if p.kind == "person"]
    if persons:
        person = persons[0]
        relation = parties.organizations_of(person).first()
        return (relation.organization if relation else person), person
    if found:
        return found[0], None
    display = (name or "").strip() or phone
    first, _sep, last = display.partition(" ")
    person = party_services.create_person(
        actor=None,
        first_name=first[:100] or phone,
        last_name=last[:100],
        roles=["customer"],
        contact_points=[{"kind": "phone", "value": phone}],
        force=True,
    )
    return person, person


def match_phone(phone: str):
    """The party that has this phone number (a person's organisation when it has one)."""
    found = parties.find_duplicates(phones=[phone], limit=5) if phone else []
    persons = [p for p in found if p.kind == "person"]
    if persons:
        relation = parties.organizations_of(persons[0]).first()
        return relation.organization if relation else persons[0]
    return found[0] if found else None


def policy_for(ticket: Ticket) -> SlaPolicy | None:
    """The most specific policy: customer, then queue, then priority; empty matches all."""
    candidates = SlaPolicy.objects.filter(
        Q(priority="") | Q(priority=ticket.priority),
        Q(queue__isnull=True) | Q(queue_id=ticket.queue_id),
        Q(party__isnull=True) | Q(party_id=ticket.party_id),
    )
    best, best_score = None, -1
    for policy in candidates:
        score = (
            (4 if policy.party_id else 0)
            + (2 if policy.queue_id else 0)
            + (1 if policy.priority else 0)
        )
        if score > best_score or (score == best_score and best and policy.pk < best.pk):
            best, best_score = policy, score
    return best


def apply_sla(ticket: Ticket, policy: SlaPolicy | bool | None = True) -> None:
    """Set the due times from the policy and the queue's business hours (no save). Pass the
    policy when it is known, True to look it up."""
    if policy is True:
        policy = policy_for(ticket)
    ticket.sla_policy = policy or None
    if not policy:
        ticket.first_response_due = ticket.resolution_due = ticket.next_due = ticket.warn_at = None
        return
    hours = OpeningHours.of(ticket.queue)
    start = ticket.created_at
    ticket.first_response_due = add_business_hours(start, policy.first_response_hours, hours)
    ticket.resolution_due = add_business_hours(
        start, policy.resolution_hours + paused_hours(ticket), hours
    )
    refresh_next_due(ticket, hours)


def paused_hours(ticket: Ticket) -> Decimal:
    """The business hours the resolution clock stood still (finished waits)."""
    return Decimal(ticket.sla_paused_seconds or 0) / Decimal(3600)


def track_pause(ticket: Ticket, now: datetime) -> None:
    """Stop the resolution clock when the ticket starts waiting for the customer; when it
    stops waiting, add the business time it waited and move the resolution target out by it
    (no save). Call after the status changed, before refresh_next_due."""
    waiting = ticket.status == Ticket.Status.PENDING_CUSTOMER
    if waiting and ticket.sla_paused_at is None:
        ticket.sla_paused_at = now
    elif not waiting and ticket.sla_paused_at is not None:
        hours = OpeningHours.of(ticket.queue)
        ticket.sla_paused_seconds += business_seconds_between(ticket.sla_paused_at, now, hours)
        ticket.sla_paused_at = None
        policy = ticket.sla_policy
        if policy is not None:
            ticket.resolution_due = add_business_hours(
                ticket.created_at, policy.resolution_hours + paused_hours(ticket), hours
            )


def refresh_next_due(ticket: Ticket, hours: OpeningHours | None = None) -> None:
    """next_due: the earliest target still open; warn_at: when warning_percent of it is used."""
    policy = ticket.sla_policy
    if policy is None or not ticket.is_open:
        ticket.next_due = ticket.warn_at = None
        return
    hours = hours or OpeningHours.of(ticket.queue)
    if ticket.first_response_at is None:
        ticket.next_due, target = ticket.first_response_due, policy.first_response_hours
        fraction = target * policy.warning_percent / 100
    elif ticket.sla_paused_at is not None:  # waiting for the customer: the clock stands
        ticket.next_due = ticket.warn_at = None
        return
    else:
        ticket.next_due, target = ticket.resolution_due, policy.resolution_hours
        fraction = target * policy.warning_percent / 100 + paused_hours(ticket)
    ticket.warn_at = add_business_hours(ticket.created_at, fraction, hours)
