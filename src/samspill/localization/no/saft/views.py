"""The SAF-T export page (Accounting > Reports > SAF-T export): choose a fiscal year and a
period range, see what the file will hold, download it. Roles finance and management."""

from __future__ import annotations

from django.http import FileResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from samspill.accounting import queries as accounting
from samspill.localization.no.saft import selection as ranges
from samspill.localization.no.saft import services
from samspill.localization.no.saft.forms import SaftForm
from samspill.platform.errors import DomainError
from samspill.platform.views import PermissionRequiredMixin, form_errors_from


class SaftExportView(PermissionRequiredMixin, View):
    permission = services.PERMISSION
    template_name = "localization_no/saft_export.html"

    def _form(self, request, data):
        years = accounting.fiscal_years(request.user).prefetch_related(None).order_by("-start")
        return SaftForm(data, fiscal_years=years)

    def _selection(self, form):
        year = form.cleaned_data["fiscal_year"]
        return ranges.for_periods(
            year, form.cleaned_data["period_from"], form.cleaned_data["period_to"]
        )

    def _render(self, request, form, *, selection=None, totals=None, status=200):
        context = {
            "title": _("SAF-T export"),
            "form": form,
            "selection": selection,
            "totals": totals,
            "has_years": form.fields["fiscal_year"].queryset.exists(),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request):
        if "fiscal_year" not in request.GET:
            return self._render(request, self._form(request, None))
        form = self._form(request, request.GET)
        if not form.is_valid():
            return self._render(request, form, status=422)
        try:
            sel = self._selection(form)
            sel, totals = services.preview(
                actor=request.user, date_from=sel.date_from, date_to=sel.date_to
            )
        except DomainError as exc:
            form_errors_from(form, exc)
            return self._render(request, form, status=422)
        return self._render(request, form, selection=sel, totals=totals)

    def post(self, request):
        form = self._form(request, request.POST)
        if not form.is_valid():
            return self._render(request, form, status=422)
        try:
            sel = self._selection(form)
            result, handle = services.export_to_temporary_file(
                actor=request.user, date_from=sel.date_from, date_to=sel.date_to
            )
        except DomainError as exc:
            form_errors_from(form, exc)
            return self._render(request, form, status=422)
        return FileResponse(
            handle, as_attachment=True, filename=result.file_name, content_type="application/xml"
        )
