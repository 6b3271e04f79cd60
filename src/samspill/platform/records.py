"""Naming any record, and what the kernel may know about it without importing its domain.

A record is referred to as `<app_label>.<model>:<pk>` ("parties.party:12") in the API and
in the chatter. Whether a user may see it is decided by the permission model: the view
permission of its model and the model's `restrict_for` hook (`permissions.restrict`).

A domain registers the records that have chatter with `register_record()`: the subject
kind its events use for the record ("party"), which of its events means "created" (so the
creator follows the record) and "deleted" (so its chatter goes with it), and
`subjects_for(record)`, the subjects a comment on it is about (a contact person's comment
may also be about its organisation), so comments show on the 360-degree timeline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext as _

from samspill.platform.errors import NotFound, ValidationFailed
from samspill.platform.permissions import VIEW, registered_models, restrict


@dataclass(frozen=True)
class RecordType:
    label: str  # "parties.party"
    kind: str  # subject kind in events: "party"
    created_event: str = ""  # "parties.party.created"
    created_field: str = ""  # payload field holding the new record's pk
    deleted_event: str = ""  # "automation.rule.deleted": its chatter is removed
    deleted_field: str = ""
    subjects_for: Callable[[Any], dict[str, list[str]]] | None = None
    # Why the record's files may no longer be deleted ("" while they may), e.g. the
    # documentation of a posted voucher, which the Bookkeeping Act makes permanent.
    attachments_locked: Callable[[Any], str] | None = None


_types: dict[str, RecordType] = {}


def register_record(
    model: type[models.Model],
    *,
    kind: str,
    created_event: str = "",
    created_field: str = "",
    deleted_event: str = "",
    deleted_field: str = "",
    subjects_for: Callable[[Any], dict[str, list[str]]] | None = None,
    attachments_locked: Callable[[Any], str] | None = None,
) -> None:
    label = model._meta.label_lower
    _types[label] = RecordType(
        label,
        kind,
        created_event,
        created_field,
        deleted_event,
        deleted_field,
        subjects_for,
        attachments_locked,
    )


def attachments_locked(record: models.Model) -> str:
    """The reason the record's files may not be deleted, or "" (see RecordType)."""
    rtype = _types.get(record._meta.label_lower)
    if rtype is None or rtype.attachments_locked is None:
        return ""
    return str(rtype.attachments_locked(record) or "")


def record_type(label: str) -> RecordType | None:
    return _types.get(label)


def record_types() -> dict[str, RecordType]:
    return dict(_types)


def ref(instance: models.Model) -> str:
    return f"{instance._meta.label_lower}:{instance.pk}"


def model_for(label: str) -> type[models.Model]:
    """The model of a label that takes part in the permission model, or NotFound."""
    if label not in registered_models():
        raise NotFound(_("There is no such kind of record."), code="unknown_record_type")
    try:
        return apps.get_model(label)
    except (LookupError, ValueError) as exc:
        raise NotFound(_("There is no such kind of record."), code="unknown_record_type") from exc


def parse(reference: str) -> tuple[str, str]:
    """`"parties.party:12"` -> ("parties.party", "12"); a clear error otherwise."""
    label, sep, pk = (reference or "").strip().partition(":")
    if not sep or not pk or "." not in label:
        raise ValidationFailed(
            _("Name the record as <app>.<model>:<id>, for example parties.party:12."),
            code="bad_record_reference",
            errors={"record": [_("Name the record as <app>.<model>:<id>.")]},
        )
    return label.lower(), pk


def visible(user, label: str, pk) -> models.Model:
    """The record if the user may see it; NotFound otherwise (whether it exists or not,
    so that its existence does not leak)."""
    model = model_for(label)
    try:
        model._meta.pk.to_python(pk)
    except Exception as exc:
        raise NotFound(_("There is no such record."), code="record_not_found") from exc
    record = restrict(model._default_manager.filter(pk=pk), user, VIEW).first()
    if record is None:
        raise NotFound(_("There is no such record."), code="record_not_found")
    return record


def visible_ref(user, reference: str) -> models.Model:
    return visible(user, *parse(reference))


def users_who_may_view(model: type[models.Model], user_ids) -> set[int]:
    """Of `user_ids`, the active users whose roles (or own permissions) let them see records
    of `model`, in one query. Row rules (`restrict_for`) are not applied here."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    meta = model._meta
    codename = f"{VIEW}_{meta.model_name}"
    via_group = Q(
        groups__permissions__codename=codename,
        groups__permissions__content_type__app_label=meta.app_label,
    )
    direct = Q(
        user_permissions__codename=codename,
        user_permissions__content_type__app_label=meta.app_label,
    )
    return set(
        get_user_model()
        .objects.filter(Q(is_superuser=True) | via_group | direct, pk__in=list(user_ids))
        .filter(is_active=True)
        .values_list("pk", flat=True)
        .distinct()
    )


def label_of(ct: ContentType) -> str:
    return f"{ct.app_label}.{ct.model}"


def content_type(instance_or_model) -> ContentType:
    return ContentType.objects.get_for_model(instance_or_model, for_concrete_model=False)


def subjects_for(record: models.Model) -> dict[str, list[str]]:
    """The event subjects of something said about the record: its own kind and what its
    domain's hook adds."""
    rtype = _types.get(record._meta.label_lower)
    if rtype is None:
        return {}
    subjects: dict[str, list[str]] = {rtype.kind: [str(record.pk)]}
    if rtype.subjects_for:
        for kind, ids in rtype.subjects_for(record).items():
            merged = subjects.setdefault(kind, [])
            merged.extend(str(i) for i in ids if str(i) not in merged)
    return subjects


def url_of(record: models.Model) -> str:
    get_url = getattr(record, "get_absolute_url", None)
    try:
        return str(get_url()) if get_url else ""
    except Exception:
        return ""
