"""Forms of the channels and the settings pages: shape only; the rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from samspill.helpdesk.models import CallLog, Channel, Priority, Queue

WEEKDAYS = (
    ("1", _("Monday")),
    ("2", _("Tuesday")),
    ("3", _("Wednesday")),
    ("4", _("Thursday")),
    ("5", _("Friday")),
    ("6", _("Saturday")),
    ("7", _("Sunday")),
)


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
            continue
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class ContactForm(forms.Form):
    """The public contact form (/help/contact/)."""

    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("Your email"), max_length=254)
    subject = forms.CharField(label=_("Subject"), max_length=300)
    message = forms.CharField(
        label=_("Message"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 6})
    )
    attachment = forms.FileField(label=_("Attachment (optional)"), required=False)
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})


class CallForm(forms.Form):
    """Log a call on a ticket, or (without one) open a phone ticket from it."""

    phone = forms.CharField(label=_("Phone number"), max_length=40)
    direction = forms.ChoiceField(
        label=_("Direction"), choices=CallLog.Direction.choices, initial="inbound"
    )
    outcome = forms.ChoiceField(
        label=pgettext_lazy("phone call", "Outcome"),
        choices=CallLog.Outcome.choices,
        initial="answered",
    )
    duration_minutes = forms.DecimalField(
        label=_("Duration (minutes)"), min_value=0, max_value=1440, decimal_places=1, initial=0
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    subject = forms.CharField(label=_("Subject"), max_length=300, required=False)

    def __init__(self, *args, new_ticket: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not new_ticket:
            del self.fields["subject"]
        _style(self)


class QueueForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    email = forms.EmailField(
        label=_("Email"), required=False, help_text=_("The address customers write to.")
    )
    team = forms.ModelChoiceField(label=_("Team"), queryset=Queue.objects.none(), required=False)
    opens_at = forms.TimeField(
        label=_("Opens at"),
        initial="08:00",
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
    )
    closes_at = forms.TimeField(
        label=_("Closes at"),
        initial="16:00",
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
    )
    workdays = forms.MultipleChoiceField(
        label=_("Working days"),
        choices=WEEKDAYS,
        initial=["1", "2", "3", "4", "5"],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    is_default = forms.BooleanField(label=_("Default queue"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from samspill.organization import queries as organization

        self.fields["team"].queryset = organization.teams()
        _style(self)

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["workdays"] = "".join(sorted(data["workdays"]))
        return data


class MailboxForm(forms.Form):
    queue = forms.ModelChoiceField(label=_("Queue"), queryset=Queue.objects.none())
    host = forms.CharField(label=_("Server"), max_length=200)
    port = forms.IntegerField(label=_("Port"), min_value=1, max_value=65535, initial=993)
    use_ssl = forms.BooleanField(label=_("TLS"), required=False, initial=True)
    username = forms.CharField(label=_("User name"), max_length=200)
    password = forms.CharField(
        label=_("Password"),
        max_length=500,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Stored encrypted and never shown. Leave empty to keep the stored one."),
    )
    folder = forms.CharField(label=_("Folder"), max_length=100, initial="INBOX")
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["queue"].queryset = Queue.objects.order_by("name")
        _style(self)

    def values(self) -> dict:
        return dict(self.cleaned_data)


class SlaPolicyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=[("", _("Any priority")), *Priority.choices],
        required=False,
    )
    queue = forms.ModelChoiceField(
        label=_("Queue"), queryset=Queue.objects.none(), required=False, empty_label=_("Any queue")
    )
    party = forms.IntegerField(
        label=_("Customer id"), required=False, help_text=_("Empty: every customer.")
    )
    first_response_hours = forms.DecimalField(
        label=_("First response (business hours)"), min_value=0, decimal_places=2
    )
    resolution_hours = forms.DecimalField(
        label=_("Resolution (business hours)"), min_value=0, decimal_places=2
    )
    warning_percent = forms.IntegerField(
        label=_("Warning at percent of the target"), min_value=1, max_value=100, initial=80
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["queue"].queryset = Queue.objects.order_by("name")
        _style(self)

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        party_id = data.pop("party")
        from samspill.parties import queries as parties

        party = parties.visible_parties(None).filter(pk=party_id).first() if party_id else None
        if party_id and party is None:
            self.add_error("party", _("There is no customer with this id."))
        data["party"] = party
        return data


class CannedResponseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Placeholders: {{ customer.name }}, {{ contact.name }}, {{ ticket.number }}, "
            "{{ ticket.subject }}, {{ agent.name }}"
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

    def values(self) -> dict:
        return dict(self.cleaned_data)


class InboundEndpointForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    slug = forms.SlugField(
        label=_("Address name"),
        max_length=50,
        help_text=_("The last part of the address: /api/v1/helpdesk/inbound/<name>"),
    )
    secret = forms.CharField(
        label=_("Secret"),
        max_length=500,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_(
            "The provider signs with it. Empty: a new one is made (new endpoint) or the "
            "stored one is kept."
        ),
    )
    signature_header = forms.CharField(
        label=_("Signature header"), max_length=100, initial="X-Signature"
    )
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[(c, label) for c, label in Channel.choices if c in ("sms", "messaging", "api")],
        initial="sms",
    )
    queue = forms.ModelChoiceField(
        label=_("Queue"),
        queryset=Queue.objects.none(),
        required=False,
        empty_label=_("The default queue"),
    )
    map_phone = forms.CharField(label=_("Sender's phone number (field)"), required=False)
    map_email = forms.CharField(label=_("Sender's email (field)"), required=False)
    map_name = forms.CharField(label=_("Sender's name (field)"), required=False)
    map_text = forms.CharField(label=_("Text (field)"))
    map_external_id = forms.CharField(label=_("Message id (field)"), required=False)
    map_thread_id = forms.CharField(label=_("Conversation id (field)"), required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    MAP_PREFIX = "map_"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["queue"].queryset = Queue.objects.order_by("name")
        for name in self.fields:
            if name.startswith(self.MAP_PREFIX):
                self.fields[name].widget.attrs["placeholder"] = "message.from"
        _style(self)

    @classmethod
    def initial_for(cls, endpoint) -> dict:
        data = {
            name: getattr(endpoint, name)
            for name in ("name", "slug", "signature_header", "channel", "is_active")
        }
        data["queue"] = endpoint.queue_id
        for key, path in (endpoint.mapping or {}).items():
            data[cls.MAP_PREFIX + key] = path
        return data

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["mapping"] = {
            name[len(self.MAP_PREFIX) :]: data.pop(name)
            for name in list(data)
            if name.startswith(self.MAP_PREFIX)
        }
        return data
