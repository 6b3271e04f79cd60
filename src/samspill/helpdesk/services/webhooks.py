"""Inbound webhooks for SMS and messaging providers: each endpoint
(/api/v1/helpdesk/inbound/<slug>) checks the HMAC-SHA256 signature of the raw body with its
secret, reads sender, text, external message id and thread id where its field mapping says,
ignores a message it already has (same external id), and puts the text on the open ticket of
the same thread (or the same sender), else opens a ticket. Refused deliveries are kept with
their reason (and logged), so the manager sees what a provider sends wrong."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import logging
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samspill.helpdesk import events
from samspill.helpdesk.models import OPEN_STATUSES, InboundDelivery, InboundEndpoint, Ticket
from samspill.helpdesk.services import tickets
from samspill.helpdesk.services.common import customer_for_email, customer_for_phone
from samspill.parties.models import normalize_phone
from samspill.platform.errors import DomainError, NotFound, ValidationFailed
from samspill.platform.events import publish

log = logging.getLogger(__name__)
MAX_BODY = 256 * 1024
MAX_TEXT = 20_000
R = InboundDelivery.Result


class BadSignature(DomainError):
    status = 401
    code = "bad_signature"
    title = gettext_lazy("The signature does not match")


@dataclass
class Delivered:
    delivery: InboundDelivery
    ticket: Ticket
    created: bool = False
    duplicate: bool = False


def sign(secret: str, body: bytes) -> str:
    """The hex HMAC-SHA256 of the body: what the provider sends in the signature header."""
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_ok(secret: str, body: bytes, given: str) -> bool:
    """Accepts the digest as hex, as "sha256=<hex>" or base64 (providers differ)."""
    if not secret or not given:
        return False
    given = given.strip()
    if given.lower().startswith("sha256="):
        given = given[7:]
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    if hmac.compare_digest(given.lower().encode(), digest.hex().encode()):
        return True
    try:
        decoded = base64.b64decode(given, validate=True)
    except (binascii.Error, ValueError):
        return False
    return hmac.compare_digest(decoded, digest)


def pick(data: Any, path: str) -> str:
    """The value at a dotted path ("message.from.phone", "entries.0.id") as text; "" when
    missing or not a plain value."""
    if not path:
        return ""
    value = data
    for part in path.split("."):
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return ""
    if isinstance(value, bool) or value is None or isinstance(value, dict | list):
        return ""
    return str(value).strip()


def active_endpoint(slug: str) -> InboundEndpoint:
    endpoint = InboundEndpoint.objects.filter(slug=slug or "", is_active=True).first()
    if endpoint is None:
        raise NotFound(_("There is no active webhook endpoint here."), code="unknown_endpoint")
    return endpoint


def reject(endpoint: InboundEndpoint, reason: str, *, ip: str = "", external_id: str = ""):
    """Keep a refused delivery (its own transaction: the refusal itself is not rolled back)."""
    log.warning(
        "inbound webhook refused",
        extra={"endpoint": endpoint.slug, "reason": reason, "ip": ip},
    )
    with transaction.atomic():
        InboundDelivery.objects.create(
            endpoint=endpoint,
            result=R.REJECTED,
            reason=reason[:300],
            external_id=external_id[:200],
            remote_addr=ip[:64],
        )
        publish(events.InboundRejected(endpoint_id=endpoint.pk, reason=reason[:300]))


def receive(slug: str, body: bytes, signature: str, *, ip: str = "") -> Delivered:
    """Handle one delivery. Raises NotFound (no such endpoint), BadSignature (401) or
    ValidationFailed (422) after keeping the refusal; a message already received returns
    the earlier result (duplicate=True)."""
    endpoint = active_endpoint(slug)
    try:
        return _receive(endpoint, body, signature, ip)
    except (BadSignature, ValidationFailed) as exc:
        reject(endpoint, f"{exc.code}: {exc.message}", ip=ip)
        raise


def _read(endpoint: InboundEndpoint, body: bytes, signature: str) -> dict[str, str]:
    if len(body) > MAX_BODY:
        raise ValidationFailed(_("The message is too large."), code="too_large")
    if not signature_ok(endpoint.secret, body, signature):
        raise BadSignature(
            _("The signature in %(header)s does not match the body.")
            % {"header": endpoint.signature_header}
        )
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ValidationFailed(_("The body is not JSON."), code="bad_payload") from None
    mapping = endpoint.mapping or {}
    fields = {key: pick(data, mapping.get(key, "")) for key in InboundEndpoint.MAPPING_KEYS}
    errors: dict[str, list[str]] = {}
    if not fields["text"]:
        errors["text"] = [
            _("The message has no text (field %(path)s).") % {"path": mapping.get("text", "")}
        ]
    if fields["phone"]:
        try:
            fields["phone"] = normalize_phone(fields["phone"])
        except Exception:
            errors["phone"] = [_("The sender's phone number is not valid.")]
    email = fields["email"].lower()
    fields["email"] = email if "@" in email else ""
    if not fields["phone"] and not fields["email"] and "phone" not in errors:
        errors["sender"] = [_("The message has no sender (phone number or e-mail).")]
    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationFailed(first, code="bad_payload", errors=errors)
    fields["text"] = fields["text"][:MAX_TEXT]
    return fields


def _follow(ticket: Ticket | None) -> Ticket | None:
    seen = set()
    while ticket is not None and ticket.merged_into_id and ticket.pk not in seen:
        seen.add(ticket.pk)
        ticket = Ticket.objects.get(pk=ticket.merged_into_id)
    return ticket


def _thread(endpoint: InboundEndpoint, thread_id: str, sender: str) -> Ticket | None:
    rows = InboundDelivery.objects.filter(endpoint=endpoint, result=R.ACCEPTED)
    if thread_id:
        row = rows.filter(thread_id=thread_id).order_by("-id").first()
        ticket = _follow(row.ticket) if row is not None else None
        if ticket is not None and ticket.status != Ticket.Status.CLOSED:
            return ticket
    row = (
        rows.filter(sender=sender, ticket__status__in=OPEN_STATUSES)
        .select_related("ticket")
        .order_by("-id")
        .first()
    )
    return _follow(row.ticket) if row is not None else None


def _receive(endpoint: InboundEndpoint, body: bytes, signature: str, ip: str) -> Delivered:
    fields = _read(endpoint, body, signature)
    sender = fields["phone"] or fields["email"]
    external_id = fields["external_id"][:200]
    earlier = (
        InboundDelivery.objects.filter(
            endpoint=endpoint, result=R.ACCEPTED, external_id=external_id
        )
        .select_related("ticket")
        .first()
        if external_id
        else None
    )
    if earlier is not None:
        return Delivered(earlier, earlier.ticket, duplicate=True)  # type: ignore[arg-type]
    try:
        with transaction.atomic():
            delivery = InboundDelivery.objects.create(
                endpoint=endpoint,
                result=R.ACCEPTED,
                external_id=external_id,
                thread_id=fields["thread_id"][:200],
                sender=sender[:254],
                remote_addr=ip[:64],
            )
            ticket = _thread(endpoint, delivery.thread_id, delivery.sender)
            created = ticket is None
            if ticket is not None:
                tickets.add_customer_message(
                    ticket,
                    actor=None,
                    body=fields["text"],
                    channel=endpoint.channel,
                    from_email=fields["email"] or fields["phone"],
                )
            else:
                if fields["phone"]:
                    party, contact = customer_for_phone(fields["phone"], fields["name"])
                else:
                    party, contact = customer_for_email(fields["email"], fields["name"])
                first_line = " ".join(fields["text"].split())
                subject = first_line if len(first_line) <= 80 else first_line[:77] + "..."
                ticket = tickets.open_ticket(
                    actor=None,
                    subject=subject,
                    body=fields["text"],
                    channel=endpoint.channel,
                    party=party,
                    contact=contact if contact is not None and contact != party else None,
                    email=fields["email"],
                    queue=endpoint.queue,
                )
            delivery.ticket = ticket
            delivery.save(update_fields=["ticket"])
            InboundEndpoint.objects.filter(pk=endpoint.pk).update(last_received_at=timezone.now())
    except IntegrityError:  # the same message arrived twice at the same moment
        earlier = InboundDelivery.objects.select_related("ticket").get(
            endpoint=endpoint, result=R.ACCEPTED, external_id=external_id
        )
        return Delivered(earlier, earlier.ticket, duplicate=True)  # type: ignore[arg-type]
    return Delivered(delivery, ticket, created=created)
