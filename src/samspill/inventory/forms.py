"""Forms of the inventory UI: shape only; the services validate."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samspill.inventory.models import Location


class LocationForm(forms.Form):
    parent = forms.ModelChoiceField(
        label=_("Inside"),
        queryset=Location.objects.filter(
            kind__in=[Location.Kind.VIEW, Location.Kind.INTERNAL], warehouse__isnull=False
        ),
    )
    name = forms.CharField(label=_("Name"), max_length=60)
    allow_negative = forms.BooleanField(label=_("Allow negative stock"), required=False)


class AdjustForm(forms.Form):
    location = forms.ModelChoiceField(
        label=_("Location"),
        queryset=Location.objects.filter(kind=Location.Kind.INTERNAL, is_active=True),
    )
    quantity = forms.CharField(label=_("Quantity (+ adds, − removes)"), max_length=20)
    lot = forms.CharField(label=_("Lot or serial number"), max_length=60, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=200)


class TrackingForm(forms.Form):
    tracking = forms.ChoiceField(
        label=_("Tracking"),
        choices=[
            ("none", _("Not tracked")),
            ("lot", _("By lot")),
            ("serial", _("By serial number")),
        ],
    )


class CountForm(forms.Form):
    location = forms.ModelChoiceField(
        label=_("Location"),
        queryset=Location.objects.filter(kind=Location.Kind.INTERNAL, is_active=True),
    )


class PostCountForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the adjustments"), max_length=200)


class ReturnForm(forms.Form):
    party = forms.IntegerField(label=_("Customer id"), min_value=1)
    product = forms.CharField(label=_("SKU"), max_length=40)
    quantity = forms.CharField(label=_("Quantity"), max_length=20)
    lot = forms.CharField(label=_("Lot or serial number"), max_length=60, required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
