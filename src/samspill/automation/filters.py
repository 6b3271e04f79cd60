"""Filters of the automation list pages."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samspill.automation import definitions
from samspill.automation.models import (
    InboundMessage,
    Rule,
    RuleRun,
    Webhook,
    WebhookDelivery,
)
from samspill.platform.filters import yes_no_filter


def _search():
    return django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class RuleFilter(django_filters.FilterSet):
    q = _search()
    event_type = django_filters.ChoiceFilter(
        label=_("Event"), choices=definitions.event_choices, empty_label=_("All")
    )
    is_active = yes_no_filter(_("Active"))

    class Meta:
        model = Rule
        fields = ["q", "event_type", "is_active"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))


class RuleRunFilter(django_filters.FilterSet):
    rule = django_filters.ModelChoiceFilter(
        label=_("Rule"), queryset=Rule.objects.order_by("name"), empty_label=_("All")
    )
    outcome = django_filters.ChoiceFilter(
        label=_("Outcome"), choices=RuleRun.Outcome.choices, empty_label=_("All")
    )
    dry_run = yes_no_filter(_("Test run"))

    class Meta:
        model = RuleRun
        fields = ["rule", "outcome", "dry_run"]


class WebhookFilter(django_filters.FilterSet):
    q = _search()
    is_active = yes_no_filter(_("Active"))

    class Meta:
        model = Webhook
        fields = ["q", "is_active"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(url__icontains=value))


class DeliveryFilter(django_filters.FilterSet):
    webhook = django_filters.ModelChoiceFilter(
        label=_("Webhook"), queryset=Webhook.objects.order_by("name"), empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=WebhookDelivery.Status.choices, empty_label=_("All")
    )
    event_type = django_filters.ChoiceFilter(
        label=_("Event"), choices=definitions.event_choices, empty_label=_("All")
    )

    class Meta:
        model = WebhookDelivery
        fields = ["webhook", "status", "event_type"]


class InboundFilter(django_filters.FilterSet):
    q = _search()
    source = django_filters.CharFilter(label=_("Source"))

    class Meta:
        model = InboundMessage
        fields = ["q", "source"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(idempotency_key__icontains=value) | Q(message_type__icontains=value)
        )
