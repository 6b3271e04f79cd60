"""Secrets at rest: mailbox passwords and webhook secrets are stored encrypted with Fernet
(AES-128-CBC + HMAC-SHA256, from `cryptography`). The key is derived from the setting
SAMSPILL_SECRET_KEY, or from SECRET_KEY when that is empty, so a copy of the database alone
does not reveal them."""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

PREFIX = "fernet:"


def _fernet() -> Fernet:
    secret = getattr(settings, "SAMSPILL_SECRET_KEY", "") or settings.SECRET_KEY
    digest = hashlib.sha256(b"samspill.helpdesk.secrets:" + secret.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def is_encrypted(value: str) -> bool:
    return (value or "").startswith(PREFIX)


def encrypt(plain: str) -> str:
    """The stored form of a secret ("" stays "")."""
    if not plain:
        return ""
    return PREFIX + _fernet().encrypt(plain.encode()).decode()


def decrypt(stored: str) -> str:
    """The secret; "" when it cannot be read (the key changed: enter the secret again)."""
    if not stored:
        return ""
    if not is_encrypted(stored):
        return stored  # not yet encrypted (a row written before the migration)
    try:
        return _fernet().decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        return ""
