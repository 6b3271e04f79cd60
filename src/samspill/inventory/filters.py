"""Filtersets of the inventory list pages (and their exports)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samspill.inventory.models import (
    BillOfMaterials,
    Delivery,
    Location,
    ProductionOrder,
    Receipt,
    StockCount,
    StockLevel,
    StockMove,
    Warehouse,
)


def _locations():
    return [
        (str(pk), code)
        for pk, code in Location.objects.filter(kind=Location.Kind.INTERNAL)
        .order_by("code")
        .values_list("pk", "code")
    ]


def _warehouses():
    return [
        (str(pk), f"{code} {name}")
        for pk, code, name in Warehouse.objects.values_list("pk", "code", "name")
    ]


class StockFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_q",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("SKU or name")}),
    )
    warehouse = django_filters.ChoiceFilter(
        label=_("Warehouse"),
        choices=_warehouses,
        field_name="location__warehouse_id",
        empty_label=_("All warehouses"),
    )
    location = django_filters.ChoiceFilter(
        label=_("Location"),
        choices=_locations,
        field_name="location_id",
        empty_label=_("All locations"),
    )
    availability = django_filters.ChoiceFilter(
        label=_("Stock"),
        method="filter_availability",
        choices=[
            ("in_stock", _("On hand")),
            ("reserved", _("With reservations")),
            ("short", _("Nothing available")),
        ],
        empty_label=_("All rows"),
    )

    class Meta:
        model = StockLevel
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(product__sku__icontains=value)
            | Q(product__name_nb__icontains=value)
            | Q(product__name_en__icontains=value)
        )

    def filter_availability(self, queryset, name, value):
        if value == "in_stock":
            return queryset.exclude(on_hand=0)
        if value == "reserved":
            return queryset.filter(reserved__gt=0)
        return queryset.filter(available_qty__lte=0)


class DeliveryFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_q",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Delivery or order number")}
        ),
    )
    state = django_filters.ChoiceFilter(
        label=_("State"),
        method="filter_state",
        choices=[("open", _("Open")), *Delivery.State.choices],
        empty_label=_("All states"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Delivery.Kind.choices, empty_label=_("All kinds")
    )
    party = django_filters.NumberFilter(field_name="party_id", widget=forms.HiddenInput)

    class Meta:
        model = Delivery
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(number__icontains=value)
            | Q(order_number__icontains=value)
            | Q(party__name__icontains=value)
        )

    def filter_state(self, queryset, name, value):
        if value == "open":
            return queryset.filter(state__in=Delivery.OPEN)
        return queryset.filter(state=value)


class CountFilterSet(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=StockCount.State.choices, empty_label=_("All states")
    )
    location = django_filters.ChoiceFilter(
        label=_("Location"),
        choices=_locations,
        field_name="location_id",
        empty_label=_("All locations"),
    )

    class Meta:
        model = StockCount
        fields: list[str] = []


class ReceiptFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_q",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Receipt or purchase order number")}
        ),
    )
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=Receipt.State.choices, empty_label=_("All states")
    )
    party = django_filters.NumberFilter(field_name="party_id", widget=forms.HiddenInput)

    class Meta:
        model = Receipt
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(number__icontains=value)
            | Q(order_number__icontains=value)
            | Q(party__name__icontains=value)
        )


class StockValueFilterSet(django_filters.FilterSet):
    """The date and search of the stock value report; the report is an aggregate, so the
    filters rebuild it (queries.stock_value) instead of filtering rows."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="keep",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("SKU or name")}),
    )
    at = django_filters.DateFilter(
        label=_("Value at the end of"),
        method="keep",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = StockMove
        fields: list[str] = []

    def keep(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        from samspill.inventory.queries import stock_value

        data = self.form.cleaned_data
        return stock_value(
            data.get("at"), data.get("q") or "", user=self.request.user if self.request else None
        )


class BomFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_q",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("SKU")}),
    )

    class Meta:
        model = BillOfMaterials
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(product__sku__icontains=value) | Q(lines__product__sku__icontains=value)
        ).distinct()


class ProductionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_q",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Number or SKU")}),
    )
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=ProductionOrder.State.choices, empty_label=_("All states")
    )

    class Meta:
        model = ProductionOrder
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(number__icontains=value) | Q(product__sku__icontains=value))
