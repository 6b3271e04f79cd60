"""One filterset for the inbox: the page, its export and the API list."""

from __future__ import annotations

import re
from datetime import timedelta

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samspill.helpdesk.models import OPEN_STATUSES, Channel, Priority, Queue, Ticket

BREACHING_SOON = timedelta(hours=4)
TICKET_NUMBER = re.compile(r"^[Tt]-\d{1,4}(-\d*)?$")
VIEWS = (
    ("open", _("Open")),
    ("mine", _("Mine")),
    ("unassigned", _("Unassigned")),
    ("breaching", _("Breaching soon")),
    ("all", _("All")),
)


def _search(queryset, _name, value):
    """A ticket number (or its start) uses the number's index; anything else searches the
    subject, the customer's name and the customer's e-mail."""
    value = (value or "").strip()
    if not value:
        return queryset
    if TICKET_NUMBER.match(value):
        return queryset.filter(number__startswith=value.upper())
    return queryset.filter(
        Q(subject__icontains=value)
        | Q(party__name__icontains=value)
        | Q(customer_email__iexact=value)
    )


class TicketFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method=_search,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Number or subject")}),
    )
    view = django_filters.ChoiceFilter(
        label=_("Show"), choices=VIEWS, method="filter_view", empty_label=_("Open")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Ticket.Status.choices, empty_label=_("All statuses")
    )
    queue = django_filters.ModelChoiceFilter(
        label=_("Queue"), queryset=Queue.objects.order_by("name"), empty_label=_("All queues")
    )
    channel = django_filters.ChoiceFilter(
        label=_("Channel"), choices=Channel.choices, empty_label=_("All channels")
    )
    priority = django_filters.ChoiceFilter(
        label=_("Priority"), choices=Priority.choices, empty_label=_("All priorities")
    )
    party = django_filters.NumberFilter(label=_("Customer id"), field_name="party_id")
    tag = django_filters.CharFilter(label=_("Tag"), method="filter_tag")

    class Meta:
        model = Ticket
        fields = ["q", "view", "status", "queue", "channel", "priority", "party", "tag"]

    def filter_queryset(self, queryset):
        # Nothing narrowing chosen: the open tickets (what an agent works on).
        data = self.form.cleaned_data
        if not any(data.get(name) for name in ("view", "status", "party", "q")):
            queryset = queryset.filter(status__in=OPEN_STATUSES)
        return super().filter_queryset(queryset)

    def filter_view(self, queryset, _name, value):
        user = getattr(self.request, "user", None)
        if value == "all":
            return queryset
        queryset = queryset.filter(status__in=OPEN_STATUSES)
        if value == "mine":
            return queryset.filter(assignee_id=getattr(user, "pk", None))
        if value == "unassigned":
            return queryset.filter(assignee__isnull=True)
        if value == "breaching":
            return queryset.filter(next_due__lte=timezone.now() + BREACHING_SOON).order_by(
                "next_due"
            )
        return queryset

    def filter_tag(self, queryset, _name, value):
        value = " ".join((value or "").split()).lower()
        # JSON text match: works on SQLite and PostgreSQL alike
        return queryset.filter(tags__icontains=f'"{value}"') if value else queryset
