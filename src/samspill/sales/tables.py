"""Tables of the sales UI: the list pages and their CSV/XLSX export."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from samspill.sales.models import Order, Quote

BADGES = {
    "draft": "secondary",
    "sent": "info",
    "accepted": "success",
    "declined": "danger",
    "expired": "warning",
    "confirmed": "primary",
    "cancelled": "dark",
    "nothing": "light",
    "partial": "warning",
    "full": "success",
}
RIGHT = {"td": {"class": "text-end text-nowrap"}, "th": {"class": "text-end"}}


def badge(value: str, label) -> str:
    return format_html(
        '<span class="badge text-bg-{}">{}</span>', BADGES.get(value, "secondary"), label
    )


def _money(value) -> str:
    return number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)


class QuoteTable(tables.Table):
    number = tables.Column(verbose_name=_("Number"), linkify=True)
    party = tables.Column(verbose_name=_("Customer"), order_by=("party__name",))
    issue_date = tables.DateColumn(verbose_name=_("Date"), short=True)
    valid_until = tables.DateColumn(verbose_name=_("Valid until"), short=True)
    status = tables.Column(verbose_name=_("Status"))
    currency = tables.Column(verbose_name=_("Currency"))
    net_total = tables.Column(verbose_name=_("Excl. VAT"), attrs=RIGHT)
    total = tables.Column(verbose_name=_("Total"), attrs=RIGHT)

    class Meta:
        model = Quote
        fields = (
            "number",
            "party",
            "issue_date",
            "valid_until",
            "status",
            "currency",
            "net_total",
            "total",
        )
        order_by = ("-issue_date",)
        attrs = {"class": "table table-hover table-sm align-middle"}
        empty_text = _("No quotes.")

    def render_party(self, record):
        return record.party.display_name

    def value_party(self, record):
        return record.party.display_name

    def render_status(self, record):
        return badge(record.status, record.get_status_display())

    def value_status(self, record):
        return record.get_status_display()

    def render_net_total(self, value):
        return _money(value)

    def render_total(self, value):
        return _money(value)


class OrderTable(tables.Table):
    number = tables.Column(verbose_name=_("Number"), linkify=True)
    party = tables.Column(verbose_name=_("Customer"), order_by=("party__name",))
    order_date = tables.DateColumn(verbose_name=_("Date"), short=True)
    status = tables.Column(verbose_name=_("Status"))
    delivery_status = tables.Column(verbose_name=_("Delivery"))
    invoice_status = tables.Column(verbose_name=_("Invoicing"))
    payment_status = tables.Column(verbose_name=_("Payment"))
    currency = tables.Column(verbose_name=_("Currency"))
    total = tables.Column(verbose_name=_("Total"), attrs=RIGHT)

    class Meta:
        model = Order
        fields = (
            "number",
            "party",
            "order_date",
            "status",
            "delivery_status",
            "invoice_status",
            "payment_status",
            "currency",
            "total",
        )
        order_by = ("-order_date",)
        attrs = {"class": "table table-hover table-sm align-middle"}
        empty_text = _("No sales orders.")

    def render_party(self, record):
        return record.party.display_name

    def value_party(self, record):
        return record.party.display_name

    def render_status(self, record):
        return badge(record.status, record.get_status_display())

    def render_delivery_status(self, record):
        return badge(record.delivery_status, record.get_delivery_status_display())

    def render_invoice_status(self, record):
        return badge(record.invoice_status, record.get_invoice_status_display())

    def render_payment_status(self, record):
        return badge(record.payment_status, record.get_payment_status_display())

    def value_status(self, record):
        return record.get_status_display()

    def value_delivery_status(self, record):
        return record.get_delivery_status_display()

    def value_invoice_status(self, record):
        return record.get_invoice_status_display()

    def value_payment_status(self, record):
        return record.get_payment_status_display()

    def render_total(self, value):
        return _money(value)
