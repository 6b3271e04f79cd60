"""Forms of the catalog UI. They check the shape of the input; the rules live in the
services, whose DomainErrors the views put back on these forms."""

from __future__ import annotations

from typing import cast

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from samspill.catalog import queries
from samspill.catalog.models import PriceList, Product, Unit, VatCategory

LIVE_FIELDS = ("sku", "barcode")


class BootstrapMixin:
    """Bootstrap classes and ARIA attributes on every widget, `is-invalid` after errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"id_{self.add_prefix(name)}_error"


def _category_choices():
    return [("", "—")] + [(str(c.pk), c.path) for c in queries.categories()]


def _unit_label(unit) -> str:
    return f"{unit.name} ({unit.code})"


class ProductForm(BootstrapMixin, forms.Form):
    live_fields = LIVE_FIELDS

    sku = forms.CharField(
        label=_("SKU"),
        max_length=60,
        help_text=_("Your article number. Stored in capitals; spaces become hyphens."),
    )
    name_nb = forms.CharField(label=_("Name (Norwegian)"), max_length=200, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    product_type = forms.ChoiceField(label=_("Type"), choices=Product.Type.choices)
    unit = forms.ModelChoiceField(
        label=_("Unit of measure"), queryset=Unit.objects.all(), to_field_name="code"
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    sales_price = forms.DecimalField(
        label=_("Sales price (NOK)"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=_("Per unit, excluding VAT."),
        localize=True,
    )
    cost_price = forms.DecimalField(
        label=_("Cost price (NOK)"), min_value=0, max_digits=12, decimal_places=2, localize=True
    )
    vat_category = forms.ChoiceField(label=_("VAT category"), choices=VatCategory.choices)
    barcode = forms.CharField(
        label=_("Barcode (EAN-13)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, may_price: bool = True, product: Product | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.product = product
        cast(forms.ChoiceField, self.fields["category"]).choices = _category_choices()
        unit_field = cast(forms.ModelChoiceField, self.fields["unit"])
        unit_field.label_from_instance = _unit_label  # type: ignore[method-assign,assignment]
        if not may_price:
            for name in ("sales_price", "cost_price"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Prices are set by finance.")
        for name in LIVE_FIELDS:
            attrs = self.fields[name].widget.attrs
            attrs["hx-get"] = reverse_lazy("catalog:validate")
            attrs["hx-trigger"] = "change, keyup changed delay:600ms"
            attrs["hx-target"] = f"#live-{name}"
            attrs["hx-sync"] = "this:replace"
            if product is not None:
                attrs["hx-vals"] = f'{{"exclude": {product.pk}}}'

    @staticmethod
    def initial_for(product: Product | None) -> dict:
        if product is None:
            return {
                "product_type": Product.Type.STOCKABLE,
                "unit": "pcs",
                "vat_category": VatCategory.STANDARD,
                "sales_price": 0,
                "cost_price": 0,
            }
        return {
            "sku": product.sku,
            "name_nb": product.name_nb,
            "name_en": product.name_en,
            "product_type": product.product_type,
            "unit": product.unit.code,
            "category": str(product.category_id or ""),
            "sales_price": product.sales_price,
            "cost_price": product.cost_price,
            "vat_category": product.vat_category,
            "barcode": product.barcode,
            "description": product.description,
        }

    def clean(self):
        data = super().clean()
        if not (data.get("name_nb") or "").strip() and not (data.get("name_en") or "").strip():
            self.add_error("name_nb", _("Give the product a name in Norwegian or English."))
        return data

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["category"] = int(data["category"]) if data.get("category") else None
        for name in ("sales_price", "cost_price"):
            if self.fields[name].disabled:
                data.pop(name, None)
        return data


class CategoryForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    parent = forms.ChoiceField(label=_("Inside"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["parent"]).choices = [
            ("", _("(top level)")),
            *_category_choices()[1:],
        ]


class PriceListForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        initial="NOK",
        help_text=_("ISO 4217 code: NOK, EUR, SEK, USD …"),
    )
    valid_from = forms.DateField(
        label=_("Valid from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_to = forms.DateField(
        label=_("Valid to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    @staticmethod
    def initial_for(price_list: PriceList) -> dict:
        return {
            "name": price_list.name,
            "currency": price_list.currency,
            "valid_from": price_list.valid_from,
            "valid_to": price_list.valid_to,
            "is_active": price_list.is_active,
            "notes": price_list.notes,
        }


class ImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, separated by semicolons or commas, with a header row."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    all_or_nothing = forms.BooleanField(
        label=_("All or nothing"),
        required=False,
        help_text=_("Import nothing if any row is wrong."),
    )
