"""RFC 9457 problem details for every API error: raised domain errors, schema validation,
authentication, CSRF, unknown paths, wrong methods and anything unexpected."""

from __future__ import annotations

import logging
from http import HTTPStatus

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.csrf import csrf_failure as django_csrf_failure
from django.views.decorators.csrf import csrf_exempt
from ninja.errors import AuthenticationError, AuthorizationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from samspill.api.security import CsrfFailed
from samspill.platform.errors import DomainError, ValidationFailed

log = logging.getLogger(__name__)

PROBLEM_TYPE = "https://samspill.org/problems/"
# The members every problem has; an error's extension members never replace them.
STANDARD_MEMBERS = frozenset({"type", "title", "status", "detail", "instance", "code"})
CONTENT_TYPE = "application/problem+json"
API_PREFIX = "/api/"


def problem(
    request: HttpRequest,
    status: int,
    code: str,
    title: str | Promise,
    detail: str | Promise = "",
    **extra,
):
    body = {
        "type": PROBLEM_TYPE + code,
        "title": str(title),
        "status": status,
        "detail": str(detail or title),
        "instance": request.get_full_path(),
        "code": code,
        **extra,
    }
    return JsonResponse(
        body, status=status, content_type=CONTENT_TYPE, json_dumps_params={"ensure_ascii": False}
    )


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def not_found(request: HttpRequest, exc=None):
    return problem(
        request, 404, "not_found", _("Not found"), _("There is nothing at this address.")
    )


def method_not_allowed(request: HttpRequest):
    return problem(
        request,
        405,
        "method_not_allowed",
        _("Method not allowed"),
        _("This address does not accept %(method)s requests.") % {"method": request.method},
    )


def csrf_failed(request: HttpRequest):
    return problem(
        request,
        403,
        "csrf_failed",
        _("CSRF check failed"),
        _(
            "A request signed in with the browser session must send the CSRF token "
            "(X-CSRFToken header). Programs should use a personal access token instead."
        ),
    )


def for_status(request: HttpRequest, status: int):
    """The problem for a bare HTTP status that some layer below produced."""
    if status == 404:
        return not_found(request)
    if status == 405:
        return method_not_allowed(request)
    if status == 403:
        return problem(
            request, 403, "permission_denied", _("You do not have permission to do this")
        )
    if status == 401:
        return problem(
            request,
            401,
            "not_authenticated",
            _("Authentication required"),
            _("Sign in or send a valid personal access token."),
        )
    if status == 413:
        return problem(request, 413, "too_large", _("The request is too large"))
    if status >= 500:
        return problem(
            request,
            status,
            "server_error",
            _("Internal error"),
            _("Something went wrong on our side. It has been logged."),
        )
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = _("Error")
    return problem(request, status, "http_error", phrase)


@csrf_exempt
def catch_all(request: HttpRequest, rest: str = ""):
    """Every path under /api/v1/ that no endpoint serves."""
    return not_found(request)


def csrf_failure(request: HttpRequest, reason: str = ""):
    """settings.CSRF_FAILURE_VIEW: problem+json on API paths, the HTML page elsewhere."""
    if is_api_request(request):
        return csrf_failed(request)
    return django_csrf_failure(request, reason=reason)


def install(api) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        """The error's code, title and message, its field errors (`errors`: field -> list of
        messages) and its extension members (`DomainError.extra`)."""
        extra = {k: v for k, v in exc.extra.items() if k not in STANDARD_MEMBERS}
        if exc.errors:
            extra["errors"] = exc.errors
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
        return problem(
            request,
            422,
            "validation_failed",
            _("Some fields are not valid"),
            _("The request body or parameters are not valid."),
            errors=errors,
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        response = for_status(request, 401)
        response["WWW-Authenticate"] = 'Bearer realm="samspill"'
        return response

    @api.exception_handler(AuthorizationError)
    def unauthorized(request, exc):
        return for_status(request, 403)

    @api.exception_handler(CsrfFailed)
    def csrf(request, exc):
        return csrf_failed(request)

    @api.exception_handler(DjangoPermissionDenied)
    def forbidden(request, exc):
        return for_status(request, 403)

    @api.exception_handler(Http404)
    def http404(request, exc):
        return not_found(request)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        if exc.status_code in (401, 403, 404, 405) or exc.status_code >= 500:
            return for_status(request, exc.status_code)
        return problem(request, exc.status_code, "http_error", str(exc), str(exc))

    @api.exception_handler(Exception)
    def server_error(request, exc):
        log.exception("unhandled API error")
        return for_status(request, 500)
