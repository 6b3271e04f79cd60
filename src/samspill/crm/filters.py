"""Filter sets of the CRM lists: one per list, shared by the page and its export."""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samspill.crm.forms import PartyPicker
from samspill.crm.models import Activity, Lead, Opportunity, Stage
from samspill.organization.models import Team
from samspill.parties.models import Party


def _search():
    return forms.TextInput(attrs={"type": "search"})


def _day(label, field: str, lookup: str):
    """A date filter on a timestamp column, by the local calendar day (dashboard drill-down)."""
    return django_filters.DateFilter(
        label=label,
        field_name=field,
        lookup_expr=f"date__{lookup}",
        widget=forms.DateInput(attrs={"type": "date"}),
    )


def _users():
    return get_user_model().objects.filter(is_active=True).order_by("first_name", "username")


class LeadFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", widget=_search())
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Lead.Status.choices, empty_label=_("All statuses")
    )
    source = django_filters.ChoiceFilter(
        label=_("Source"), choices=Lead.Source.choices, empty_label=_("All sources")
    )
    owner = django_filters.ModelChoiceFilter(
        label=_("Owner"), queryset=_users(), empty_label=_("Everyone")
    )
    min_score = django_filters.NumberFilter(
        label=_("Score at least"), field_name="score", lookup_expr="gte"
    )
    created_from = _day(_("Created from"), "created_at", "gte")
    created_to = _day(_("Created to"), "created_at", "lte")

    class Meta:
        model = Lead
        fields = ["q", "status", "source", "owner", "min_score", "created_from", "created_to"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(company_name__icontains=value) | Q(email__icontains=value)
        )


class OpportunityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", widget=_search())
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Opportunity.Status.choices, empty_label=_("All statuses")
    )
    stage = django_filters.ModelChoiceFilter(
        label=_("Stage"), queryset=Stage.objects.order_by("position"), empty_label=_("All stages")
    )
    owner = django_filters.ModelChoiceFilter(
        label=_("Owner"), queryset=_users(), empty_label=_("Everyone")
    )
    team = django_filters.ModelChoiceFilter(
        label=_("Team"), queryset=Team.objects.order_by("name"), empty_label=_("All teams")
    )
    party = django_filters.ModelChoiceFilter(
        label=_("Customer"), queryset=Party.objects.current(), widget=PartyPicker()
    )

    created_from = _day(_("Created from"), "created_at", "gte")
    created_to = _day(_("Created to"), "created_at", "lte")
    closed_from = _day(_("Closed from"), "closed_at", "gte")
    closed_to = _day(_("Closed to"), "closed_at", "lte")

    class Meta:
        model = Opportunity
        fields = [
            "q",
            "status",
            "stage",
            "owner",
            "team",
            "party",
            "created_from",
            "created_to",
            "closed_from",
            "closed_to",
        ]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(party__name__icontains=value))


class ActivityFilter(django_filters.FilterSet):
    STATES = (("open", _("Open")), ("overdue", _("Overdue")), ("done", _("Done")))

    q = django_filters.CharFilter(label=_("Search"), method="search", widget=_search())
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=STATES, method="by_state", empty_label=_("All")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Activity.Kind.choices, empty_label=_("All kinds")
    )
    owner = django_filters.ModelChoiceFilter(
        label=_("Owner"), queryset=_users(), empty_label=_("Everyone")
    )
    party = django_filters.ModelChoiceFilter(
        label=_("Contact"), queryset=Party.objects.current(), widget=PartyPicker()
    )

    class Meta:
        model = Activity
        fields = ["q", "state", "kind", "owner", "party"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(subject__icontains=value) | Q(party__name__icontains=value))

    def by_state(self, queryset, name, value):
        if value == "open":
            return queryset.filter(completed_at__isnull=True)
        if value == "overdue":
            return queryset.filter(completed_at__isnull=True, due_at__lt=timezone.now())
        if value == "done":
            return queryset.filter(completed_at__isnull=False)
        return queryset
