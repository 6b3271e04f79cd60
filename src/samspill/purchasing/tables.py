"""Tables of the purchasing UI: the list pages and their CSV/XLSX export."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from samspill.purchasing.models import PurchaseOrder, PurchaseOrderLine, ReorderRule, SupplierInfo

BADGES = {
    "draft": "secondary",
    "sent": "info",
    "confirmed": "primary",
    "partial": "warning",
    "received": "success",
    "closed": "dark",
    "cancelled": "light",
}
RIGHT = {"td": {"class": "text-end text-nowrap"}, "th": {"class": "text-end"}}


def _money(value) -> str:
    return number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)


def _qty(value) -> str:
    return number_format(value.normalize() if value else value, use_l10n=True, force_grouping=True)


def badge(record) -> str:
    return format_html(
        '<span class="badge text-bg-{}">{}</span>',
        BADGES.get(record.status, "secondary"),
        record.get_status_display(),
    )


class PurchaseOrderTable(tables.Table):
    number = tables.Column(verbose_name=_("Number"), linkify=True)
    party = tables.Column(verbose_name=_("Supplier"), order_by=("party__name",))
    order_date = tables.DateColumn(verbose_name=_("Order date"), short=True)
    expected_date = tables.DateColumn(verbose_name=_("Expected"), short=True)
    status = tables.Column(verbose_name=_("Status"))
    reference = tables.Column(verbose_name=_("Supplier reference"))
    currency = tables.Column(verbose_name=_("Currency"))
    net_total = tables.Column(verbose_name=_("Excl. VAT"), attrs=RIGHT)
    total = tables.Column(verbose_name=_("Total"), attrs=RIGHT)

    class Meta:
        model = PurchaseOrder
        fields = (
            "number",
            "party",
            "order_date",
            "expected_date",
            "status",
            "reference",
            "currency",
            "net_total",
            "total",
        )
        order_by = ("-order_date",)
        attrs = {"class": "table table-hover table-sm align-middle"}
        empty_text = _("No purchase orders.")

    def render_party(self, record):
        return record.party.display_name

    def value_party(self, record):
        return record.party.display_name

    def render_status(self, record):
        return badge(record)

    def value_status(self, record):
        return record.get_status_display()

    def render_net_total(self, value):
        return _money(value)

    def render_total(self, value):
        return _money(value)


class PurchaseLineTable(tables.Table):
    """The purchase history: one row per purchase order line."""

    order = tables.Column(
        verbose_name=_("Purchase order"), accessor="order__number", order_by=("order__number",)
    )
    order_date = tables.DateColumn(
        verbose_name=_("Order date"), accessor="order__order_date", short=True
    )
    party = tables.Column(
        verbose_name=_("Supplier"), accessor="order__party", order_by=("order__party__name",)
    )
    sku = tables.Column(verbose_name=_("SKU"))
    description = tables.Column(verbose_name=_("Description"))
    quantity = tables.Column(verbose_name=_("Quantity"), attrs=RIGHT)
    unit = tables.Column(verbose_name=_("Unit"))
    unit_price = tables.Column(verbose_name=_("Unit price"), attrs=RIGHT)
    discount_percent = tables.Column(verbose_name=_("Discount %"), attrs=RIGHT)
    net_amount = tables.Column(verbose_name=_("Amount"), attrs=RIGHT)
    received_quantity = tables.Column(verbose_name=_("Received"), attrs=RIGHT)
    billed_quantity = tables.Column(verbose_name=_("Billed"), attrs=RIGHT)
    status = tables.Column(
        verbose_name=_("Status"), accessor="order__status", order_by=("order__status",)
    )

    class Meta:
        model = PurchaseOrderLine
        fields = (
            "order",
            "order_date",
            "party",
            "sku",
            "description",
            "quantity",
            "unit",
            "unit_price",
            "discount_percent",
            "net_amount",
            "received_quantity",
            "billed_quantity",
            "status",
        )
        order_by = ("-order_date",)
        attrs = {"class": "table table-hover table-sm align-middle"}
        empty_text = _("No purchases.")

    def render_order(self, record):
        return format_html(
            '<a href="{}">{}</a>', record.order.get_absolute_url(), record.order.number
        )

    def value_order(self, record):
        return record.order.number

    def render_party(self, record):
        return record.order.party.display_name

    def value_party(self, record):
        return record.order.party.display_name

    def render_status(self, record):
        return badge(record.order)

    def value_status(self, record):
        return record.order.get_status_display()

    def render_quantity(self, value):
        return _qty(value)

    def render_received_quantity(self, value):
        return _qty(value)

    def render_billed_quantity(self, value):
        return _qty(value)

    def render_unit_price(self, value):
        return _money(value)

    def render_net_amount(self, value):
        return _money(value)


class SupplierInfoTable(tables.Table):
    product = tables.Column(
        verbose_name=_("Product"), accessor="product__sku", order_by=("product__sku",)
    )
    party = tables.Column(verbose_name=_("Supplier"), order_by=("party__name",))
    supplier_sku = tables.Column(verbose_name=_("Supplier SKU"))
    price = tables.Column(verbose_name=_("Purchase price"), attrs=RIGHT)
    lead_time_days = tables.Column(verbose_name=_("Lead time (days)"), attrs=RIGHT)
    sequence = tables.Column(verbose_name=_("Sequence"), attrs=RIGHT)
    actions = tables.TemplateColumn(
        template_name="purchasing/_delete_button.html", verbose_name="", orderable=False
    )

    class Meta:
        model = SupplierInfo
        fields = ("product", "party", "supplier_sku", "price", "lead_time_days", "sequence")
        order_by = ("product",)
        attrs = {"class": "table table-hover table-sm align-middle"}
        empty_text = _("No supplier info.")

    def render_party(self, record):
        return record.party.display_name

    def value_party(self, record):
        return record.party.display_name

    def render_price(self, value):
        return _money(value)


class ReorderRuleTable(tables.Table):
    product = tables.Column(
        verbose_name=_("Product"), accessor="product__sku", order_by=("product__sku",)
    )
    warehouse = tables.Column(
        verbose_name=_("Warehouse"), accessor="warehouse__code", order_by=("warehouse__code",)
    )
    min_quantity = tables.Column(verbose_name=_("Minimum"), attrs=RIGHT)
    max_quantity = tables.Column(verbose_name=_("Maximum"), attrs=RIGHT)
    party = tables.Column(verbose_name=_("Supplier"), order_by=("party__name",), default="")
    is_active = tables.BooleanColumn(verbose_name=_("Active"))
    actions = tables.TemplateColumn(
        template_name="purchasing/_delete_button.html", verbose_name="", orderable=False
    )

    class Meta:
        model = ReorderRule
        fields = ("product", "warehouse", "min_quantity", "max_quantity", "party", "is_active")
        order_by = ("product",)
        attrs = {"class": "table table-hover table-sm align-middle"}
        empty_text = _("No reorder rules.")

    def render_party(self, record):
        return record.party.display_name if record.party else "—"

    def value_party(self, record):
        return record.party.display_name if record.party else ""

    def render_min_quantity(self, value):
        return _qty(value)

    def render_max_quantity(self, value):
        return _qty(value)


class ReplenishmentTable(tables.Table):
    """The replenishment screen: one row per active reorder rule (dict rows)."""

    sku = tables.Column(verbose_name=_("SKU"))
    name = tables.Column(verbose_name=_("Product"))
    warehouse = tables.Column(verbose_name=_("Warehouse"))
    on_hand = tables.Column(verbose_name=_("On hand"), attrs=RIGHT)
    incoming = tables.Column(verbose_name=_("Incoming"), attrs=RIGHT)
    reserved = tables.Column(verbose_name=_("Reserved"), attrs=RIGHT)
    projected = tables.Column(verbose_name=_("Projected"), attrs=RIGHT)
    min_quantity = tables.Column(verbose_name=_("Minimum"), attrs=RIGHT)
    max_quantity = tables.Column(verbose_name=_("Maximum"), attrs=RIGHT)
    quantity = tables.Column(verbose_name=_("To order"), attrs=RIGHT)
    supplier = tables.Column(verbose_name=_("Supplier"))
    price = tables.Column(verbose_name=_("Purchase price"), attrs=RIGHT)

    class Meta:
        attrs = {"class": "table table-hover table-sm align-middle"}
        row_attrs = {"class": lambda record: "table-warning" if record["below"] else ""}
        empty_text = _("No reorder rules yet. Add one to keep a product in stock.")

    def render_quantity(self, value):
        return format_html("<strong>{}</strong>", _qty(value)) if value else "–"

    def render_on_hand(self, value):
        return _qty(value)

    def render_incoming(self, value):
        return _qty(value)

    def render_reserved(self, value):
        return _qty(value)

    def render_projected(self, value):
        return _qty(value)

    def render_min_quantity(self, value):
        return _qty(value)

    def render_max_quantity(self, value):
        return _qty(value)

    def render_price(self, value):
        return _money(value) if value is not None else "—"
