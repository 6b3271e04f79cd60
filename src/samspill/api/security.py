"""Authentication of the API: a personal access token (`Authorization: Bearer ...`) or the
browser session. A session request that changes data must carry the CSRF token."""

from __future__ import annotations

from django.conf import settings
from ninja.security import APIKeyCookie
from ninja.utils import check_csrf


class CsrfFailed(Exception):
    """A session-authenticated request without a valid CSRF token."""


class SessionAuth(APIKeyCookie):
    """The browser session, with Django's CSRF check for unsafe methods. Unlike ninja's
    `django_auth`, a request without a signed-in session is simply not authenticated by
    it (401), instead of failing the CSRF check."""

    param_name = "sessionid"

    def __init__(self, csrf: bool = True) -> None:
        super().__init__(csrf=csrf)
        self.param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        exempt = getattr(request, "_ninja_csrf_exempt", False)
        if self.csrf and not exempt and check_csrf(request) is not None:
            raise CsrfFailed()
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated else None
