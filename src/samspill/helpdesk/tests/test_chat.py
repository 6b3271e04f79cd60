"""The web chat: the widget's public API (token isolation, origins and CORS, bad input, rate
limits), live answers and internal notes kept out, offline messages and visitors who left
answered by e-mail over real SMTP, the end of a chat on the customer's timeline, and the
pages (channels, the ticket's live part, the inbox's live badge)."""

from __future__ import annotations

import json
from datetime import time, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from samspill.helpdesk import services
from samspill.helpdesk.models import ChatConversation, Message, Ticket
from samspill.helpdesk.services import chat

SITE = "https://www.fjordkaffe.no"


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def open_queue(queue):
    """Open around the clock, every day (the chat is online whenever an agent is there)."""
    queue.opens_at, queue.closes_at, queue.workdays = time(0, 0), time(23, 59, 59), "1234567"
    queue.save()
    return queue


@pytest.fixture
def channel(open_queue):
    return services.chat.create_chat_channel(
        actor=None,
        name="Nettbutikk",
        queue=open_queue,
        allowed_origins=f"{SITE}\nhttps://shop.example",
        greeting="Hei! Hva kan vi hjelpe med?",
        follow_opening_hours=False,
        agent_idle_minutes=0,
    )


def url(channel, rest=""):
    return f"/api/v1/helpdesk/chat/{channel.key}/{rest}"


def post(client, path, body=None, token="", origin=""):
    headers = {}
    if token:
        headers["HTTP_X_CHAT_TOKEN"] = token
    if origin:
        headers["HTTP_ORIGIN"] = origin
    return client.post(path, json.dumps(body or {}), content_type="application/json", **headers)


def get(client, path, token="", origin=""):
    headers = {}
    if token:
        headers["HTTP_X_CHAT_TOKEN"] = token
    if origin:
        headers["HTTP_ORIGIN"] = origin
    return client.get(path, **headers)


def start(client, channel, **body):
    body.setdefault("message", "Hvor er pakken min?")
    body.setdefault("name", "Ola Kunde")
    body.setdefault("email", "ola@kunde.example")
    response = post(client, url(channel, "conversations"), body, origin=SITE)
    assert response.status_code == 201, response.content
    return response.json()


def test_visitor_chats_and_agent_answers_live(client, channel, agent, emitted):
    config = get(client, url(channel, "config"), origin=SITE)
    assert config.status_code == 200
    assert config.json()["greeting"] == "Hei! Hva kan vi hjelpe med?"
    assert config.json()["online"] is True
    assert config["Access-Control-Allow-Origin"] == SITE

    started = start(client, channel)
    token = started["token"]
    assert [m["who"] for m in started["messages"]] == ["visitor"]
    assert "ticket" not in json.dumps(started).lower()  # no ticket ids or numbers
    ticket = Ticket.objects.get()
    assert ticket.channel == "chat" and ticket.queue == channel.queue
    assert ticket.party.display_name == "Ola Kunde" and ticket.customer_email == "ola@kunde.example"
    assert ticket.subject == "Hvor er pakken min?"

    written = post(client, url(channel, "messages"), {"message": "<b>Ordre 1001</b>"}, token, SITE)
    assert written.status_code == 201
    assert written.json()["text"] == "<b>Ordre 1001</b>"  # kept as text; the widget shows text

    services.add_note(ticket, actor=agent, body="Secret: check the warehouse")
    services.reply_to_customer(ticket, actor=agent, body="Den kommer i morgen.")
    polled = get(client, url(channel, "messages?after=0"), token, SITE).json()
    assert [(m["who"], m["text"]) for m in polled["messages"]] == [
        ("visitor", "Hvor er pakken min?"),
        ("visitor", "<b>Ordre 1001</b>"),
        ("agent", "Den kommer i morgen."),
    ]
    assert polled["messages"][-1]["name"] == "Siri"
    assert polled["ended"] is False
    cursor = polled["messages"][-1]["id"]
    assert get(client, url(channel, f"messages?after={cursor}"), token).json()["messages"] == []
    types = [t for t, _p in emitted()]
    assert "helpdesk.ticket.opened" in types and "helpdesk.ticket.customer_replied" in types
    assert Message.objects.filter(ticket=ticket, kind="customer", channel="chat").count() == 2


def test_a_visitor_can_never_read_another_conversation(client, channel, open_queue):
    mine = start(client, channel, message="Mitt spørsmål", email="a@kunde.example")
    theirs = start(client, channel, message="Deres hemmelighet", email="b@kunde.example")
    assert mine["token"] != theirs["token"]
    texts = [
        m["text"] for m in get(client, url(channel, "messages"), mine["token"]).json()["messages"]
    ]
    assert texts == ["Mitt spørsmål"]

    other = services.chat.create_chat_channel(actor=None, name="Annen", queue=open_queue)
    for bad in ("", "garbage", mine["token"][:-2] + "xx", mine["token"].replace(":", ";")):
        response = get(client, url(channel, "messages"), bad)
        assert response.status_code == 403, bad
        assert response.json()["code"] == "chat_token_invalid"
    # a token of one channel is worth nothing on another
    response = get(client, url(other, "messages"), mine["token"])
    assert response.status_code == 403
    written = post(client, url(other, "messages"), {"message": "x"}, mine["token"])
    assert written.status_code == 403
    # a forged token signed with another key is refused
    from django.core import signing

    conversation = ChatConversation.objects.get(ticket__subject="Deres hemmelighet")
    forged = signing.dumps({"c": str(conversation.public_id), "k": channel.key}, salt="other")
    assert get(client, url(channel, "messages"), forged).status_code == 403
    assert Message.objects.filter(body="x").count() == 0


def test_bad_input_writes_nothing(client, channel):
    cases = [
        ({"message": "   "}, "message"),
        ({"message": "x" * (chat.MAX_MESSAGE + 1)}, "message"),
        ({"message": "Hei", "email": "not-an-address"}, "email"),
        ({"message": "Hei", "email": ""}, "email"),  # the channel asks for it
    ]
    for body, field in cases:
        body.setdefault("email", "ola@kunde.example")
        response = post(client, url(channel, "conversations"), body, origin=SITE)
        assert response.status_code == 422, body
        assert field in response.json()["errors"], response.json()
    assert post(client, url(channel, "conversations"), {}).status_code == 422
    too_big = {"message": "x" * (chat.MAX_MESSAGE * 2 + 1), "email": "a@b.no"}
    assert post(client, url(channel, "conversations"), too_big).status_code == 422
    unknown = post(client, "/api/v1/helpdesk/chat/nope/conversations", {"message": "Hei"})
    assert unknown.status_code == 404 and unknown.json()["code"] == "unknown_chat"
    channel.is_active = False
    channel.save()
    assert get(client, url(channel, "config")).status_code == 404
    assert Ticket.objects.count() == 0 and ChatConversation.objects.count() == 0


def test_origins_and_cors(client, channel):
    preflight = client.options(
        url(channel, "messages"),
        HTTP_ORIGIN=SITE,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type, x-chat-token",
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == SITE
    assert "X-Chat-Token" in preflight["Access-Control-Allow-Headers"]

    evil = "https://evil.example"
    refused = client.options(
        url(channel, "messages"), HTTP_ORIGIN=evil, HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST"
    )
    assert "Access-Control-Allow-Origin" not in refused
    response = post(client, url(channel, "conversations"), {"message": "Hei"}, origin=evil)
    assert response.status_code == 403 and response.json()["code"] == "origin_not_allowed"
    assert "Access-Control-Allow-Origin" not in response
    assert Ticket.objects.count() == 0
    # Samspill's own pages (the preview) may use it
    own = post(
        client,
        url(channel, "conversations"),
        {"message": "Hei", "email": "a@b.no"},
        origin="http://testserver",
    )
    assert own.status_code == 201


def test_rate_limits(client, channel, settings):
    settings.HELPDESK_CHAT_LIMITS = {"start": (2, 600), "message": (2, 60)}
    token = start(client, channel)["token"]
    start(client, channel)
    third = post(
        client, url(channel, "conversations"), {"message": "Hei", "email": "a@b.no"}, origin=SITE
    )
    assert third.status_code == 429 and third.json()["retry_after"] == 600
    for _i in range(2):
        assert post(client, url(channel, "messages"), {"message": "m"}, token).status_code == 201
    assert post(client, url(channel, "messages"), {"message": "m"}, token).status_code == 429
    assert Ticket.objects.count() == 2


def use_smtp(settings, port):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""


def test_offline_message_is_answered_by_email(client, queue, agent, smtp_sink, settings):
    from samspill.helpdesk.mail.parse import parse

    channel = services.chat.create_chat_channel(
        actor=None, name="Nett", queue=queue, require_email=False, agent_idle_minutes=5
    )
    # nobody has been in the inbox: offline, and the address is required after all
    assert chat.is_online(channel) is False
    assert get(client, url(channel, "config")).json()["online"] is False
    missing = post(client, url(channel, "conversations"), {"message": "Hei", "email": ""})
    assert missing.status_code == 422 and "email" in missing.json()["errors"]
    started = post(
        client,
        url(channel, "conversations"),
        {"message": "Ring meg", "email": "kari@kunde.example", "name": "Kari"},
    ).json()
    assert started["online"] is False
    conversation = ChatConversation.objects.get()
    assert conversation.offline
    ChatConversation.objects.update(visitor_seen_at=timezone.now() - timedelta(minutes=5))

    port, received = smtp_sink
    use_smtp(settings, port)
    reply = services.reply_to_customer(conversation.ticket, actor=agent, body="Vi ringer deg.")
    from samspill.helpdesk.tests.test_mail import wait_for

    assert wait_for(lambda: received)
    assert received[0].rcpt_tos == ["kari@kunde.example"]
    sent = parse(received[0].original_content or received[0].content)
    assert sent.ticket_number == conversation.ticket.number
    assert sent.message_id == reply.message_id and reply.to == "kari@kunde.example"


def test_connected_visitor_gets_the_reply_in_the_chat_only(
    client, channel, agent, smtp_sink, settings
):
    port, received = smtp_sink
    use_smtp(settings, port)
    token = start(client, channel)["token"]
    ticket = Ticket.objects.get()
    reply = services.reply_to_customer(ticket, actor=agent, body="Hei!")
    assert reply.to == "" and received == []
    assert get(client, url(channel, "messages"), token).json()["messages"][-1]["text"] == "Hei!"
    # the visitor left the page: the next reply goes by e-mail
    ChatConversation.objects.update(visitor_seen_at=timezone.now() - timedelta(minutes=2))
    later = services.reply_to_customer(ticket, actor=agent, body="Er du der?")
    assert later.to == "ola@kunde.example"


def test_ending_a_chat_puts_the_transcript_on_the_timeline(client, channel, agent, emitted):
    from samspill.platform.timeline import timeline

    token = start(client, channel)["token"]
    ticket = Ticket.objects.get()
    services.add_note(ticket, actor=agent, body="Internal only")
    services.reply_to_customer(ticket, actor=agent, body="Sjekker.")
    assert post(client, url(channel, "end"), token=token).json() == {"ended": True}
    assert post(client, url(channel, "end"), token=token).status_code == 200  # twice: no-op
    ended = [p for t, p in emitted() if t == "helpdesk.chat.ended"]
    assert len(ended) == 1
    assert ended[0]["ended_by"] == "visitor" and ended[0]["visitor_messages"] == 1
    assert "Ola Kunde: Hvor er pakken min?" in ended[0]["transcript"]
    assert "Siri: Sjekker." in ended[0]["transcript"]
    assert "Internal only" not in ended[0]["transcript"]
    written = post(client, url(channel, "messages"), {"message": "Hallo?"}, token)
    assert written.status_code == 409 and written.json()["code"] == "chat_ended"
    assert get(client, url(channel, "messages"), token).json()["ended"] is True

    entries = timeline("party", ticket.party_id)
    chat_entries = [e for e in entries if e.event.type == "helpdesk.chat.ended"]
    assert chat_entries and ticket.number in chat_entries[0].summary
    assert "2 " in chat_entries[0].summary and "Ola Kunde: Hvor er pakken min?" in (
        chat_entries[0].summary
    )


def test_resolving_the_ticket_ends_the_chat(client, channel, agent, emitted):
    token = start(client, channel)["token"]
    ticket = Ticket.objects.get()
    services.reply_to_customer(ticket, actor=agent, body="Løst!", status="resolved")
    polled = get(client, url(channel, "messages"), token).json()
    assert polled["ended"] is True and polled["messages"][-1]["text"] == "Løst!"
    ended = [p for t, p in emitted() if t == "helpdesk.chat.ended"]
    assert len(ended) == 1 and ended[0]["ended_by"] == "agent"
    # a new chat from the same visitor is a new ticket
    start(client, channel, message="Ny sak")
    assert Ticket.objects.count() == 2


def test_anonymous_visitor_when_the_channel_allows_it(client, open_queue):
    channel = services.chat.create_chat_channel(
        actor=None,
        name="Anonym",
        queue=open_queue,
        require_email=False,
        agent_idle_minutes=0,
        follow_opening_hours=False,
    )
    started = post(client, url(channel, "conversations"), {"message": "Åpent i dag?"})
    assert started.status_code == 201
    ticket = Ticket.objects.get()
    assert ticket.customer_email == "" and ticket.party.kind == "person"


def test_channel_setup_validation_and_api(api, make_user, queue):
    manager = make_user("management")
    client = api(manager)
    bad = client.post(
        "/api/v1/helpdesk/chat/channels",
        json.dumps({"name": "Web", "queue_id": queue.pk, "allowed_origins": ["ftp://x", "www"]}),
        content_type="application/json",
    )
    assert bad.status_code == 422 and "allowed_origins" in bad.json()["errors"]
    created = client.post(
        "/api/v1/helpdesk/chat/channels",
        json.dumps(
            {"name": "Web", "queue_id": queue.pk, "allowed_origins": ["https://www.firma.no/"]}
        ),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["allowed_origins"] == ["https://www.firma.no"] and len(data["key"]) >= 20
    patched = client.patch(
        f"/api/v1/helpdesk/chat/channels/{data['id']}",
        json.dumps({"greeting": "Hei", "agent_idle_minutes": -1}),
        content_type="application/json",
    )
    assert patched.status_code == 422
    patched = client.patch(
        f"/api/v1/helpdesk/chat/channels/{data['id']}",
        json.dumps({"greeting": "Hei"}),
        content_type="application/json",
    )
    assert patched.json()["greeting"] == "Hei"
    assert len(client.get("/api/v1/helpdesk/chat/channels").json()) == 1
    agent = api(make_user("service"))
    denied = agent.post(
        "/api/v1/helpdesk/chat/channels",
        json.dumps({"name": "X", "queue_id": queue.pk}),
        content_type="application/json",
    )
    assert denied.status_code == 403


def test_pages_widget_and_live_parts(
    login, client, channel, agent, make_user, django_assert_max_num_queries
):
    widget = client.get("/chat/widget.js")
    assert widget.status_code == 200 and widget["Content-Type"].startswith("application/javascript")
    assert b"X-Chat-Token" in widget.content

    token = start(client, channel)["token"]
    ticket = Ticket.objects.get()
    manager = make_user("management")
    login(manager)
    with django_assert_max_num_queries(12):
        page = client.get("/helpdesk/chat/")
    assert page.status_code == 200 and channel.key in page.content.decode()
    assert client.get(f"/helpdesk/chat/{channel.pk}/preview/").status_code == 200
    changed = client.post(
        f"/helpdesk/chat/{channel.pk}/",
        {
            "name": "Nettbutikk",
            "queue": channel.queue_id,
            "allowed_origins": "not a site",
            "agent_idle_minutes": 0,
        },
    )
    assert changed.status_code == 422

    login(agent)
    inbox = client.get("/helpdesk/")
    assert 'data-testid="chat-live"' in inbox.content.decode()
    first = ticket.messages.get()
    detail = client.get(f"/helpdesk/tickets/{ticket.pk}/").content.decode()
    assert f"chat/?after={first.pk}" in detail
    post(client, url(channel, "messages"), {"message": "Er dere der?"}, token)
    polled = client.get(f"/helpdesk/tickets/{ticket.pk}/chat/?after={first.pk}").content.decode()
    assert "Er dere der?" in polled and 'id="id_last_seen"' in polled
    assert 'data-testid="chat-state"' in polled and "bi-broadcast" in polled  # connected
    assert ChatConversation.objects.get().channel.__class__.objects.get().agent_seen_at is not None
    assert client.post("/helpdesk/chat/presence/").status_code == 204
    ChatConversation.objects.update(visitor_seen_at=timezone.now() - timedelta(minutes=5))
    inbox = client.get("/helpdesk/")
    assert 'data-testid="chat-live"' not in inbox.content.decode()


def test_erasing_the_visitor_removes_their_chat_details(client, channel, make_user):
    from samspill.parties import services as parties

    start(client, channel)
    conversation = ChatConversation.objects.select_related("ticket").get()
    boss = make_user("management", "legal")
    parties.erase_person(actor=boss, party=conversation.ticket.party)
    conversation.refresh_from_db()
    assert conversation.visitor_name == conversation.visitor_email == ""
    assert Message.objects.get(ticket=conversation.ticket).body in ("(erased)", "(slettet)")


def test_merging_a_chat_ticket_ends_the_chat(client, channel, agent, customer, emitted):
    token = start(client, channel)["token"]
    chat_ticket = Ticket.objects.get()
    kept = services.open_ticket(
        actor=agent, subject="Older", body="Earlier question", channel="phone", party=customer
    )
    services.merge_tickets(actor=agent, survivor=kept, duplicate=chat_ticket)
    polled = get(client, url(channel, "messages"), token).json()
    assert polled["ended"] is True and polled["messages"] == []
    assert "Earlier question" not in json.dumps(polled)
    ended = [p for t, p in emitted() if t == "helpdesk.chat.ended"]
    assert len(ended) == 1 and "Hvor er pakken min?" in ended[0]["transcript"]
