"""Webhooks against a real HTTP server on loopback: signature, retries with backoff,
timeouts, dead letters, manual retry, and the SSRF guard."""

import hashlib
import hmac
import ipaddress
import json
import socket
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from samspill.automation import services, webhooks
from samspill.automation.models import Webhook, WebhookAttempt, WebhookDelivery
from samspill.automation.tests.factories import PLACED, SHIPPED, WebhookFactory
from samspill.platform.errors import ValidationFailed
from samspill.platform.models import AuditEntry, OutboxEvent

pytestmark = pytest.mark.django_db


HOLD = "hold"


class Receiver:
    """A webhook receiver on 127.0.0.1: answers with the scripted (status, delay) in turn
    (the last one repeats) and keeps what it received. A delay of HOLD keeps the request
    unanswered until `release()` (at most 30 s), whatever the machine's load."""

    def __init__(self, script=((200, 0),)):
        self.script = list(script)
        self.received: list[dict] = []
        self.released = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                receiver.received.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body}
                )
                index = min(len(receiver.received), len(receiver.script)) - 1
                status, delay = receiver.script[index]
                if delay == HOLD:
                    receiver.released.wait(30)
                elif delay:
                    time.sleep(delay)
                answer = json.dumps({"ok": status < 300, "n": len(receiver.received)}).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/samspill?team=ops"

    def __enter__(self):
        self.thread.start()
        return self

    def release(self):
        self.released.set()

    def __exit__(self, *exc):
        self.release()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def allow_private(settings):
    settings.SAMSPILL = {
        **settings.SAMSPILL,
        "WEBHOOK_ALLOW_PRIVATE": True,
        "WEBHOOK_TIMEOUT": 0.5,
        "WEBHOOK_MAX_ATTEMPTS": 3,
    }


@pytest.fixture
def public_dns(monkeypatch):
    """Make every host name resolve to a public address (tests never use the network)."""
    answers = {"address": "93.184.216.34"}

    def fake(host, port, *args, **kwargs):
        try:
            ipaddress.ip_address(host)
        except ValueError:
            host = answers["address"]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (host, port))]

    monkeypatch.setattr(webhooks.socket, "getaddrinfo", fake)
    return answers


def later(minutes=120):
    return timezone.now() + timedelta(minutes=minutes)


def test_event_is_posted_signed_to_the_subscribed_webhook(
    allow_private, events, emit, settle, staff
):
    OrderPlaced, _ = events
    with Receiver() as receiver:
        webhook = services.create_webhook(
            actor=staff, name="ERP", url=receiver.url, event_types=[PLACED]
        )
        other = services.create_webhook(
            actor=staff, name="Other", url=receiver.url, event_types=[SHIPPED]
        )
        row = emit(OrderPlaced(order_id=7, party_id=3), actor=staff)
        settle()

    (request,) = receiver.received  # only the subscribed webhook got it
    assert request["path"] == "/hooks/samspill?team=ops"
    headers, body = request["headers"], request["body"]
    delivery = WebhookDelivery.objects.get(webhook=webhook)
    assert not WebhookDelivery.objects.filter(webhook=other).exists()
    assert headers["Samspill-Event"] == PLACED
    assert headers["Samspill-Delivery"] == str(delivery.pk)
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    timestamp = headers["Samspill-Timestamp"]
    assert abs(int(timestamp) - time.time()) < 60
    expected = hmac.new(webhook.secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256)
    assert headers["Samspill-Signature"] == "v1=" + expected.hexdigest()
    assert json.loads(body) == {
        "id": str(row.pk),
        "type": PLACED,
        "version": 1,
        "occurred_at": row.occurred_at.isoformat(),
        "subjects": {"order": ["7"], "party": ["3"]},
        "payload": {
            "order_id": 7,
            "party_id": 3,
            "total": "0",
            "status": "new",
            "email": "",
            "tags": [],
            "fields": [],
            "placed_on": "2026-01-15",
        },
    }
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.SUCCEEDED
    assert delivery.attempts == 1 and delivery.last_status_code == 200
    (attempt,) = delivery.log.all()
    assert attempt.status_code == 200 and attempt.error == ""
    assert json.loads(attempt.response_excerpt) == {"ok": True, "n": 1}


def test_a_500_is_retried_with_backoff_and_then_succeeds(allow_private, events, emit, settle):
    OrderPlaced, _ = events
    with Receiver(script=[(500, 0), (200, 0)]) as receiver:
        WebhookFactory(url=receiver.url)
        emit(OrderPlaced(order_id=1, party_id=1))
        before = timezone.now()
        settle()
        delivery = WebhookDelivery.objects.get(event__type=PLACED)
        assert delivery.status == WebhookDelivery.Status.FAILED
        assert delivery.attempts == 1 and delivery.last_status_code == 500
        assert "status 500" in delivery.last_error
        # not due yet: the sweep leaves it alone
        assert delivery.next_attempt_at >= before + webhooks.backoff(1)
        assert webhooks.sweep() == 0
        assert webhooks.sweep(now=later()) == 1

    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.SUCCEEDED
    assert delivery.attempts == 2
    assert [a.status_code for a in delivery.log.order_by("number")] == [500, 200]
    # the same delivery id on both attempts: the receiver can deduplicate
    ids = {r["headers"]["Samspill-Delivery"] for r in receiver.received}
    assert ids == {str(delivery.pk)}


def test_a_slow_receiver_times_out_and_is_retried(allow_private, events, emit, settle):
    OrderPlaced, _ = events
    # The first request is held open until the test releases it: the delivery can only
    # have finished before that by giving up after WEBHOOK_TIMEOUT (no wall-clock bound).
    with Receiver(script=[(200, HOLD), (200, 0)]) as receiver:
        WebhookFactory(url=receiver.url)
        emit(OrderPlaced(order_id=1, party_id=1))
        settle()
        assert not receiver.released.is_set()
        assert len(receiver.received) == 1
        delivery = WebhookDelivery.objects.get(event__type=PLACED)
        assert delivery.status == WebhookDelivery.Status.FAILED
        assert delivery.last_status_code is None
        assert "No answer within 0.5 seconds" in delivery.last_error
        receiver.release()
        webhooks.sweep(now=later())
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.SUCCEEDED
    assert len(receiver.received) == 2


def test_dead_letter_after_the_last_attempt_then_manual_retry(
    allow_private, events, emit, settle, staff
):
    OrderPlaced, _ = events
    with Receiver(script=[(503, 0), (503, 0), (502, 0), (204, 0)]) as receiver:
        WebhookFactory(url=receiver.url)
        emit(OrderPlaced(order_id=1, party_id=1))
        settle()
        webhooks.sweep(now=later(120))
        webhooks.sweep(now=later(240))
        delivery = WebhookDelivery.objects.get(event__type=PLACED)
        assert delivery.status == WebhookDelivery.Status.DEAD
        assert delivery.attempts == 3 and delivery.next_attempt_at is None
        assert webhooks.sweep(now=later(600)) == 0

        services.retry_delivery(delivery, actor=staff)
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == ("pending", 0)
        assert AuditEntry.objects.filter(object_id=str(delivery.pk), actor=staff).exists()
        settle()
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.SUCCEEDED
    assert delivery.log.count() == 4
    assert len(receiver.received) == 4


def test_private_targets_are_refused_when_subscribing(staff):
    for url in (
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://0.0.0.0/hook",
        "http://224.0.0.1/hook",
    ):
        with pytest.raises(ValidationFailed) as caught:
            services.create_webhook(actor=staff, name="x", url=url, all_events=True)
        assert "private or reserved address" in caught.value.errors["url"][0], url
    for url in ("ftp://example.com/x", "file:///etc/passwd", "http://user:pw@example.com/"):
        with pytest.raises(ValidationFailed):
            services.create_webhook(actor=staff, name="x", url=url, all_events=True)
    assert Webhook.objects.count() == 0
    assert not OutboxEvent.objects.filter(type__startswith="automation.webhook").exists()


def test_forbidden_addresses():
    for address in (
        "127.0.0.1",
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.1.1",
        "100.64.0.1",
        "0.0.0.0",  # noqa: S104 - an address to refuse, not to bind
        "255.255.255.255",
        "224.0.0.251",
        "240.0.0.1",
        "::1",
        "fe80::1",
        "fc00::1",
        "::",
        "::ffff:127.0.0.1",
        "ff02::1",
    ):
        assert webhooks.forbidden_address(ipaddress.ip_address(address)), address
    for address in ("93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"):
        assert not webhooks.forbidden_address(ipaddress.ip_address(address)), address


def test_private_target_is_refused_again_at_delivery_time(public_dns, events, emit, settle, staff):
    """DNS rebinding: the name was public when subscribed, points inside when sent."""
    OrderPlaced, _ = events
    webhook = services.create_webhook(
        actor=staff, name="Partner", url="https://partner.example/hook", all_events=True
    )
    public_dns["address"] = "127.0.0.1"
    emit(OrderPlaced(order_id=1, party_id=1))
    settle()
    delivery = WebhookDelivery.objects.get(webhook=webhook, event_type=PLACED)
    assert delivery.status == WebhookDelivery.Status.DEAD  # retrying would not help
    assert "private or reserved address (127.0.0.1)" in delivery.last_error
    assert delivery.log.get().status_code is None


def test_request_goes_to_the_checked_address(allow_private, monkeypatch, events, emit, settle):
    """The connection uses the address that was checked, not a second DNS answer."""
    OrderPlaced, _ = events
    with Receiver() as receiver:
        port = receiver.server.server_address[1]
        answers = iter(["127.0.0.1", "203.0.113.9"])

        def fake(host, port_, *args, **kwargs):
            address = next(answers) if host == "hooks.example" else host
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port_))]

        webhook = WebhookFactory(url=f"http://hooks.example:{port}/in")
        monkeypatch.setattr(webhooks.socket, "getaddrinfo", fake)
        emit(OrderPlaced(order_id=1, party_id=1))
        settle()
    delivery = WebhookDelivery.objects.get(webhook=webhook)
    assert delivery.status == "succeeded", delivery.last_error
    assert receiver.received[0]["headers"]["Host"] == f"hooks.example:{port}"


def test_inactive_webhooks_get_nothing(allow_private, events, emit, settle):
    OrderPlaced, _ = events
    WebhookFactory(is_active=False)
    emit(OrderPlaced(order_id=1, party_id=1))
    settle()
    assert WebhookDelivery.objects.count() == 0


def test_a_webhook_switched_off_before_sending_is_dead_lettered(allow_private, events, emit):
    OrderPlaced, _ = events
    webhook = WebhookFactory()
    row = emit(OrderPlaced(order_id=1, party_id=1))
    (delivery,) = webhooks.create_deliveries(row, [webhook])
    Webhook.objects.filter(pk=webhook.pk).update(is_active=False)
    assert webhooks.attempt(delivery.pk) == WebhookDelivery.Status.DEAD
    assert WebhookAttempt.objects.get().error == "The webhook is switched off."


def test_webhook_lifecycle_audit_events_and_secret(public_dns, events, staff):
    webhook = services.create_webhook(
        actor=staff, name=" CRM ", url="https://crm.example/in", event_types=[PLACED, PLACED]
    )
    assert webhook.name == "CRM" and webhook.event_types == [PLACED]
    assert webhook.secret.startswith("whsec_") and len(webhook.secret) > 40
    entry = AuditEntry.objects.get(object_id=str(webhook.pk), action="create")
    assert "secret" not in entry.changes
    old_secret = webhook.secret
    rotated = services.rotate_webhook_secret(webhook, actor=staff)
    assert rotated.secret != old_secret
    services.update_webhook(webhook, actor=staff, all_events=True)
    webhook.refresh_from_db()
    assert webhook.all_events and webhook.event_types == []
    with pytest.raises(ValidationFailed) as caught:
        services.update_webhook(webhook, actor=staff, all_events=False, event_types=["no.such.x"])
    assert "Unknown event type" in caught.value.errors["event_types"][0]
    with pytest.raises(ValidationFailed) as caught:
        services.update_webhook(webhook, actor=staff, all_events=False, event_types=[])
    assert "Choose the events" in caught.value.errors["event_types"][0]
    services.delete_webhook(webhook, actor=staff)
    types = list(
        OutboxEvent.objects.filter(type__startswith="automation.webhook")
        .order_by("occurred_at")
        .values_list("type", flat=True)
    )
    assert types == [
        "automation.webhook.created",
        "automation.webhook.secret_rotated",
        "automation.webhook.updated",
        "automation.webhook.deleted",
    ]
    assert not any(old_secret in json.dumps(e.payload) for e in OutboxEvent.objects.all())


def test_unresolvable_host_is_refused_when_subscribing(monkeypatch, staff):
    def fail(*args, **kwargs):
        raise socket.gaierror("no such host")

    monkeypatch.setattr(webhooks.socket, "getaddrinfo", fail)
    with pytest.raises(ValidationFailed) as caught:
        services.create_webhook(
            actor=staff, name="x", url="https://nowhere.invalid/", all_events=True
        )
    assert "could not be resolved" in caught.value.errors["url"][0]


def test_deliver_webhooks_command_sends_what_is_due(allow_private, events, emit, run_tasks):
    from io import StringIO

    from django.core.management import call_command

    OrderPlaced, _ = events
    with Receiver() as receiver:
        WebhookFactory(url=receiver.url)
        emit(OrderPlaced(order_id=1, party_id=1))
        run_tasks()  # the event is delivered: a webhook delivery is queued
        assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.PENDING
        out = StringIO()
        call_command("deliver-webhooks", stdout=out)
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.SUCCEEDED
    assert "1" in out.getvalue()
    assert len(receiver.received) == 1


def test_the_workers_housekeeping_sends_what_is_due(allow_private, events, emit, run_tasks):
    from io import StringIO

    from django.core.management import call_command
    from django.utils import translation

    OrderPlaced, _ = events
    with Receiver() as receiver:
        WebhookFactory(url=receiver.url)
        emit(OrderPlaced(order_id=1, party_id=1))
        run_tasks()  # the event is delivered: a webhook delivery is queued, its task lost
        assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.PENDING
        out = StringIO()
        with translation.override("en"):
            call_command("worker", burst=True, stdout=out)
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.SUCCEEDED
    assert len(receiver.received) == 1
    assert "Webhook deliveries sent: 1" in out.getvalue()


def test_automation_registers_its_webhook_sweep_with_the_workers_housekeeping():
    from samspill.platform import housekeeping

    jobs = {job.name: job for job in housekeeping.jobs()}
    assert jobs["automation.webhooks"].run is webhooks.sweep_due
