import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samspill.platform.filters import yes_no_filter
from samspill.platform.permissions import ROLES
from samspill.users.models import User


def _role_choices():
    return list(ROLES.items())


class UserFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "class": "form-control"}),
    )
    role = django_filters.ChoiceFilter(
        label=_("Role"),
        choices=_role_choices,
        field_name="groups__name",
        empty_label=_("All roles"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    is_active = yes_no_filter(_("Active"))

    class Meta:
        model = User
        fields = ["q", "role", "is_active"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(username__icontains=value)
            | Q(first_name__icontains=value)
            | Q(last_name__icontains=value)
            | Q(email__icontains=value)
        )
