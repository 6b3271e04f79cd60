"""The front office's whole journey in headless Chromium, as issue "Front office I" asks: a
visitor's web-form lead is converted, its opportunity dragged to Won, a quote made from the
opportunity is sent, the customer accepts through the public link, the order is confirmed;
the worker delivers the events, accounting posts the invoice (policy "on order") and the
order shows "fully invoiced"; the sales dashboard counts the lead, the won opportunity and
its order."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_web_form_lead_to_invoiced_order(
    browser, page, make_user, sign_in, screenshot, settings, run_tasks
):
    from django.core import mail
    from django.utils import timezone

    from samspill.accounting import services as ledger
    from samspill.accounting.models import Invoice
    from samspill.catalog.tests.factories import ProductFactory
    from samspill.crm import services as crm
    from samspill.crm.models import Opportunity, Stage
    from samspill.localization.no import services as localization
    from samspill.sales.models import Order, Quote

    settings.SAMSPILL = {**settings.SAMSPILL, "CRM_WEB_FORM_MIN_SECONDS": 0}
    localization.load_vat_codes(actor=None)
    ledger.load_chart(actor=None)
    ledger.open_fiscal_year(actor=None, start=timezone.localdate().replace(month=1, day=1))
    ProductFactory(sku="KJOL-1", name_nb="Kjølerom 10 m²", sales_price=Decimal("80000.00"))
    seller = make_user("sales", first_name="Siri", last_name="Salg")
    form = crm.create_web_form(actor=None, name="Nettside", default_owner=seller)

    page.goto(f"/crm/form/{form.key}/")
    page.locator("#id_name").fill("Kari Nordmann")
    page.locator("#id_company_name").fill("Fjordlys Sjømat AS")
    page.locator("#id_email").fill("kari@fjordlys.example")
    page.locator("#web-form button[type=submit]").click()
    expect(page.locator("#web-form-done")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, seller)
    page.goto("/crm/leads/")
    page.locator("#list-table a", has_text="Kari Nordmann").click()
    page.locator("#id_expected_revenue").fill("80000")
    page.locator("#convert-button").click()
    expect(page).to_have_url(re.compile(r"/crm/opportunities/\d+/$"))
    opportunity = Opportunity.objects.get()

    page.goto("/crm/pipeline/")
    won = Stage.objects.get(is_won=True)
    page.locator(f"#opportunity-{opportunity.pk}").drag_to(
        page.locator(f'.crm-column[data-stage="{won.pk}"] .crm-dropzone')
    )
    expect(
        page.locator(f'.crm-column[data-stage="{won.pk}"] #opportunity-{opportunity.pk}')
    ).to_be_visible()

    # A quote from the opportunity: the customer and the reference are filled in.
    page.goto(f"/crm/opportunities/{opportunity.pk}/")
    page.get_by_role("link", name="Nytt tilbud").click()
    expect(page.locator("#id_party")).to_have_value(str(opportunity.party_id))
    row = page.locator("#line-editor .line-row").nth(0)
    row.locator('input[name="line-sku"]').fill("KJOL-1")
    row.locator('input[name="line-quantity"]').fill("1")
    row.locator('input[name="line-quantity"]').blur()
    expect(page.get_by_test_id("total")).to_have_text(re.compile(r"100\s000,00"))
    page.locator("#document-form button[type=submit][accesskey=s]").click()
    expect(page).to_have_url(re.compile(r"/sales/quotes/\d+/$"))
    quote = Quote.objects.get()
    assert quote.opportunity_ref == str(opportunity.pk)
    page.get_by_role("button", name="Send", exact=True).click()
    screenshot(page, "1-send")
    expect(page.get_by_test_id("quote-status")).to_have_text("Sendt")
    assert mail.outbox[-1].to == ["kari@fjordlys.example"]
    public_url = page.get_by_test_id("public-url").input_value()
    screenshot(page, "1-quote-sent")

    customer = browser.new_context(viewport={"width": 390, "height": 844})
    customer_page = customer.new_page()
    customer_page.goto(public_url)
    customer_page.get_by_role("button", name="Aksepter tilbudet").click()
    order = Order.objects.get()
    expect(customer_page.get_by_test_id("done")).to_contain_text(order.number)
    customer.close()

    # The worker delivers the events: accounting posts the invoice, the order hears of it.
    run_tasks()
    invoice = Invoice.objects.get()
    assert (invoice.state, invoice.total, invoice.order_id) == ("posted", order.total, order.pk)
    page.reload()
    page.get_by_test_id("order-link").click()
    expect(page.get_by_test_id("order-badges")).to_contain_text("Bekreftet")
    expect(page.get_by_test_id("order-badges")).to_contain_text("Fullt fakturert")
    screenshot(page, "2-order-invoiced")

    page.locator('#sidebar a[href="/sales/dashboard/"]').click()
    funnel = page.get_by_test_id("funnel")
    expect(funnel).to_contain_text("100,0 %")  # 1 of 1 lead converted; 1 of 1 ordered
    expect(page.get_by_test_id("won-value")).to_contain_text("80 000")
    screenshot(page, "3-dashboard")
