"""Filters of the operations pages; the API twins use the same filtersets."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samspill.platform import queries
from samspill.platform.models import AuditEntry, OutboxEvent

UNDELIVERED = "undelivered"
CHANNEL_LABELS = {
    "ui": _("Web interface"),
    "api": _("API"),
    "import": _("Import"),
    "automation": _("Automation"),
    "system": _("System"),
}


def _start_of_day(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class EventFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(UNDELIVERED, _("Not delivered")), *OutboxEvent.Status.choices],
        empty_label=_("All"),
        method="filter_status",
    )
    type = django_filters.ChoiceFilter(
        label=_("Type"), choices=queries.event_type_choices, empty_label=_("All")
    )
    subject = django_filters.CharFilter(
        label=_("Subject id"),
        method="filter_subject",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. 42")}),
    )

    class Meta:
        model = OutboxEvent
        fields = ["status", "type", "subject"]

    def filter_status(self, queryset, name, value):
        if value == UNDELIVERED:
            return queryset.exclude(status=OutboxEvent.Status.DELIVERED)
        return queryset.filter(status=value)

    def filter_subject(self, queryset, name, value):
        return queryset.filter(subject_rows__object_id=value.strip()).distinct()


class AuditFilterSet(django_filters.FilterSet):
    actor = django_filters.ModelChoiceFilter(
        label=_("Who"),
        queryset=get_user_model().objects.order_by("username"),
        empty_label=_("Anyone"),
    )
    record_type = django_filters.ChoiceFilter(
        label=_("Record type"),
        choices=queries.record_type_choices,
        empty_label=_("All"),
        method="filter_record_type",
    )
    action = django_filters.ChoiceFilter(
        label=_("Action"), choices=AuditEntry.Action.choices, empty_label=_("All")
    )
    channel = django_filters.ChoiceFilter(
        label=_("Channel"), choices=list(CHANNEL_LABELS.items()), empty_label=_("All")
    )
    since = django_filters.DateFilter(
        label=_("From date"),
        method="filter_since",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        label=_("To date"),
        method="filter_until",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = AuditEntry
        fields = ["actor", "record_type", "action", "channel", "since", "until"]

    def filter_record_type(self, queryset, name, value):
        app_label, _dot, model = value.partition(".")
        return queryset.filter(content_type__app_label=app_label, content_type__model=model)

    def filter_since(self, queryset, name, value):
        return queryset.filter(at__gte=_start_of_day(value))

    def filter_until(self, queryset, name, value):
        return queryset.filter(at__lt=_start_of_day(value + timedelta(days=1)))


class YesNoAll(forms.NullBooleanSelect):
    """The select of a yes/no filter: "All" when not chosen (Django's own says "Unknown")."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", _("All")), ("true", _("Yes")), ("false", _("No"))]


def yes_no_filter(label, **kwargs) -> django_filters.BooleanFilter:
    """A filter on a yes/no field: All / Yes / No."""
    return django_filters.BooleanFilter(label=label, widget=YesNoAll(), **kwargs)
