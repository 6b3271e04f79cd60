"""The service dashboard page: backlog, SLA attainment, response and resolution times, CSAT
by queue and team, created against resolved per day; Chart.js charts beside the tables that
back them (as on the sales dashboard), every count linking to the inbox it counts."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from samspill.helpdesk import dashboard
from samspill.platform.views import PermissionRequiredMixin, style_form

PRESETS = (
    ("week", gettext_lazy("Last 7 days")),
    ("month", gettext_lazy("Last 30 days")),
    ("quarter", gettext_lazy("Last 90 days")),
)
PRESET_DAYS = {"week": 7, "month": 30, "quarter": 90}


class DashboardPeriodForm(forms.Form):
    date_from = forms.DateField(
        label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=gettext_lazy("To"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end:
            if start > end:
                raise forms.ValidationError(_("The start of the period is after its end."))
            if (end - start).days >= dashboard.MAX_DAYS:
                raise forms.ValidationError(
                    _("Choose a period of at most %(days)s days.") % {"days": dashboard.MAX_DAYS}
                )
        return data


def preset_range(preset: str, today: date) -> tuple[date, date]:
    days = PRESET_DAYS.get(preset, 30)
    return today - timedelta(days=days - 1), today


def period(request) -> tuple[DashboardPeriodForm, date, date]:
    """?date_from=&date_to=, else ?preset= (the last 30 days by default); an invalid period
    falls back to the last 30 days and the form says why."""
    start, end = preset_range(request.GET.get("preset", "month"), timezone.localdate())
    if "date_from" not in request.GET and "date_to" not in request.GET:
        form = DashboardPeriodForm({"date_from": start, "date_to": end})
    else:
        form = DashboardPeriodForm(request.GET)
    style_form(form)
    if form.is_valid():
        return form, form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    return form, start, end


def chart_data(figures: dict) -> dict:
    """What the charts draw: the same rows as the tables."""
    return {
        "days": {
            "labels": [d["day"].isoformat() for d in figures["days"]],
            "created": [d["created"] for d in figures["days"]],
            "resolved": [d["resolved"] for d in figures["days"]],
        },
        "backlog": {
            "labels": [row["label"] for row in figures["backlog"]["by_status"]],
            "count": [row["count"] for row in figures["backlog"]["by_status"]],
        },
        "labels": {
            "created": str(_("Created")),
            "resolved": str(_("Resolved")),
            "tickets": str(_("Tickets")),
        },
    }


class ServiceDashboardView(PermissionRequiredMixin, View):
    permission = "helpdesk.view_ticket"

    def get(self, request):
        form, start, end = period(request)
        figures = dashboard.dashboard(request.user, start, end)
        return render(
            request,
            "helpdesk/dashboard.html",
            {
                "title": _("Service dashboard"),
                "form": form,
                "presets": PRESETS,
                "figures": figures,
                "chart": chart_data(figures),
            },
        )
