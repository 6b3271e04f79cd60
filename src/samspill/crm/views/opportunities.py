"""Pipeline pages: the kanban board (drag and drop), the list, detail, won/lost and the
weighted forecast with its chart."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from samspill.crm import forms, queries, services
from samspill.crm.filters import OpportunityFilter
from samspill.crm.models import Opportunity
from samspill.crm.tables import OpportunityTable
from samspill.crm.views.common import can, found
from samspill.organization import queries as organization_queries
from samspill.platform import audit
from samspill.platform.errors import DomainError
from samspill.platform.permissions import allowed
from samspill.platform.timeline import timeline
from samspill.platform.views import ListPage, PermissionRequiredMixin, form_errors_from


def _int(value):
    return int(value) if value and str(value).isdigit() else None


class BoardView(PermissionRequiredMixin, View):
    """The kanban board. Cards are dragged between columns (native HTML5 drag and drop);
    each drop posts to BoardMoveView, which calls services.move_opportunity."""

    permission = "crm.view_opportunity"

    def context(self, request):
        owner = _int(request.GET.get("owner"))
        team = _int(request.GET.get("team"))
        q = request.GET.get("q", "").strip()
        return {
            "title": _("Pipeline"),
            "columns": queries.board(request.user, owner=owner, team=team, q=q),
            "owners": queries.owners(),
            "teams": organization_queries.teams(),
            "selected": {"owner": owner, "team": team, "q": q},
            "can_move": allowed(request.user, "crm.change_opportunity"),
            "can_add": allowed(request.user, "crm.add_opportunity"),
        }

    def get(self, request):
        context = self.context(request)
        htmx = getattr(request, "htmx", None)
        template = "crm/_board.html" if htmx and not htmx.boosted else "crm/board.html"
        return render(request, template, context)


class BoardMoveView(PermissionRequiredMixin, View):
    permission = "crm.change_opportunity"

    def post(self, request, pk):
        opportunity = found(queries.opportunity, request.user, pk)
        try:
            services.move_opportunity(
                opportunity,
                actor=request.user,
                stage=request.POST.get("stage"),
                reason=request.POST.get("reason", ""),
            )
        except DomainError as exc:
            status = 422 if exc.status in (400, 422) else exc.status
            return render(
                request,
                "crm/_board.html",
                {**BoardView().context(request), "error": exc.message},
                status=status,
            )
        return render(request, "crm/_board.html", BoardView().context(request))


class OpportunityListPage(ListPage):
    permission = "crm.view_opportunity"
    table_class = OpportunityTable
    filterset_class = OpportunityFilter
    title = gettext_lazy("Opportunities")
    create_url = "crm:opportunity_create"
    create_permission = "crm.add_opportunity"
    export_name = "opportunities"
    empty_text = gettext_lazy("No opportunities yet. Convert a lead or open one for a customer.")

    def get_queryset(self):
        return queries.opportunities(self.request.user)


class OpportunityCreateView(PermissionRequiredMixin, View):
    permission = "crm.add_opportunity"

    def show(self, form, status=200):
        return render(
            self.request,
            "crm/form_page.html",
            {
                "title": _("New opportunity"),
                "form": form,
                "cancel_url": "crm:opportunity_list",
                "back_label": _("Opportunities"),
            },
            status=status,
        )

    def get(self, request):
        initial = {"owner": request.user.pk, "party": _int(request.GET.get("party"))}
        return self.show(forms.OpportunityForm(initial=initial))

    def post(self, request):
        form = forms.OpportunityForm(request.POST)
        if form.is_valid():
            try:
                opportunity = services.create_opportunity(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("The opportunity was opened."))
                return redirect(opportunity)
        return self.show(form, status=422)


class OpportunityEditView(PermissionRequiredMixin, View):
    permission = "crm.change_opportunity"

    def show(self, opportunity, form, status=200):
        return render(
            self.request,
            "crm/form_page.html",
            {
                "title": _("Edit opportunity"),
                "form": form,
                "object": opportunity,
                "cancel_url": "crm:opportunity_list",
                "back_label": _("Opportunities"),
            },
            status=status,
        )

    def get(self, request, pk):
        opportunity = found(queries.opportunity, request.user, pk)
        initial = forms.OpportunityForm.initial_for(opportunity)
        return self.show(opportunity, forms.OpportunityForm(initial=initial, editing=True))

    def post(self, request, pk):
        opportunity = found(queries.opportunity, request.user, pk)
        form = forms.OpportunityForm(request.POST, editing=True)
        if form.is_valid():
            try:
                services.update_opportunity(opportunity, actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("The opportunity was saved."))
                return redirect(opportunity)
        return self.show(opportunity, form, status=422)


class OpportunityDetailView(PermissionRequiredMixin, View):
    permission = "crm.view_opportunity"

    def get(self, request, pk, close_form=None, status=200):
        opportunity = found(queries.opportunity, request.user, pk)
        return render(
            request,
            "crm/opportunity_detail.html",
            {
                "title": opportunity.name,
                "opportunity": opportunity,
                "stages": queries.stages(),
                "close_form": close_form or forms.CloseForm(initial={"outcome": "won"}),
                "activities": opportunity.activities.select_related("owner").order_by(
                    "completed_at", "due_at"
                ),
                "timeline": timeline("opportunity", opportunity.pk, limit=20),
                "history": audit.history(opportunity)[:20],
                "can": can(request, "crm.change_opportunity", "crm.add_activity"),
            },
            status=status,
        )


class OpportunityMoveView(PermissionRequiredMixin, View):
    """Stage buttons and the won/lost form on the detail page (without JavaScript)."""

    permission = "crm.change_opportunity"

    def post(self, request, pk):
        opportunity = found(queries.opportunity, request.user, pk)
        if "outcome" in request.POST:
            form = forms.CloseForm(request.POST)
            if form.is_valid():
                mark = (
                    services.mark_won
                    if form.cleaned_data["outcome"] == "won"
                    else services.mark_lost
                )
                try:
                    mark(opportunity, actor=request.user, reason=form.cleaned_data["reason"])
                except DomainError as exc:
                    form_errors_from(form, exc)
                else:
                    messages.success(request, _("The opportunity was closed."))
                    return redirect(opportunity)
            view = OpportunityDetailView()
            view.request = request
            return view.get(request, pk, close_form=form, status=422)
        try:
            services.move_opportunity(
                opportunity, actor=request.user, stage=request.POST.get("stage")
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("The opportunity was moved."))
        return redirect(opportunity)


class ForecastView(PermissionRequiredMixin, View):
    """The weighted pipeline by month, owner or team: a Chart.js chart and the table beside
    it (the same rows)."""

    permission = "crm.view_opportunity"

    def get(self, request):
        group = request.GET.get("group", "month")
        if group not in queries.FORECAST_GROUPS:
            group = "month"
        owner = _int(request.GET.get("owner"))
        team = _int(request.GET.get("team"))
        rows = queries.forecast(request.user, group=group, owner=owner, team=team)
        chart = {
            "labels": [r.label for r in rows],
            "datasets": [
                {"label": str(_("Expected revenue")), "data": [float(r.total) for r in rows]},
                {"label": str(_("Weighted")), "data": [float(r.weighted) for r in rows]},
            ],
        }
        totals = {
            "count": sum(r.count for r in rows),
            "total": sum((r.total for r in rows), start=type(rows[0].total)(0)) if rows else 0,
            "weighted": sum((r.weighted for r in rows), start=type(rows[0].weighted)(0))
            if rows
            else 0,
        }
        return render(
            request,
            "crm/forecast.html",
            {
                "title": _("Forecast"),
                "rows": rows,
                "totals": totals,
                "group": group,
                "groups": [("month", _("Month")), ("owner", _("Owner")), ("team", _("Team"))],
                "chart": chart,
                "owners": queries.owners(),
                "teams": organization_queries.teams(),
                "selected": {"owner": owner, "team": team},
                "status_open": Opportunity.Status.OPEN,
            },
        )
