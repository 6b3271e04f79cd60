"""Quotes: create, change, send (PDF by email), accept or decline (also through the
customer's signed link), expire. Accepting a quote creates and confirms the sales order."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samspill.platform import audit
from samspill.platform.errors import DomainError, ValidationFailed
from samspill.platform.events import publish
from samspill.platform.money import set_totals
from samspill.platform.numbering import next_number
from samspill.sales import events
from samspill.sales.models import Language, Order, Quote, QuoteLine
from samspill.sales.services.common import (
    WrongState,
    build_lines,
    check,
    party_email,
    raise_if,
    resolve_contact,
    resolve_party,
    save_draft_changes,
    snapshot_lines,
    validate_currency,
)

DEFAULT_VALIDITY_DAYS = 30
LINK_SALT = "samspill.sales.quote-link"
LINK_MAX_AGE = timedelta(days=180)
HEADER_FIELDS = (
    "contact",
    "currency",
    "price_list",
    "language",
    "issue_date",
    "valid_until",
    "terms",
    "notes",
    "reference",
    "opportunity_ref",
)


class BadLink(DomainError):
    status = 400
    code = "bad_link"
    title = gettext_lazy("This link is not valid")


class AlreadyAnswered(WrongState):
    code = "already_answered"
    title = gettext_lazy("The quote has already been answered")


class QuoteExpired(WrongState):
    code = "quote_expired"
    title = gettext_lazy("The quote has expired")


def _event_fields(quote: Quote) -> dict[str, Any]:
    return {
        "quote_id": quote.pk,
        "number": quote.number,
        "party_id": quote.party_id,
        "total": str(quote.total),
        "currency": quote.currency,
    }


def _lock(quote: Quote) -> Quote:
    return Quote.objects.select_for_update().get(pk=quote.pk)


def _header(quote: Quote, data: Mapping[str, Any], errors, party) -> None:
    if "contact" in data:
        quote.contact = resolve_contact(data["contact"], party, errors)
    if "currency" in data:
        quote.currency = validate_currency(data["currency"], errors)
    if "price_list" in data:
        quote.price_list = data["price_list"] or None
        if quote.price_list is not None and quote.price_list.currency != quote.currency:
            errors.setdefault("price_list", []).append(
                _("The price list “%(name)s” is in %(currency)s.")
                % {"name": quote.price_list.name, "currency": quote.price_list.currency}
            )
    if "language" in data:
        quote.language = data["language"] or Language.NB
        if quote.language not in Language.values:
            errors.setdefault("language", []).append(_("Choose Norwegian or English."))
    for field in ("issue_date", "valid_until"):
        if data.get(field):
            setattr(quote, field, data[field])
    for field in ("terms", "notes", "reference", "opportunity_ref"):
        if field in data:
            setattr(quote, field, (data[field] or "").strip())
    if quote.valid_until and quote.issue_date and quote.valid_until < quote.issue_date:
        errors.setdefault("valid_until", []).append(
            _("The quote must be valid on or after its date.")
        )


@transaction.atomic
def create_quote(
    *,
    actor,
    party,
    lines: Iterable[Mapping[str, Any]],
    contact=None,
    currency: str = "NOK",
    price_list=None,
    language: str | None = None,
    issue_date: date | None = None,
    valid_until: date | None = None,
    terms: str = "",
    notes: str = "",
    reference: str = "",
    opportunity_ref: str = "",
) -> Quote:
    """A draft quote with its lines priced from the catalog (event sales.quote.created)."""
    check(actor, "sales.add_quote")
    errors: dict[str, list[str]] = {}
    customer = resolve_party(party, errors)
    issue_date = issue_date or timezone.localdate()
    quote = Quote(
        party=customer,
        issue_date=issue_date,
        valid_until=valid_until or issue_date + timedelta(days=DEFAULT_VALIDITY_DAYS),
        created_by=actor if actor is not None and actor.is_authenticated else None,
        language=getattr(customer, "language", Language.NB) or Language.NB,
    )
    _header(
        quote,
        {
            "contact": contact,
            "currency": currency,
            "price_list": price_list,
            "terms": terms,
            "notes": notes,
            "reference": reference,
            "opportunity_ref": opportunity_ref,
            **({"language": language} if language else {}),
        },
        errors,
        customer,
    )
    rows = build_lines(
        QuoteLine,
        lines,
        actor=actor,
        currency=quote.currency,
        price_list=quote.price_list,
        on=issue_date,
        language=quote.language,
        errors=errors,
    )
    raise_if(errors)
    set_totals(quote, rows)
    quote.number = next_number("sales.quote", "Q", issue_date)
    quote.save()
    for line in rows:
        line.quote = quote
    QuoteLine.objects.bulk_create(rows)
    changes = audit.diff({}, audit.snapshot(quote))
    changes["lines"] = [None, snapshot_lines(rows)]
    audit.record("create", quote, actor=actor, changes=changes)
    publish(events.QuoteCreated(**_event_fields(quote)), actor=actor)
    return quote


@transaction.atomic
def update_quote(
    quote: Quote, *, actor, lines: Iterable[Mapping[str, Any]] | None = None, **fields
) -> Quote:
    """Change a draft quote: header fields given as keywords, and the lines when given
    (they replace the old ones)."""
    check(actor, "sales.change_quote")
    unknown = set(fields) - set(HEADER_FIELDS)
    if unknown:
        raise ValidationFailed(errors={f: [_("This field cannot be changed.")] for f in unknown})
    quote = _lock(quote)
    if not quote.is_editable:
        raise WrongState(
            _("Only a draft quote can be changed; this one is %(status)s.")
            % {"status": quote.get_status_display()}
        )
    return save_draft_changes(
        quote,
        fields,
        lines,
        actor=actor,
        header=_header,
        line_model=QuoteLine,
        parent="quote",
        on=lambda document: document.issue_date,
    )


# --- Sending -----------------------------------------------------------------------------


def quote_token(quote: Quote) -> str:
    """The signed token of the customer's link (no login): it names the quote and its
    number, so a token of another quote or a changed one is refused."""
    return signing.dumps({"q": quote.pk, "n": quote.number}, salt=LINK_SALT, compress=True)


def public_url(quote: Quote, request=None) -> str:
    path = reverse("sales:public_quote", args=[quote_token(quote)])
    if request is not None:
        return request.build_absolute_uri(path)
    base = getattr(settings, "SAMSPILL", {}).get("BASE_URL", "") or ""
    return base.rstrip("/") + path


def quote_from_token(token: str) -> Quote:
    """The quote a link names, or BadLink (tampered, malformed or older than 180 days)."""
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise BadLink(_("This link has expired. Ask us for a new one.")) from exc
    except signing.BadSignature as exc:
        raise BadLink(
            _("This link is not valid. Check that you copied all of it, or ask us for a new one.")
        ) from exc
    pk = data.get("q") if isinstance(data, dict) else None
    quote = (
        Quote.objects.select_related("party", "contact").filter(pk=pk).first()
        if isinstance(pk, int)
        else None
    )
    if quote is None or quote.number != data.get("n"):
        raise BadLink(_("This link is not valid. Ask us for a new one."))
    return quote


def quote_html(quote: Quote) -> str:
    """The printable quote (HTML) in the quote's language, whatever the reader's."""
    from samspill.sales import queries

    with translation.override(quote.language):
        return render_to_string("sales/pdf/quote.html", queries.quote_document(quote))


def render_pdf(quote: Quote) -> bytes:
    """The quote as a PDF (WeasyPrint) in the quote's language."""
    from weasyprint import HTML

    return HTML(string=quote_html(quote)).write_pdf()


@transaction.atomic
def send_quote(
    quote: Quote, *, actor, to: str = "", message: str = "", request=None, connection=None
) -> Quote:
    """E-mail the quote with its PDF and the customer's link; a draft becomes sent. A sent
    quote can be sent again (a reminder). Nothing is marked sent when the mail fails."""
    check(actor, "sales.send_quote")
    quote = _lock(quote)
    _check_sendable(quote)
    address = (to or "").strip() or party_email(quote.party, quote.contact)
    if not address:
        message_ = _("The customer has no email address. Enter the address to send to.")
        raise ValidationFailed(message_, errors={"to": [message_]})
    from django.core.validators import validate_email

    try:
        validate_email(address)
    except Exception as exc:
        raise ValidationFailed(errors={"to": [_("Enter a valid email address.")]}) from exc
    pdf = render_pdf(quote)
    with translation.override(quote.language):
        subject = _("Quote %(number)s") % {"number": quote.number}
        body = render_to_string(
            "sales/email/quote.txt",
            {"quote": quote, "message": message, "link": public_url(quote, request)},
        )
        filename = f"{quote.number}.pdf"
    mail = EmailMessage(subject, body, to=[address], connection=connection)
    mail.attach(filename, pdf, "application/pdf")
    _mark_sent(quote, actor, address)
    mail.send(fail_silently=False)  # an error rolls the transaction back
    return quote


def _check_sendable(quote: Quote) -> None:
    if quote.status not in (Quote.Status.DRAFT, Quote.Status.SENT):
        raise WrongState(
            _("A quote that is %(status)s cannot be sent.") % {"status": quote.get_status_display()}
        )
    if quote.valid_until < timezone.localdate():
        raise QuoteExpired(
            _("The quote expired on %(date)s; change its validity date first.")
            % {"date": quote.valid_until.isoformat()}
        )


def _mark_sent(quote: Quote, actor, address: str) -> None:
    before = audit.snapshot(quote)
    quote.status = Quote.Status.SENT
    quote.sent_at = timezone.now()
    quote.sent_to = address
    quote.save(update_fields=["status", "sent_at", "sent_to", "updated_at"])
    audit.record("update", quote, actor=actor, changes=audit.diff(before, audit.snapshot(quote)))
    publish(events.QuoteSent(**_event_fields(quote)), actor=actor)


@transaction.atomic
def mark_quote_sent(quote: Quote, *, actor) -> Quote:
    """Record that the customer got the quote another way (printed, handed over in a
    meeting): it becomes sent, and can be accepted or declined, without an e-mail."""
    check(actor, "sales.send_quote")
    quote = _lock(quote)
    _check_sendable(quote)
    _mark_sent(quote, actor, "")
    return quote


# --- Answers -----------------------------------------------------------------------------


def _check_answerable(quote: Quote) -> None:
    if quote.status in (Quote.Status.ACCEPTED, Quote.Status.DECLINED):
        raise AlreadyAnswered(
            _("Quote %(number)s was already %(status)s on %(date)s.")
            % {
                "number": quote.number,
                "status": quote.get_status_display().lower(),
                "date": timezone.localtime(quote.decided_at).date().isoformat()
                if quote.decided_at
                else "",
            }
        )
    if quote.status == Quote.Status.EXPIRED or quote.valid_until < timezone.localdate():
        raise QuoteExpired(
            _("Quote %(number)s expired on %(date)s. Ask us for a new quote.")
            % {"number": quote.number, "date": quote.valid_until.isoformat()}
        )
    if quote.status != Quote.Status.SENT:
        raise WrongState(_("Only a quote that was sent can be accepted or declined."))


@transaction.atomic
def accept_quote(quote: Quote, *, actor=None, invoicing_policy: str = "") -> Order:
    """The customer accepts: the quote becomes accepted and a confirmed sales order with
    its lines is created (events sales.quote.accepted and sales.order.confirmed). `actor`
    is the employee recording the answer, or None for the customer's own link."""
    from samspill.sales.services.orders import confirm_new_order, order_from_quote

    check(actor, "sales.change_quote")
    quote = _lock(quote)
    _check_answerable(quote)
    before = audit.snapshot(quote)
    quote.status = Quote.Status.ACCEPTED
    quote.decided_at = timezone.now()
    quote.save(update_fields=["status", "decided_at", "updated_at"])
    audit.record("update", quote, actor=actor, changes=audit.diff(before, audit.snapshot(quote)))
    order = order_from_quote(quote, actor=actor, invoicing_policy=invoicing_policy)
    publish(events.QuoteAccepted(**_event_fields(quote), order_id=order.pk), actor=actor)
    return confirm_new_order(order)


@transaction.atomic
def decline_quote(quote: Quote, *, actor=None, reason: str = "") -> Quote:
    check(actor, "sales.change_quote")
    quote = _lock(quote)
    _check_answerable(quote)
    before = audit.snapshot(quote)
    quote.status = Quote.Status.DECLINED
    quote.decided_at = timezone.now()
    quote.decline_reason = (reason or "").strip()[:2000]
    quote.save(update_fields=["status", "decided_at", "decline_reason", "updated_at"])
    audit.record("update", quote, actor=actor, changes=audit.diff(before, audit.snapshot(quote)))
    publish(events.QuoteDeclined(**_event_fields(quote), reason=quote.decline_reason), actor=actor)
    return quote


def accept_by_token(token: str) -> Order:
    return accept_quote(quote_from_token(token), actor=None)


def decline_by_token(token: str, reason: str = "") -> Quote:
    return decline_quote(quote_from_token(token), actor=None, reason=reason)


@transaction.atomic
def expire_quotes(today: date | None = None) -> int:
    """Sent quotes whose validity date has passed become expired (a housekeeping job)."""
    today = today or timezone.localdate()
    rows = list(
        Quote.objects.select_for_update().filter(status=Quote.Status.SENT, valid_until__lt=today)
    )
    for quote in rows:
        quote.status = Quote.Status.EXPIRED
    Quote.objects.bulk_update(rows, ["status"])
    for quote in rows:
        audit.record("update", quote, actor=None, changes={"status": ["sent", "expired"]})
        publish(events.QuoteExpired(**_event_fields(quote)))
    return len(rows)
