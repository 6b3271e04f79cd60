"""One filterset for the product list page, its export and the API list."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from samspill.catalog import queries
from samspill.catalog.models import Category, PriceList, Product, VatCategory
from samspill.catalog.queries import search_condition

ACTIVE_CHOICES = [("true", _("Active")), ("false", _("Archived"))]


def _category_choices():
    return [(str(c.pk), c.path) for c in queries.categories()]  # one query, paths in memory


def _with_subcategories(category_id: int) -> set[int]:
    ids, frontier = {category_id}, {category_id}
    rows = list(Category.objects.values_list("pk", "parent_id"))
    while frontier:
        frontier = {pk for pk, parent in rows if parent in frontier} - ids
        ids |= frontier
    return ids


class ProductFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_q",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("SKU, name or barcode")}),
    )
    product_type = django_filters.ChoiceFilter(
        label=_("Type"), choices=Product.Type.choices, empty_label=_("All types")
    )
    category = django_filters.ChoiceFilter(
        label=_("Category"),
        choices=_category_choices,
        method="filter_category",
        empty_label=_("All categories"),
    )
    vat_category = django_filters.ChoiceFilter(
        label=_("VAT category"), choices=VatCategory.choices, empty_label=_("All VAT categories")
    )
    active = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=ACTIVE_CHOICES,
        method="filter_active",
        empty_label=_("Active and archived"),
    )

    class Meta:
        model = Product
        fields = ["q", "product_type", "category", "vat_category", "active"]

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()
        return queryset.filter(search_condition(value)) if value else queryset

    def filter_category(self, queryset, name, value):
        if not value or not str(value).isdigit():
            return queryset
        return queryset.filter(category_id__in=_with_subcategories(int(value)))

    def filter_active(self, queryset, name, value):
        return queryset.filter(is_active=(value == "true")) if value else queryset


class PriceListFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        field_name="name",
        lookup_expr="icontains",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name")}),
    )
    currency = django_filters.CharFilter(label=_("Currency"), method="filter_currency")
    active = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[("true", _("Active")), ("false", _("Inactive"))],
        method="filter_active",
        empty_label=_("Active and inactive"),
    )

    class Meta:
        model = PriceList
        fields = ["q", "currency", "active"]

    def filter_currency(self, queryset, name, value):
        return queryset.filter(currency=value.strip().upper()) if value else queryset

    def filter_active(self, queryset, name, value):
        return queryset.filter(is_active=(value == "true")) if value else queryset
