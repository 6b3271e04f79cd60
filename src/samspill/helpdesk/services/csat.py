"""Customer satisfaction (CSAT): when a ticket is resolved the customer is asked, by e-mail
(and on the customer portal), how it went, 1 (bad) to 5 (very good), with an optional
comment. One answer per ticket, which the customer may change for CHANGE_DAYS after giving
it. The e-mail's links carry a signed token naming the ticket: no login needed."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samspill.helpdesk import events
from samspill.helpdesk.models import CSAT_SCALE, Satisfaction, Ticket
from samspill.helpdesk.services.common import WrongState
from samspill.platform.errors import NotFound, ValidationFailed
from samspill.platform.events import publish

SALT = "samspill.helpdesk.csat"
LINK_MAX_AGE = 60 * 60 * 24 * 30  # the survey's links work for 30 days
CHANGE_DAYS = 7  # an answer may be changed for this many days after it was first given
MAX_COMMENT = 2000
RATED = (Ticket.Status.RESOLVED, Ticket.Status.CLOSED)


class BadSurveyLink(NotFound):
    code = "bad_survey_link"


def survey_token(ticket: Ticket) -> str:
    return signing.dumps({"t": ticket.pk, "n": ticket.number}, salt=SALT, compress=True)


def survey_url(ticket: Ticket, rating: int | None = None, request=None) -> str:
    path = reverse("helpdesk:csat", args=[survey_token(ticket)])
    if rating is not None:
        path += f"?rating={rating}"
    if request is not None:
        return request.build_absolute_uri(path)
    base = getattr(settings, "SAMSPILL", {}).get("BASE_URL", "") or ""
    return base.rstrip("/") + path


def ticket_from_token(token: str) -> Ticket:
    """The ticket a survey link names, or BadSurveyLink (tampered, malformed, expired)."""
    try:
        data = signing.loads(token, salt=SALT, max_age=LINK_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise BadSurveyLink(_("This survey link has expired.")) from exc
    except signing.BadSignature as exc:
        raise BadSurveyLink(_("This survey link is not valid.")) from exc
    pk = data.get("t") if isinstance(data, dict) else None
    ticket = (
        Ticket.objects.select_related("party", "queue").filter(pk=pk).first()
        if isinstance(pk, int)
        else None
    )
    if ticket is None or ticket.number != data.get("n"):
        raise BadSurveyLink(_("This survey link is not valid."))
    return ticket


def can_change(row: Satisfaction | None, now: datetime | None = None) -> bool:
    """Whether the customer may still give or change the answer."""
    if row is None or row.rated_at is None:
        return True
    return (now or timezone.now()) <= row.rated_at + timedelta(days=CHANGE_DAYS)


@transaction.atomic
def request_survey(ticket_id: int, *, request=None) -> Satisfaction | None:
    """Ask the customer of a resolved ticket how it went (once per ticket). E-mails the survey
    when the ticket has the customer's address; the portal shows the prompt either way.
    Nothing happens for a ticket that is no longer resolved or was merged away."""
    ticket = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("party", "queue")
        .filter(pk=ticket_id)
        .first()
    )
    if ticket is None or ticket.status != Ticket.Status.RESOLVED or ticket.merged_into_id:
        return None
    row, created = Satisfaction.objects.get_or_create(ticket=ticket)
    if not created and row.requested_at is not None:
        return row
    row.requested_at = timezone.now()
    row.save(update_fields=["requested_at"])
    if ticket.customer_email:
        language = getattr(ticket.party, "language", "") or settings.LANGUAGE_CODE
        with translation.override(language):
            subject = _("[%(number)s] How did we do?") % {"number": ticket.number}
            body = render_to_string(
                "helpdesk/email/csat.txt",
                {
                    "ticket": ticket,
                    "links": [(n, survey_url(ticket, n, request)) for n in CSAT_SCALE],
                    "days": CHANGE_DAYS,
                },
            )
        from_email = ticket.queue.email or settings.DEFAULT_FROM_EMAIL
        mail = EmailMessage(
            subject,
            body,
            from_email=from_email,
            to=[ticket.customer_email],
            headers={"Auto-Submitted": "auto-generated"},
        )
        mail.send(fail_silently=False)  # an SMTP error rolls back: asked again next time
    return row


def _clean(rating, comment: str) -> tuple[int, str]:
    errors: dict[str, list[str]] = {}
    try:
        value = int(rating)
    except (TypeError, ValueError):
        value = 0
    if value not in CSAT_SCALE:
        errors["rating"] = [_("Choose a rating from 1 to 5.")]
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        errors["comment"] = [
            _("The comment is too long (at most %(max)s characters).") % {"max": MAX_COMMENT}
        ]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], errors=errors)
    return value, comment


@transaction.atomic
def rate_ticket(ticket: Ticket, *, rating, comment: str = "", at: datetime | None = None):
    """The customer's answer (from the survey link or the portal). Only a resolved or closed
    ticket is rated; a second answer replaces the first within CHANGE_DAYS of it."""
    value, comment = _clean(rating, comment)
    ticket = Ticket.objects.select_for_update(of=("self",)).get(pk=ticket.pk)
    if ticket.status not in RATED:
        raise WrongState(_("Only a resolved ticket can be rated."), code="ticket_not_resolved")
    now = at or timezone.now()
    row, _created = Satisfaction.objects.get_or_create(ticket=ticket)
    if not can_change(row, now):
        raise WrongState(
            _("The rating can no longer be changed (%(days)s days after it was given).")
            % {"days": CHANGE_DAYS},
            code="rating_locked",
        )
    previous = row.rating
    if row.rated_at is None:
        row.rated_at = now
    else:
        row.changed_at = now
    row.rating, row.comment = value, comment
    row.save()
    publish(
        events.SatisfactionRated(
            ticket_id=ticket.pk,
            number=ticket.number,
            party_id=ticket.party_id,
            rating=value,
            previous_rating=previous,
            queue_id=ticket.queue_id,
            has_comment=bool(comment),
        )
    )
    return row


def rate_by_token(token: str, *, rating, comment: str = "") -> Satisfaction:
    return rate_ticket(ticket_from_token(token), rating=rating, comment=comment)
