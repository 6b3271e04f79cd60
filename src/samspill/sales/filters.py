"""One filterset per list: the list page, its export and the API list."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samspill.platform.filters import yes_no_filter
from samspill.sales.models import Order, Quote
from samspill.sales.queries import OPEN_QUOTE_STATUSES


def _search(queryset, _name, value):
    value = (value or "").strip()
    if not value:
        return queryset
    return queryset.filter(
        Q(number__icontains=value) | Q(reference__icontains=value) | Q(party__name__icontains=value)
    )


class QuoteFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method=_search,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Number or customer")}),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Quote.Status.choices, empty_label=_("All statuses")
    )
    open = yes_no_filter(_("Open only"), method="filter_open")
    party = django_filters.NumberFilter(label=_("Customer id"), field_name="party_id")
    issued_from = django_filters.DateFilter(
        label=_("Date from"),
        field_name="issue_date",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    issued_to = django_filters.DateFilter(
        label=_("Date to"),
        field_name="issue_date",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Quote
        fields = ["q", "status", "open", "party", "issued_from", "issued_to"]

    def filter_open(self, queryset, _name, value):
        if value is None:
            return queryset
        if value:
            return queryset.filter(status__in=OPEN_QUOTE_STATUSES)
        return queryset.exclude(status__in=OPEN_QUOTE_STATUSES)


class OrderFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method=_search,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Number or customer")}),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Order.Status.choices, empty_label=_("All statuses")
    )
    delivery_status = django_filters.ChoiceFilter(
        label=_("Delivery"), choices=Order.DeliveryStatus.choices, empty_label=_("All")
    )
    invoice_status = django_filters.ChoiceFilter(
        label=_("Invoicing"), choices=Order.InvoiceStatus.choices, empty_label=_("All")
    )
    payment_status = django_filters.ChoiceFilter(
        label=_("Payment"), choices=Order.PaymentStatus.choices, empty_label=_("All")
    )
    party = django_filters.NumberFilter(label=_("Customer id"), field_name="party_id")
    ordered_from = django_filters.DateFilter(
        label=_("Date from"),
        field_name="order_date",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    ordered_to = django_filters.DateFilter(
        label=_("Date to"),
        field_name="order_date",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Order
        fields = [
            "q",
            "status",
            "delivery_status",
            "invoice_status",
            "payment_status",
            "party",
            "ordered_from",
            "ordered_to",
        ]
