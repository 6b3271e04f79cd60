"""End to end in headless Chromium: a visitor sends the public web form, a salesperson finds
the lead, converts it into customer + contact person + opportunity, and drags the opportunity
to Won on the pipeline board."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_web_form_lead_is_converted_and_dragged_to_won(
    page, make_user, sign_in, screenshot, settings
):
    from samspill.crm import services
    from samspill.crm.models import Lead, Opportunity, Stage

    settings.SAMSPILL = {**settings.SAMSPILL, "CRM_WEB_FORM_MIN_SECONDS": 0}
    sales = make_user("sales", first_name="Siri", last_name="Salg")
    form = services.create_web_form(
        actor=None, name="Nettside", default_owner=sales, thank_you="Takk, vi ringer deg!"
    )

    # A visitor on the website fills in the form (the page inside the iframe).
    page.goto(f"/crm/form/{form.key}/")
    page.locator("#id_name").fill("Kari Nordmann")
    page.locator("#id_company_name").fill("Fjordlys Sjømat AS")
    page.locator("#id_email").fill("kari@fjordlys.example")
    page.locator("#id_message").fill("Vi vil ha et tilbud på kjølerom.")
    screenshot(page, "1-web-form")
    page.locator("#web-form button[type=submit]").click()
    expect(page.locator("#web-form-done")).to_contain_text("Takk, vi ringer deg!")
    lead = Lead.objects.get()
    assert lead.source == "web_form" and lead.owner == sales

    # The salesperson opens the lead from the list and converts it.
    page.context.clear_cookies()
    sign_in(page, sales)
    page.goto("/crm/leads/")
    page.locator("#list-table a", has_text="Kari Nordmann").click()
    expect(page).to_have_url(re.compile(rf"/crm/leads/{lead.pk}/$"))
    screenshot(page, "2-lead")
    page.locator("#id_expected_revenue").fill("250000")
    page.locator("#convert-button").click()
    # The conversion ends on the new opportunity's page; only then is it in the database.
    expect(page).to_have_url(re.compile(r"/crm/opportunities/\d+/$"))
    opportunity = Opportunity.objects.get()
    expect(page).to_have_url(re.compile(rf"/crm/opportunities/{opportunity.pk}/$"))
    expect(page.locator("#main")).to_contain_text("Fjordlys Sjømat AS")

    # On the board, drag the card to the Won column.
    page.goto("/crm/pipeline/")
    won = Stage.objects.get(is_won=True)
    card = page.locator(f"#opportunity-{opportunity.pk}")
    target = page.locator(f'.crm-column[data-stage="{won.pk}"] .crm-dropzone')
    expect(card).to_be_visible()
    screenshot(page, "3-board")
    card.drag_to(target)
    expect(
        page.locator(f'.crm-column[data-stage="{won.pk}"] #opportunity-{opportunity.pk}')
    ).to_be_visible()
    screenshot(page, "4-won")
    opportunity.refresh_from_db()
    assert opportunity.status == "won"

    # The customer's page shows it on the timeline.
    page.goto(f"/parties/{opportunity.party_id}/")
    expect(page.locator("#timeline")).to_contain_text("vunnet")


def test_script_snippet_on_another_website_sends_a_lead(page, live_server, settings, screenshot):
    """The HTML + script snippet pasted into a page of another origin posts the lead as JSON
    (CORS) and shows the thank-you message."""
    from django.test import RequestFactory

    from samspill.crm import services
    from samspill.crm.models import Lead
    from samspill.crm.views.setup import script_snippet

    settings.SAMSPILL = {**settings.SAMSPILL, "CRM_WEB_FORM_MIN_SECONDS": 0}
    form = services.create_web_form(actor=None, name="Kampanje", thank_you="Takk for interessen!")
    host = live_server.url.split("://", 1)[1]
    snippet = script_snippet(RequestFactory().get("/", HTTP_HOST=host), form)
    page.set_content(f"<!doctype html><html><body><h1>Kunde AS</h1>{snippet}</body></html>")
    page.wait_for_load_state("networkidle")
    page.locator("input[name=name]").fill("Skript Kunde")
    page.locator("input[name=email]").fill("skript@example.no")
    page.locator("form button[type=submit]").click()
    expect(page.locator("[data-samspill-status]")).to_have_text("Takk for interessen!")
    screenshot(page, "script-snippet")
    lead = Lead.objects.get()
    assert (lead.name, lead.source, lead.web_form_id) == ("Skript Kunde", "web_form", form.pk)
