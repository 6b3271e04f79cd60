"""Read side of the kernel: the event outbox and the audit trail, narrowed to what the
user may see. Used by the operations pages and their API twins."""

from __future__ import annotations

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.utils.text import capfirst

from samspill.platform.events import EVENT_TYPES
from samspill.platform.models import AuditEntry, OutboxEvent
from samspill.platform.permissions import VIEW, restrict


def events(user):
    """Events newest first, with their actor (one query per page, whatever its size)."""
    return restrict(
        OutboxEvent.objects.select_related("actor").order_by("-occurred_at"), user, VIEW
    )


def event(user, event_id) -> OutboxEvent | None:
    return events(user).filter(pk=event_id).first()


def event_status_counts(user) -> dict[str, int]:
    """Number of undelivered events per status (pending, failed, dead) and their total
    ("undelivered"), in one query that reads the status index, not every delivered row."""
    undelivered = [s for s in OutboxEvent.Status.values if s != OutboxEvent.Status.DELIVERED]
    counts = dict.fromkeys(undelivered, 0)
    rows = (
        restrict(OutboxEvent.objects.filter(status__in=undelivered), user, VIEW)
        .order_by()
        .values("status")
        .annotate(n=Count("id"))
    )
    for row in rows:
        counts[row["status"]] = row["n"]
    counts["undelivered"] = sum(counts.values())
    return counts


def event_type_choices() -> list[tuple[str, str]]:
    """Every known event type (registered in code or present in the outbox)."""
    types = set(EVENT_TYPES) | set(
        OutboxEvent.objects.order_by().values_list("type", flat=True).distinct()
    )
    return [(t, t) for t in sorted(types)]


def audit_entries(user):
    """Audit entries newest first, with actor and record type (one query per page)."""
    return restrict(
        AuditEntry.objects.select_related("actor", "content_type").order_by("-at", "-id"),
        user,
        VIEW,
    )


def record_types():
    """Content types of the Samspill models, for the audit log's record type filter."""
    labels = [
        (m._meta.app_label, m._meta.model_name)
        for m in apps.get_models()
        if m.__module__.startswith("samspill.")
    ]
    query = Q(pk__in=[])
    for app_label, model in labels:
        query |= Q(app_label=app_label, model=model)
    return ContentType.objects.filter(query).order_by("app_label", "model")


def record_type_choices() -> list[tuple[str, str]]:
    """("parties.party", "Parties › Party") for every Samspill model, sorted by label."""
    choices = [(f"{ct.app_label}.{ct.model}", record_type_label(ct)) for ct in record_types()]
    return sorted(choices, key=lambda choice: choice[1])


def record_type_label(content_type: ContentType) -> str:
    """`Parties › Party`: the app's and the model's names, in the active language."""
    model = content_type.model_class()
    if model is None:
        return f"{content_type.app_label}.{content_type.model}"
    app = apps.get_app_config(content_type.app_label).verbose_name
    return f"{capfirst(app)} › {capfirst(model._meta.verbose_name)}"
