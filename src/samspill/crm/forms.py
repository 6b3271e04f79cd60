"""Forms of the CRM pages: the shape of the input only. The services validate the rest."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from samspill.crm.models import Activity, Lead, Opportunity, ScoreRule, Stage
from samspill.organization.models import Team
from samspill.parties.models import Party


class BootstrapMixin:
    """Bootstrap classes on every widget, `is-invalid` and ARIA attributes after errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def add_error(self, field, error):
        super().add_error(field, error)  # type: ignore[misc]
        for name in list(self._errors or {}):  # type: ignore[attr-defined]
            if name in self.fields:  # type: ignore[attr-defined]
                attrs = self.fields[name].widget.attrs  # type: ignore[attr-defined]
                if "is-invalid" not in attrs.get("class", ""):
                    attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"id_{self.add_prefix(name)}_error"  # type: ignore[attr-defined]


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        full = obj.get_full_name()
        return f"{full} ({obj.get_username()})" if full else obj.get_username()


def user_field(label, *, required: bool = False, help_text="") -> UserChoiceField:
    return UserChoiceField(
        queryset=get_user_model().objects.filter(is_active=True).order_by("first_name", "username"),
        required=required,
        label=label,
        help_text=help_text,
    )


class PartyPicker(forms.Select):
    """Lists only the chosen party; the search box beside it loads matches (htmx), so a
    list of 100,000 customers never reaches the page."""

    template_name = "crm/widgets/party_picker.html"

    def __init__(self, kind: str = "", attrs=None):
        super().__init__(attrs)
        self.kind = kind

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["kind"] = self.kind
        return context

    def optgroups(self, name, value, attrs=None):
        selected = {str(v) for v in value if v not in (None, "")}
        parties = Party.objects.filter(pk__in=[v for v in selected if v.isdigit()])
        choices = [("", "—")] + [(str(p.pk), p.display_name) for p in parties]
        return [
            (None, [self.create_option(name, v, label, v in selected, i, attrs=attrs)], i)
            for i, (v, label) in enumerate(choices)
        ]


def party_field(label, *, kind: str = "", required: bool = True) -> forms.ModelChoiceField:
    queryset = Party.objects.current()
    if kind:
        queryset = queryset.filter(kind=kind)
    return forms.ModelChoiceField(
        queryset=queryset, required=required, label=label, widget=PartyPicker(kind)
    )


class LeadForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    company_name = forms.CharField(label=_("Company name"), max_length=200, required=False)
    email = forms.CharField(label=_("Email"), max_length=254, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    orgnr = forms.CharField(label=_("Organisation number"), max_length=20, required=False)
    source = forms.ChoiceField(label=_("Source"), choices=Lead.Source.choices, initial="manual")
    owner = user_field(_("Owner"))
    message = forms.CharField(
        label=_("Message"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    @classmethod
    def initial_for(cls, lead: Lead) -> dict:
        return {name: getattr(lead, name) for name in cls.base_fields if name != "owner"} | {
            "owner": lead.owner_id
        }


class ReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ConvertForm(BootstrapMixin, forms.Form):
    organization = forms.TypedChoiceField(
        label=_("Organisation"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    opportunity_name = forms.CharField(label=_("Opportunity"), max_length=200)
    expected_revenue = forms.DecimalField(
        label=_("Expected revenue (NOK)"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        initial=0,
        localize=True,  # "125 000,50" in Norwegian
    )
    close_date = forms.DateField(
        label=_("Expected close date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    stage = forms.ModelChoiceField(label=_("Stage"), queryset=Stage.objects.none())
    owner = user_field(_("Owner"))
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.order_by("name"), required=False
    )
    force = forms.BooleanField(
        label=_("Create the contacts even if they look like existing ones"), required=False
    )

    def __init__(self, *args, candidates=(), create_label="", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["stage"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Stage.objects.filter(is_won=False, is_lost=False).order_by("position")
        organizations = [p for p in candidates if p.kind == Party.Kind.ORGANIZATION]
        choice = self.fields["organization"]
        assert isinstance(choice, forms.TypedChoiceField)
        choice.choices = [("", create_label)] + [
            (p.pk, f"{p.display_name} ({p.orgnr_display})" if p.orgnr else p.display_name)
            for p in organizations
        ]
        if not organizations:
            choice.widget = forms.HiddenInput()


class ImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: name, company_name, email, phone, orgnr, source, message. Comma or "
            "semicolon separated; Norwegian headers (navn, firma, e-post, telefon) work too."
        ),
    )
    all_or_nothing = forms.BooleanField(
        label=_("Import nothing if any row has an error"), required=False
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        name = (upload.name or "").lower()
        if not name.endswith((".csv", ".txt")):
            raise forms.ValidationError(_("Choose a CSV file (.csv)."))
        return upload


class OpportunityForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    party = party_field(_("Customer"))
    contact = party_field(_("Contact person"), kind=Party.Kind.PERSON, required=False)
    stage = forms.ModelChoiceField(label=_("Stage"), queryset=Stage.objects.none(), required=False)
    expected_revenue = forms.DecimalField(
        label=_("Expected revenue (NOK)"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        initial=0,
        localize=True,  # "125 000,50" in Norwegian
    )
    close_date = forms.DateField(
        label=_("Expected close date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    owner = user_field(_("Owner"))
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.order_by("name"), required=False
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["stage"]
        else:
            field = self.fields["stage"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = Stage.objects.filter(is_won=False, is_lost=False).order_by("position")

    @classmethod
    def initial_for(cls, opportunity: Opportunity) -> dict:
        return {
            "name": opportunity.name,
            "party": opportunity.party_id,
            "contact": opportunity.contact_id,
            "expected_revenue": opportunity.expected_revenue,
            "close_date": opportunity.close_date,
            "owner": opportunity.owner_id,
            "team": opportunity.team_id,
        }


class CloseForm(BootstrapMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Result"),
        choices=[("won", _("Won")), ("lost", _("Lost"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class ActivityForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Activity.Kind.choices, initial="call")
    subject = forms.CharField(label=_("Subject"), max_length=200)
    due_at = forms.DateTimeField(
        label=_("Due"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=0, max_value=24 * 60, initial=30
    )
    owner = user_field(_("Owner"), required=False, help_text=_("Empty: you."))
    party = party_field(_("Contact"), required=False)
    opportunity = forms.ModelChoiceField(
        label=_("Opportunity"), queryset=Opportunity.objects.none(), required=False
    )
    lead = forms.ModelChoiceField(
        label=pgettext_lazy("sales lead", "Lead"),
        queryset=Lead.objects.none(),
        required=False,
        widget=forms.HiddenInput,
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, party=None, lead=None, **kwargs):
        super().__init__(*args, **kwargs)
        opportunity = self.fields["opportunity"]
        assert isinstance(opportunity, forms.ModelChoiceField)
        party_id = (
            self.data.get("party")
            if self.is_bound
            else (party.pk if party else self.initial.get("party"))
        )
        if party_id and str(party_id).isdigit():
            opportunity.queryset = Opportunity.objects.filter(party_id=party_id).order_by(
                "-created_at"
            )
        else:
            del self.fields["opportunity"]
        lead_field = self.fields["lead"]
        assert isinstance(lead_field, forms.ModelChoiceField)
        lead_field.queryset = Lead.objects.all()

    @classmethod
    def initial_for(cls, activity: Activity) -> dict:
        return {
            "kind": activity.kind,
            "subject": activity.subject,
            "due_at": timezone.localtime(activity.due_at),
            "duration_minutes": activity.duration_minutes,
            "owner": activity.owner_id,
            "party": activity.party_id,
            "opportunity": activity.opportunity_id,
            "lead": activity.lead_id,
            "notes": activity.notes,
        }


class CompleteForm(BootstrapMixin, forms.Form):
    outcome = forms.CharField(
        label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class StageForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    position = forms.IntegerField(
        label=pgettext_lazy("position", "Order"), min_value=0, max_value=32000, required=False
    )
    probability = forms.IntegerField(label=_("Probability %"), min_value=0, max_value=100)
    is_won = forms.BooleanField(label=_("Won"), required=False)
    is_lost = forms.BooleanField(label=_("Lost"), required=False)


class ScoreRuleForm(BootstrapMixin, forms.Form):
    field = forms.ChoiceField(label=_("Field"), choices=ScoreRule.Field.choices)
    operator = forms.ChoiceField(label=_("Condition"), choices=ScoreRule.Operator.choices)
    value = forms.CharField(label=_("Value"), max_length=200, required=False)
    points = forms.IntegerField(label=_("Points"), min_value=-100, max_value=100)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class WebFormForm(BootstrapMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("e.g. the website it is on")
    )
    default_owner = user_field(_("Owner of new leads"))
    thank_you = forms.CharField(label=_("Thank-you message"), max_length=300, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class PublicLeadForm(forms.Form):
    """The public web form (rendered on our page inside the website's iframe)."""

    name = forms.CharField(label=_("Your name"), max_length=200)
    company_name = forms.CharField(label=_("Company"), max_length=200, required=False)
    email = forms.CharField(label=_("Email"), max_length=254, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    message = forms.CharField(
        label=_("Message"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    website = forms.CharField(required=False, label=_("Leave this field empty"))
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name not in ("website", "token"):
                field.widget.attrs["class"] = "form-control"
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
