"""One permission model, used by views, the API, exports, search and services alike.

Roles are permission sets defined in code. Each domain grants its model permissions to
roles in its AppConfig.ready() via `grant()`; `samspill syncroles` (also run after every
migrate) turns them into Django groups. Checks go through `require()`/`allowed()`, and
querysets are narrowed with `restrict()` so lists, exports and search never show more
than the user may see.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import models
from django.utils.translation import gettext_lazy as _

from samspill.platform.errors import PermissionDenied

ROLES: dict[str, object] = {
    "sales": _("Sales"),
    "service": _("Customer service"),
    "marketing": _("Marketing"),
    "finance": _("Finance"),
    "hr": _("HR"),
    "it": _("IT"),
    "operations": _("Operations and logistics"),
    "legal": _("Legal"),
    "management": _("Management"),
    "admin": _("Administrator"),
}

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"

_grants: dict[str, set[str]] = defaultdict(set)
# model label ("parties.party") -> custom actions ("merge", "erase") registered for it
_actions: dict[str, set[str]] = defaultdict(set)


def grant(roles: list[str] | tuple[str, ...], *perms: str) -> None:
    """Give roles the permissions `app_label.codename`. Unknown roles are a programming error."""
    for role in roles:
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        _grants[role].update(perms)


def register_model(model: type[models.Model], *actions: str) -> None:
    """Declare that a model takes part in the permission model, with its custom actions.
    A meta-test fails for any Samspill model that has no registration."""
    _actions[model._meta.label_lower].update(actions)


def registered_models() -> dict[str, set[str]]:
    return dict(_actions)


def role_permissions() -> dict[str, set[str]]:
    result = {role: set(perms) for role, perms in _grants.items()}
    result.setdefault("admin", set())
    return result


def perm_name(model: type[models.Model] | models.Model, action: str) -> str:
    meta = model._meta
    return f"{meta.app_label}.{action}_{meta.model_name}"


def allowed(user, perm: str) -> bool:
    return bool(user and user.is_active and user.has_perm(perm))


def require(user, perm: str) -> None:
    """Raise PermissionDenied unless the user holds `perm` (e.g. "parties.merge_party")."""
    if not allowed(user, perm):
        raise PermissionDenied()


def restrict(queryset: models.QuerySet, user, action: str = VIEW) -> models.QuerySet:
    """The rows of `queryset` the user may act on. Object-level rules hook in here."""
    if user is None:
        return queryset
    if not allowed(user, perm_name(queryset.model, action)):
        return queryset.none()
    hook = getattr(queryset, "restrict_for", None)
    return hook(user, action) if hook else queryset
