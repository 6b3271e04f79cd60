"""The web form channel: the contact form on the company's website (or the hosted page
/help/contact/) becomes a ticket through the same intake as e-mail (the customer found by
e-mail address, or created as a new person). Spam protection without third parties: a
per-address rate limit, a hidden field people leave empty (honeypot) and a signed token
showing the form was on screen long enough. The sender gets a confirmation e-mail with the
ticket number."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samspill.helpdesk.models import Channel, Ticket
from samspill.helpdesk.services import tickets
from samspill.helpdesk.services.common import raise_if
from samspill.platform import chatter, records
from samspill.platform.errors import DomainError, ValidationFailed

log = logging.getLogger(__name__)

MIN_SECONDS = 3  # a person needs at least this long to fill in the form
MAX_AGE = 24 * 3600  # a form older than this must be reloaded
PER_WINDOW = 5  # submissions per address ...
WINDOW_SECONDS = 600  # ... within this many seconds
MAX_MESSAGE = 20_000
SIGNING_SALT = "samspill.helpdesk.contact-form"


class RateLimited(DomainError):
    """Too many submissions from one address in a short time."""

    status = 429
    code = "rate_limited"
    title = gettext_lazy("Too many requests")

    def __init__(self, message=None, *, retry_after: int):
        self.retry_after = retry_after
        super().__init__(message)

    @property
    def extra(self):
        return {"retry_after": self.retry_after}


def _setting(name: str, default):
    return settings.SAMSPILL.get(name, default)


def form_token() -> str:
    """A signed token with the time the form was shown, sent back in a hidden field."""
    return signing.dumps({"t": time.time()}, salt=SIGNING_SALT)


def min_seconds() -> int:
    return int(_setting("HELPDESK_FORM_MIN_SECONDS", MIN_SECONDS))


def _check_rate(ip: str) -> None:
    limit = int(_setting("HELPDESK_FORM_PER_WINDOW", PER_WINDOW))
    window = int(_setting("HELPDESK_FORM_WINDOW_SECONDS", WINDOW_SECONDS))
    key = f"helpdesk:contact-form:{ip or 'unknown'}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    if count > limit:
        raise RateLimited(
            _("Too many messages from your address. Try again in a few minutes."),
            retry_after=window,
        )


def _check_token(token: str) -> None:
    invalid = _("The form has expired or was tampered with. Reload the page and try again.")
    try:
        data = signing.loads(token or "", salt=SIGNING_SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        raise ValidationFailed(
            invalid, code="form_token_invalid", errors={"token": [invalid]}
        ) from None
    if not isinstance(data, dict) or time.time() - float(data.get("t", 0)) < min_seconds():
        message = _("The form was sent too fast. Please check your message and send it again.")
        raise ValidationFailed(message, code="too_fast", errors={"token": [message]})


@transaction.atomic
def submit_contact_form(
    *,
    name: str,
    email: str,
    subject: str,
    message: str,
    token: str,
    honeypot: str = "",
    ip: str = "",
    attachment=None,
) -> Ticket:
    """A ticket (channel web_form) from the contact form. Every check runs before anything
    is written; a refused attachment refuses the whole message."""
    _check_rate(ip)
    if (honeypot or "").strip():
        log.info("contact form: honeypot filled", extra={"ip": ip})
        refused = _("The form could not be accepted.")
        raise ValidationFailed(refused, code="spam_suspected", errors={"__all__": [refused]})
    _check_token(token)
    errors: dict[str, list[str]] = {}
    name = " ".join((name or "").split())[:200]
    email = (email or "").strip().lower()
    subject = " ".join((subject or "").split())
    message = (message or "").strip()
    if not name:
        errors.setdefault("name", []).append(_("Write your name."))
    try:
        validate_email(email)
    except ValidationError:
        errors.setdefault("email", []).append(_("Enter a valid email address."))
    if not subject:
        errors.setdefault("subject", []).append(_("Write a subject."))
    elif len(subject) > 300:
        errors.setdefault("subject", []).append(_("The subject is too long."))
    if not message:
        errors.setdefault("message", []).append(_("Write your message."))
    elif len(message) > MAX_MESSAGE:
        errors.setdefault("message", []).append(_("The message is too long."))
    raise_if(errors)
    ticket = tickets.open_ticket(
        actor=None,
        subject=subject,
        body=message,
        channel=Channel.WEB_FORM,
        email=email,
        name=name,
    )
    if attachment is not None:
        try:
            chatter.add_attachment(records.ref(ticket), attachment, actor=None)
        except DomainError as exc:
            raise ValidationFailed(
                str(exc.message), code=exc.code, errors={"attachment": [str(exc.message)]}
            ) from exc
    transaction.on_commit(lambda: send_confirmation(ticket))
    return ticket


def send_confirmation(ticket: Ticket) -> None:
    """Tell the sender we have their message and its number (after the ticket is saved; a
    mail server that is down does not lose the ticket, it is logged)."""
    body = _(
        "Thank you for your message. We have registered it as %(number)s and will answer "
        "as soon as we can.\n\nYour message: %(subject)s\n\nAnswer this e-mail if you want "
        "to add something."
    ) % {"number": ticket.number, "subject": ticket.subject}
    mail = EmailMessage(
        tickets.reply_subject(ticket),
        body,
        from_email=ticket.queue.email or settings.DEFAULT_FROM_EMAIL,
        to=[ticket.customer_email],
        headers={"Auto-Submitted": "auto-replied"},
    )
    try:
        mail.send(fail_silently=False)
    except Exception:
        log.warning("contact form confirmation not sent", extra={"ticket": ticket.number})
