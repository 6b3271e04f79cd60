"""Validation and bookkeeping shared by the CRM commands."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samspill.platform.errors import DomainError, ValidationFailed
from samspill.platform.permissions import require


class RateLimited(DomainError):
    """Too many requests from one address in a short time."""

    status = 429
    code = "rate_limited"
    title = gettext_lazy("Too many requests")

    def __init__(self, message=None, *, retry_after: int, limit: int):
        self.retry_after = retry_after
        self.limit = limit
        super().__init__(message)

    @property
    def extra(self) -> dict[str, Any]:
        return {"retry_after": self.retry_after, "limit": self.limit}


def check(actor, perm: str) -> None:
    if actor is not None:
        require(actor, perm)


def reject_unknown(changes: dict, allowed: Iterable[str]) -> None:
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise ValidationFailed(
            _("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(unknown)},
            errors={f: [_("This field cannot be changed.")] for f in unknown},
        )


def full_clean(instance, *, exclude=None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise ValidationFailed.from_django(exc) from exc


def strip(value):
    return value.strip() if isinstance(value, str) else value


def resolve_user(value, field: str):
    """A user (or None) from a user, a primary key or None; only active users."""
    User = get_user_model()
    if value in (None, ""):
        return None
    user: Any
    if isinstance(value, User):
        user = value
    else:
        user = User.objects.filter(pk=value).first() if str(value).isdigit() else None
        if user is None:
            raise ValidationFailed(
                _("Choose an existing user."), errors={field: [_("Choose an existing user.")]}
            )
    if not user.is_active:
        message = _("%(user)s is deactivated.") % {"user": user}
        raise ValidationFailed(message, errors={field: [message]})
    return user


def resolve(model, value, field: str, message: str, queryset=None):
    """A row of `model` from an instance, a primary key or None."""
    if value in (None, ""):
        return None
    if isinstance(value, model):
        return value
    rows = queryset if queryset is not None else model.objects.all()
    row = rows.filter(pk=value).first() if str(value).isdigit() else None
    if row is None:
        raise ValidationFailed(message, errors={field: [message]})
    return row
