"""Commands of the customer portal: the only code that writes the portal's tables. Staff
invite a contact person and revoke access; a customer asks for a sign-in link, consumes it
once for a session, and signs out. What customers do with their tickets goes through the
helpdesk services (as customer messages), never around them."""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samspill.helpdesk import services as helpdesk
from samspill.helpdesk.services import csat
from samspill.parties import queries as parties
from samspill.platform import audit
from samspill.platform.errors import DomainError, NotFound, ValidationFailed
from samspill.platform.events import publish
from samspill.platform.permissions import require
from samspill.portal import events
from samspill.portal.models import LoginToken, PortalAccess, PortalSession

log = logging.getLogger("samspill.portal")

TOKEN_MINUTES = 15
SESSION_HOURS = 8
# At most this many sign-in links per e-mail address and per client address in the window.
LINKS_PER_EMAIL = 3
LINKS_PER_IP = 20
RATE_WINDOW_SECONDS = 15 * 60
COOKIE = "samspill_portal"


class RateLimited(DomainError):
    """Too many sign-in links asked for in a short time."""

    status = 429
    code = "rate_limited"
    title = gettext_lazy("Too many requests")


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _check(actor, perm: str) -> None:
    if actor is not None:
        require(actor, perm)


def _event(cls, access: PortalAccess):
    ids = list(dict.fromkeys([access.customer_id, access.person_id]))
    return cls(
        access_id=access.pk,
        person_id=access.person_id,
        customer_id=access.customer_id,
        email=access.email,
        party_ids=ids,
    )


def portal_url(request=None, name: str = "portal:login") -> str:
    path = reverse(name)
    if request is not None:
        return request.build_absolute_uri(path)
    base = getattr(settings, "SAMSPILL", {}).get("BASE_URL", "") or ""
    return base.rstrip("/") + path


def customer_of(person) -> Any:
    """Whose records a contact person sees: their (primary) organisation, else themselves."""
    relation = parties.organizations_of(person).first()
    return relation.organization if relation else person


def _email_of(person) -> str:
    row = parties.party_list(None).filter(pk=person.pk).values("primary_email").first()
    return ((row or {}).get("primary_email") or "").strip().lower()


@transaction.atomic
def invite(*, actor, person, customer=None, email: str = "", request=None) -> PortalAccess:
    """Give a contact person portal access (or renew it) and e-mail them the invitation with
    the portal's address. `customer` must be one of the person's organisations or the person
    (by default their primary organisation, else themselves)."""
    _check(actor, "portal.add_portalaccess")
    errors: dict[str, list[str]] = {}
    person = parties.visible_parties(None).filter(pk=getattr(person, "pk", person)).first()
    if person is None or person.kind != "person" or person.erased_at or person.merged_into_id:
        raise ValidationFailed(
            _("Portal access is given to a contact person."),
            code="not_a_person",
            errors={"person": [_("Portal access is given to a contact person.")]},
        )
    allowed = {r.organization_id: r.organization for r in parties.organizations_of(person)}
    allowed[person.pk] = person
    if customer in (None, ""):
        customer = customer_of(person)
    else:
        customer = allowed.get(getattr(customer, "pk", customer))
        if customer is None:
            errors["customer"] = [
                _("Choose one of the person's organisations, or the person themselves.")
            ]
    email = (email or "").strip().lower() or _email_of(person)
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("The person has no valid email address; add one first.")]
    clash = PortalAccess.objects.filter(email=email, is_active=True).exclude(person=person).exists()
    if email and clash:
        errors["email"] = [_("Another contact person signs in with this email address.")]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], errors=errors)
    now = timezone.now()
    existing = PortalAccess.objects.select_for_update().filter(person=person).first()
    created = existing is None
    before = {} if existing is None else audit.snapshot(existing)
    access = existing if existing is not None else PortalAccess(person=person)
    access.customer = customer
    access.email = email
    access.is_active = True
    access.revoked_at = None
    access.invited_at = now
    access.invited_by = actor if actor is not None and actor.is_authenticated else None
    if created:
        access.language = person.language if person.language in ("nb", "en") else "nb"
    access.save()
    audit.record(
        "create" if created else "update",
        access,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(access)),
    )
    publish(_event(events.AccessGranted, access), actor=actor)
    with translation.override(access.language):
        subject = _("Your access to our customer portal")
        body = render_to_string(
            "portal/email/invitation.txt",
            {"access": access, "customer": customer, "link": portal_url(request)},
        )
    EmailMessage(subject, body, to=[email], headers={"Auto-Submitted": "auto-generated"}).send(
        fail_silently=False
    )  # an SMTP error rolls the invitation back
    return access


@transaction.atomic
def revoke(access: PortalAccess, *, actor) -> PortalAccess:
    """No more sign-ins: open sessions and unused links end at once."""
    _check(actor, "portal.change_portalaccess")
    access = PortalAccess.objects.select_for_update().get(pk=access.pk)
    if not access.is_active:
        return access
    access.is_active = False
    access.revoked_at = timezone.now()
    access.save(update_fields=["is_active", "revoked_at"])
    PortalSession.objects.filter(access=access).delete()
    LoginToken.objects.filter(access=access, used_at__isnull=True).delete()
    audit.record("update", access, actor=actor, changes={"is_active": [True, False]})
    publish(_event(events.AccessRevoked, access), actor=actor)
    return access


def _count(key: str) -> int:
    cache.add(key, 0, timeout=RATE_WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=RATE_WINDOW_SECONDS)
        return 1


def _rate_limit(email: str, ip: str) -> None:
    """The same limits for known and unknown addresses, so they tell nothing."""
    per_ip = _count(f"portal:links:ip:{ip or 'unknown'}")
    per_email = _count(f"portal:links:email:{_hash(email)}")
    if per_ip > LINKS_PER_IP or per_email > LINKS_PER_EMAIL:
        log.warning("portal sign-in links rate limited", extra={"ip": ip})
        raise RateLimited(
            _("Too many sign-in links were asked for. Wait a few minutes and try again.")
        )


@transaction.atomic
def request_link(email: str, *, ip: str = "", request=None) -> None:
    """E-mail a single-use sign-in link, valid for TOKEN_MINUTES, when the address belongs
    to a contact person with portal access. Answers the same (nothing) whether or not the
    address is known; only a malformed address or too many requests are refused."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationFailed(errors={"email": [_("Enter a valid email address.")]}) from exc
    _rate_limit(email, ip)
    access = (
        PortalAccess.objects.select_related("person", "customer")
        .filter(email=email, is_active=True)
        .first()
    )
    if access is None or access.person.erased_at or access.customer.merged_into_id:
        log.info("portal sign-in link asked for an unknown address", extra={"ip": ip})
        return
    raw = secrets.token_urlsafe(32)
    now = timezone.now()
    LoginToken.objects.create(
        access=access,
        token_hash=_hash(raw),
        created_at=now,
        expires_at=now + timedelta(minutes=TOKEN_MINUTES),
    )
    link = portal_url(request, "portal:login") + raw + "/"
    with translation.override(access.language):
        subject = _("Your sign-in link")
        body = render_to_string(
            "portal/email/link.txt",
            {"access": access, "link": link, "minutes": TOKEN_MINUTES},
        )
    EmailMessage(subject, body, to=[email], headers={"Auto-Submitted": "auto-generated"}).send(
        fail_silently=False
    )


def check_link(raw: str) -> PortalAccess:
    """The access a link would sign in, without using it (the page with the button)."""
    token = (
        LoginToken.objects.select_related("access")
        .filter(token_hash=_hash(raw or ""), used_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.access.is_active:
        raise NotFound(
            _("This sign-in link has expired or was already used. Ask for a new one."),
            code="bad_link",
        )
    return token.access


@transaction.atomic
def consume_link(raw: str, *, ip: str = "") -> tuple[PortalAccess, str]:
    """Use a sign-in link (once): a new portal session; returns (access, session key)."""
    now = timezone.now()
    token = (
        LoginToken.objects.select_for_update()
        .filter(token_hash=_hash(raw or ""), used_at__isnull=True, expires_at__gt=now)
        .first()
    )
    access = (
        PortalAccess.objects.select_for_update().filter(pk=token.access_id).first()
        if token is not None
        else None
    )
    if token is None or access is None or not access.is_active:
        log.warning("portal sign-in with an invalid, used or expired link", extra={"ip": ip})
        raise NotFound(
            _("This sign-in link has expired or was already used. Ask for a new one."),
            code="bad_link",
        )
    token.used_at = now
    token.save(update_fields=["used_at"])
    # the other links of the person end too, and so do expired sessions
    LoginToken.objects.filter(access=access, used_at__isnull=True).delete()
    PortalSession.objects.filter(access=access, expires_at__lte=now).delete()
    key = secrets.token_urlsafe(32)
    PortalSession.objects.create(
        access=access,
        key_hash=_hash(key),
        created_at=now,
        expires_at=now + timedelta(hours=SESSION_HOURS),
    )
    access.last_login_at = now
    access.save(update_fields=["last_login_at"])
    publish(_event(events.SignedIn, access))
    return access, key


def session_access(key: str | None) -> PortalAccess | None:
    """The signed-in customer of a session key (None: not signed in, expired or revoked)."""
    if not key:
        return None
    session = (
        PortalSession.objects.select_related("access", "access__customer", "access__person")
        .filter(key_hash=_hash(key), expires_at__gt=timezone.now(), access__is_active=True)
        .first()
    )
    return session.access if session else None


@transaction.atomic
def sign_out(key: str | None) -> None:
    if key:
        PortalSession.objects.filter(key_hash=_hash(key)).delete()


@transaction.atomic
def set_language(access: PortalAccess, language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise ValidationFailed(errors={"language": [_("Choose a language.")]})
    PortalAccess.objects.filter(pk=access.pk).update(language=language)
    access.language = language


# --- What the customer does with tickets (through the helpdesk services) -------------------


def open_ticket(access: PortalAccess, *, subject: str, body: str):
    """A new ticket from the portal: the customer is the access's customer, the contact the
    person; the answer goes to their e-mail address too."""
    return helpdesk.open_ticket(
        actor=None,
        subject=subject,
        body=body,
        channel="web_form",
        party=access.customer_id,
        contact=access.person_id,
        email=access.email,
    )


def reply(access: PortalAccess, ticket, *, body: str):
    """The customer writes on their ticket: a customer message (never a note)."""
    body = (body or "").strip()
    if not body:
        raise ValidationFailed(
            _("Write a message."), code="empty_message", errors={"body": [_("Write a message.")]}
        )
    return helpdesk.add_customer_message(
        ticket, actor=None, body=body, channel="web_form", from_email=access.email
    )


def rate(access: PortalAccess, ticket, *, rating, comment: str = ""):
    return csat.rate_ticket(ticket, rating=rating, comment=comment)


# --- Parties' hooks ---------------------------------------------------------------------------


def move_to_survivor(survivor, duplicate, actor) -> None:
    """A merged contact's access moves to the kept party (unless it has its own)."""
    PortalAccess.objects.filter(customer=duplicate).update(customer=survivor)
    if PortalAccess.objects.filter(person=survivor).exists():
        PortalAccess.objects.filter(person=duplicate).update(is_active=False)
        PortalSession.objects.filter(access__person=duplicate).delete()
    else:
        PortalAccess.objects.filter(person=duplicate).update(person=survivor)


def erase_person(person, actor) -> None:
    """An erased person loses portal access and everything the portal kept about them."""
    PortalAccess.objects.filter(person=person).delete()


def personal_data(party) -> dict[str, Any]:
    access = PortalAccess.objects.filter(person=party).first()
    if access is None:
        return {}
    return {
        "email": access.email,
        "active": access.is_active,
        "invited": access.invited_at.isoformat(),
        "last_sign_in": access.last_login_at.isoformat() if access.last_login_at else None,
    }
