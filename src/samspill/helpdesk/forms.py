"""Forms of the inbox: shape only; the rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samspill.helpdesk.models import Channel, Priority, Queue, Ticket

REPLY_STATUSES = (
    (Ticket.Status.PENDING_CUSTOMER, _("Pending customer")),
    (Ticket.Status.OPEN, _("Open")),
    (Ticket.Status.PENDING_INTERNAL, _("Pending internal")),
    (Ticket.Status.RESOLVED, _("Resolved")),
)


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Reply to the customer"),
        widget=forms.Textarea(attrs={"rows": 5, "class": "form-control", "id": "reply-body"}),
    )
    status = forms.ChoiceField(
        label=_("Then"),
        choices=REPLY_STATUSES,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    last_seen = forms.IntegerField(widget=forms.HiddenInput, required=False)


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Internal note"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control", "id": "note-body"}),
    )


class TicketForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=300)
    party = forms.IntegerField(label=_("Customer id"), required=False)
    email = forms.EmailField(
        label=_("Customer email"),
        required=False,
        help_text=_("Without a customer: found by this email, or created as a new person."),
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.PHONE)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial="normal")
    queue = forms.ModelChoiceField(label=_("Queue"), queryset=Queue.objects.none(), required=False)
    body = forms.CharField(
        label=_("What the customer asked"), widget=forms.Textarea(attrs={"rows": 5})
    )
    tags = forms.CharField(label=_("Tags"), required=False, help_text=_("Separated by commas."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["queue"].queryset = Queue.objects.order_by("name")
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
