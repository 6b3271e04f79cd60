from django import forms
from django.utils.translation import gettext_lazy as _

from samspill.accounting.models import Journal, Project
from samspill.localization.no.models import VatCode
from samspill.organization.models import Department
from samspill.parties.forms import PartyPicker


class EntryForm(forms.Form):
    journal = forms.ModelChoiceField(
        label=_("Journal"), queryset=Journal.objects.filter(active=True), to_field_name="code"
    )
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(label=_("Description"), max_length=200, required=False)


class LineForm(forms.Form):
    account = forms.CharField(
        label=_("Account"),
        max_length=10,
        widget=forms.TextInput(attrs={"list": "accounts", "inputmode": "numeric"}),
    )
    debit = forms.DecimalField(
        label=_("Debit"), max_digits=18, decimal_places=2, min_value=0, required=False
    )
    credit = forms.DecimalField(
        label=_("Credit"), max_digits=18, decimal_places=2, min_value=0, required=False
    )
    vat_code = forms.ModelChoiceField(
        label=_("VAT"),
        queryset=VatCode.objects.filter(active=True),
        to_field_name="code",
        required=False,
    )
    party = forms.IntegerField(
        label=_("Party"), required=False, min_value=1, widget=PartyPicker("")
    )
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.order_by("name"), required=False
    )
    project = forms.ModelChoiceField(
        label=_("Project"),
        queryset=Project.objects.filter(active=True),
        to_field_name="code",
        required=False,
    )
    description = forms.CharField(label=_("Text"), max_length=200, required=False)

    def as_line(self) -> dict:
        data = self.cleaned_data
        return {
            "account": data["account"],
            "debit": data.get("debit"),
            "credit": data.get("credit"),
            "vat_code": data["vat_code"].code if data.get("vat_code") else None,
            "party": data.get("party"),
            "department": data.get("department"),
            "project": data.get("project"),
            "description": data.get("description", ""),
        }


LineFormSet = forms.formset_factory(LineForm, extra=4, max_num=100)


class ReverseForm(forms.Form):
    date = forms.DateField(
        label=_("Date of the reversal"), widget=forms.DateInput(attrs={"type": "date"})
    )


class DateRangeForm(forms.Form):
    date_from = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data


class AccountForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("Name in English"), max_length=200, required=False)
    default_vat_code = forms.ModelChoiceField(
        label=_("Default VAT code"),
        queryset=VatCode.objects.all(),
        to_field_name="code",
        required=False,
    )
    vat_usage = forms.ChoiceField(label=_("VAT codes allowed"))
    reconcilable = forms.BooleanField(label=_("Reconcilable"), required=False)
    party_required = forms.BooleanField(label=_("Party required on lines"), required=False)
    active = forms.BooleanField(label=_("Active"), required=False)
    standard_account = forms.CharField(
        label=_("SAF-T standard account"), max_length=10, required=False
    )
    grouping_category = forms.CharField(
        label=_("SAF-T grouping category"), max_length=100, required=False
    )
    grouping_code = forms.CharField(label=_("SAF-T grouping code"), max_length=20, required=False)

    def __init__(self, *args, **kwargs):
        from samspill.accounting.models import Account

        super().__init__(*args, **kwargs)
        self.fields["vat_usage"].choices = Account.VatUsage.choices


class FiscalYearForm(forms.Form):
    start = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))


class ProjectForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20)
    name = forms.CharField(label=_("Name"), max_length=200)


class NewAccountForm(AccountForm):
    number = forms.CharField(label=_("Number"), max_length=6)
    kind = forms.ChoiceField(label=_("Type"))
    field_order = ["number", "name", "kind"]

    def __init__(self, *args, **kwargs):
        from samspill.accounting.models import Account

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Account.Kind.choices
        self.fields["vat_usage"].required = False
        self.fields["active"].initial = True
        self.order_fields(self.field_order)


class GeneralLedgerForm(DateRangeForm):
    account_from = forms.CharField(label=_("From account"), max_length=10, required=False)
    account_to = forms.CharField(label=_("To account"), max_length=10, required=False)
    journal = forms.ModelChoiceField(
        label=_("Journal"),
        queryset=Journal.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("All journals"),
    )
    party = forms.IntegerField(label=_("Party no."), required=False, min_value=1)


class OpenItemsForm(forms.Form):
    account: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Account"), queryset=None, to_field_name="number", empty_label=None
    )
    at = forms.DateField(label=_("As of"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        from samspill.accounting.models import Account

        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = Account.objects.filter(reconcilable=True)
