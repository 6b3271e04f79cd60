"""API authentication with personal access tokens (`Authorization: Bearer sams_...`)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone, translation
from ninja.security import HttpBearer

from samspill.users.models import AccessToken, hash_token


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        row = (
            AccessToken.objects.select_related("user")
            .filter(token_hash=hash_token(token), revoked_at__isnull=True)
            .first()
        )
        if row is None or not row.is_active or not row.user.is_active:
            return None
        now = timezone.now()
        if row.last_used_at is None or now - row.last_used_at > timedelta(minutes=5):
            AccessToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        request.access_token = row
        # A program that does not say which language it wants gets the owner's, as in the UI.
        if not request.META.get("HTTP_ACCEPT_LANGUAGE"):
            translation.activate(row.user.language)
            request.LANGUAGE_CODE = row.user.language
        return row.user
