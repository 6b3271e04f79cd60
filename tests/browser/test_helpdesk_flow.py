"""End to end in headless Chromium: an agent opens the service inbox, moves with j and opens
a ticket with Enter, assigns it with a, picks a canned response, replies with r; a second
reply from an outdated page gets the collision warning and sends nothing."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agent_answers_from_the_inbox_with_the_keyboard(
    browser, page, live_server, make_user, sign_in, screenshot
):
    from datetime import time

    from samspill.helpdesk import services
    from samspill.helpdesk.models import CannedResponse, Message, Queue, Ticket

    Queue.objects.create(name="Kundeservice", opens_at=time(8), closes_at=time(16), is_default=True)
    CannedResponse.objects.create(
        title="Takk",
        body="Hei {{ customer.name }}, takk for at du tok kontakt ({{ ticket.number }}).",
    )
    older = services.open_ticket(
        actor=None,
        subject="Faktura feil",
        body="Beløpet stemmer ikke.",
        channel="email",
        email="kari@kunde.example",
        name="Kari Kunde",
    )
    ticket = services.open_ticket(
        actor=None,
        subject="Kaffemaskinen lekker",
        body="Det renner vann hver morgen.",
        channel="phone",
        email="ola@kunde.example",
        name="Ola Kunde",
    )
    agent = make_user("service", first_name="Siri", last_name="Service")
    sign_in(page, agent)

    page.locator('#sidebar a[href="/helpdesk/"]').click()
    expect(page.locator("#inbox-table tbody tr[data-ticket]")).to_have_count(2)
    screenshot(page, "inbox")
    page.keyboard.press("j")  # the newest ticket is first
    expect(page.locator("#inbox-table tbody tr.table-active")).to_have_attribute(
        "data-ticket", str(ticket.pk)
    )
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/helpdesk/tickets/{ticket.pk}/$"))
    outdated = page.context.new_page()
    outdated.goto(f"/helpdesk/tickets/{ticket.pk}/")

    page.keyboard.press("a")
    expect(page.get_by_test_id("assignee")).to_have_text("Siri Service")
    page.keyboard.press("r")
    expect(page.locator("#reply-body")).to_be_focused()
    page.locator("#canned-select").select_option(label="Takk")
    expect(page.locator("#reply-body")).to_have_value(
        f"Hei Ola Kunde, takk for at du tok kontakt ({ticket.number})."
    )
    page.locator("#reply-form button[type=submit]").click()
    expect(page.get_by_test_id("ticket-status")).to_have_text("Venter på kunden")
    expect(page.locator("#conversation li")).to_have_count(2)
    screenshot(page, "answered")

    outdated.locator("#reply-body").fill("Et svar fra en utdatert side")
    outdated.locator("#reply-form button[type=submit]").click()
    expect(outdated.locator(".alert")).to_contain_text("etter at du åpnet den")
    expect(outdated.locator("#reply-body")).to_have_value("Et svar fra en utdatert side")
    screenshot(outdated, "collision")
    outdated.close()
    assert not Message.objects.filter(body="Et svar fra en utdatert side").exists()
    assert Ticket.objects.get(pk=ticket.pk).assignee == agent
    assert older.messages.count() == 1
