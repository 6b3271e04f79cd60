"""Webhook delivery: signed HTTP POSTs of events, retried with backoff, dead-lettered.

The body is JSON `{id, type, version, occurred_at, subjects, payload}`. The headers:

- Samspill-Event: the event type
- Samspill-Delivery: the delivery id (the same on every attempt: deduplicate on it)
- Samspill-Timestamp: Unix seconds of this attempt
- Samspill-Signature: "v1=" + hex HMAC-SHA256(secret, f"{timestamp}.{body}")

SSRF guard: the target's host name is resolved and every address checked; private,
loopback, link-local, multicast, reserved and unspecified addresses are refused unless
SAMSPILL["WEBHOOK_ALLOW_PRIVATE"]. The request goes to the checked address (TLS still
verifies the host name), so a DNS answer that changes between check and connect cannot
redirect it. Redirects are not followed.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import ipaddress
import json
import logging
import socket
import ssl
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.platform.compat import task

log = logging.getLogger(__name__)

USER_AGENT = "Samspill-Webhooks/1"
EXCERPT_CHARS = 1000
SWEEP_BATCH = 200


def max_attempts() -> int:
    return int(settings.SAMSPILL.get("WEBHOOK_MAX_ATTEMPTS", 8))


def timeout() -> float:
    return float(settings.SAMSPILL.get("WEBHOOK_TIMEOUT", 5))


def allow_private() -> bool:
    return bool(settings.SAMSPILL.get("WEBHOOK_ALLOW_PRIVATE", False))


def backoff(attempt: int) -> timedelta:
    """10 s after the first failed attempt, then doubling: 20 s, 40 s ... at most 1 hour."""
    return timedelta(seconds=min(5 * 2**attempt, 3600))


def lease() -> timedelta:
    return timedelta(seconds=max(60, int(timeout() * 4)))


# --- SSRF guard ------------------------------------------------------------------------------


class UnsafeTarget(Exception):
    """The URL may not be called (bad scheme, private address). Retrying will not help."""


class Unreachable(Exception):
    """The host name cannot be resolved now. A retry may help."""


def forbidden_address(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # path and query
    addresses: tuple[str, ...]


def resolve_target(url: str) -> Target:
    """Parse and resolve `url`, refusing what the SSRF guard forbids."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UnsafeTarget(_("Only http and https URLs can be called."))
    if parts.username or parts.password:
        raise UnsafeTarget(_("The URL must not contain a user name or password."))
    host = parts.hostname
    if not host:
        raise UnsafeTarget(_("The URL has no host name."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise UnsafeTarget(_("The URL has an invalid port.")) from exc
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise Unreachable(
            _("The host name “%(host)s” could not be resolved.") % {"host": host}
        ) from exc
    addresses: list[str] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = str(sockaddr[0]).split("%", 1)[0]
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise Unreachable(_("The host name “%(host)s” has no address.") % {"host": host})
    if not allow_private():
        for address in addresses:
            if forbidden_address(ipaddress.ip_address(address)):
                raise UnsafeTarget(
                    _(
                        "“%(host)s” leads to a private or reserved address (%(address)s); "
                        "webhooks may only call public addresses."
                    )
                    % {"host": host, "address": address}
                )
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(parts.scheme, host, port, path, tuple(addresses))


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to a checked address, with the Host header of the name."""

    def __init__(self, host, address, port, timeout):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """An HTTPS connection to a checked address; the certificate is verified for the name."""

    def __init__(self, host, address, port, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


# --- The message ---------------------------------------------------------------------------


def envelope(event) -> dict:
    return {
        "id": str(event.pk),
        "type": event.type,
        "version": event.version,
        "occurred_at": event.occurred_at.isoformat(),
        "subjects": event.subjects,
        "payload": event.payload,
    }


def body_of(event) -> str:
    return json.dumps(envelope(event), ensure_ascii=False, separators=(",", ":"))


def sign(secret: str, timestamp: str, body: str) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256)
    return "v1=" + digest.hexdigest()


@dataclass
class Response:
    status_code: int | None = None
    excerpt: str = ""
    error: str = ""
    retry: bool = True
    duration_ms: int = 0

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def post(url: str, body: str, headers: dict[str, str]) -> Response:
    """POST body to url through the SSRF guard. Never raises for network trouble."""
    started = time.monotonic()
    result = Response()
    try:
        target = resolve_target(url)
        connection_class = (
            _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
        )
        connection = connection_class(target.host, target.addresses[0], target.port, timeout())
        try:
            connection.request("POST", target.path, body=body.encode(), headers=headers)
            response = connection.getresponse()
            result.status_code = response.status
            raw = response.read(EXCERPT_CHARS * 4)
            result.excerpt = raw.decode("utf-8", "replace")[:EXCERPT_CHARS]
        finally:
            connection.close()
    except UnsafeTarget as exc:
        result.error, result.retry = str(exc), False
    except Unreachable as exc:
        result.error = str(exc)
    except TimeoutError:
        result.error = _("No answer within %(seconds)s seconds.") % {"seconds": f"{timeout():g}"}
    except ssl.SSLError as exc:
        result.error = _("TLS error: %(error)s") % {"error": exc}
    except (OSError, http.client.HTTPException) as exc:
        result.error = _("Connection failed: %(error)s") % {"error": str(exc) or type(exc).__name__}
    result.duration_ms = int((time.monotonic() - started) * 1000)
    if result.status_code is not None and not result.ok and not result.error:
        result.error = _("The receiver answered with status %(code)s.") % {
            "code": result.status_code
        }
    return result


# --- Deliveries ------------------------------------------------------------------------------


def enqueue(delivery_id, *, run_after: datetime | None = None) -> bool:
    """Hand one delivery to the task backend (a retry only when the backend can defer;
    otherwise the sweep sends it when it is due)."""
    task_ = deliver_webhook_task
    if run_after is not None:
        if not task_.get_backend().supports_defer:
            return False
        task_ = task_.using(run_after=run_after)
    task_.enqueue(str(delivery_id))
    return True


def enqueue_on_commit(delivery_ids) -> None:
    ids = [str(pk) for pk in delivery_ids]
    if ids:
        transaction.on_commit(lambda: [enqueue(pk) for pk in ids], robust=True)


def create_deliveries(event, webhooks, *, rule=None) -> list:
    """Queue `event` for each webhook; sent after the current transaction commits."""
    from samspill.automation.models import WebhookDelivery

    rows = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(webhook=w, event=event, event_type=event.type, rule=rule) for w in webhooks
    )
    enqueue_on_commit(row.pk for row in rows)
    return rows


def fan_out(event) -> int:
    """Event subscriber: one delivery per active webhook that wants this event type."""
    from samspill.automation.models import Webhook

    webhooks = [w for w in Webhook.objects.filter(is_active=True) if w.wants(event.type)]
    return len(create_deliveries(event, webhooks))


def _due(now: datetime) -> Q:
    return Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)


def claim(delivery_id, now: datetime | None = None) -> bool:
    """Take a due delivery for the length of a lease (no two workers send it at once)."""
    from samspill.automation.models import WebhookDelivery

    now = now or timezone.now()
    return (
        WebhookDelivery.objects.filter(
            _due(now),
            pk=delivery_id,
            status__in=[WebhookDelivery.Status.PENDING, WebhookDelivery.Status.FAILED],
        ).update(next_attempt_at=now + lease())
        == 1
    )


def attempt(delivery_id) -> str:
    """Send one delivery once, if it is due and not taken. Returns its status."""
    from samspill.automation.models import WebhookDelivery

    if not claim(delivery_id):
        status = (
            WebhookDelivery.objects.filter(pk=delivery_id).values_list("status", flat=True).first()
        )
        return status or "missing"
    return _attempt_claimed(delivery_id)


def _attempt_claimed(delivery_id) -> str:
    from samspill.automation.models import WebhookAttempt, WebhookDelivery

    delivery = WebhookDelivery.objects.select_related("webhook", "event").get(pk=delivery_id)
    webhook, event = delivery.webhook, delivery.event
    if not webhook.is_active:
        result = Response(error=_("The webhook is switched off."), retry=False)
    else:
        body = body_of(event)
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            "Samspill-Event": event.type,
            "Samspill-Delivery": str(delivery.pk),
            "Samspill-Timestamp": timestamp,
            "Samspill-Signature": sign(webhook.secret, timestamp, body),
        }
        result = post(webhook.url, body, headers)
    now = timezone.now()
    with transaction.atomic():
        delivery.attempts += 1
        WebhookAttempt.objects.create(
            delivery=delivery,
            number=delivery.attempts,
            at=now,
            status_code=result.status_code,
            duration_ms=result.duration_ms,
            response_excerpt=result.excerpt,
            error=result.error,
        )
        delivery.last_status_code = result.status_code
        delivery.last_error = result.error
        if result.ok:
            delivery.status = WebhookDelivery.Status.SUCCEEDED
            delivery.delivered_at = now
            delivery.next_attempt_at = None
        elif not result.retry or delivery.attempts >= max_attempts():
            delivery.status = WebhookDelivery.Status.DEAD
            delivery.next_attempt_at = None
            log.warning(
                "webhook delivery dead-lettered",
                extra={"delivery": str(delivery.pk), "webhook": webhook.pk},
            )
        else:
            delivery.status = WebhookDelivery.Status.FAILED
            delivery.next_attempt_at = now + backoff(delivery.attempts)
        delivery.save(
            update_fields=[
                "attempts",
                "status",
                "next_attempt_at",
                "last_status_code",
                "last_error",
                "delivered_at",
            ]
        )
    if delivery.status == WebhookDelivery.Status.FAILED:
        try:
            enqueue(delivery.pk, run_after=delivery.next_attempt_at)
        except Exception:  # the sweep sends it when it is due
            log.warning("could not enqueue a webhook retry", exc_info=True)
    return delivery.status


@task()
def deliver_webhook_task(delivery_id: str) -> str:
    return attempt(delivery_id)


def sweep(now: datetime | None = None, *, limit: int = SWEEP_BATCH) -> int:
    """Send up to `limit` pending or failed deliveries that are due (a lost task, a retry
    on a backend that cannot defer, a test transaction). Returns how many were tried."""
    from samspill.automation.models import WebhookDelivery

    now = now or timezone.now()
    due = (
        WebhookDelivery.objects.filter(
            _due(now),
            status__in=[WebhookDelivery.Status.PENDING, WebhookDelivery.Status.FAILED],
        )
        .order_by("created_at")
        .values_list("pk", flat=True)
    )
    count = 0
    for delivery_id in list(due[:limit]):
        if claim(delivery_id, now):
            _attempt_claimed(delivery_id)
            count += 1
    return count


def sweep_due() -> int:
    """Send every delivery that is due, batch by batch; returns how many were tried. The
    worker's housekeeping runs it every WORKER_SWEEP_SECONDS (registered in apps.py)."""
    total = 0
    while True:
        batch = sweep()
        total += batch
        if batch < SWEEP_BATCH:
            return total
