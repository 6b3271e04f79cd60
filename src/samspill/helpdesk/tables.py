"""The inbox table: the list page and its CSV/XLSX export."""

from __future__ import annotations

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from samspill.helpdesk.models import BADGES, Ticket


class TicketTable(tables.Table):
    number = tables.Column(
        verbose_name=_("Number"), linkify=True, attrs={"a": {"class": "ticket-link"}}
    )
    subject = tables.Column(verbose_name=_("Subject"), linkify=True)
    party = tables.Column(verbose_name=_("Customer"), order_by=("party__name",))
    status = tables.Column(verbose_name=_("Status"))
    priority = tables.Column(verbose_name=_("Priority"))
    channel = tables.Column(verbose_name=_("Channel"))
    queue = tables.Column(verbose_name=_("Queue"), order_by=("queue__name",))
    assignee = tables.Column(verbose_name=_("Assignee"), default="—")
    next_due = tables.DateTimeColumn(verbose_name=_("Due"), short=True, default="—")
    last_message_at = tables.DateTimeColumn(verbose_name=_("Last message"), short=True)

    class Meta:
        model = Ticket
        fields = (
            "number",
            "subject",
            "party",
            "status",
            "priority",
            "channel",
            "queue",
            "assignee",
            "next_due",
            "last_message_at",
        )
        order_by = ("-number",)
        attrs = {"class": "table table-hover table-sm align-middle", "id": "inbox-table"}
        row_attrs = {"data-ticket": lambda record: record.pk}

    def render_status(self, value, record):
        return format_html(
            '<span class="badge text-bg-{}">{}</span>',
            BADGES.get(record.status, "secondary"),
            value,
        )

    def render_priority(self, value, record):
        return format_html(
            '<span class="badge text-bg-{}">{}</span>',
            BADGES.get(record.priority, "secondary"),
            value,
        )

    def render_next_due(self, value, record):
        if value is None:
            return "—"
        overdue = value < timezone.now()
        local = timezone.localtime(value)
        return format_html(
            '<span class="{}">{}</span>',
            "text-danger fw-semibold" if overdue else "",
            local.strftime("%d.%m.%Y %H:%M"),
        )

    def value_next_due(self, value):
        return value.isoformat() if value else ""

    def value_status(self, value, record):
        return record.get_status_display()

    def value_priority(self, value, record):
        return record.get_priority_display()

    def render_party(self, value, record):
        return record.party.display_name

    def render_assignee(self, value, record):
        return value.get_full_name() or value.get_username()
