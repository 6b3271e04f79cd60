"""Tables of the CRM lists (list page, sort, CSV/XLSX export)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from samspill.crm.models import Activity, Lead, Opportunity
from samspill.crm.templatetags.crm import nok

TABLE_ATTRS = {"class": "table table-hover align-middle"}
RIGHT = {"td": {"class": "text-end text-nowrap"}, "th": {"class": "text-end"}}

LEAD_BADGES = {
    "new": "text-bg-primary",
    "qualified": "text-bg-info",
    "converted": "text-bg-success",
    "disqualified": "text-bg-secondary",
}
OPPORTUNITY_BADGES = {
    "open": "text-bg-primary",
    "won": "text-bg-success",
    "lost": "text-bg-secondary",
}


def _person(user) -> str:
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()


class LeadTable(tables.Table):
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    company_name = tables.Column(verbose_name=_("Company"))
    email = tables.Column(verbose_name=_("Email"))
    phone = tables.Column(verbose_name=_("Phone"))
    source = tables.Column(verbose_name=_("Source"))
    status = tables.Column(verbose_name=_("Status"))
    score = tables.Column(verbose_name=_("Score"), attrs=RIGHT)
    owner = tables.Column(
        verbose_name=_("Owner"), order_by=("owner__first_name", "owner__username")
    )
    created_at = tables.DateTimeColumn(verbose_name=_("Received"), short=True)

    class Meta:
        model = Lead
        fields = (
            "name",
            "company_name",
            "email",
            "phone",
            "source",
            "status",
            "score",
            "owner",
            "created_at",
        )
        attrs = TABLE_ATTRS
        order_by = ("-created_at",)

    def render_status(self, record, value):
        return format_html(
            '<span class="badge {}">{}</span>', LEAD_BADGES.get(record.status, ""), value
        )

    def value_status(self, record):
        return record.get_status_display()

    def render_owner(self, record):
        return _person(record.owner)

    def value_owner(self, record):
        return _person(record.owner) if record.owner else ""


class OpportunityTable(tables.Table):
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    party = tables.Column(
        verbose_name=_("Customer"),
        order_by=("party__name",),
        linkify=lambda record: record.party.get_absolute_url(),
    )
    stage = tables.Column(verbose_name=_("Stage"), order_by=("stage__position",))
    status = tables.Column(verbose_name=_("Status"))
    expected_revenue = tables.Column(verbose_name=_("Expected revenue"), attrs=RIGHT)
    probability = tables.Column(
        verbose_name=_("Probability"), accessor="stage__probability", attrs=RIGHT
    )
    close_date = tables.DateColumn(verbose_name=_("Close date"), short=True)
    owner = tables.Column(
        verbose_name=_("Owner"), order_by=("owner__first_name", "owner__username")
    )
    team = tables.Column(verbose_name=_("Team"), order_by=("team__name",), default="—")

    class Meta:
        model = Opportunity
        fields = (
            "name",
            "party",
            "stage",
            "status",
            "expected_revenue",
            "probability",
            "close_date",
            "owner",
            "team",
        )
        attrs = TABLE_ATTRS
        order_by = ("close_date",)

    def render_party(self, record):
        return record.party.display_name

    def value_party(self, record):
        return record.party.display_name

    def render_status(self, record, value):
        return format_html(
            '<span class="badge {}">{}</span>', OPPORTUNITY_BADGES.get(record.status, ""), value
        )

    def value_status(self, record):
        return record.get_status_display()

    def render_expected_revenue(self, value):
        return nok(value)

    def value_expected_revenue(self, value):
        return value

    def render_probability(self, value):
        return f"{value} %"

    def render_owner(self, record):
        return _person(record.owner)

    def value_owner(self, record):
        return _person(record.owner) if record.owner else ""


class ActivityTable(tables.Table):
    due_at = tables.DateTimeColumn(verbose_name=_("Due"), short=True)
    kind = tables.Column(verbose_name=_("Kind"))
    subject = tables.Column(verbose_name=_("Subject"), linkify=True)
    party = tables.Column(verbose_name=_("Contact"), order_by=("party__name",), default="—")
    owner = tables.Column(
        verbose_name=_("Owner"), order_by=("owner__first_name", "owner__username")
    )
    state = tables.Column(
        verbose_name=_("State"),
        empty_values=(),
        accessor="completed_at",
        order_by=("completed_at",),
    )
    outcome = tables.Column(verbose_name=_("Outcome"), orderable=False)

    class Meta:
        model = Activity
        fields = ("due_at", "kind", "subject", "party", "owner", "state", "outcome")
        attrs = TABLE_ATTRS
        order_by = ("due_at",)
        row_attrs = {"class": lambda record: "table-danger" if record.is_overdue else ""}

    def render_party(self, record):
        return record.party.display_name if record.party_id else "—"

    def value_party(self, record):
        return record.party.display_name if record.party_id else ""

    def render_owner(self, record):
        return _person(record.owner)

    def value_owner(self, record):
        return _person(record.owner)

    def _state(self, record):
        if record.completed_at:
            return _("Done")
        if record.due_at < timezone.now():
            return _("Overdue")
        return _("Open")

    def render_state(self, record):
        css = (
            "text-bg-success"
            if record.completed_at
            else ("text-bg-danger" if record.is_overdue else "text-bg-light border")
        )
        return format_html('<span class="badge {}">{}</span>', css, self._state(record))

    def value_state(self, record):
        return str(self._state(record))
