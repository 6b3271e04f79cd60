"""Helpers shared by the contacts views."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404

from samspill.parties import queries
from samspill.parties.models import Party
from samspill.platform.errors import DomainError, NotFound
from samspill.platform.errors import PermissionDenied as DomainPermissionDenied
from samspill.platform.views import form_errors_from

VIEW_PERM = "parties.view_party"
ADD_PERM = "parties.add_party"
CHANGE_PERM = "parties.change_party"
TIMELINE_LIMIT = 50


def _party_or_404(request, pk, *, include_merged=False) -> Party:
    try:
        return queries.get_party(request.user, pk, include_merged=include_merged)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc


def _or_404(getter, request, pk):
    try:
        return getter(request.user, pk)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc


def _apply_errors(form, exc: DomainError, mapping: dict[str, str] | None = None) -> None:
    """form_errors_from, after mapping service keys (contact_points.0.value) to fields."""
    if mapping and exc.errors:
        exc.errors = {mapping.get(key, key): msgs for key, msgs in exc.errors.items()}
    form_errors_from(form, exc)


def _forbidden(exc: DomainPermissionDenied):
    raise DjangoPermissionDenied(str(exc.message)) from exc
