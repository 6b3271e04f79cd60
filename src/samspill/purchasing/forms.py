"""Forms of the purchasing UI. They check shape only; the services validate the rest and
their errors are shown on the same forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samspill.catalog import queries as catalog
from samspill.parties.forms import PartyPicker
from samspill.purchasing.models import PurchaseOrder


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)


class OrderForm(forms.Form):
    party = forms.CharField(label=_("Supplier"), widget=PartyPicker("organization"))
    language = forms.ChoiceField(
        label=_("Language of the document"),
        choices=[("", "—"), *PurchaseOrder.Language.choices],
        required=False,
    )
    order_date = forms.DateField(
        label=_("Order date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    expected_date = forms.DateField(
        label=_("Expected"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    warehouse_code = forms.CharField(
        label=_("Warehouse"),
        max_length=20,
        required=False,
        help_text=_("Empty: the default warehouse."),
    )
    reference = forms.CharField(label=_("Supplier reference"), max_length=100, required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        if not data.get("language"):
            data.pop("language", None)
        if not data.get("order_date"):
            data.pop("order_date", None)
        return data


class LineForm(forms.Form):
    product = forms.ChoiceField(label=_("Product"), required=False)
    quantity = forms.CharField(label=_("Quantity"), required=False, max_length=20)
    unit_price = forms.CharField(label=_("Unit price"), required=False, max_length=20)
    discount_percent = forms.CharField(label=_("Discount %"), required=False, max_length=10)
    expected_date = forms.DateField(
        label=_("Expected"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, products=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].choices = [("", "—"), *products]
        _style(self)

    @property
    def is_blank(self) -> bool:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return not data.get("product") and not data.get("quantity")


def product_choices() -> list[tuple[str, str]]:
    """Active goods and services to buy, by SKU (one query)."""
    return [
        (str(pk), f"{sku} · {name_nb or name_en}")
        for pk, sku, name_nb, name_en in catalog.product_list(None)
        .filter(is_active=True)
        .order_by("sku")
        .values_list("pk", "sku", "name_nb", "name_en")
    ]


def line_forms(data=None, initial=None, extra: int = 3) -> list[LineForm]:
    """The line rows of the order form: `lines-N-field` names; rows with neither product
    nor quantity are ignored."""
    products = product_choices()
    if data is not None:
        count = (
            int(data.get("lines-TOTAL", "0") or 0)
            if str(data.get("lines-TOTAL", "0")).isdigit()
            else 0
        )
        return [
            LineForm(data, prefix=f"lines-{i}", products=products) for i in range(min(count, 500))
        ]
    rows = list(initial or [])
    rows += [{}] * extra
    return [
        LineForm(initial=row, prefix=f"lines-{i}", products=products) for i, row in enumerate(rows)
    ]


class SupplierInfoForm(forms.Form):
    product = forms.ChoiceField(label=_("Product"))
    party = forms.CharField(label=_("Supplier"), widget=PartyPicker("organization"))
    supplier_sku = forms.CharField(label=_("Supplier SKU"), max_length=60, required=False)
    price = forms.CharField(label=_("Purchase price"), max_length=20)
    lead_time_days = forms.IntegerField(label=_("Lead time (days)"), min_value=0, initial=0)
    sequence = forms.IntegerField(
        label=_("Sequence"),
        min_value=0,
        initial=10,
        help_text=_("The lowest is the preferred supplier."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].choices = [("", "—"), *product_choices()]
        _style(self)


class ReorderRuleForm(forms.Form):
    product = forms.ChoiceField(label=_("Product"))
    warehouse_code = forms.CharField(
        label=_("Warehouse"),
        max_length=20,
        required=False,
        help_text=_("Empty: the default warehouse."),
    )
    min_quantity = forms.CharField(label=_("Minimum"), max_length=20)
    max_quantity = forms.CharField(label=_("Maximum"), max_length=20)
    party = forms.CharField(
        label=_("Supplier"),
        required=False,
        widget=PartyPicker("organization"),
        help_text=_("Empty: the product's preferred supplier."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].choices = [("", "—"), *product_choices()]
        _style(self)
        self.fields["is_active"].widget.attrs["class"] = "form-check-input"
