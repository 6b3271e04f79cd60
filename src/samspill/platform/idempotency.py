"""Idempotency keys for API POSTs (the `Idempotency-Key` header).

A client that retries a POST with the same key gets the stored response of the first
attempt instead of a second change. The record is claimed before the handler runs, so:

- same user + same key + same request (method, path, body) -> the stored response is
  replayed with `Idempotent-Replayed: true`, and the handler does not run again;
- same user + same key + a different request -> refused (422), the key is not reused;
- the first request still running -> refused (409), the client retries later;
- keys expire after SAMSPILL["IDEMPOTENCY_TTL_HOURS"] (24 h); the worker prunes them;
- a first request that never finished (its process died) stops blocking its key after
  IN_FLIGHT_TIMEOUT, far beyond any HTTP timeout.

Only final outcomes are stored: a 5xx, 401 or 403 response releases the key, so a retry
after a server error or a fixed credential runs the handler again. The HTTP middleware
lives in `samspill.api.middleware`; this module is the storage and the rules.
"""

from __future__ import annotations

import enum
import hashlib
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from samspill.platform.models import IdempotencyRecord

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH: int = IdempotencyRecord._meta.get_field("key").max_length or 200
# Responses that say nothing about the outcome of the operation: the key is released.
NOT_STORED = frozenset({401, 403})
IN_FLIGHT_TIMEOUT = timedelta(minutes=10)


class Outcome(enum.Enum):
    NEW = "new"  # this request owns the key: run the handler, then complete()
    REPLAY = "replay"  # a stored response exists for this very request
    MISMATCH = "mismatch"  # the key was used for a different request
    IN_FLIGHT = "in_flight"  # the first request with this key has not finished


def ttl() -> timedelta:
    return timedelta(hours=settings.SAMSPILL.get("IDEMPOTENCY_TTL_HOURS", 24))


def valid_key(key: str) -> bool:
    return 0 < len(key) <= MAX_KEY_LENGTH and key.isprintable()


def fingerprint(method: str, path: str, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method.upper().encode(), path.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def begin(
    user, key: str, *, method: str, path: str, fingerprint: str, now: datetime | None = None
) -> tuple[Outcome, IdempotencyRecord]:
    """Claim `key` for this request, or say why it cannot run."""
    now = now or timezone.now()
    for _ in range(3):
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    user=user,
                    key=key,
                    method=method.upper(),
                    path=path[:500],
                    fingerprint=fingerprint,
                    created_at=now,
                )
            return Outcome.NEW, record
        except IntegrityError:
            pass
        existing = IdempotencyRecord.objects.filter(user=user, key=key).first()
        if existing is None:  # pruned or released in between: claim it again
            continue
        record = existing
        expired = record.created_at <= now - ttl()
        abandoned = record.status_code is None and record.created_at <= now - IN_FLIGHT_TIMEOUT
        if expired or abandoned:
            IdempotencyRecord.objects.filter(pk=record.pk, created_at=record.created_at).delete()
            continue
        if record.fingerprint != fingerprint:
            return Outcome.MISMATCH, record
        if record.status_code is None:
            return Outcome.IN_FLIGHT, record
        return Outcome.REPLAY, record
    raise RuntimeError(f"could not claim idempotency key {key!r}")


def complete(record: IdempotencyRecord, *, status_code: int, content_type: str, body) -> bool:
    """Store the response of the request that owned the key (or release the key when the
    response is not a final outcome). Returns whether it was stored."""
    if status_code >= 500 or status_code in NOT_STORED or body is None:
        release(record)
        return False
    IdempotencyRecord.objects.filter(pk=record.pk).update(
        status_code=status_code, content_type=content_type[:100], body=bytes(body)
    )
    return True


def release(record: IdempotencyRecord) -> None:
    IdempotencyRecord.objects.filter(pk=record.pk, status_code__isnull=True).delete()


def stored_body(record: IdempotencyRecord) -> bytes:
    return bytes(record.body) if record.body is not None else b""


def prune(now: datetime | None = None) -> int:
    """Delete expired keys. Returns how many were deleted."""
    now = now or timezone.now()
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lte=now - ttl()).delete()
    return deleted
