"""The sales dashboard: pipeline, won and lost, forecast, top customers and the funnel from
lead to order for a period, as Chart.js charts beside the tables that back them; every figure
links to the list it counts."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from samspill.platform.views import PermissionRequiredMixin, style_form
from samspill.sales import queries

PRESETS = (
    ("month", gettext_lazy("This month")),
    ("quarter", gettext_lazy("This quarter")),
    ("year", gettext_lazy("This year")),
)


def preset_range(preset: str, today: date) -> tuple[date, date]:
    """The period a preset names, ending with its last day (month, quarter, year)."""
    if preset == "year":
        return today.replace(month=1, day=1), today.replace(month=12, day=31)
    if preset == "quarter":
        first = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    else:
        first = today.replace(day=1)
    months = 3 if preset == "quarter" else 1
    month = first.month - 1 + months
    after = first.replace(year=first.year + month // 12, month=month % 12 + 1)
    return first, after - timedelta(days=1)


class PeriodForm(forms.Form):
    date_from = forms.DateField(
        label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=gettext_lazy("To"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The start of the period is after its end."))
        return data


def period(request) -> tuple[PeriodForm, date, date]:
    """The dashboard's period: ?date_from=&date_to=, else ?preset= (this quarter by default).
    An invalid period falls back to this quarter and the form shows why."""
    start, end = preset_range(request.GET.get("preset", "quarter"), timezone.localdate())
    if "date_from" not in request.GET and "date_to" not in request.GET:
        form = PeriodForm({"date_from": start, "date_to": end})
    else:
        form = PeriodForm(request.GET)
    style_form(form)
    if form.is_valid():
        return form, form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    return form, start, end


def chart_data(figures: dict) -> dict:
    """What the charts draw: the same rows as the tables."""
    return {
        "pipeline": {
            "labels": [s.name for s in figures["pipeline"]],
            "value": [float(s.value) for s in figures["pipeline"]],
            "weighted": [float(s.weighted) for s in figures["pipeline"]],
        },
        "forecast": {
            "labels": [r.label for r in figures["forecast"]],
            "value": [float(r.total) for r in figures["forecast"]],
            "weighted": [float(r.weighted) for r in figures["forecast"]],
        },
        "customers": {
            "labels": [c["name"] for c in figures["top_customers"]],
            "value": [float(c["value"]) for c in figures["top_customers"]],
        },
        "labels": {
            "value": str(_("Expected revenue")),
            "weighted": str(_("Weighted")),
            "orders": str(_("Order value")),
        },
    }


class DashboardView(PermissionRequiredMixin, View):
    permission = "sales.view_order"

    def get(self, request):
        form, start, end = period(request)
        figures = queries.dashboard(request.user, start, end)
        return render(
            request,
            "sales/dashboard.html",
            {
                "title": _("Sales dashboard"),
                "form": form,
                "presets": PRESETS,
                "figures": figures,
                "chart": chart_data(figures),
                "pipeline_open": any(stage.count for stage in figures["pipeline"]),
                "range": {"from": start.isoformat(), "to": end.isoformat()},
            },
        )
