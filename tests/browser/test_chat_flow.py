"""End to end in headless Chromium: a company's website (its own origin, served here by a
small HTTP server) embeds the chat with one script tag. A visitor opens the chat and writes;
an agent, signed in in another browser context, sees the live chat in the inbox, answers from
the ticket page, and the visitor sees the answer in the widget; the visitor's next message
appears on the agent's page without a reload."""

from __future__ import annotations

import re
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def website(tmp_path):
    """(origin, write(html)): a static website on another origin than Samspill."""

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"

    def write(html: str) -> None:
        (tmp_path / "index.html").write_text(html, encoding="utf-8")

    yield origin, write
    server.shutdown()
    server.server_close()


def test_visitor_chats_with_an_agent_from_a_website(
    browser, page, live_server, website, make_user, sign_in, screenshot
):
    from datetime import time

    from samspill.helpdesk import services
    from samspill.helpdesk.models import Queue, Ticket

    origin, write = website
    queue = Queue.objects.create(
        name="Kundeservice", opens_at=time(8), closes_at=time(16), is_default=True
    )
    channel = services.chat.create_chat_channel(
        actor=None,
        name="Nettbutikken",
        queue=queue,
        allowed_origins=origin,
        greeting="Hei! Hva kan vi hjelpe deg med?",
        follow_opening_hours=False,
        agent_idle_minutes=0,
    )
    write(
        '<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>Fjordkaffe</title>'
        "<style>button { background: hotpink !important; } * { font-size: 30px; }</style>"
        "</head><body><h1>Fjordkaffe nettbutikk</h1><p>Kaffe levert på døra.</p>"
        f'<script src="{live_server.url}/chat/widget.js" data-channel="{channel.key}" async>'
        "</script></body></html>"
    )

    visitor_context = browser.new_context(viewport={"width": 1100, "height": 800}, locale="nb-NO")
    visitor_context.set_default_timeout(10_000)
    visitor = visitor_context.new_page()
    errors: list[str] = []
    visitor.on("pageerror", lambda exc: errors.append(str(exc)))
    visitor.goto(f"{origin}/index.html")
    widget = visitor.locator("#samspill-chat")
    widget.locator(".launcher").click()
    expect(widget.locator(".log")).to_contain_text("Hei! Hva kan vi hjelpe deg med?")
    expect(widget.locator(".log")).to_contain_text("Vi er her og svarer i chatten.")
    widget.locator("input[name=name]").fill("Ola Kunde")
    widget.locator("input[name=email]").fill("ola@kunde.example")
    widget.locator("textarea").fill("Hvor er pakken min? <b>ordre 1001</b>")
    widget.locator("button.send").click()
    expect(widget.locator(".msg.visitor")).to_have_count(1)
    expect(widget.locator(".msg.visitor")).to_contain_text("<b>ordre 1001</b>")  # as text
    expect(widget.locator("input[name=email]")).to_be_hidden()
    ticket = Ticket.objects.get()
    assert ticket.channel == "chat" and ticket.customer_email == "ola@kunde.example"

    agent = make_user("service", first_name="Siri", last_name="Service")
    sign_in(page, agent)
    page.goto("/helpdesk/")
    row = page.locator(f'#inbox-table tr[data-ticket="{ticket.pk}"]')
    expect(row.get_by_test_id("chat-live")).to_be_visible()
    screenshot(page, "inbox")
    row.locator("a.ticket-link").click()
    expect(page).to_have_url(re.compile(rf"/helpdesk/tickets/{ticket.pk}/$"))
    expect(page.get_by_test_id("chat-state")).to_contain_text("Besøkende er i chatten")
    page.locator("#reply-body").fill("Hei Ola! Pakken kommer i morgen.")
    page.locator("#reply-form select[name=status]").select_option("open")
    page.locator("#reply-form button[type=submit]").click()
    expect(page.locator("#conversation li")).to_have_count(2)

    answer = widget.locator(".msg.agent")
    expect(answer).to_contain_text("Hei Ola! Pakken kommer i morgen.")
    expect(answer).to_contain_text("Siri")

    widget.locator("textarea").fill("Tusen takk!")
    widget.locator("textarea").press("Enter")
    expect(widget.locator(".msg.visitor")).to_have_count(2)
    expect(page.locator("#conversation")).to_contain_text("Tusen takk!")  # no reload
    screenshot(visitor, "visitor")
    screenshot(page, "agent")

    # the agent's reply still goes through: the page saw the visitor's new message
    page.locator("#reply-body").fill("Bare hyggelig!")
    page.locator("#reply-form button[type=submit]").click()
    expect(widget.locator(".msg.agent")).to_have_count(2)
    visitor_context.close()
    assert errors == []


def test_manager_adds_a_web_chat_and_copies_its_script_tag(
    page, live_server, make_user, sign_in, screenshot
):
    from datetime import time

    from samspill.helpdesk.models import ChatChannel, Queue

    Queue.objects.create(name="Kundeservice", opens_at=time(8), closes_at=time(16), is_default=True)
    sign_in(page, make_user("management"))
    page.goto("/helpdesk/chat/")
    page.get_by_role("link", name="Ny nettchat").click()
    page.locator("#id_name").fill("Nettbutikken")
    page.locator("#id_allowed_origins").fill("https://www.fjordkaffe.no\nikke en adresse")
    page.locator("#chat-channel-form button[type=submit]").click()
    expect(page.locator("#chat-channel-form")).to_contain_text("ikke en adresse")
    page.locator("#id_allowed_origins").fill("https://www.fjordkaffe.no")
    page.locator("#id_greeting").fill("Hei! Hva kan vi hjelpe med?")
    page.locator("#chat-channel-form button[type=submit]").click()
    channel = ChatChannel.objects.get()
    expect(page.locator("#chat-script")).to_have_value(
        re.compile(rf'/chat/widget\.js" data-channel="{channel.key}" async></script>$')
    )
    screenshot(page, "settings")
    page.goto("/helpdesk/chat/")
    expect(page.locator(f'[data-chat-channel="{channel.pk}"]')).to_contain_text(
        "https://www.fjordkaffe.no"
    )
    screenshot(page, "list")


def test_visitor_gets_help_centre_articles_while_writing(browser, live_server, website, screenshot):
    from datetime import time

    from samspill.helpdesk import services
    from samspill.helpdesk.models import Queue
    from samspill.knowledge import services as knowledge

    origin, write = website
    queue = Queue.objects.create(
        name="Kundeservice", opens_at=time(8), closes_at=time(16), is_default=True
    )
    channel = services.chat.create_chat_channel(
        actor=None,
        name="Nettbutikken",
        queue=queue,
        allowed_origins=origin,
        follow_opening_hours=False,
        agent_idle_minutes=0,
    )
    returns = knowledge.create_category(actor=None, name="Retur", slug="retur")
    knowledge.create_article(
        actor=None,
        title="Slik returnerer du en vare",
        body="Du kan returnere varer innen 30 dager.",
        category=returns,
        visibility="public",
        language="nb",
        publish_now=True,
    )
    knowledge.create_article(
        actor=None,
        title="Intern rutine for retur av varer",
        body="Kun for ansatte: returnerer varer til lageret.",
        category=returns,
        visibility="internal",
        language="nb",
        publish_now=True,
    )
    write(
        '<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>Butikk</title>'
        f'</head><body><script src="{live_server.url}/chat/widget.js" '
        f'data-channel="{channel.key}" async></script></body></html>'
    )
    context = browser.new_context(viewport={"width": 1100, "height": 800}, locale="nb-NO")
    context.set_default_timeout(10_000)
    visitor = context.new_page()
    visitor.goto(f"{origin}/index.html")
    widget = visitor.locator("#samspill-chat")
    widget.locator(".launcher").click()
    widget.locator("textarea").fill("Hvordan returnerer jeg en vare?")
    suggestions = widget.locator(".suggest")
    expect(suggestions).to_be_visible()
    link = suggestions.get_by_role("link", name="Slik returnerer du en vare")
    expect(link).to_have_attribute("href", re.compile(r"^http://.+/help/articles/"))
    expect(suggestions).not_to_contain_text("Intern rutine")  # internal articles never
    screenshot(visitor, "suggestions")
    widget.locator("textarea").fill("")
    widget.locator("textarea").type("ok")
    expect(suggestions).to_be_hidden()
    context.close()
