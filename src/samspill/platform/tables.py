"""Tables of the operations pages (list, sort, CSV/XLSX export)."""

from __future__ import annotations

import json

import django_tables2 as tables
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from samspill.platform import queries
from samspill.platform.filters import CHANNEL_LABELS
from samspill.platform.models import AuditEntry, OutboxEvent
from samspill.platform.permissions import allowed

STATUS_BADGES = {
    OutboxEvent.Status.PENDING: "text-bg-secondary",
    OutboxEvent.Status.DELIVERED: "text-bg-success",
    OutboxEvent.Status.FAILED: "text-bg-warning",
    OutboxEvent.Status.DEAD: "text-bg-danger",
}


def subjects_text(subjects: dict) -> str:
    return ", ".join(f"{kind} {oid}" for kind, ids in sorted(subjects.items()) for oid in ids)


class EventTable(tables.Table):
    occurred_at = tables.DateTimeColumn(
        verbose_name=_("Occurred"),
        short=True,
        linkify=lambda record: _detail_url(record),
        attrs={"td": {"class": "text-nowrap"}},
    )
    type = tables.Column(verbose_name=_("Type"), attrs={"td": {"class": "font-monospace small"}})
    status = tables.Column(verbose_name=_("Status"))
    attempts = tables.Column(verbose_name=_("Attempts"), attrs={"td": {"class": "text-end"}})
    last_error = tables.Column(verbose_name=_("Last error"), orderable=False)
    subjects = tables.Column(verbose_name=_("Subjects"), orderable=False)
    actor = tables.Column(verbose_name=_("Actor"), order_by=("actor__username",))
    channel = tables.Column(verbose_name=_("Channel"))
    actions = tables.Column(
        verbose_name=_("Actions"),
        empty_values=(),
        orderable=False,
        exclude_from_export=True,
        attrs={"th": {"class": "visually-hidden-focusable"}},
    )

    class Meta:
        model = OutboxEvent
        fields = (
            "occurred_at",
            "type",
            "status",
            "attempts",
            "last_error",
            "subjects",
            "actor",
            "channel",
        )
        order_by = "-occurred_at"
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("No events.")

    def render_status(self, record, value):
        css = STATUS_BADGES.get(record.status, "text-bg-light")
        return format_html('<span class="badge {}">{}</span>', css, record.get_status_display())

    def value_status(self, record):
        return str(record.get_status_display())

    def render_last_error(self, value):
        first_line = value.strip().splitlines()[0] if value.strip() else ""
        return format_html(
            '<span class="small text-danger" title="{}">{}</span>',
            first_line,
            Truncator(first_line).chars(80),
        )

    def value_last_error(self, value):
        return value

    def render_subjects(self, value):
        return subjects_text(value) or "—"

    def value_subjects(self, value):
        return subjects_text(value)

    def render_actor(self, value):
        return value.get_username()

    def value_actor(self, value):
        return value.get_username() if value else ""

    def render_channel(self, value):
        return CHANNEL_LABELS.get(value, value)

    def render_actions(self, record):
        if not record.can_replay or not self.can_replay:
            return ""
        label = _("Deliver now") if record.status == OutboxEvent.Status.PENDING else _("Retry")
        return format_html(
            '<a class="btn btn-outline-primary btn-sm text-nowrap" href="{}">'
            '<i class="bi bi-arrow-repeat" aria-hidden="true"></i> {}</a>',
            reverse("platform:event_replay", args=[record.pk]),
            label,
        )

    @cached_property
    def can_replay(self) -> bool:
        request = getattr(self, "request", None)
        return request is not None and allowed(request.user, "platform.replay_outboxevent")


def _detail_url(record) -> str:
    return reverse("platform:event", args=[record.pk])


class AuditTable(tables.Table):
    at = tables.DateTimeColumn(
        verbose_name=_("When"), short=True, attrs={"td": {"class": "text-nowrap"}}
    )
    actor_repr = tables.Column(verbose_name=_("Who"))
    channel = tables.Column(verbose_name=_("Channel"))
    action = tables.Column(verbose_name=_("Action"))
    record_type = tables.Column(
        verbose_name=_("Record type"),
        accessor="content_type",
        order_by=("content_type__app_label", "content_type__model"),
    )
    object_repr = tables.Column(verbose_name=_("Record"))
    object_id = tables.Column(verbose_name=_("Record id"), attrs={"td": {"class": "small"}})
    changes = tables.Column(verbose_name=_("Changes"), orderable=False)

    class Meta:
        model = AuditEntry
        fields = (
            "at",
            "actor_repr",
            "channel",
            "action",
            "record_type",
            "object_repr",
            "object_id",
            "changes",
        )
        order_by = "-at"
        attrs = {"class": "table table-sm table-hover align-middle"}

    def render_channel(self, value):
        return CHANNEL_LABELS.get(value, value)

    def render_action(self, record):
        return record.get_action_display()

    def value_action(self, record):
        return str(record.get_action_display())

    def render_record_type(self, value):
        return queries.record_type_label(value)

    def value_record_type(self, value):
        return f"{value.app_label}.{value.model}"

    def render_changes(self, value):
        if not value:
            return "—"
        return format_html_join(
            "",
            '<div class="small"><code>{}</code>: <del class="text-body-secondary">{}</del>'
            " → {}</div>",
            (
                (field, _short(change[0]), _short(change[1]))
                if isinstance(change, list | tuple) and len(change) == 2
                else (field, "", _short(change))
                for field, change in value.items()
            ),
        )

    def value_changes(self, value):
        return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""


def _short(value) -> str:
    if value is None:
        return "—"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return Truncator(text).chars(60)
