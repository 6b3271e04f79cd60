"""Small htmx helpers: the party picker's options and inline validation."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from samspill.parties import queries
from samspill.parties.models import Party, clean_orgnr, try_normalize
from samspill.parties.views.common import (
    VIEW_PERM,
)
from samspill.platform.views import PermissionRequiredMixin


class LookupView(PermissionRequiredMixin, View):
    """<option>s of the parties matching q, for the party picker."""

    permission = VIEW_PERM

    def get(self, request):
        kind = request.GET.get("kind")
        kind = kind if kind in Party.Kind.values else None
        q = request.GET.get("q", "")
        parties = queries.search(request.user, q, 20, kind=kind) if q else []
        return render(request, "parties/_options.html", {"parties": parties, "q": q})


class ValidateView(PermissionRequiredMixin, View):
    """Inline validation of orgnr, email and phone while the user types, with a hint
    when another contact already has the value."""

    permission = VIEW_PERM

    def get(self, request):
        field = next((f for f in ("orgnr", "email", "phone") if f in request.GET), None)
        if field is None:
            raise Http404
        value = request.GET.get(field, "").strip()
        error, duplicates = "", []
        if value:
            if field == "orgnr":
                try:
                    value = clean_orgnr(value)
                    duplicates = queries.find_duplicates(orgnr=value)
                except ValidationError as exc:
                    error = " ".join(exc.messages)
            else:
                normalized = try_normalize(field, value)
                if normalized is None:
                    error = (
                        _("Enter a valid email address.")
                        if field == "email"
                        else _("Enter a valid phone number.")
                    )
                else:
                    key = "emails" if field == "email" else "phones"
                    duplicates = queries.find_duplicates(**{key: [normalized]})
        exclude = request.GET.get("exclude")
        if exclude and exclude.isdigit():
            duplicates = [p for p in duplicates if p.pk != int(exclude)]
        return render(
            request,
            "parties/_live_validation.html",
            {"error": error, "duplicates": duplicates, "field": field},
        )
