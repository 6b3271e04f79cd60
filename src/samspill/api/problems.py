"""RFC 9457 problem details for every API error."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from samspill.platform.errors import DomainError, ValidationFailed

log = logging.getLogger(__name__)

PROBLEM_TYPE = "https://samspill.org/problems/"


def problem(request: HttpRequest, status: int, code: str, title: str, detail: str = "", **extra):
    body = {
        "type": PROBLEM_TYPE + code,
        "title": str(title),
        "status": status,
        "detail": str(detail or title),
        "instance": request.get_full_path(),
        "code": code,
        **extra,
    }
    return JsonResponse(body, status=status, content_type="application/problem+json",
                        json_dumps_params={"ensure_ascii": False})


def install(api) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        extra = {"errors": exc.errors} if exc.errors else {}
        return problem(request, exc.status, exc.code, exc.title, exc.message, **extra)

    @api.exception_handler(DjangoValidationError)
    def django_validation(request, exc):
        return domain_error(request, ValidationFailed.from_django(exc))

    @api.exception_handler(NinjaValidationError)
    def schema_validation(request, exc: NinjaValidationError):
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            loc = [str(p) for p in error.get("loc", []) if p not in ("body", "payload", "query")]
            errors.setdefault(".".join(loc) or "__all__", []).append(error.get("msg", ""))
        return problem(request, 422, "validation_failed", _("Some fields are not valid"),
                       _("The request body or parameters are not valid."), errors=errors)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        response = problem(request, 401, "not_authenticated", _("Authentication required"),
                           _("Sign in or send a valid personal access token."))
        response["WWW-Authenticate"] = 'Bearer realm="samspill"'
        return response

    @api.exception_handler(DjangoPermissionDenied)
    def forbidden(request, exc):
        return problem(request, 403, "permission_denied",
                       _("You do not have permission to do this"))

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return problem(request, 404, "not_found", _("Not found"))

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        return problem(request, exc.status_code, "http_error", str(exc), str(exc))

    @api.exception_handler(Exception)
    def server_error(request, exc):
        log.exception("unhandled API error")
        return problem(request, 500, "server_error", _("Internal error"),
                       _("Something went wrong on our side. It has been logged."))
