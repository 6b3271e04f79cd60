"""Tables of the catalog UI: the list pages and their CSV/XLSX export."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from samspill.catalog.models import PriceList, Product


def _money(value) -> str:
    return number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)


class ProductTable(tables.Table):
    sku = tables.Column(verbose_name=_("SKU"), linkify=True, attrs={"td": {"class": "text-nowrap"}})
    name = tables.Column(verbose_name=_("Name"), order_by=("name_nb", "name_en"), empty_values=())
    product_type = tables.Column(verbose_name=_("Type"))
    category = tables.Column(verbose_name=_("Category"), order_by=("category__name",))
    unit = tables.Column(verbose_name=_("Unit"), orderable=False)
    sales_price = tables.Column(
        verbose_name=_("Price (NOK)"),
        attrs={"td": {"class": "text-end text-nowrap"}, "th": {"class": "text-end"}},
    )
    vat_category = tables.Column(verbose_name=_("VAT"))
    barcode = tables.Column(verbose_name=_("Barcode"), attrs={"td": {"class": "text-nowrap"}})

    class Meta:
        model = Product
        fields = (
            "sku",
            "name",
            "product_type",
            "category",
            "unit",
            "sales_price",
            "vat_category",
            "barcode",
        )
        order_by = ("sku",)
        attrs = {"class": "table table-hover table-sm align-middle"}
        row_attrs = {"class": lambda record: "" if record.is_active else "text-body-secondary"}
        empty_text = _("No products.")

    def render_name(self, record):
        badge = ""
        if not record.is_active:
            badge = format_html(' <span class="badge text-bg-secondary">{}</span>', _("archived"))
        return format_html("{}{}", record.name, badge)

    def value_name(self, record):
        return record.name

    def render_category(self, record):
        return record.category.name if record.category_id else "—"

    def value_category(self, record):
        return record.category.name if record.category_id else ""

    def render_unit(self, record):
        return record.unit.code

    def render_sales_price(self, value):
        return _money(value)

    def value_sales_price(self, value):
        return value

    def render_vat_category(self, record):
        return record.get_vat_category_display()

    def value_vat_category(self, record):
        return record.vat_category


class PriceListTable(tables.Table):
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    currency = tables.Column(verbose_name=_("Currency"))
    valid_from = tables.DateColumn(verbose_name=_("Valid from"), short=True)
    valid_to = tables.DateColumn(verbose_name=_("Valid to"), short=True)
    item_count = tables.Column(verbose_name=_("Prices"), attrs={"td": {"class": "text-end"}})
    is_active = tables.BooleanColumn(verbose_name=_("Active"))

    class Meta:
        model = PriceList
        fields = ("name", "currency", "valid_from", "valid_to", "item_count", "is_active")
        order_by = ("name",)
        attrs = {"class": "table table-hover table-sm align-middle"}
        empty_text = _("No price lists.")
