"""End to end in headless Chromium: a contact person with portal access asks for a sign-in
link, opens it from the e-mail (read from the test outbox), signs in, sees their case with
our answer (never the internal note), answers it, and on a phone-sized screen the menu
folds away."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_customer_signs_in_with_an_emailed_link_and_answers_a_case(
    browser, page, live_server, make_user, screenshot
):
    from datetime import time

    from django.core import mail

    from samspill.helpdesk import services as helpdesk
    from samspill.helpdesk.models import Queue
    from samspill.parties.tests.factories import (
        ContactPointFactory,
        OrganizationFactory,
        PersonFactory,
        RelationFactory,
    )
    from samspill.portal import services as portal

    Queue.objects.create(name="Kundeservice", opens_at=time(8), closes_at=time(16), is_default=True)
    org = OrganizationFactory(name="Fjordkaffe AS", is_customer=True)
    kari = PersonFactory(first_name="Kari", last_name="Kunde")
    ContactPointFactory(party=kari, value="kari@fjordkaffe.no", normalized="kari@fjordkaffe.no")
    RelationFactory(person=kari, organization=org, is_primary=True)
    agent = make_user("service", first_name="Siri", last_name="Service")
    ticket = helpdesk.open_ticket(
        actor=agent, subject="Kaffemaskinen lekker", body="Det renner vann.", party=org
    )
    helpdesk.add_note(ticket, actor=agent, body="Intern: sjekk garantien")
    helpdesk.reply_to_customer(ticket, actor=agent, body="Vi sender en tekniker i morgen.")
    other = OrganizationFactory(name="Bergen Bakeri AS")
    hidden = helpdesk.open_ticket(actor=agent, subject="Brødmaskin", body="x", party=other)
    portal.invite(actor=agent, person=kari)
    mail.outbox.clear()

    page.goto("/portal/")
    expect(page).to_have_url(re.compile(r"/portal/login/$"))
    page.get_by_label("E-postadressen din").fill("kari@fjordkaffe.no")
    page.get_by_role("button", name="Send meg en innloggingslenke").click()
    expect(page.get_by_test_id("link-sent")).to_be_visible()
    screenshot(page, "link-sent")

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/portal/login/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    page.get_by_test_id("sign-in").click()
    expect(page).to_have_url(re.compile(r"/portal/$"))
    expect(page.get_by_test_id("portal-customer")).to_have_text("Fjordkaffe AS")
    expect(page.get_by_test_id("tickets").locator("a")).to_have_count(1)
    screenshot(page, "cases")

    page.get_by_role("link", name=re.compile("Kaffemaskinen lekker")).click()
    expect(page).to_have_url(re.compile(rf"/portal/tickets/{ticket.pk}/$"))
    conversation = page.get_by_test_id("conversation")
    expect(conversation).to_contain_text("Vi sender en tekniker i morgen.")
    expect(conversation).not_to_contain_text("Intern")
    page.get_by_label("Svaret ditt").fill("Takk, vi er her fra kl. 8.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_test_id("conversation")).to_contain_text("Takk, vi er her fra kl. 8.")
    screenshot(page, "case")
    assert ticket.messages.filter(kind="customer").count() == 2

    response = page.goto(f"/portal/tickets/{hidden.pk}/")  # another customer's case
    assert response.status == 404

    page.goto("/portal/")  # the used link does not sign in again
    page.goto(link)
    expect(page.get_by_test_id("error")).to_be_visible()

    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"/portal/tickets/{ticket.pk}/")
    expect(page.get_by_role("link", name="Ordrer")).to_be_hidden()
    page.get_by_role("button", name="Åpne menyen").click()
    expect(page.get_by_role("link", name="Ordrer")).to_be_visible()
    screenshot(page, "phone")


def test_service_dashboard_draws_its_charts(
    browser, page, live_server, make_user, sign_in, screenshot
):
    from datetime import time

    from samspill.helpdesk import services as helpdesk
    from samspill.helpdesk.models import Queue
    from samspill.helpdesk.services import csat
    from samspill.parties.tests.factories import OrganizationFactory

    queue = Queue.objects.create(
        name="Kundeservice", opens_at=time(8), closes_at=time(16), is_default=True
    )
    org = OrganizationFactory(name="Fjordkaffe AS", is_customer=True)
    agent = make_user("service", first_name="Siri", last_name="Service")
    tickets = [
        helpdesk.open_ticket(actor=agent, subject=f"Sak {n}", body="x", party=org) for n in range(3)
    ]
    helpdesk.reply_to_customer(tickets[0], actor=agent, body="Løst.", status="resolved")
    csat.rate_ticket(tickets[0], rating=5)
    sign_in(page, agent)

    page.goto("/helpdesk/dashboard/")
    expect(page.get_by_test_id("backlog")).to_have_text("2")
    expect(page.locator("#days-chart")).to_be_visible()
    screenshot(page, "dashboard")
    page.get_by_test_id("backlog-queue").get_by_role("link", name="Kundeservice").click()
    expect(page).to_have_url(re.compile(rf"/helpdesk/\?view=open&queue={queue.pk}$"))
