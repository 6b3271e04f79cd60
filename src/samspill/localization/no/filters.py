import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samspill.localization.no.models import VatCode


class VatCodeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "class": "form-control"}),
    )
    direction = django_filters.ChoiceFilter(
        label=_("Direction"), choices=VatCode.Direction.choices, empty_label=_("Both")
    )
    treatment = django_filters.ChoiceFilter(
        label=_("Treatment"), choices=VatCode.Treatment.choices, empty_label=_("All")
    )

    class Meta:
        model = VatCode
        fields = ["q", "direction", "treatment"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(code=value) | Q(name__icontains=value))
