"""One filterset for the contact list page, its export and the API list."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from samspill.parties.forms import ROLE_CHOICES
from samspill.parties.models import Party, Tag
from samspill.parties.queries import search_condition

ACTIVE_CHOICES = [("true", _("Active")), ("false", _("Inactive"))]


class PartyFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_q",
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "class": "form-control",
                "placeholder": _("Name, org. no., email or phone"),
            }
        ),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        choices=Party.Kind.choices,
        empty_label=_("All kinds"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    role = django_filters.ChoiceFilter(
        label=_("Role"),
        choices=ROLE_CHOICES,
        method="filter_role",
        empty_label=_("All roles"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    tag = django_filters.ModelChoiceFilter(
        label=_("Tag"),
        field_name="tags",
        to_field_name="name",
        queryset=Tag.objects.order_by("name"),
        empty_label=_("All tags"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    active = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=ACTIVE_CHOICES,
        method="filter_active",
        empty_label=_("All statuses"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    class Meta:
        model = Party
        fields = ["q", "kind", "role", "tag", "active"]

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()
        return queryset.filter(search_condition(value)) if value else queryset

    def filter_role(self, queryset, name, value):
        field = Party.ROLE_FIELDS.get(value)
        return queryset.filter(**{field: True}) if field else queryset

    def filter_active(self, queryset, name, value):
        return queryset.filter(is_active=(value == "true")) if value else queryset
