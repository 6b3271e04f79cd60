from django import forms
from django.utils.translation import gettext_lazy as _

from samspill.localization.no.models import VatCode


class VatCodeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("Name in English"), max_length=200, required=False)
    rate = forms.DecimalField(label=_("Rate (%)"), max_digits=5, decimal_places=2, min_value=0)
    account = forms.CharField(label=_("VAT account"), max_length=10, required=False)
    deduction_account = forms.CharField(label=_("Deduction account"), max_length=10, required=False)
    active = forms.BooleanField(label=_("Active"), required=False)


class VatCategoryForm(forms.Form):
    sales_code = forms.ModelChoiceField(
        label=_("Sales code"),
        queryset=VatCode.objects.filter(direction=VatCode.Direction.SALES),
        to_field_name="code",
    )
    purchase_code = forms.ModelChoiceField(
        label=_("Purchase code"),
        queryset=VatCode.objects.filter(direction=VatCode.Direction.PURCHASE),
        to_field_name="code",
    )
