"""Ticket commands: open, write (customer message, agent reply, internal note), the status
workflow as named operations, assignment, tags and links, merge and split. Each is one
transaction that checks the permission, audits and publishes its event."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.helpdesk import events
from samspill.helpdesk.models import Channel, Message, Priority, Queue, Ticket, TicketLink
from samspill.helpdesk.services.common import (
    Collision,
    WrongState,
    apply_sla,
    check,
    customer_for_email,
    default_queue,
    next_number,
    raise_if,
    refresh_next_due,
    track_pause,
)
from samspill.parties import queries as parties
from samspill.platform import audit, records
from samspill.platform.errors import NotFound, ValidationFailed
from samspill.platform.events import publish

S = Ticket.Status
MAX_SUBJECT = 300
MAX_BODY = 200_000
MAX_TAGS = 20


def _base(ticket: Ticket) -> dict:
    return {"ticket_id": ticket.pk, "number": ticket.number, "party_id": ticket.party_id}


def _lock(ticket: Ticket) -> Ticket:
    return (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("queue", "sla_policy")
        .get(pk=ticket.pk)
    )


def _clean_tags(tags: Iterable[str] | str | None, errors) -> list[str]:
    if tags is None:
        return []
    if isinstance(tags, str):
        tags = tags.split(",")
    cleaned: list[str] = []
    for tag in tags:
        tag = " ".join(str(tag).split()).lower()[:40]
        if tag and tag not in cleaned:
            cleaned.append(tag)
    if len(cleaned) > MAX_TAGS:
        errors.setdefault("tags", []).append(_("At most %(max)s tags.") % {"max": MAX_TAGS})
    return cleaned


def _resolve_party(value, errors, field="party"):
    if value in (None, ""):
        return None
    pk = getattr(value, "pk", value)
    party = parties.visible_parties(None).filter(pk=pk).first() if str(pk).isdigit() else None
    if party is None:
        errors.setdefault(field, []).append(_("There is no customer with this id."))
    return party


def _resolve_queue(value, errors):
    if value in (None, ""):
        return None
    pk = getattr(value, "pk", value)
    queue = Queue.objects.filter(pk=pk).first() if str(pk).isdigit() else None
    if queue is None:
        errors.setdefault("queue", []).append(_("There is no queue with this id."))
    return queue


def _resolve_user(value, errors):
    if value in (None, ""):
        return None
    from django.contrib.auth import get_user_model

    pk = getattr(value, "pk", value)
    user = (
        get_user_model().objects.filter(pk=pk, is_active=True).first()
        if str(pk).isdigit()
        else None
    )
    if user is None or not user.has_perm("helpdesk.change_ticket"):
        errors.setdefault("assignee", []).append(_("Choose an agent of customer service."))
        return None
    return user


@transaction.atomic
def open_ticket(
    *,
    actor,
    subject: str,
    body: str,
    channel: str = Channel.API,
    party=None,
    contact=None,
    email: str = "",
    name: str = "",
    queue=None,
    priority: str = Priority.NORMAL,
    tags: Iterable[str] | str | None = None,
    assignee=None,
    body_html: str = "",
    message_id: str = "",
    in_reply_to: str = "",
    references: str = "",
    to: str = "",
    at: datetime | None = None,
) -> Ticket:
    """A new ticket with the customer's first message. Without a party, the customer is found
    by `email` (or created as a new person)."""
    check(actor, "helpdesk.add_ticket")
    errors: dict[str, list[str]] = {}
    subject = " ".join((subject or "").split())[:MAX_SUBJECT] or _("(no subject)")
    body = (body or "").strip()
    if not body:
        errors.setdefault("body", []).append(_("Write what the customer asked."))
    if channel not in Channel.values:
        errors.setdefault("channel", []).append(_("Choose a channel."))
    if priority not in Priority.values:
        errors.setdefault("priority", []).append(_("Choose a priority."))
    party = _resolve_party(party, errors)
    contact = _resolve_party(contact, errors, "contact")
    if party is None and not email and "party" not in errors:
        errors.setdefault("party", []).append(_("Choose a customer or give their email."))
    queue = _resolve_queue(queue, errors)
    assignee = _resolve_user(assignee, errors)
    clean_tags = _clean_tags(tags, errors)
    if email:
        from django.core.exceptions import ValidationError
        from django.core.validators import validate_email

        try:
            validate_email(email)
        except ValidationError:
            errors.setdefault("email", []).append(_("Enter a valid email address."))
    raise_if(errors)
    if party is None:
        party, found_contact = customer_for_email(email, name, actor=actor)
        contact = contact or found_contact
    if not email:
        email = _email_of(contact or party)
    now = at or timezone.now()
    ticket = Ticket(
        number=next_number(now),
        subject=subject,
        channel=channel,
        party=party,
        contact=contact if contact is not None and contact.pk != party.pk else None,
        customer_email=email,
        priority=priority,
        queue=queue or default_queue(),
        assignee=assignee,
        tags=clean_tags,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        created_at=now,
        last_message_at=now,
    )
    apply_sla(ticket)
    ticket.save()
    message = Message.objects.create(
        ticket=ticket,
        kind=Message.Kind.CUSTOMER,
        from_email=email,
        to=to,
        subject=subject,
        body=body[:MAX_BODY],
        body_html=body_html,
        message_id=message_id,
        in_reply_to=in_reply_to,
        references=references,
        channel=channel,
        created_at=now,
    )
    audit.record("create", ticket, actor=actor, changes=audit.diff({}, audit.snapshot(ticket)))
    publish(
        events.TicketOpened(
            **_base(ticket),
            subject=ticket.subject,
            channel=channel,
            queue_id=ticket.queue_id,
            priority=ticket.priority,
        ),
        actor=actor,
    )
    ticket.first_message = message  # type: ignore[attr-defined]
    return ticket


def _email_of(party) -> str:
    if party is None:
        return ""
    row = parties.party_list(None).filter(pk=party.pk).values("primary_email").first()
    return (row or {}).get("primary_email") or ""


@transaction.atomic
def add_customer_message(
    ticket: Ticket,
    *,
    actor,
    body: str,
    channel: str = Channel.EMAIL,
    from_email: str = "",
    to: str = "",
    subject: str = "",
    body_html: str = "",
    message_id: str = "",
    in_reply_to: str = "",
    references: str = "",
    at: datetime | None = None,
) -> Message:
    """The customer wrote again: a resolved or waiting ticket opens again (a closed one
    stays closed; write a new ticket instead, which the mail channel does)."""
    check(actor, "helpdesk.change_ticket")
    ticket = _lock(ticket)
    if ticket.status == S.CLOSED:
        raise WrongState(_("Ticket %(number)s is closed.") % {"number": ticket.number})
    now = at or timezone.now()
    message = Message.objects.create(
        ticket=ticket,
        kind=Message.Kind.CUSTOMER,
        from_email=from_email,
        to=to,
        subject=subject[:300],
        body=(body or "").strip()[:MAX_BODY] or "-",
        body_html=body_html,
        message_id=message_id,
        in_reply_to=in_reply_to,
        references=references,
        channel=channel,
        created_at=now,
    )
    previous = ticket.status
    if ticket.status in (S.PENDING_CUSTOMER, S.RESOLVED):
        ticket.status = S.OPEN
        ticket.resolved_at = None
    ticket.last_message_at = now
    track_pause(ticket, now)
    refresh_next_due(ticket)
    ticket.save()
    publish(
        events.TicketCustomerWrote(**_base(ticket), message_id=message.pk, channel=channel),
        actor=actor,
    )
    if previous != ticket.status:
        _status_event(ticket, previous, actor)
    return message


def _check_collision(ticket: Ticket, last_seen_message_id) -> None:
    if last_seen_message_id in (None, ""):
        return
    latest = ticket.messages.order_by("-id").values_list("id", flat=True).first() or 0
    try:
        seen = int(last_seen_message_id)
    except (TypeError, ValueError):
        seen = 0
    if latest > seen:
        raise Collision(
            _(
                "Someone wrote on ticket %(number)s after you opened it. Read the new message "
                "first; nothing was sent."
            )
            % {"number": ticket.number}
        )


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationFailed(
            _("Write a message."), code="empty_message", errors={"body": [_("Write a message.")]}
        )
    if len(body) > MAX_BODY:
        raise ValidationFailed(
            _("The message is too long."), errors={"body": [_("The message is too long.")]}
        )
    return body


@transaction.atomic
def reply_to_customer(
    ticket: Ticket,
    *,
    actor,
    body: str,
    last_seen_message_id=None,
    status: str = S.PENDING_CUSTOMER,
) -> Message:
    """Answer the customer (by e-mail for e-mail tickets). `last_seen_message_id` is the
    newest message the agent saw: a newer one means a colleague or the customer wrote
    meanwhile, and nothing is sent (Collision). The ticket then waits for the customer
    (or takes `status`: open, pending_internal, resolved)."""
    check(actor, "helpdesk.reply_ticket")
    body = _clean_body(body)
    ticket = _lock(ticket)
    if ticket.status == S.CLOSED:
        raise WrongState(_("Ticket %(number)s is closed.") % {"number": ticket.number})
    if status not in (S.OPEN, S.PENDING_CUSTOMER, S.PENDING_INTERNAL, S.RESOLVED):
        raise ValidationFailed(errors={"status": [_("Choose a status.")]})
    _check_collision(ticket, last_seen_message_id)
    now = timezone.now()
    first = ticket.first_response_at is None
    message = Message(
        ticket=ticket,
        kind=Message.Kind.REPLY,
        author=actor,
        body=body,
        channel=ticket.channel,
        created_at=now,
        subject=reply_subject(ticket),
    )
    if ticket.customer_email and (ticket.channel == Channel.EMAIL or _chat_by_email(ticket)):
        _thread_headers(ticket, message)
        message.from_email = ticket.queue.email or settings.DEFAULT_FROM_EMAIL
        message.to = ticket.customer_email
    message.save()
    if first:  # the watch now looks at the resolution target
        ticket.first_response_at = now
        ticket.sla_warned_at = ticket.sla_breached_at = None
    previous = ticket.status
    ticket.status = status
    if status == S.RESOLVED:
        ticket.resolved_at = now
    ticket.last_message_at = now
    track_pause(ticket, now)
    refresh_next_due(ticket)
    ticket.save()
    publish(
        events.TicketReplied(**_base(ticket), message_id=message.pk, first_response=first),
        actor=actor,
    )
    if previous != ticket.status:
        _status_event(ticket, previous, actor)
    if message.to:
        send_reply(ticket, message)  # an SMTP error rolls the whole reply back
    return message


def _chat_by_email(ticket: Ticket) -> bool:
    from samspill.helpdesk.services.chat import reply_by_email

    return reply_by_email(ticket)


def reply_subject(ticket: Ticket) -> str:
    subject = ticket.subject
    if not subject.lower().startswith(("re:", "sv:")):
        subject = f"Re: {subject}"
    return f"[{ticket.number}] {subject}"[:300]


def _thread_headers(ticket: Ticket, message: Message) -> None:
    """Message-ID of our own domain, In-Reply-To the customer's latest message, References
    the whole chain (RFC 5322 3.6.4)."""
    domain = mail_domain()
    message.message_id = make_msgid(idstring=ticket.number, domain=domain)
    chain = list(
        ticket.messages.exclude(message_id="")
        .order_by("created_at", "id")
        .values_list("message_id", "kind")
    )
    customer_ids = [mid for mid, kind in chain if kind == Message.Kind.CUSTOMER]
    message.in_reply_to = customer_ids[-1] if customer_ids else ""
    message.references = " ".join(mid for mid, _kind in chain)[-5000:]


def mail_domain() -> str:
    address = settings.DEFAULT_FROM_EMAIL
    return address.rpartition("@")[2].strip(">") or "samspill.local"


def send_reply(ticket: Ticket, message: Message) -> None:
    headers = {"Message-ID": message.message_id, "Auto-Submitted": "no"}
    if message.in_reply_to:
        headers["In-Reply-To"] = message.in_reply_to
    if message.references:
        headers["References"] = message.references
    mail = EmailMessage(
        message.subject,
        message.body,
        from_email=message.from_email,
        to=[message.to],
        headers=headers,
    )
    mail.send(fail_silently=False)


@transaction.atomic
def add_note(ticket: Ticket, *, actor, body: str) -> Message:
    """An internal note: colleagues see it, the customer never does."""
    check(actor, "helpdesk.change_ticket")
    body = _clean_body(body)
    ticket = _lock(ticket)
    now = timezone.now()
    message = Message.objects.create(
        ticket=ticket,
        kind=Message.Kind.NOTE,
        author=actor,
        body=body,
        channel=ticket.channel,
        created_at=now,
    )
    publish(events.TicketNoted(**_base(ticket), message_id=message.pk), actor=actor)
    return message


# --- The status workflow --------------------------------------------------------------------

TRANSITIONS = {
    S.NEW: {S.OPEN, S.PENDING_CUSTOMER, S.PENDING_INTERNAL, S.RESOLVED, S.CLOSED},
    S.OPEN: {S.PENDING_CUSTOMER, S.PENDING_INTERNAL, S.RESOLVED, S.CLOSED},
    S.PENDING_CUSTOMER: {S.OPEN, S.PENDING_INTERNAL, S.RESOLVED, S.CLOSED},
    S.PENDING_INTERNAL: {S.OPEN, S.PENDING_CUSTOMER, S.RESOLVED, S.CLOSED},
    S.RESOLVED: {S.OPEN, S.CLOSED},
    S.CLOSED: set(),
}


def _status_event(ticket: Ticket, previous: str, actor) -> None:
    publish(
        events.TicketStatusChanged(**_base(ticket), status=ticket.status, previous=previous),
        actor=actor,
    )
    if ticket.status == S.RESOLVED:
        publish(events.TicketResolved(**_base(ticket)), actor=actor)
    elif ticket.status == S.CLOSED:
        publish(events.TicketClosed(**_base(ticket)), actor=actor)
    elif previous in (S.RESOLVED,) and ticket.status == S.OPEN:
        publish(events.TicketReopened(**_base(ticket)), actor=actor)
    if ticket.channel == Channel.CHAT and ticket.status in (S.RESOLVED, S.CLOSED):
        from samspill.helpdesk.services.chat import ticket_done

        ticket_done(ticket, actor)  # the visitor's live chat ends


@transaction.atomic
def _move(ticket: Ticket, to: str, *, actor) -> Ticket:
    check(actor, "helpdesk.change_ticket")
    ticket = _lock(ticket)
    if to not in TRANSITIONS[S(ticket.status)]:
        raise WrongState(
            _("Ticket %(number)s is %(status)s and cannot become %(to)s.")
            % {
                "number": ticket.number,
                "status": ticket.get_status_display(),
                "to": S(to).label,
            }
        )
    before = audit.snapshot(ticket)
    previous = ticket.status
    now = timezone.now()
    ticket.status = to
    if to == S.RESOLVED:
        ticket.resolved_at = now
    elif to == S.CLOSED:
        ticket.closed_at = now
        ticket.resolved_at = ticket.resolved_at or now
    else:
        ticket.resolved_at = None
    track_pause(ticket, now)
    refresh_next_due(ticket)
    ticket.save()
    audit.record("update", ticket, actor=actor, changes=audit.diff(before, audit.snapshot(ticket)))
    _status_event(ticket, previous, actor)
    return ticket


def start_ticket(ticket: Ticket, *, actor) -> Ticket:
    """An agent works on it: open."""
    return _move(ticket, S.OPEN, actor=actor)


def wait_for_customer(ticket: Ticket, *, actor) -> Ticket:
    return _move(ticket, S.PENDING_CUSTOMER, actor=actor)


def wait_internally(ticket: Ticket, *, actor) -> Ticket:
    return _move(ticket, S.PENDING_INTERNAL, actor=actor)


def resolve_ticket(ticket: Ticket, *, actor) -> Ticket:
    return _move(ticket, S.RESOLVED, actor=actor)


def close_ticket(ticket: Ticket, *, actor) -> Ticket:
    return _move(ticket, S.CLOSED, actor=actor)


def reopen_ticket(ticket: Ticket, *, actor) -> Ticket:
    return _move(ticket, S.OPEN, actor=actor)


# --- Assignment, details, links -------------------------------------------------------------


@transaction.atomic
def assign_ticket(ticket: Ticket, *, actor, assignee=None, queue=None) -> Ticket:
    """Give the ticket to an agent (None: unassigned) and/or move it to another queue (its
    business hours then apply to the due times)."""
    check(actor, "helpdesk.change_ticket")
    errors: dict[str, list[str]] = {}
    user = _resolve_user(assignee, errors)
    new_queue = _resolve_queue(queue, errors)
    raise_if(errors)
    ticket = _lock(ticket)
    before = audit.snapshot(ticket)
    ticket.assignee = user
    if new_queue is not None and new_queue.pk != ticket.queue_id:
        ticket.queue = new_queue
        apply_sla(ticket)
    ticket.save()
    changes = audit.diff(before, audit.snapshot(ticket))
    if changes:
        audit.record("update", ticket, actor=actor, changes=changes)
        publish(
            events.TicketAssigned(
                **_base(ticket), assignee_id=ticket.assignee_id, queue_id=ticket.queue_id
            ),
            actor=actor,
        )
    return ticket


@transaction.atomic
def update_ticket(
    ticket: Ticket,
    *,
    actor,
    subject: str | None = None,
    priority: str | None = None,
    tags: Iterable[str] | str | None = None,
    party=None,
    contact=None,
) -> Ticket:
    """Change subject, priority, tags or customer; the SLA due times are recomputed."""
    check(actor, "helpdesk.change_ticket")
    errors: dict[str, list[str]] = {}
    ticket = _lock(ticket)
    before = audit.snapshot(ticket)
    if subject is not None:
        subject = " ".join(subject.split())[:MAX_SUBJECT]
        if not subject:
            errors.setdefault("subject", []).append(_("Write a subject."))
        ticket.subject = subject
    if priority is not None:
        if priority not in Priority.values:
            errors.setdefault("priority", []).append(_("Choose a priority."))
        ticket.priority = priority
    if tags is not None:
        ticket.tags = _clean_tags(tags, errors)
    if party is not None:
        new_party = _resolve_party(party, errors)
        if new_party is not None:
            ticket.party = new_party
    if contact is not None:
        ticket.contact = _resolve_party(contact, errors, "contact") if contact != "" else None
    raise_if(errors)
    apply_sla(ticket)
    ticket.save()
    changes = audit.diff(before, audit.snapshot(ticket))
    if changes:
        audit.record("update", ticket, actor=actor, changes=changes)
        publish(events.TicketUpdated(**_base(ticket), fields=sorted(changes)), actor=actor)
    return ticket


@transaction.atomic
def link_record(ticket: Ticket, *, actor, record: str) -> TicketLink:
    """Link a record the actor may see ("sales.order:12") to the ticket."""
    check(actor, "helpdesk.change_ticket")
    target = records.visible_ref(actor, record)
    reference = records.ref(target)
    ticket = _lock(ticket)
    link, created = TicketLink.objects.get_or_create(
        ticket=ticket, record=reference, defaults={"title": str(target)[:200]}
    )
    if created:
        publish(events.TicketLinked(**_base(ticket), record=reference), actor=actor)
    return link


@transaction.atomic
def unlink_record(ticket: Ticket, *, actor, link_id) -> None:
    check(actor, "helpdesk.change_ticket")
    deleted, _rows = TicketLink.objects.filter(ticket=ticket, pk=link_id).delete()
    if not deleted:
        raise NotFound(_("There is no such link."), code="link_not_found")


# --- Merge and split --------------------------------------------------------------------


@transaction.atomic
def merge_tickets(*, actor, survivor: Ticket, duplicate: Ticket) -> Ticket:
    """Move the duplicate's messages and links to the survivor; the duplicate is closed and
    points to the survivor (mail to it threads into the survivor)."""
    check(actor, "helpdesk.merge_ticket")
    if survivor.pk == duplicate.pk:
        raise ValidationFailed(
            _("A ticket cannot be merged into itself."),
            errors={"duplicate": [_("A ticket cannot be merged into itself.")]},
        )
    first, second = sorted([survivor.pk, duplicate.pk])
    locked = {
        t.pk: t
        for t in Ticket.objects.select_for_update(of=("self",))
        .select_related("queue", "sla_policy")
        .filter(pk__in=[first, second])
    }
    survivor, duplicate = locked[survivor.pk], locked[duplicate.pk]
    for ticket in (survivor, duplicate):
        if ticket.status == S.CLOSED:
            raise WrongState(_("Ticket %(number)s is closed.") % {"number": ticket.number})
    if duplicate.channel == Channel.CHAT:
        from samspill.helpdesk.services.chat import ticket_done

        ticket_done(duplicate, actor)  # the visitor's chat ends, with its transcript
    Message.objects.filter(ticket=duplicate).update(ticket=survivor)
    existing = set(survivor.links.values_list("record", flat=True))
    duplicate.links.exclude(record__in=existing).update(ticket=survivor)
    survivor.tags = _clean_tags([*survivor.tags, *duplicate.tags], {})[:MAX_TAGS]
    survivor.last_message_at = max(
        (t for t in (survivor.last_message_at, duplicate.last_message_at) if t), default=None
    )
    if duplicate.created_at < survivor.created_at:  # the customer has waited since then
        survivor.created_at = duplicate.created_at
        apply_sla(survivor, survivor.sla_policy)
    survivor.save()
    previous = duplicate.status
    now = timezone.now()
    duplicate.status = S.CLOSED
    duplicate.merged_into = survivor
    duplicate.closed_at = now
    duplicate.resolved_at = duplicate.resolved_at or now
    refresh_next_due(duplicate)
    duplicate.save()
    audit.record("update", duplicate, actor=actor, changes={"merged_into": [None, survivor.number]})
    publish(
        events.TicketMerged(
            **_base(duplicate), other_ticket_id=survivor.pk, other_number=survivor.number
        ),
        actor=actor,
    )
    publish(
        events.TicketStatusChanged(**_base(duplicate), status=S.CLOSED, previous=previous),
        actor=actor,
    )
    return survivor


@transaction.atomic
def split_message(message: Message, *, actor, subject: str = "") -> Ticket:
    """Make a customer message a ticket of its own (same customer, queue and priority)."""
    check(actor, "helpdesk.merge_ticket")
    ticket = _lock(message.ticket)
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.kind != Message.Kind.CUSTOMER:
        raise ValidationFailed(
            _("Only a message from the customer can become a ticket of its own."),
            errors={"message": [_("Only a message from the customer can become a ticket.")]},
        )
    if ticket.messages.count() < 2:
        raise WrongState(_("The ticket has only this message."))
    now = timezone.now()
    new = Ticket(
        number=next_number(now),
        subject=" ".join((subject or message.subject or ticket.subject).split())[:MAX_SUBJECT],
        channel=message.channel,
        party_id=ticket.party_id,
        contact_id=ticket.contact_id,
        customer_email=message.from_email or ticket.customer_email,
        priority=ticket.priority,
        queue=ticket.queue,
        tags=list(ticket.tags),
        created_by=actor if actor is not None and actor.is_authenticated else None,
        created_at=message.created_at,
        last_message_at=message.created_at,
    )
    apply_sla(new)
    new.save()
    message.ticket = new
    message.save(update_fields=["ticket"])
    audit.record("create", new, actor=actor, changes={"split_from": [None, ticket.number]})
    publish(
        events.TicketOpened(
            **_base(new),
            subject=new.subject,
            channel=new.channel,
            queue_id=new.queue_id,
            priority=new.priority,
        ),
        actor=actor,
    )
    publish(
        events.TicketSplit(**_base(ticket), other_ticket_id=new.pk, other_number=new.number),
        actor=actor,
    )
    return new
