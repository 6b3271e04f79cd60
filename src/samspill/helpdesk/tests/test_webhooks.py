"""Inbound webhooks for SMS / messaging providers, through real HTTP requests: the
signature is checked, messages are deduplicated by their id, threaded by conversation id
or sender into the open ticket, else open one; refusals are kept with their reason."""

import hashlib
import hmac
import json

import pytest

from samspill.helpdesk import services
from samspill.helpdesk.models import InboundDelivery, InboundEndpoint, Ticket

SECRET = "s3cret-from-the-provider"


@pytest.fixture
def endpoint(queue):
    return services.create_setting(
        InboundEndpoint,
        actor=None,
        name="SMS gateway",
        slug="sms",
        secret=SECRET,
        signature_header="X-Gateway-Signature",
        mapping={
            "phone": "message.from",
            "name": "message.name",
            "text": "message.body",
            "external_id": "message.id",
            "thread_id": "conversation",
        },
        channel="sms",
        queue=queue,
    )


def deliver(client, body: dict, *, secret=SECRET, header="HTTP_X_GATEWAY_SIGNATURE", raw=None):
    data = raw if raw is not None else json.dumps(body).encode()
    signature = hmac.new(secret.encode(), data, hashlib.sha256).hexdigest()
    return client.post(
        "/api/v1/helpdesk/inbound/sms",
        data,
        content_type="application/json",
        **{header: f"sha256={signature}"},
    )


def sms(mid, text, sender="+4741234567", conversation=""):
    return {
        "message": {"id": mid, "from": sender, "name": "Per Hansen", "body": text},
        "conversation": conversation,
    }


def test_secret_is_encrypted_at_rest(endpoint):
    stored = InboundEndpoint.objects.values_list("secret_encrypted", flat=True).get()
    assert SECRET not in stored and stored.startswith("fernet:")
    assert InboundEndpoint.objects.get().secret == SECRET


def test_a_message_opens_a_ticket_then_threads(client, endpoint, emitted):
    first = deliver(client, sms("m1", "Hi, my delivery is late", conversation="c-9"))
    assert first.status_code == 201, first.content
    assert first.json()["created"] is True and first.json()["result"] == "accepted"
    ticket = Ticket.objects.get()
    assert ticket.channel == "sms" and ticket.subject == "Hi, my delivery is late"
    assert ticket.party.display_name == "Per Hansen"
    # same conversation id: same ticket
    second = deliver(client, sms("m2", "Order 1042", conversation="c-9"))
    assert second.status_code == 200 and second.json()["ticket_number"] == ticket.number
    # no conversation id, same sender, ticket still open: same ticket
    third = deliver(client, sms("m3", "Any news?"))
    assert third.json()["ticket_number"] == ticket.number
    assert list(ticket.messages.values_list("body", flat=True)) == [
        "Hi, my delivery is late",
        "Order 1042",
        "Any news?",
    ]
    assert InboundEndpoint.objects.get().last_received_at is not None
    assert "helpdesk.ticket.opened" in [t for t, _p in emitted()]


def test_the_same_message_twice_is_kept_once(client, endpoint):
    body = sms("m1", "Hello")
    assert deliver(client, body).status_code == 201
    again = deliver(client, body)
    assert again.status_code == 200 and again.json()["result"] == "duplicate"
    assert Ticket.objects.count() == 1 and Ticket.objects.get().messages.count() == 1


def test_after_resolution_a_new_ticket_opens(client, endpoint, agent):
    deliver(client, sms("m1", "Hello"))
    ticket = Ticket.objects.get()
    services.close_ticket(ticket, actor=agent)
    response = deliver(client, sms("m2", "Hello again"))
    assert response.status_code == 201 and Ticket.objects.count() == 2


def test_a_bad_signature_is_refused_and_logged(client, endpoint, emitted):
    response = deliver(client, sms("m1", "Hello"), secret="wrong")
    assert response.status_code == 401
    assert response.json()["code"] == "bad_signature"
    missing = client.post("/api/v1/helpdesk/inbound/sms", b"{}", content_type="application/json")
    assert missing.status_code == 401
    assert Ticket.objects.count() == 0
    rejected = InboundDelivery.objects.filter(result="rejected")
    assert rejected.count() == 2 and "bad_signature" in rejected.first().reason
    assert ("helpdesk.inbound.rejected") in [t for t, _p in emitted()]


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"not json", "bad_payload"),
        (json.dumps({"message": {"id": "x", "from": "+4741234567"}}).encode(), "bad_payload"),
        (
            json.dumps({"message": {"id": "x", "body": "text", "from": "garbage"}}).encode(),
            "bad_payload",
        ),
    ],
)
def test_unreadable_bodies_are_refused(client, endpoint, raw, code):
    response = deliver(client, {}, raw=raw)
    assert response.status_code == 422 and response.json()["code"] == code
    assert Ticket.objects.count() == 0
    assert InboundDelivery.objects.get().result == "rejected"


def test_unknown_or_inactive_endpoint_is_404(client, endpoint):
    assert (
        client.post(
            "/api/v1/helpdesk/inbound/nope", b"{}", content_type="application/json"
        ).status_code
        == 404
    )
    services.update_setting(endpoint, actor=None, is_active=False)
    assert deliver(client, sms("m1", "Hello")).status_code == 404


def test_base64_signatures_are_accepted():
    import base64

    from samspill.helpdesk.services.webhooks import signature_ok

    body = b'{"a": 1}'
    digest = hmac.new(SECRET.encode(), body, hashlib.sha256).digest()
    assert signature_ok(SECRET, body, base64.b64encode(digest).decode())
    assert signature_ok(SECRET, body, digest.hex())
    assert not signature_ok(SECRET, body + b" ", digest.hex())
    assert not signature_ok("", body, digest.hex())
