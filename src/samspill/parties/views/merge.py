"""Merge two parties: pick the other one, preview, confirm."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from samspill.parties import queries, services
from samspill.parties.models import Party
from samspill.parties.views.common import (
    _forbidden,
    _party_or_404,
)
from samspill.platform.errors import DomainError
from samspill.platform.errors import PermissionDenied as DomainPermissionDenied
from samspill.platform.views import PermissionRequiredMixin


class MergeView(PermissionRequiredMixin, View):
    """Pick the other party (suggested duplicates or search), preview, confirm."""

    permission = "parties.merge_party"

    def get(self, request, pk):
        party = _party_or_404(request, pk)
        context = {"party": party, "title": _("Merge %(name)s") % {"name": party}}
        other_id = request.GET.get("other")
        if other_id:
            other = _party_or_404(request, other_id)
            keep_other = request.GET.get("keep") == "other"
            survivor, duplicate = (other, party) if keep_other else (party, other)
            context.update(self.preview(survivor, duplicate), other=other)
        else:
            q = request.GET.get("q", "").strip()
            context["q"] = q
            context["duplicates"] = queries.duplicates_of(party)
            found = queries.search(request.user, q, 20, kind=party.kind) if q else []
            context["results"] = [p for p in found if p.pk != party.pk]
        return render(request, "parties/merge.html", context)

    def preview(self, survivor: Party, duplicate: Party) -> dict:
        rows = []
        fields = ["name", "orgnr", "first_name", "last_name", "website", "notes", "owner"]
        for field in fields:
            if survivor.is_organization and field in ("first_name", "last_name"):
                continue
            if survivor.is_person and field == "orgnr":
                continue
            label = getattr(Party._meta.get_field(field), "verbose_name", field)
            kept, other = getattr(survivor, field), getattr(duplicate, field)
            result = kept or other
            rows.append((label, kept or "", other or "", result or "", not kept and bool(other)))
        counts = {
            _("Email addresses and phone numbers"): duplicate.contact_points.count(),
            _("Addresses"): duplicate.addresses.count(),
            _("Contact persons and organizations"): duplicate.contact_relations.count()
            + duplicate.organization_relations.count(),
            _("Consents"): duplicate.consents.count(),
        }
        problem = ""
        if survivor.kind != duplicate.kind:
            problem = _("An organization and a person cannot be merged.")
        elif survivor.pk == duplicate.pk:
            problem = _("A party cannot be merged with itself.")
        return {
            "survivor": survivor,
            "duplicate": duplicate,
            "rows": rows,
            "counts": counts,
            "problem": problem,
        }

    def post(self, request, pk):
        party = _party_or_404(request, pk)
        try:
            survivor = _party_or_404(request, request.POST.get("survivor"))
            duplicate = _party_or_404(request, request.POST.get("duplicate"))
            if party.pk not in (survivor.pk, duplicate.pk):
                raise Http404
            survivor = services.merge_parties(
                actor=request.user, survivor=survivor, duplicate=duplicate
            )
        except DomainPermissionDenied as exc:
            _forbidden(exc)
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return redirect(reverse("parties:merge", args=[party.pk]))
        messages.success(
            request,
            _("“%(duplicate)s” was merged into “%(survivor)s”.")
            % {"duplicate": duplicate.display_name, "survivor": survivor.display_name},
        )
        return redirect(survivor.get_absolute_url())
