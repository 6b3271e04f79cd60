"""Lead pages: list, entry, detail with duplicates, qualify, disqualify, convert, import."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from samspill.crm import forms, queries, services
from samspill.crm.filters import LeadFilter
from samspill.crm.tables import LeadTable
from samspill.crm.views.common import can, found
from samspill.parties.services import DuplicateParty
from samspill.platform import audit
from samspill.platform.errors import DomainError
from samspill.platform.permissions import allowed
from samspill.platform.timeline import timeline
from samspill.platform.views import ListPage, PermissionRequiredMixin, form_errors_from


class LeadListPage(ListPage):
    permission = "crm.view_lead"
    table_class = LeadTable
    filterset_class = LeadFilter
    title = gettext_lazy("Leads")
    create_url = "crm:lead_create"
    create_permission = "crm.add_lead"
    export_name = "leads"
    template_name = "crm/lead_list.html"
    empty_text = gettext_lazy(
        "No leads yet. Enter one, import a CSV file, or put a web form on your website."
    )

    def get_queryset(self):
        return queries.leads(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_import"] = allowed(self.request.user, "crm.import_lead")
        return context


class LeadCreateView(PermissionRequiredMixin, View):
    permission = "crm.add_lead"

    def show(self, form, status=200):
        return render(
            self.request,
            "crm/form_page.html",
            {
                "title": _("New lead"),
                "form": form,
                "cancel_url": "crm:lead_list",
                "back_label": _("Leads"),
            },
            status=status,
        )

    def get(self, request):
        return self.show(forms.LeadForm(initial={"owner": request.user.pk}))

    def post(self, request):
        form = forms.LeadForm(request.POST)
        if form.is_valid():
            try:
                lead = services.create_lead(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(
                    request, _("The lead was saved (score %(score)s).") % {"score": lead.score}
                )
                return redirect(lead)
        return self.show(form, status=422)


class LeadEditView(PermissionRequiredMixin, View):
    permission = "crm.change_lead"

    def show(self, lead, form, status=200):
        return render(
            self.request,
            "crm/form_page.html",
            {
                "title": _("Edit lead"),
                "form": form,
                "object": lead,
                "cancel_url": "crm:lead_list",
                "back_label": _("Leads"),
            },
            status=status,
        )

    def get(self, request, pk):
        lead = found(queries.lead, request.user, pk)
        return self.show(lead, forms.LeadForm(initial=forms.LeadForm.initial_for(lead)))

    def post(self, request, pk):
        lead = found(queries.lead, request.user, pk)
        form = forms.LeadForm(request.POST)
        if form.is_valid():
            try:
                services.update_lead(lead, actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("The lead was saved."))
                return redirect(lead)
        return self.show(lead, form, status=422)


def _convert_form(request, lead, data=None):
    candidates = (
        queries.lead_duplicates(lead) if allowed(request.user, "parties.view_party") else []
    )
    create_label = (
        _("Create the organisation “%(name)s”") % {"name": lead.company_name}
        if lead.company_name
        else _("No organisation: the person is the customer")
    )
    initial = {
        "opportunity_name": lead.company_name or lead.name,
        "close_date": timezone.localdate() + timedelta(days=30),
        "owner": lead.owner_id or request.user.pk,
        "expected_revenue": 0,
    }
    form = forms.ConvertForm(
        data, initial=initial, candidates=candidates, create_label=create_label
    )
    if data is None:
        stages = form.fields["stage"].queryset  # type: ignore[attr-defined]
        form.initial["stage"] = stages.values_list("pk", flat=True).first()
    return form, candidates


class LeadDetailView(PermissionRequiredMixin, View):
    permission = "crm.view_lead"

    def get(self, request, pk, convert_form=None, reason_form=None, status=200):
        lead = found(queries.lead, request.user, pk)
        form, candidates = convert_form or _convert_form(request, lead)
        return render(
            request,
            "crm/lead_detail.html",
            {
                "title": str(lead),
                "lead": lead,
                "duplicates": candidates,
                "convert_form": form,
                "reason_form": reason_form or forms.ReasonForm(),
                "activities": lead.activities.select_related("owner").order_by(
                    "completed_at", "due_at"
                )[:20],
                "opportunities": lead.opportunities.select_related("stage"),
                "timeline": timeline("lead", lead.pk, limit=20),
                "history": audit.history(lead)[:20],
                "can": can(request, "crm.change_lead", "crm.convert_lead", "crm.add_activity"),
            },
            status=status,
        )


class LeadQualifyView(PermissionRequiredMixin, View):
    permission = "crm.change_lead"

    def post(self, request, pk):
        lead = found(queries.lead, request.user, pk)
        try:
            services.qualify_lead(lead, actor=request.user)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("The lead is qualified."))
        return redirect(lead)


class LeadDisqualifyView(PermissionRequiredMixin, View):
    permission = "crm.change_lead"

    def post(self, request, pk):
        lead = found(queries.lead, request.user, pk)
        form = forms.ReasonForm(request.POST)
        if form.is_valid():
            try:
                services.disqualify_lead(
                    lead, actor=request.user, reason=form.cleaned_data["reason"]
                )
            except DomainError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("The lead was disqualified."))
                return redirect(lead)
        return _detail_again(request, pk, reason_form=form)


def _detail_again(request, pk, **kwargs):
    view = LeadDetailView()
    view.request = request
    return view.get(request, pk, status=422, **kwargs)


class LeadConvertView(PermissionRequiredMixin, View):
    permission = "crm.convert_lead"

    def post(self, request, pk):
        lead = found(queries.lead, request.user, pk)
        form, candidates = _convert_form(request, lead, request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            organization_id = data.pop("organization")
            organization = next((p for p in candidates if p.pk == organization_id), None)
            try:
                result = services.convert_lead(
                    lead, actor=request.user, organization=organization, **data
                )
            except DuplicateParty as exc:
                form.add_error(
                    None,
                    _(
                        "%(message)s Choose the existing organisation above, or tick “create "
                        "even if they look like existing ones”."
                    )
                    % {"message": exc.message},
                )
            except DomainError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(
                    request,
                    _("The lead was converted: %(party)s and the opportunity %(opportunity)s.")
                    % {"party": result.party.display_name, "opportunity": result.opportunity.name},
                )
                return redirect(result.opportunity)
        return _detail_again(request, pk, convert_form=(form, candidates))


class LeadImportView(PermissionRequiredMixin, View):
    permission = "crm.import_lead"

    def show(self, form, report=None, status=200):
        return render(
            self.request,
            "crm/lead_import.html",
            {"title": _("Import leads"), "form": form, "report": report},
            status=status,
        )

    def get(self, request):
        return self.show(forms.ImportForm())

    def post(self, request):
        form = forms.ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                report = services.import_leads(
                    actor=request.user,
                    content=form.cleaned_data["file"].read(),
                    all_or_nothing=form.cleaned_data["all_or_nothing"],
                )
            except DomainError as exc:
                form_errors_from(form, exc)
            else:
                if report.created:
                    messages.success(
                        request,
                        _("%(count)s leads were imported.") % {"count": len(report.created)},
                    )
                return self.show(forms.ImportForm(), report, status=200 if report.ok else 422)
        return self.show(form, status=422)
