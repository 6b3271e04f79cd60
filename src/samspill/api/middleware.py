"""HTTP plumbing of the API: problem+json for every error response under /api/, and
Idempotency-Key handling for POST requests (rules and storage in
samspill.platform.idempotency)."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _

from samspill.api.problems import for_status, is_api_request, problem
from samspill.platform import idempotency
from samspill.platform.idempotency import Outcome

KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


class ProblemResponseMiddleware:
    """An error response on an API path that is not JSON (Django's 404/405/500 pages, a
    405 from a ninja path with other methods) becomes the matching problem+json."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and is_api_request(request)
            and "json" not in response.get("Content-Type", "")
            and not getattr(response, "streaming", False)
        ):
            replacement = for_status(request, response.status_code)
            for header in KEPT_HEADERS:
                if header in response:
                    replacement[header] = response[header]
            return replacement
        return response


def api_user(request):
    """The user an API request is made by: the bearer token's, else the session's."""
    from samspill.users.auth import TokenAuth

    authorization = request.headers.get("Authorization", "")
    scheme, _sep, token = authorization.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return TokenAuth().authenticate(request, token.strip())
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


class IdempotencyMiddleware:
    """POST /api/... with `Idempotency-Key: <key>`: run once, replay the stored response
    to retries (header `Idempotent-Replayed: true`), refuse a reused key with another
    body (422) and a retry while the first request still runs (409)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get(idempotency.HEADER)
        if key is None or request.method != "POST" or not is_api_request(request):
            return self.get_response(request)
        if not idempotency.valid_key(key):
            return problem(
                request,
                400,
                "invalid_idempotency_key",
                _("Invalid Idempotency-Key"),
                _("The Idempotency-Key header must be 1 to %(max)d printable characters.")
                % {"max": idempotency.MAX_KEY_LENGTH},
            )
        user = api_user(request)
        if user is None:  # the endpoint answers 401
            return self.get_response(request)
        path = request.get_full_path()
        outcome, record = idempotency.begin(
            user,
            key,
            method=request.method,
            path=path,
            fingerprint=idempotency.fingerprint(request.method, path, request.body),
        )
        if outcome is Outcome.MISMATCH:
            return problem(
                request,
                422,
                "idempotency_key_reused",
                _("Idempotency-Key already used"),
                _("This Idempotency-Key was used for a different request. Use a new key."),
            )
        if outcome is Outcome.IN_FLIGHT:
            response = problem(
                request,
                409,
                "idempotency_request_in_progress",
                _("Request in progress"),
                _("A request with this Idempotency-Key is still being processed. Retry later."),
            )
            response["Retry-After"] = "1"
            return response
        if outcome is Outcome.REPLAY:
            response = HttpResponse(
                idempotency.stored_body(record),
                status=record.status_code,
                content_type=record.content_type or None,
            )
            response[idempotency.REPLAYED_HEADER] = "true"
            return response
        try:
            response = self.get_response(request)
        except BaseException:
            idempotency.release(record)
            raise
        if getattr(response, "streaming", False):
            idempotency.release(record)
        else:
            idempotency.complete(
                record,
                status_code=response.status_code,
                content_type=response.get("Content-Type", ""),
                body=response.content,
            )
        return response
