"""The audit trail: who changed what, when, through which channel, before and after.

Services call `record()` inside their transaction, so the audit entry and the change are
written together or not at all. `snapshot()` + `diff()` produce the before/after of the
fields that changed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from samspill.platform.context import current_channel


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def snapshot(instance: models.Model, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """The concrete field values of a record, as JSON-friendly values."""
    data = {}
    for field in instance._meta.concrete_fields:
        if field.name in exclude or field.primary_key:
            continue
        data[field.name] = _plain(getattr(instance, field.attname))
    return data


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]} for the fields whose value changed."""
    keys = before.keys() | after.keys()
    return {k: [before.get(k), after.get(k)] for k in sorted(keys) if before.get(k) != after.get(k)}


def record(
    action: str,
    instance: models.Model,
    *,
    actor=None,
    changes: dict[str, Any] | None = None,
    object_repr: str | None = None,
):
    from samspill.platform.models import AuditEntry

    real_actor = actor if actor is not None and actor.is_authenticated else None
    return AuditEntry.objects.create(
        actor=real_actor,
        actor_repr=(real_actor.get_username() if real_actor else "system")[:150],
        channel=current_channel(),
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=str(instance.pk),
        object_repr=(object_repr or str(instance))[:200],
        changes=changes or {},
    )


def history(instance: models.Model):
    """The audit entries of one record, newest first."""
    from samspill.platform.models import AuditEntry

    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=str(instance.pk),
    ).select_related("actor")


# --- Reads of sensitive records ---------------------------------------------------------------

_sensitive: set[str] = set()


def register_sensitive(model: type[models.Model]) -> None:
    """Mark a model as sensitive (HR files, salaries): every read of one of its records
    through a detail page or an API get is logged with action "read"."""
    _sensitive.add(model._meta.label_lower)


def unregister_sensitive(model: type[models.Model]) -> None:
    _sensitive.discard(model._meta.label_lower)


def is_sensitive(instance_or_model) -> bool:
    return instance_or_model._meta.label_lower in _sensitive


def record_read(instance: models.Model, *, actor):
    """Log that `actor` read the record, if its model is sensitive (no query otherwise).
    Call it from detail views and API gets; the channel comes from the request."""
    if not is_sensitive(instance):
        return None
    return record("read", instance, actor=actor)
