import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samspill.organization.models import Department, Team


def _search_widget():
    return forms.TextInput(attrs={"type": "search", "class": "form-control"})


def _select():
    return forms.Select(attrs={"class": "form-select"})


class DepartmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", widget=_search_widget())
    office = django_filters.ChoiceFilter(
        label=_("Office"),
        choices=Department.Office.choices,
        empty_label=_("Front and back"),
        widget=_select(),
    )
    function = django_filters.ChoiceFilter(
        label=_("Function"),
        choices=Department.Function.choices,
        empty_label=_("All functions"),
        widget=_select(),
    )

    class Meta:
        model = Department
        fields = ["q", "office", "function"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))


class TeamFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", widget=_search_widget())
    department = django_filters.ModelChoiceFilter(
        label=_("Department"),
        queryset=Department.objects.order_by("name"),
        empty_label=_("All departments"),
        widget=_select(),
    )
    office = django_filters.ChoiceFilter(
        label=_("Office"),
        field_name="department__office",
        choices=Department.Office.choices,
        empty_label=_("Front and back"),
        widget=_select(),
    )

    class Meta:
        model = Team
        fields = ["q", "department", "office"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(lead__first_name__icontains=value)
            | Q(lead__last_name__icontains=value)
        )
