"""Forms of the sales UI. They check shape only; the services validate the rest and their
errors are shown on the same forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samspill.catalog import queries as catalog
from samspill.parties import queries as parties
from samspill.sales.models import Language, Order


class PartyPicker(forms.Select):
    """A select holding only the chosen party; the search box beside it loads matches from
    the contacts lookup (htmx), so long customer lists never reach the page."""

    template_name = "parties/widgets/party_picker.html"

    def __init__(self, kind: str = "", attrs=None):
        super().__init__(attrs)
        self.kind = kind

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["kind"] = self.kind
        return context

    def optgroups(self, name, value, attrs=None):
        selected = {str(v) for v in value if v not in (None, "")}
        rows = parties.visible_parties(None).filter(pk__in=[v for v in selected if v.isdigit()])
        choices = [("", "—")] + [(str(p.pk), p.display_name) for p in rows]
        return [
            (None, [self.create_option(name, v, label, v in selected, i, attrs=attrs)], i)
            for i, (v, label) in enumerate(choices)
        ]


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)


class DocumentForm(forms.Form):
    party = forms.CharField(label=_("Customer"), widget=PartyPicker())
    contact = forms.CharField(
        label=_("Contact person"), required=False, widget=PartyPicker("person")
    )
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="NOK")
    price_list = forms.ChoiceField(label=_("Price list"), required=False)
    language = forms.ChoiceField(
        label=_("Language of the document"),
        choices=[("", "—"), *Language.choices],
        required=False,
    )
    reference = forms.CharField(label=_("Customer reference"), max_length=100, required=False)
    opportunity_ref = forms.CharField(label=_("Opportunity"), max_length=50, required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["price_list"].choices = [("", _("None (catalog prices)"))] + [
            (str(p.pk), f"{p.name} ({p.currency})") for p in catalog.price_lists_for_choice()
        ]
        _style(self)

    def clean_currency(self):
        return (self.cleaned_data.get("currency") or "NOK").strip().upper()

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        price_list = data.pop("price_list", "")
        data["price_list"] = (
            catalog.price_list_list(None).filter(pk=price_list).first() if price_list else None
        )
        data["contact"] = data.get("contact") or None
        data["language"] = data.get("language") or None
        return data


class QuoteForm(DocumentForm):
    issue_date = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    terms = forms.CharField(
        label=_("Terms"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class OrderForm(DocumentForm):
    order_date = forms.DateField(
        label=_("Order date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    invoicing_policy = forms.ChoiceField(
        label=_("Invoicing"), choices=Order.InvoicingPolicy.choices
    )
    warehouse_code = forms.CharField(
        label=_("Warehouse"),
        max_length=20,
        required=False,
        help_text=_("Empty: the default warehouse."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class SendForm(forms.Form):
    to = forms.EmailField(label=_("Send to"), required=False)
    message = forms.CharField(
        label=_("Message"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )
