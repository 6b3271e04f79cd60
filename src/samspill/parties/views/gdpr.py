"""GDPR: download everything held about a party; erase a person's data."""

from __future__ import annotations

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from samspill.parties import services
from samspill.parties.forms import (
    EraseForm,
)
from samspill.parties.views.common import (
    _forbidden,
    _party_or_404,
)
from samspill.platform.errors import DomainError
from samspill.platform.errors import PermissionDenied as DomainPermissionDenied
from samspill.platform.views import PermissionRequiredMixin


class PersonalDataView(PermissionRequiredMixin, View):
    """Download everything held about the party as JSON (the export is audited)."""

    permission = "parties.export_party"

    def get(self, request, pk):
        party = _party_or_404(request, pk)
        try:
            data = services.export_personal_data(actor=request.user, party=party)
        except DomainPermissionDenied as exc:
            _forbidden(exc)
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Disposition"] = f'attachment; filename="personal-data-{party.pk}.json"'
        return response


class EraseView(PermissionRequiredMixin, View):
    permission = "parties.erase_party"

    def render(self, party, form):
        return render(
            self.request,
            "parties/erase.html",
            {"party": party, "form": form, "title": _("Erase personal data")},
        )

    def get(self, request, pk):
        return self.render(_party_or_404(request, pk), EraseForm())

    def post(self, request, pk):
        party = _party_or_404(request, pk)
        form = EraseForm(request.POST)
        if not form.is_valid():
            return self.render(party, form)
        try:
            services.erase_person(actor=request.user, party=party)
        except DomainPermissionDenied as exc:
            _forbidden(exc)
        except DomainError as exc:
            form.add_error(None, str(exc.message))
            return self.render(party, form)
        messages.success(request, _("The personal data was erased."))
        return redirect(party.get_absolute_url())
