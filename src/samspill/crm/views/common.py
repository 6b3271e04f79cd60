"""Helpers shared by the CRM pages."""

from __future__ import annotations

from django.http import Http404

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
