"""Domain errors: raised by services, translated by the UI (messages/form errors) and the
API (RFC 9457 problem+json). A service raises before it writes, or inside its transaction,
so an error never leaves a half-written change."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A rule of the business was broken. `code` is stable and machine-readable."""

    status = 400
    code = "domain_error"
    title = _("The request could not be carried out")

    def __init__(self, message=None, *, code: str | None = None, errors=None, extra=None):
        self.message = message or self.title
        if code:
            self.code = code
        # field name -> list of messages ("__all__" for the whole record)
        self.errors: dict[str, list[str]] = errors or {}
        self._extra: dict[str, Any] = dict(extra or {})
        super().__init__(str(self.message))

    @property
    def extra(self) -> dict[str, Any]:
        """More facts for a program (JSON-serialisable), e.g. {"candidates": [...]} or
        {"limit": 10}: extension members of the API's problem+json body (RFC 9457).
        Subclasses may compute them; they never replace the standard members."""
        return self._extra


class ValidationFailed(DomainError):
    status = 422
    code = "validation_failed"
    title = _("Some fields are not valid")

    @classmethod
    def from_django(cls, exc) -> ValidationFailed:
        """Build from django.core.exceptions.ValidationError."""
        if hasattr(exc, "error_dict"):
            errors = {field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()}
        else:
            errors = {"__all__": [str(m) for m in exc.messages]}
        first = next(iter(errors.values()))[0] if errors else None
        return cls(first or cls.title, errors=errors)


class NotFound(DomainError):
    status = 404
    code = "not_found"
    title = _("Not found")


class PermissionDenied(DomainError):
    status = 403
    code = "permission_denied"
    title = _("You do not have permission to do this")


class Conflict(DomainError):
    status = 409
    code = "conflict"
    title = _("The record is in a state that does not allow this")
