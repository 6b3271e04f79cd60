"""Tables of the automation pages (list, sort, CSV/XLSX export)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from samspill.automation.models import (
    InboundMessage,
    Rule,
    RuleRun,
    Webhook,
    WebhookDelivery,
)
from samspill.platform.events import EVENT_TYPES

OUTCOME_BADGES = {
    RuleRun.Outcome.MATCHED: "text-bg-info",
    RuleRun.Outcome.SKIPPED: "text-bg-light border",
    RuleRun.Outcome.SUCCEEDED: "text-bg-success",
    RuleRun.Outcome.FAILED: "text-bg-danger",
    RuleRun.Outcome.LOOP_STOPPED: "text-bg-warning",
}
DELIVERY_BADGES = {
    WebhookDelivery.Status.PENDING: "text-bg-secondary",
    WebhookDelivery.Status.SUCCEEDED: "text-bg-success",
    WebhookDelivery.Status.FAILED: "text-bg-warning",
    WebhookDelivery.Status.DEAD: "text-bg-danger",
}
ATTRS = {"class": "table table-sm table-hover align-middle"}


def event_label(event_type: str) -> str:
    event_class = EVENT_TYPES.get(event_type)
    return str(event_class.description) if event_class and event_class.description else event_type


def _badge(css: str, text) -> str:
    return format_html('<span class="badge {}">{}</span>', css, text)


class RuleTable(tables.Table):
    name = tables.Column(
        verbose_name=_("Name"), linkify=("automation:rule_detail", [tables.A("pk")])
    )
    event_type = tables.Column(verbose_name=_("When"))
    is_active = tables.BooleanColumn(verbose_name=_("Active"))
    last_outcome = tables.Column(verbose_name=_("Last run"), default="—")
    last_run_at = tables.DateTimeColumn(verbose_name=_("Last run at"), short=True, default="—")
    updated_at = tables.DateTimeColumn(verbose_name=_("Changed"), short=True)

    class Meta:
        model = Rule
        fields = ("name", "event_type", "is_active", "last_outcome", "last_run_at", "updated_at")
        order_by = ("name",)
        attrs = ATTRS

    def render_event_type(self, value):
        return format_html('{} <code class="small">{}</code>', event_label(value), value)

    def value_event_type(self, value):
        return value

    def render_last_outcome(self, value):
        return _badge(OUTCOME_BADGES.get(value, "text-bg-light"), RuleRun.Outcome(value).label)

    def value_last_outcome(self, value):
        return value or ""


class RuleRunTable(tables.Table):
    started_at = tables.DateTimeColumn(verbose_name=_("When"), short=True)
    rule = tables.Column(
        verbose_name=_("Rule"),
        linkify=("automation:rule_detail", [tables.A("rule_id")]),
        order_by=("rule__name",),
    )
    event_type = tables.Column(verbose_name=_("Event"))
    outcome = tables.Column(verbose_name=_("Outcome"))
    error = tables.Column(verbose_name=_("Error"), orderable=False)
    duration_ms = tables.Column(verbose_name=_("ms"), attrs={"td": {"class": "text-end"}})
    depth = tables.Column(verbose_name=_("Depth"), attrs={"td": {"class": "text-end"}})

    class Meta:
        model = RuleRun
        fields = ("started_at", "rule", "event_type", "outcome", "error", "duration_ms", "depth")
        order_by = ("-started_at",)
        attrs = ATTRS

    def render_event_type(self, value):
        return format_html('<span title="{}">{}</span>', value, event_label(value))

    def render_outcome(self, record):
        badge = _badge(OUTCOME_BADGES.get(record.outcome, ""), record.get_outcome_display())
        if record.dry_run:
            return format_html(
                '{} <span class="small text-body-secondary">{}</span>', badge, _("test")
            )
        return badge

    def value_outcome(self, record):
        return record.outcome

    def render_error(self, value):
        return format_html(
            '<span class="small text-danger" title="{}">{}</span>',
            value,
            Truncator(value).chars(100),
        )


class WebhookTable(tables.Table):
    name = tables.Column(
        verbose_name=_("Name"), linkify=("automation:webhook_detail", [tables.A("pk")])
    )
    url = tables.Column(verbose_name=_("Target URL"), attrs={"td": {"class": "text-break"}})
    event_types = tables.Column(verbose_name=_("Events"), orderable=False)
    is_active = tables.BooleanColumn(verbose_name=_("Active"))
    failing = tables.Column(
        verbose_name=_("Undelivered"), attrs={"td": {"class": "text-end"}}, default=0
    )

    class Meta:
        model = Webhook
        fields = ("name", "url", "event_types", "is_active", "failing")
        order_by = ("name",)
        attrs = ATTRS

    def render_event_types(self, record):
        if record.all_events:
            return _("All events")
        return ", ".join(record.event_types)

    def value_event_types(self, record):
        return "*" if record.all_events else ", ".join(record.event_types)

    def render_failing(self, value):
        if not value:
            return "0"
        return _badge("text-bg-warning", value)


class DeliveryTable(tables.Table):
    created_at = tables.DateTimeColumn(
        verbose_name=_("Created"),
        short=True,
        linkify=("automation:delivery_detail", [tables.A("pk")]),
    )
    webhook = tables.Column(verbose_name=_("Webhook"), order_by=("webhook__name",))
    event_type = tables.Column(
        verbose_name=_("Event"), attrs={"td": {"class": "small font-monospace"}}
    )
    status = tables.Column(verbose_name=_("Status"))
    attempts = tables.Column(verbose_name=_("Attempts"), attrs={"td": {"class": "text-end"}})
    last_status_code = tables.Column(verbose_name=_("HTTP"), default="—")
    last_error = tables.Column(verbose_name=_("Last error"), orderable=False)
    next_attempt_at = tables.DateTimeColumn(verbose_name=_("Next attempt"), short=True, default="—")

    class Meta:
        model = WebhookDelivery
        fields = (
            "created_at",
            "webhook",
            "event_type",
            "status",
            "attempts",
            "last_status_code",
            "last_error",
            "next_attempt_at",
        )
        order_by = ("-created_at",)
        attrs = ATTRS

    def render_status(self, record):
        return _badge(DELIVERY_BADGES.get(record.status, ""), record.get_status_display())

    def value_status(self, record):
        return record.status

    def render_last_error(self, value):
        return format_html(
            '<span class="small text-danger" title="{}">{}</span>',
            value,
            Truncator(value).chars(80),
        )


class InboundTable(tables.Table):
    received_at = tables.DateTimeColumn(
        verbose_name=_("Received"),
        short=True,
        linkify=("automation:inbound_detail", [tables.A("pk")]),
    )
    source = tables.Column(verbose_name=_("Source"))
    message_type = tables.Column(verbose_name=_("Type"))
    idempotency_key = tables.Column(
        verbose_name=_("Idempotency key"), attrs={"td": {"class": "small font-monospace"}}
    )
    received_by = tables.Column(
        verbose_name=_("Received from"), order_by=("received_by__username",), default="—"
    )

    class Meta:
        model = InboundMessage
        fields = ("received_at", "source", "message_type", "idempotency_key", "received_by")
        order_by = ("-received_at",)
        attrs = ATTRS
