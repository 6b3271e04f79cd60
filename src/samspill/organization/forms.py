"""Input shapes of the organisation pages. The services and the models validate the data;
these forms collect it and show the services' errors field by field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from stdnum.no import orgnr

from samspill.organization import queries
from samspill.organization.models import (
    MAX_REMINDER_FEE,
    Company,
    Department,
    Membership,
    Team,
)


class BootstrapMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        full = obj.get_full_name()
        return f"{full} ({obj.get_username()})" if full else obj.get_username()


class CompanyForm(BootstrapMixin, forms.ModelForm):
    """Shapes the input only: the view passes cleaned_data to services.update_company."""

    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    def clean_kid_method(self):
        return self.cleaned_data.get("kid_method") or "mod10"

    def clean_invoice_payment_days(self):
        days = self.cleaned_data.get("invoice_payment_days")
        return 14 if days is None else days

    def clean_reminder_fee(self):
        fee = self.cleaned_data.get("reminder_fee")
        return MAX_REMINDER_FEE if fee is None else fee

    def clean_reminder_days(self):
        days = self.cleaned_data.get("reminder_days")
        return 14 if days is None else days

    class Meta:
        model = Company
        fields = [
            "legal_name",
            "org_number",
            "mva_registered",
            "base_currency",
            "fiscal_year_start_month",
            "email",
            "phone",
            "website",
            "postal_street",
            "postal_code",
            "postal_city",
            "postal_country",
            "visiting_street",
            "visiting_code",
            "visiting_city",
            "visiting_country",
            "iban",
            "bank_account",
            "kid_method",
            "invoice_payment_days",
            "reminder_fee",
            "reminder_days",
        ]
        widgets = {
            "postal_street": forms.Textarea(attrs={"rows": 2}),
            "visiting_street": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "org_number": _("9 digits, e.g. 923 609 016."),
            "phone": _("Norwegian numbers may leave out +47."),
        }
        labels = {
            "mva_registered": _("Registered for VAT (MVA)"),
            "postal_street": _("Street or PO box"),
            "visiting_street": _("Street address"),
        }

    @classmethod
    def initial_for(cls, company) -> dict:
        """Identifiers as people write them ("998 877 660", "+47 22 12 34 56")."""
        if company is None or company.pk is None or not company.legal_name:
            return {}
        return {
            "org_number": orgnr.format(company.org_number) if company.org_number else "",
            "phone": company.phone_display,
            "iban": company.iban_display,
            "bank_account": company.bank_account_display,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        autocomplete = {
            "legal_name": "organization",
            "email": "email",
            "phone": "tel",
            "website": "url",
            "postal_street": "street-address",
            "postal_code": "postal-code",
            "postal_city": "address-level2",
            "postal_country": "country",
        }
        for name, value in autocomplete.items():
            self.fields[name].widget.attrs["autocomplete"] = value
        # Invoicing settings keep their defaults when a form leaves them out.
        for name in ("kid_method", "invoice_payment_days", "reminder_fee", "reminder_days"):
            self.fields[name].required = False
        for name in ("org_number", "iban", "bank_account"):
            self.fields[name].widget.attrs["spellcheck"] = "false"

    def validate_unique(self):
        """Uniqueness is the service's business; the form only shapes input."""


class DepartmentForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("Short code, e.g. SALG or OKO: capital letters, digits and hyphens."),
    )
    function = forms.ChoiceField(label=_("Function"), choices=Department.Function.choices)
    office = forms.ChoiceField(
        label=_("Office"),
        choices=[("", _("Chosen from the function")), *Department.Office.choices],
        required=False,
        help_text=_("Sales, marketing and customer service are front office; the rest back."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    @classmethod
    def initial_for(cls, department: Department) -> dict:
        return {
            f: getattr(department, f) for f in ("name", "code", "function", "office", "description")
        }


class TeamForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.order_by("name")
    )
    lead = UserChoiceField(
        label=_("Lead"),
        queryset=queries.active_users(),
        required=False,
        help_text=_("The lead joins the team as its lead."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    @classmethod
    def initial_for(cls, team: Team) -> dict:
        return {
            "name": team.name,
            "department": team.department_id,
            "lead": team.lead_id,
            "description": team.description,
        }


class MemberForm(BootstrapMixin, forms.Form):
    user = UserChoiceField(label=_("Person"), queryset=queries.active_users())
    role = forms.ChoiceField(
        label=_("Role in team"), choices=Membership.Role.choices, initial="member"
    )

    def __init__(self, *args, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = queries.users_not_in(team)


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role in team"), choices=Membership.Role.choices)
