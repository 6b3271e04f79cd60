"""Forms of the parties UI. They check the shape of the input; the rules live in the
services, whose DomainErrors the views put back on these forms."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from samspill.parties.models import (
    Address,
    Consent,
    ContactPoint,
    Party,
    Tag,
    country_choices,
)

ROLE_CHOICES = [
    ("prospect", _("Prospect")),
    ("customer", _("Customer")),
    ("supplier", _("Supplier")),
    ("partner", _("Partner")),
]

CONSENT_SOURCES = [_("manual"), _("web form"), _("phone call"), _("email"), _("import")]


class BootstrapMixin:
    """Bootstrap classes and ARIA attributes on every widget, `is-invalid` after errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(
                widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple
            ):
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


class PartyPicker(forms.Select):
    """A select that lists only the chosen party; a search box next to it (htmx) loads
    matching parties into it. Lists of 100,000 organisations never reach the page."""

    template_name = "parties/widgets/party_picker.html"

    def __init__(self, kind: str, attrs=None):
        super().__init__(attrs)
        self.kind = kind

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["kind"] = self.kind
        return context

    def optgroups(self, name, value, attrs=None):
        selected = {str(v) for v in value if v not in (None, "")}
        parties = Party.objects.filter(pk__in=[v for v in selected if v.isdigit()])
        choices = [("", "—")] + [(str(p.pk), _picker_label(p)) for p in parties]
        groups = []
        for index, (option_value, label) in enumerate(choices):
            option = self.create_option(
                name, option_value, label, option_value in selected, index, attrs=attrs
            )
            groups.append((None, [option], index))
        return groups


def _picker_label(party: Party) -> str:
    if party.orgnr:
        return f"{party.display_name} ({party.orgnr_display})"
    return party.display_name


def party_choice_field(kind: str, *, label, required: bool) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=Party.objects.current().filter(kind=kind),
        required=required,
        label=label,
        widget=PartyPicker(kind),
    )


class TagsField(forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            queryset=Tag.objects.order_by("name"),
            required=False,
            label=_("Tags"),
            widget=forms.CheckboxSelectMultiple,
            **kwargs,
        )


def _owner_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        required=False,
        label=_("Owner"),
        help_text=_("The colleague responsible for this contact."),
    )


LIVE_FIELDS = ("orgnr", "email", "phone")


def live_validation(form, exclude: int | None = None) -> None:
    """Ask the server about orgnr / email / phone while the user types (htmx)."""
    for name in LIVE_FIELDS:
        if name in form.fields:
            attrs = form.fields[name].widget.attrs
            attrs["hx-get"] = reverse_lazy("parties:validate")
            attrs["hx-trigger"] = "change, keyup changed delay:700ms"
            attrs["hx-target"] = f"#live-{name}"
            attrs["hx-swap"] = "innerHTML"
            attrs["hx-sync"] = "this:replace"
            if exclude:
                attrs["hx-vals"] = json.dumps({"exclude": exclude})


class FieldsetsMixin:
    fieldset_layout: list[tuple] = []

    def fieldsets(self):
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.fieldset_layout
        ]


class PartyFormBase(FieldsetsMixin, BootstrapMixin, forms.Form):
    live_fields = LIVE_FIELDS

    website = forms.CharField(label=_("Website"), required=False, max_length=200)
    bank_account = forms.CharField(
        label=_("Bank account"),
        required=False,
        max_length=50,
        help_text=_("Norwegian account number (11 digits) or IBAN: identifies their payments."),
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=Party.Language.choices,
        initial=Party.Language.NB,
        help_text=_("Language of documents sent to them."),
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=ROLE_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    tags = TagsField()
    new_tags = forms.CharField(
        label=_("New tags"),
        required=False,
        help_text=_("Separate several tags with commas."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = _owner_field()
        self.fields["owner"].widget.attrs["class"] = "form-select"
        self.order_fields(self.field_order_names)
        live_validation(self)

    field_order_names: list[str] = []

    def tag_values(self) -> list:
        names = [n.strip() for n in self.cleaned_data.get("new_tags", "").split(",") if n.strip()]
        return list(self.cleaned_data.get("tags") or []) + names


class ContactFieldsMixin(forms.Form):
    email = forms.CharField(
        label=_("Email"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    address_kind = forms.ChoiceField(
        label=_("Address type"),
        choices=Address.Kind.choices,
        initial=Address.Kind.POSTAL,
        required=False,
    )
    line1 = forms.CharField(
        label=_("Address"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    line2 = forms.CharField(
        label=_("Address line 2"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "address-line2"}),
    )
    postal_code = forms.CharField(
        label=_("Postal code"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    city = forms.CharField(label=_("City"), required=False, max_length=100)
    country = forms.ChoiceField(
        label=_("Country"), choices=country_choices, initial="NO", required=False
    )
    force = forms.BooleanField(
        label=_("Create anyway"),
        required=False,
        help_text=_("I have checked the similar contacts above: this is a different one."),
    )

    # service error key -> form field
    ERROR_FIELDS = {
        "contact_points.0.value": "email",
        "contact_points.1.value": "phone",
        "addresses.0.line1": "line1",
        "addresses.0.line2": "line2",
        "addresses.0.postal_code": "postal_code",
        "addresses.0.city": "city",
        "addresses.0.country": "country",
        "addresses.0.kind": "address_kind",
    }

    def contact_points(self) -> list[dict]:
        data = self.cleaned_data
        points = []
        if data.get("email"):
            points.append({"kind": ContactPoint.Kind.EMAIL, "value": data["email"]})
        if data.get("phone"):
            points.append({"kind": ContactPoint.Kind.PHONE, "value": data["phone"]})
        return points

    def error_fields(self) -> dict[str, str]:
        """The service numbers contact points in the order given: map them back."""
        mapping = dict(self.ERROR_FIELDS)
        if not self.cleaned_data.get("email") and self.cleaned_data.get("phone"):
            mapping["contact_points.0.value"] = "phone"
        return mapping

    def addresses(self) -> list[dict]:
        data = self.cleaned_data
        if not any(data.get(f) for f in ("line1", "line2", "postal_code", "city")):
            return []
        return [
            {
                "kind": data.get("address_kind") or Address.Kind.POSTAL,
                "line1": data.get("line1", ""),
                "line2": data.get("line2", ""),
                "postal_code": data.get("postal_code", ""),
                "city": data.get("city", ""),
                "country": data.get("country") or "NO",
            }
        ]


class OrganizationForm(ContactFieldsMixin, PartyFormBase):
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    orgnr = forms.CharField(
        label=_("Organization number"),
        required=False,
        max_length=20,
        help_text=_("9 digits, from the Brønnøysund Register Centre."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    field_order_names = [
        "name",
        "orgnr",
        "email",
        "phone",
        "website",
        "bank_account",
        "address_kind",
        "line1",
        "line2",
        "postal_code",
        "city",
        "country",
        "language",
        "roles",
        "tags",
        "new_tags",
        "owner",
        "notes",
        "force",
    ]
    fieldset_layout = [
        (_("Organization"), ["name", "orgnr", "website", "bank_account", "language"]),
        (_("Email and phone"), ["email", "phone"]),
        (_("Address"), ["address_kind", "line1", "line2", "postal_code", "city", "country"]),
        (_("Classification"), ["roles", "tags", "new_tags", "owner", "notes"]),
    ]


class PersonForm(ContactFieldsMixin, PartyFormBase):
    first_name = forms.CharField(
        label=_("First name"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    title = forms.CharField(label=_("Job title"), max_length=100, required=False)
    department = forms.CharField(label=_("Department"), max_length=100, required=False)
    is_primary_contact = forms.BooleanField(
        label=_("Primary contact of the organization"), required=False
    )
    field_order_names = [
        "first_name",
        "last_name",
        "organization",
        "title",
        "department",
        "is_primary_contact",
        "email",
        "phone",
        "website",
        "bank_account",
        "address_kind",
        "line1",
        "line2",
        "postal_code",
        "city",
        "country",
        "language",
        "roles",
        "tags",
        "new_tags",
        "owner",
        "notes",
        "force",
    ]
    fieldset_layout = [
        (_("Person"), ["first_name", "last_name", "language", "website", "bank_account"]),
        (_("Contact person at"), ["organization", "title", "department", "is_primary_contact"]),
        (_("Email and phone"), ["email", "phone"]),
        (_("Address"), ["address_kind", "line1", "line2", "postal_code", "city", "country"]),
        (_("Classification"), ["roles", "tags", "new_tags", "owner", "notes"]),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = party_choice_field(
            Party.Kind.ORGANIZATION, label=_("Organization"), required=False
        )
        self.fields["organization"].widget.attrs["class"] = "form-select"
        self.order_fields(self.field_order_names)

    def clean(self):
        data = super().clean()
        if not (data.get("first_name") or "").strip() and not (data.get("last_name") or "").strip():
            self.add_error("first_name", _("Enter a first name or a last name."))
        return data


class PartyEditForm(PartyFormBase):
    """Edit the party's own fields; the kind decides which name fields appear."""

    is_active = forms.BooleanField(
        label=_("Active"), required=False, help_text=_("Inactive contacts are kept but hidden.")
    )

    def __init__(self, *args, party: Party, **kwargs):
        super().__init__(*args, **kwargs)
        if party.is_organization:
            self.fields["name"] = forms.CharField(label=_("Name"), max_length=200)
            self.fields["orgnr"] = forms.CharField(
                label=_("Organization number"),
                required=False,
                max_length=20,
                widget=forms.TextInput(attrs={"inputmode": "numeric"}),
            )
            names = ["name", "orgnr"]
        else:
            self.fields["first_name"] = forms.CharField(
                label=_("First name"), max_length=100, required=False
            )
            self.fields["last_name"] = forms.CharField(
                label=_("Last name"), max_length=100, required=False
            )
            names = ["first_name", "last_name"]
        for name in names:
            self.fields[name].widget.attrs["class"] = "form-control"
        self.order_fields(
            [
                *names,
                "website",
                "bank_account",
                "language",
                "roles",
                "tags",
                "new_tags",
                "owner",
                "is_active",
                "notes",
            ]
        )
        live_validation(self, exclude=party.pk)
        self.fieldset_layout = [
            (
                party.get_kind_display(),
                [*names, "website", "bank_account", "language", "is_active"],
            ),
            (_("Classification"), ["roles", "tags", "new_tags", "owner", "notes"]),
        ]

    @staticmethod
    def initial_for(party: Party) -> dict:
        return {
            "name": party.name,
            "orgnr": party.orgnr,
            "first_name": party.first_name,
            "last_name": party.last_name,
            "website": party.website,
            "bank_account": party.bank_account,
            "language": party.language,
            "roles": party.roles,
            "tags": list(party.tags.all()),
            "owner": party.owner_id,
            "is_active": party.is_active,
            "notes": party.notes,
        }

    def changes(self) -> dict:
        data = self.cleaned_data
        changes: dict[str, Any] = {
            name: data[name]
            for name in ("name", "orgnr", "first_name", "last_name")
            if name in self.fields
        }
        changes.update(
            website=data["website"],
            bank_account=data["bank_account"],
            language=data["language"],
            notes=data["notes"],
            owner=data["owner"],
            is_active=data["is_active"],
            roles=data["roles"],
            tags=self.tag_values(),
        )
        return changes


class AddressForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=Address.Kind.choices, initial="postal")
    line1 = forms.CharField(
        label=_("Address"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    line2 = forms.CharField(label=_("Address line 2"), max_length=200, required=False)
    postal_code = forms.CharField(
        label=_("Postal code"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    country = forms.ChoiceField(label=_("Country"), choices=country_choices, initial="NO")


class ContactPointForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=ContactPoint.Kind.choices)
    value = forms.CharField(label=_("Email or phone number"), max_length=254)
    label = forms.CharField(
        label=_("Label"), max_length=50, required=False, help_text=_("E.g. work, mobile")
    )
    is_primary = forms.BooleanField(label=_("Primary"), required=False)


class ConsentForm(BootstrapMixin, forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=Consent.Channel.choices)
    granted = forms.TypedChoiceField(
        label=_("Consent"),
        choices=[("1", _("Granted")), ("0", _("Withdrawn"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="1",
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=100,
        initial=_("manual"),
        help_text=_("Where the consent came from, e.g. web form, phone call."),
        widget=forms.TextInput(attrs={"list": "consent-sources"}),
    )


class RelationForm(BootstrapMixin, forms.Form):
    """Link a person and an organisation, from either side: `other_kind` is the kind of
    the party to pick."""

    title = forms.CharField(label=_("Job title"), max_length=100, required=False)
    department = forms.CharField(label=_("Department"), max_length=100, required=False)
    is_primary = forms.BooleanField(label=_("Primary contact"), required=False)

    def __init__(self, *args, other_kind: str, pick: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if pick:
            label = _("Person") if other_kind == Party.Kind.PERSON else _("Organization")
            self.fields["other"] = party_choice_field(other_kind, label=label, required=True)
            self.fields["other"].widget.attrs["class"] = "form-select"
            self.order_fields(["other", "title", "department", "is_primary"])


class EraseForm(BootstrapMixin, forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that the personal data is removed for good."), required=True
    )
