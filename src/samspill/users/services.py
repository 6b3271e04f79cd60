"""Commands on users and their access tokens. The only code that writes these tables."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from samspill.platform import audit
from samspill.users.models import AccessToken, hash_token


@transaction.atomic
def create_access_token(user, *, actor, name: str, days: int | None = None):
    """Create a personal access token. Returns (row, raw token); the raw token is never
    stored and cannot be shown again."""
    raw = AccessToken.generate()
    days = settings.SAMSPILL["TOKEN_DEFAULT_DAYS"] if days is None else days
    row = AccessToken.objects.create(
        user=user,
        name=name,
        prefix=raw[:12],
        token_hash=hash_token(raw),
        expires_at=timezone.now() + timedelta(days=days) if days else None,
    )
    audit.record("create", row, actor=actor, changes={"name": [None, name]})
    return row, raw
