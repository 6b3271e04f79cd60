"""The e-mail channel, inbound: one raw message (from the SMTP receiver or an IMAP mailbox)
becomes a new ticket or a message on the ticket it answers. Threading by In-Reply-To and
References (our own Message-IDs and the customer's), then by "[T-2026-00001]" in the subject
when the sender is the ticket's customer. Mail sent by machines (auto-replies, bounces,
lists) and mail we have already imported are not turned into tickets and never answered."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from samspill.helpdesk import events
from samspill.helpdesk.mail.parse import InboundMail, parse
from samspill.helpdesk.models import Channel, Message, Queue, Ticket
from samspill.helpdesk.services import tickets
from samspill.platform import chatter, records
from samspill.platform.errors import DomainError
from samspill.platform.events import publish

log = logging.getLogger(__name__)


@dataclass
class Received:
    ticket: Ticket | None = None
    message: Message | None = None
    created: bool = False
    ignored: str = ""  # the reason, when no ticket was touched


def _queue_for(mail: InboundMail, queue: Queue | None, recipients) -> Queue | None:
    addresses = {a.lower() for a in [*mail.to, *(recipients or [])]}
    if addresses:
        match = Queue.objects.filter(email__in=sorted(addresses)).order_by("id").first()
        if match is not None:
            return match
    return queue


def _thread(mail: InboundMail) -> Ticket | None:
    ids = [i for i in [mail.in_reply_to, *reversed(mail.references)] if i]
    ticket = None
    if ids:
        row = (
            Message.objects.filter(message_id__in=ids)
            .order_by("-id")
            .values_list("ticket_id", flat=True)
            .first()
        )
        if row:
            ticket = Ticket.objects.get(pk=row)
    if ticket is None and mail.ticket_number:
        candidate = Ticket.objects.filter(number=mail.ticket_number).first()
        # the subject alone is easy to forge: only the ticket's own customer threads by it
        if candidate is not None and candidate.customer_email.lower() == mail.from_email:
            ticket = candidate
    seen = set()
    while ticket is not None and ticket.merged_into_id and ticket.pk not in seen:
        seen.add(ticket.pk)
        ticket = Ticket.objects.get(pk=ticket.merged_into_id)
    return ticket


def _attach(ticket: Ticket, message: Message, mail: InboundMail) -> None:
    """Keep each attachment in the ticket's files (chatter attachments: size and type
    checked there). One refused file is noted on the message; the mail still counts."""
    refused = []
    reference = records.ref(ticket)
    for item in mail.attachments:
        upload = ContentFile(item.content, name=item.name)
        try:
            with transaction.atomic():
                chatter.add_attachment(reference, upload, actor=None)
        except DomainError as exc:
            log.info("attachment refused", extra={"ticket": ticket.number, "file": item.name})
            refused.append(f"{item.name}: {exc.message}")
    if refused:
        message.body += "\n\n" + _("Attachments not kept:") + "\n" + "\n".join(refused)
        message.save(update_fields=["body"])


def _valid_address(address: str) -> bool:
    try:
        validate_email(address)
    except ValidationError:
        return False
    return True


@transaction.atomic
def receive_email(raw: bytes, *, queue: Queue | None = None, recipients=()) -> Received:
    """Turn one raw e-mail into a ticket or a message. Idempotent by Message-ID: the same mail
    delivered twice (SMTP retry, IMAP re-fetch) is imported once."""
    mail = parse(raw)
    if mail.message_id and Message.objects.filter(message_id=mail.message_id).exists():
        return Received(ignored="duplicate")
    if not mail.auto_reason and not _valid_address(mail.from_email):
        mail.auto_reason = "bad-sender"  # nobody to answer; kept out (an IMAP box goes on)
    if mail.auto_reason:
        publish(events.MailIgnored(message_id=mail.message_id, reason=mail.auto_reason))
        log.info("inbound mail ignored", extra={"reason": mail.auto_reason})
        return Received(ignored=mail.auto_reason)
    fields: dict[str, Any] = {
        "body": mail.text or mail.subject or "-",
        "body_html": mail.html,
        "message_id": mail.message_id,
        "in_reply_to": mail.in_reply_to,
        "references": " ".join(mail.references),
        "to": ", ".join(mail.to)[:1000],
    }
    ticket = _thread(mail)
    if ticket is not None and ticket.status != Ticket.Status.CLOSED:
        message = tickets.add_customer_message(
            ticket,
            actor=None,
            channel=Channel.EMAIL,
            from_email=mail.from_email,
            subject=mail.subject,
            **fields,
        )
        _attach(ticket, message, mail)
        return Received(ticket=ticket, message=message)
    ticket = tickets.open_ticket(
        actor=None,
        subject=mail.subject,
        channel=Channel.EMAIL,
        email=mail.from_email,
        name=mail.from_name,
        queue=_queue_for(mail, queue, recipients),
        **fields,
    )
    message = ticket.first_message  # type: ignore[attr-defined]
    _attach(ticket, message, mail)
    return Received(ticket=ticket, message=message, created=True)
