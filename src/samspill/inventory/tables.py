"""Tables of the inventory UI: the list pages and their CSV/XLSX export."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from samspill.inventory.models import (
    BillOfMaterials,
    Delivery,
    ProductionOrder,
    Receipt,
    StockCount,
    StockLevel,
)

NUM = {"td": {"class": "text-end text-nowrap"}, "th": {"class": "text-end"}}


def quantity(value) -> str:
    return number_format(value, decimal_pos=3, use_l10n=True, force_grouping=True)


class QuantityColumn(tables.Column):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", NUM)
        super().__init__(*args, **kwargs)

    def render(self, value):
        return quantity(value)

    def value(self, value):
        return value


class StockTable(tables.Table):
    sku = tables.Column(verbose_name=_("SKU"), accessor="product__sku", order_by=("product__sku",))
    name = tables.Column(
        verbose_name=_("Product"), accessor="product__name_nb", order_by=("product__name_nb",)
    )
    location = tables.Column(
        verbose_name=_("Location"), accessor="location__code", order_by=("location__code",)
    )
    on_hand = QuantityColumn(verbose_name=_("On hand"))
    reserved = QuantityColumn(verbose_name=_("Reserved"))
    available = QuantityColumn(
        verbose_name=_("Available"), accessor="available_qty", order_by=("available_qty",)
    )
    unit = tables.Column(verbose_name=_("Unit"), accessor="product__unit__code", orderable=False)

    class Meta:
        model = StockLevel
        fields = ("sku", "name", "location", "on_hand", "reserved", "available", "unit")
        order_by = ("sku",)
        attrs = {"class": "table table-hover table-sm align-middle"}
        empty_text = _("No stock.")

    def render_sku(self, record):
        url = reverse("inventory:product_stock", args=[record.product_id])
        return format_html('<a href="{}">{}</a>', url, record.product.sku)

    def render_name(self, record):
        return record.product.name

    def value_name(self, record):
        return record.product.name


class DeliveryTable(tables.Table):
    number = tables.Column(
        verbose_name=_("Number"), linkify=True, attrs={"td": {"class": "text-nowrap"}}
    )
    kind = tables.Column(verbose_name=_("Kind"))
    party = tables.Column(verbose_name=_("Customer"), order_by=("party__name",))
    order_number = tables.Column(verbose_name=_("Order"))
    state = tables.Column(verbose_name=_("State"))
    created_at = tables.DateTimeColumn(verbose_name=_("Created"), short=True)
    done_at = tables.DateTimeColumn(verbose_name=_("Shipped"), short=True)

    class Meta:
        model = Delivery
        fields = ("number", "kind", "party", "order_number", "state", "created_at", "done_at")
        order_by = ("-created_at",)
        attrs = {"class": "table table-hover table-sm align-middle"}
        empty_text = _("No deliveries.")

    def render_state(self, record):
        css = {
            "waiting": "text-bg-warning",
            "ready": "text-bg-info",
            "done": "text-bg-success",
            "cancelled": "text-bg-secondary",
        }[record.state]
        return format_html('<span class="badge {}">{}</span>', css, record.get_state_display())

    def value_state(self, record):
        return record.get_state_display()


class ReceiptTable(tables.Table):
    number = tables.Column(
        verbose_name=_("Number"), linkify=True, attrs={"td": {"class": "text-nowrap"}}
    )
    party = tables.Column(verbose_name=_("Supplier"), order_by=("party__name",))
    order_number = tables.Column(verbose_name=_("Purchase order"))
    state = tables.Column(verbose_name=_("State"))
    expected_date = tables.DateColumn(verbose_name=_("Expected"), short=True)
    created_at = tables.DateTimeColumn(verbose_name=_("Created"), short=True)
    done_at = tables.DateTimeColumn(verbose_name=_("Received"), short=True)

    class Meta:
        model = Receipt
        fields = (
            "number",
            "party",
            "order_number",
            "state",
            "expected_date",
            "created_at",
            "done_at",
        )
        order_by = ("-created_at",)
        attrs = {"class": "table table-hover table-sm align-middle"}
        empty_text = _("No receipts.")

    def render_state(self, record):
        css = {
            "expected": "text-bg-warning",
            "done": "text-bg-success",
            "cancelled": "text-bg-secondary",
        }[record.state]
        return format_html('<span class="badge {}">{}</span>', css, record.get_state_display())

    def value_state(self, record):
        return record.get_state_display()


class CountTable(tables.Table):
    number = tables.Column(verbose_name=_("Number"), linkify=True)
    location = tables.Column(
        verbose_name=_("Location"), accessor="location__code", order_by=("location__code",)
    )
    state = tables.Column(verbose_name=_("State"))
    line_count = tables.Column(verbose_name=_("Lines"), attrs=NUM)
    reason = tables.Column(verbose_name=_("Reason"))
    created_at = tables.DateTimeColumn(verbose_name=_("Created"), short=True)
    posted_at = tables.DateTimeColumn(verbose_name=_("Posted"), short=True)

    class Meta:
        model = StockCount
        fields = ("number", "location", "state", "line_count", "reason", "created_at", "posted_at")
        order_by = ("-created_at",)
        attrs = {"class": "table table-hover table-sm align-middle"}
        empty_text = _("No stock counts.")


class StockValueTable(tables.Table):
    """The stock value report: quantity and value per product at a date."""

    sku = tables.Column(verbose_name=_("SKU"))
    name = tables.Column(verbose_name=_("Product"), accessor="name_nb", order_by=("name_nb",))
    quantity = tables.Column(verbose_name=_("On hand"), attrs=NUM)
    unit_cost = tables.Column(
        verbose_name=_("Unit cost"), accessor="value", orderable=False, attrs=NUM
    )
    value = tables.Column(verbose_name=_("Value"), attrs=NUM)

    class Meta:
        attrs = {"class": "table table-hover table-sm align-middle"}
        order_by = ("sku",)
        empty_text = _("No stock.")

    def render_sku(self, record, value):
        url = reverse("inventory:product_stock", args=[record["product_id"]])
        return format_html('<a href="{}">{}</a>', url, value)

    def render_name(self, record):
        return record["name_nb"] or record["name_en"]

    def value_name(self, record):
        return record["name_nb"] or record["name_en"]

    def render_quantity(self, value):
        return number_format(value.normalize(), use_l10n=True, force_grouping=True)

    def value_unit_cost(self, record):
        return _unit_cost(record)

    def render_unit_cost(self, record):
        cost = _unit_cost(record)
        return "" if cost is None else number_format(cost, decimal_pos=2, use_l10n=True)

    def render_value(self, value):
        return number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)


def _unit_cost(record):
    from decimal import ROUND_HALF_UP, Decimal

    if not record["quantity"]:
        return None
    return (record["value"] / record["quantity"]).quantize(Decimal("0.01"), ROUND_HALF_UP)


class BomTable(tables.Table):
    product = tables.Column(verbose_name=_("Product"), order_by=("product__sku",))
    quantity = tables.Column(verbose_name=_("Quantity"), attrs={"td": {"class": "text-end"}})
    components = tables.Column(verbose_name=_("Components"), empty_values=(), orderable=False)
    created_at = tables.DateTimeColumn(verbose_name=_("Created"), short=True)
    produce = tables.Column(
        verbose_name="", empty_values=(), orderable=False, exclude_from_export=True
    )

    class Meta:
        model = BillOfMaterials
        fields = ("product", "quantity", "components", "created_at")
        attrs = {"class": "table table-hover table-sm align-middle"}
        empty_text = _("No bills of materials.")

    def render_product(self, record):
        return format_html(
            '<span id="bom-{}">{}</span> <span class="text-body-secondary small">{}</span>',
            record.pk,
            record.product.sku,
            record.product.name,
        )

    def value_product(self, record):
        return record.product.sku

    def render_quantity(self, record):
        return f"{number_format(record.quantity.normalize())} {record.product.unit.code}"

    def value_quantity(self, record):
        return record.quantity

    def render_components(self, record):
        return ", ".join(
            f"{line.product.sku} × {number_format(line.quantity.normalize())} {line.unit.code}"
            for line in record.lines.all()
        )

    def render_produce(self, record):
        return format_html(
            '<a class="btn btn-outline-primary btn-sm" href="{}?bom={}">{}</a>',
            reverse("inventory:production_create"),
            record.pk,
            _("Produce"),
        )


class ProductionTable(tables.Table):
    number = tables.Column(
        verbose_name=_("Number"), linkify=True, attrs={"td": {"class": "text-nowrap"}}
    )
    product = tables.Column(verbose_name=_("Product"), order_by=("product__sku",))
    quantity = tables.Column(verbose_name=_("Quantity"), attrs={"td": {"class": "text-end"}})
    warehouse = tables.Column(verbose_name=_("Warehouse"), order_by=("warehouse__code",))
    state = tables.Column(verbose_name=_("State"))
    value = tables.Column(verbose_name=_("Value"), attrs={"td": {"class": "text-end"}})
    created_at = tables.DateTimeColumn(verbose_name=_("Created"), short=True)
    done_at = tables.DateTimeColumn(verbose_name=_("Done"), short=True)

    class Meta:
        model = ProductionOrder
        fields = (
            "number",
            "product",
            "quantity",
            "warehouse",
            "state",
            "value",
            "created_at",
            "done_at",
        )
        order_by = ("-created_at",)
        attrs = {"class": "table table-hover table-sm align-middle"}
        empty_text = _("No production orders.")

    def render_product(self, record):
        return record.product.sku

    def render_warehouse(self, record):
        return record.warehouse.code

    def render_quantity(self, record):
        return f"{number_format(record.quantity.normalize())} {record.product.unit.code}"

    def value_quantity(self, record):
        return record.quantity

    def render_value(self, record):
        return number_format(record.value, 2, force_grouping=True)

    def render_state(self, record):
        css = {
            "draft": "text-bg-light",
            "confirmed": "text-bg-warning",
            "done": "text-bg-success",
            "cancelled": "text-bg-secondary",
        }[record.state]
        return format_html('<span class="badge {}">{}</span>', css, record.get_state_display())

    def value_state(self, record):
        return record.get_state_display()
