"""One filterset per list: the list page, its export and the API list."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samspill.platform.filters import yes_no_filter
from samspill.purchasing.models import PurchaseOrder, PurchaseOrderLine, ReorderRule, SupplierInfo
from samspill.purchasing.queries import OPEN_STATUSES


def _search(queryset, _name, value):
    value = (value or "").strip()
    if not value:
        return queryset
    return queryset.filter(
        Q(number__icontains=value) | Q(reference__icontains=value) | Q(party__name__icontains=value)
    )


def _date(label, field, lookup):
    return django_filters.DateFilter(
        label=label,
        field_name=field,
        lookup_expr=lookup,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class PurchaseOrderFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method=_search,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Number or supplier")}),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=PurchaseOrder.Status.choices, empty_label=_("All statuses")
    )
    open = yes_no_filter(_("Open only"), method="filter_open")
    party = django_filters.NumberFilter(label=_("Supplier id"), field_name="party_id")
    ordered_from = _date(_("Date from"), "order_date", "gte")
    ordered_to = _date(_("Date to"), "order_date", "lte")

    class Meta:
        model = PurchaseOrder
        fields = ["q", "status", "open", "party", "ordered_from", "ordered_to"]

    def filter_open(self, queryset, _name, value):
        if value is None:
            return queryset
        if value:
            return queryset.filter(status__in=OPEN_STATUSES)
        return queryset.exclude(status__in=OPEN_STATUSES)


def _line_search(queryset, _name, value):
    value = (value or "").strip()
    if not value:
        return queryset
    return queryset.filter(
        Q(order__number__icontains=value)
        | Q(sku__icontains=value)
        | Q(description__icontains=value)
        | Q(order__party__name__icontains=value)
    )


class PurchaseLineFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method=_line_search,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Order, SKU or supplier")}
        ),
    )
    party = django_filters.NumberFilter(label=_("Supplier id"), field_name="order__party_id")
    product = django_filters.NumberFilter(label=_("Product id"), field_name="product_id")
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        field_name="order__status",
        choices=PurchaseOrder.Status.choices,
        empty_label=_("All statuses"),
    )
    ordered_from = _date(_("Date from"), "order__order_date", "gte")
    ordered_to = _date(_("Date to"), "order__order_date", "lte")

    class Meta:
        model = PurchaseOrderLine
        fields = ["q", "party", "product", "status", "ordered_from", "ordered_to"]


def _product_search(queryset, _name, value):
    value = (value or "").strip()
    if not value:
        return queryset
    return queryset.filter(
        Q(product__sku__icontains=value)
        | Q(product__name_nb__icontains=value)
        | Q(party__name__icontains=value)
    )


class SupplierInfoFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method=_product_search,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("SKU or supplier")}),
    )
    party = django_filters.NumberFilter(label=_("Supplier id"), field_name="party_id")
    product = django_filters.NumberFilter(label=_("Product id"), field_name="product_id")

    class Meta:
        model = SupplierInfo
        fields = ["q", "party", "product"]


class ReorderRuleFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method=_product_search,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("SKU or supplier")}),
    )
    is_active = yes_no_filter(_("Active"))

    class Meta:
        model = ReorderRule
        fields = ["q", "is_active"]
