"""Setting up customer service: queues (per team, with opening hours), their IMAP
mailboxes, SLA policies and canned responses. Management does this; each command is one
transaction with audit."""

from __future__ import annotations

import secrets
from datetime import time
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from samspill.helpdesk.models import CannedResponse, InboundEndpoint, Mailbox, Queue, SlaPolicy
from samspill.helpdesk.services.common import check, raise_if
from samspill.platform import audit
from samspill.platform.errors import Conflict, ValidationFailed

SECRET_FIELDS = ("password_encrypted", "secret_encrypted")  # never in the audit trail


def _save(instance, actor):
    errors: dict[str, list[str]] = {}
    try:
        instance.full_clean()
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    raise_if(errors)
    instance.save()
    changes = audit.diff({}, audit.snapshot(instance, exclude=SECRET_FIELDS))
    audit.record("create", instance, actor=actor, changes=changes)
    return instance


@transaction.atomic
def create_queue(
    *,
    actor,
    name: str,
    email: str = "",
    team=None,
    opens_at: time = time(8, 0),
    closes_at: time = time(16, 0),
    workdays: str = "12345",
    is_default: bool = False,
) -> Queue:
    check(actor, "helpdesk.add_queue")
    if is_default:
        Queue.objects.filter(is_default=True).update(is_default=False)
    queue = Queue(
        name=name.strip(),
        email=email.strip().lower(),
        team=team,
        opens_at=opens_at,
        closes_at=closes_at,
        workdays=workdays,
        is_default=is_default,
    )
    return _save(queue, actor)


@transaction.atomic
def add_mailbox(
    *,
    actor,
    queue: Queue,
    host: str,
    username: str,
    password: str,
    port: int = 993,
    use_ssl: bool = True,
    folder: str = "INBOX",
) -> Mailbox:
    check(actor, "helpdesk.add_mailbox")
    mailbox = Mailbox(
        queue=queue,
        host=host,
        port=port,
        use_ssl=use_ssl,
        username=username,
        folder=folder,
    )
    mailbox.password = password  # encrypted by the property
    return _save(mailbox, actor)


@transaction.atomic
def create_sla_policy(
    *,
    actor,
    name: str,
    first_response_hours,
    resolution_hours,
    priority: str = "",
    queue: Queue | None = None,
    party=None,
    warning_percent: int = 80,
) -> SlaPolicy:
    check(actor, "helpdesk.add_slapolicy")
    policy = SlaPolicy(
        name=name.strip(),
        priority=priority,
        queue=queue,
        party=party,
        first_response_hours=Decimal(str(first_response_hours)),
        resolution_hours=Decimal(str(resolution_hours)),
        warning_percent=warning_percent,
    )
    return _save(policy, actor)


@transaction.atomic
def create_canned_response(*, actor, title: str, body: str) -> CannedResponse:
    check(actor, "helpdesk.add_cannedresponse")
    return _save(CannedResponse(title=title.strip(), body=body.strip()), actor)


# --- Changing and removing (the settings pages and the API) ----------------------------------

EDITABLE = {
    Queue: ("name", "email", "team", "opens_at", "closes_at", "workdays", "is_default"),
    Mailbox: ("queue", "host", "port", "use_ssl", "username", "password", "folder", "is_active"),
    SlaPolicy: (
        "name",
        "priority",
        "queue",
        "party",
        "first_response_hours",
        "resolution_hours",
        "warning_percent",
    ),
    CannedResponse: ("title", "body"),
    InboundEndpoint: (
        "name",
        "slug",
        "secret",
        "signature_header",
        "mapping",
        "channel",
        "queue",
        "is_active",
    ),
}


def _perm(model, action: str) -> str:
    return f"helpdesk.{action}_{model._meta.model_name}"


def _clean_value(model, name: str, value):
    if isinstance(value, str) and name not in ("password", "secret", "body"):
        value = value.strip()
    if model is Queue and name == "email":
        value = (value or "").lower()
    if name in ("first_response_hours", "resolution_hours") and value not in (None, ""):
        try:
            value = Decimal(str(value))
        except ArithmeticError:
            raise ValidationFailed(errors={name: [_("Enter a number.")]}) from None
    return value


def _check_mapping(mapping, errors) -> dict[str, str]:
    if not isinstance(mapping, dict):
        errors.setdefault("mapping", []).append(_("The field mapping must be an object."))
        return {}
    unknown = sorted(set(mapping) - set(InboundEndpoint.MAPPING_KEYS))
    if unknown:
        errors.setdefault("mapping", []).append(
            _("Unknown fields in the mapping: %(fields)s") % {"fields": ", ".join(unknown)}
        )
    clean = {k: str(v or "").strip()[:200] for k, v in mapping.items() if k not in unknown}
    clean = {k: v for k, v in clean.items() if v}
    if not clean.get("text"):
        errors.setdefault("mapping", []).append(_("Say where the message text is."))
    if not clean.get("phone") and not clean.get("email"):
        errors.setdefault("mapping", []).append(
            _("Say where the sender's phone number or e-mail address is.")
        )
    return clean


def _special(instance, errors) -> None:
    """Rules beyond the model's own checks."""
    if isinstance(instance, Queue):
        days = "".join(sorted(set(instance.workdays or "")))
        if not days or not set(days) <= set("1234567"):
            errors.setdefault("workdays", []).append(_("Choose at least one working day."))
        instance.workdays = days
    if isinstance(instance, InboundEndpoint):
        instance.mapping = _check_mapping(instance.mapping, errors)
        if not instance.secret_encrypted:
            errors.setdefault("secret", []).append(_("Give the secret the provider signs with."))
        if not (instance.signature_header or "").strip():
            errors.setdefault("signature_header", []).append(_("Name the signature header."))
    if isinstance(instance, Mailbox) and not instance.password_encrypted:
        errors.setdefault("password", []).append(_("Give the mailbox's password."))


def _store(instance, actor, action: str, before: dict | None = None):
    errors: dict[str, list[str]] = {}
    _special(instance, errors)
    if isinstance(instance, Queue) and instance.is_default:  # one default (rolled back on error)
        Queue.objects.filter(is_default=True).exclude(pk=instance.pk).update(is_default=False)
    try:
        instance.full_clean()
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    raise_if(errors)
    instance.save()
    changes = audit.diff(before or {}, audit.snapshot(instance, exclude=SECRET_FIELDS))
    audit.record(action, instance, actor=actor, changes=changes)
    return instance


@transaction.atomic
def create_setting(model, *, actor, **values):
    """A new queue, mailbox, SLA policy, canned response or webhook endpoint."""
    check(actor, _perm(model, "add"))
    allowed = EDITABLE[model]
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise ValidationFailed(errors={f: [_("This field cannot be set.")] for f in unknown})
    instance = model()
    if model is InboundEndpoint and not values.get("secret"):
        values["secret"] = secrets.token_urlsafe(32)
    for name, value in values.items():
        setattr(instance, name, _clean_value(model, name, value))
    return _store(instance, actor, "create")


@transaction.atomic
def update_setting(instance, *, actor, **changes):
    """Change some fields; an empty password or secret keeps the stored one."""
    model = type(instance)
    check(actor, _perm(model, "change"))
    allowed = EDITABLE[model]
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise ValidationFailed(errors={f: [_("This field cannot be changed.")] for f in unknown})
    instance = model.objects.select_for_update().get(pk=instance.pk)
    before = audit.snapshot(instance, exclude=SECRET_FIELDS)
    for name, value in changes.items():
        if name in ("password", "secret") and not value:
            continue
        setattr(instance, name, _clean_value(model, name, value))
    return _store(instance, actor, "update", before)


@transaction.atomic
def delete_setting(instance, *, actor) -> None:
    """Remove it; a queue that still has tickets cannot be removed (move them first)."""
    model = type(instance)
    check(actor, _perm(model, "delete"))
    if isinstance(instance, Queue) and instance.tickets.exists():
        raise Conflict(
            _("Queue %(name)s has tickets. Move them to another queue first.")
            % {"name": instance.name},
            code="queue_in_use",
        )
    audit.record("delete", instance, actor=actor, changes={})
    try:
        instance.delete()
    except ProtectedError:
        raise Conflict(_("It is still in use."), code="in_use") from None
