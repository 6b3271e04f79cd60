"""End to end in headless Chromium: a visitor writes through the hosted contact form and
gets the ticket number; an agent finds the ticket, logs a phone call on it and sees it in
the conversation; a manager adds a queue on the settings page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_contact_form_call_and_settings(
    browser, page, live_server, make_user, sign_in, screenshot, settings
):
    from datetime import time

    from samspill.helpdesk.models import Queue, Ticket
    from samspill.organization.models import Company

    settings.SAMSPILL = {**settings.SAMSPILL, "HELPDESK_FORM_MIN_SECONDS": 0}
    Company.objects.create(pk=1, legal_name="Fjordkaffe AS", org_number="923609016")
    Queue.objects.create(name="Kundeservice", opens_at=time(8), closes_at=time(16), is_default=True)

    page.set_default_timeout(30_000)  # a loaded machine
    page.goto("/help/contact/")
    expect(page.locator("#company-name")).to_have_text("Fjordkaffe AS")
    page.locator("#id_name").fill("Kari Nordmann")
    page.locator("#id_email").fill("kari@kunde.example")
    page.locator("#id_subject").fill("Kaffemaskinen lekker")
    page.locator("#id_message").fill("Det renner vann hver morgen.")
    screenshot(page, "contact-form")
    page.locator("#contact-form button[type=submit]").click()
    ticket = Ticket.objects.get()
    expect(page.locator("#contact-done")).to_contain_text(ticket.number)
    screenshot(page, "contact-sent")

    agent = make_user("service", first_name="Siri", last_name="Service")
    sign_in(page, agent)
    page.goto(f"/helpdesk/tickets/{ticket.pk}/")
    page.locator("#call-log summary").click()
    page.locator("#call-log [name=phone]").fill("41234567")
    page.locator("#call-log [name=direction]").select_option("outbound")
    page.locator("#call-log [name=duration_minutes]").fill("4")
    page.locator("#call-log [name=notes]").fill("Avtalt tekniker torsdag.")
    page.locator("#call-log button[type=submit]").click()
    expect(page.locator("#conversation [data-kind=call]")).to_contain_text("Avtalt tekniker")
    screenshot(page, "ticket-with-call")

    manager = make_user("management", first_name="Mona", last_name="Manager")
    page.context.clear_cookies()
    sign_in(page, manager)
    page.goto("/helpdesk/settings/")
    page.locator("#settings-queues a.btn-primary").click()
    page.locator("#id_name").fill("Kveld")
    page.locator("#id_opens_at").fill("16:00")
    page.locator("#id_closes_at").fill("22:00")
    # A new queue starts Monday to Friday: make it Monday and Saturday.
    for weekday in (1, 2, 3, 4):
        page.locator(f"#id_workdays_{weekday}").uncheck()
    page.locator("#id_workdays_0").check()
    page.locator("#id_workdays_5").check()
    screenshot(page, "queue-form")
    page.locator("#setting-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/helpdesk/settings/$"))
    expect(page.locator("#settings-queues")).to_contain_text("Kveld")
    screenshot(page, "settings")
    assert Queue.objects.get(name="Kveld").workdays == "16"
