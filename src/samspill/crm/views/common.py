"""Helpers shared by the CRM pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from samspill.parties import queries as party_queries
from samspill.platform.errors import NotFound
from samspill.platform.permissions import allowed


def found(query, *args):
    """Run a query that raises NotFound; a missing record is a 404 page."""
    try:
        return query(*args)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc


def can(request, *perms: str) -> dict[str, bool]:
    """{"change_lead": True, ...} for the template."""
    return {perm.split(".", 1)[1]: allowed(request.user, perm) for perm in perms}


class PartyLookupView(View):
    """<option>s of the contacts matching ?party_q=, for the party picker (htmx)."""

    def get(self, request):
        if not allowed(request.user, "parties.view_party"):
            raise PermissionDenied
        kind = request.GET.get("kind") or None
        q = request.GET.get("party_q", "").strip()
        parties = party_queries.search(request.user, q, 20, kind=kind) if q else []
        return render(request, "crm/_party_options.html", {"parties": parties, "q": q})


def back_to(request, url_name: str) -> HttpResponse:
    """A redirect; for htmx (a confirmed button) the HX-Redirect header does the same."""
    url = reverse(url_name)
    if getattr(request, "htmx", None):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)
