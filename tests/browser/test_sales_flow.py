"""End to end in headless Chromium: a salesperson makes a quote with the line editor (live
totals), sends it, the customer opens the public link without logging in and accepts, and
the salesperson sees the confirmed order."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_quote_sent_accepted_by_customer_becomes_confirmed_order(
    browser, page, live_server, make_user, sign_in, screenshot
):
    from django.core import mail

    from samspill.catalog.tests.factories import ProductFactory
    from samspill.parties.tests.factories import ContactPointFactory, OrganizationFactory
    from samspill.sales.models import Order, Quote

    customer = OrganizationFactory(name="Fjordkaffe AS", is_customer=True)
    ContactPointFactory(party=customer, value="post@fjordkaffe.no", normalized="post@fjordkaffe.no")
    ProductFactory(sku="MUG-1", name_nb="Kaffekopp", sales_price=Decimal("99.90"))
    ProductFactory(
        sku="COF-1", name_nb="Kaffe 1 kg", sales_price=Decimal("149.00"), vat_category="food"
    )
    seller = make_user("sales", first_name="Siri", last_name="Selger")
    sign_in(page, seller)

    page.locator('#sidebar a[href="/sales/quotes/"]').click()
    expect(page).to_have_url(re.compile(r"/sales/quotes/$"))
    page.locator('a[href="/sales/quotes/new/"]').first.click()
    page.locator("#id_party_search").fill("Fjordkaffe")
    expect(page.locator("#id_party")).to_have_value(str(customer.pk))

    rows = page.locator("#line-editor .line-row")
    rows.nth(0).locator('input[name="line-sku"]').fill("MUG-1")
    rows.nth(0).locator('input[name="line-quantity"]').fill("3")
    rows.nth(0).locator('input[name="line-quantity"]').blur()
    expect(page.get_by_test_id("total")).to_have_text(re.compile(r"374,63"))  # 299,70 + 25 %
    page.get_by_role("button", name="Legg til linje").click()
    expect(page.locator("#line-editor .line-row")).to_have_count(2)
    second = page.locator("#line-editor .line-row").nth(1)
    second.locator('input[name="line-sku"]').fill("COF-1")
    second.locator('input[name="line-quantity"]').fill("2")
    second.locator('input[name="line-quantity"]').blur()
    expect(page.get_by_test_id("total")).to_have_text(re.compile(r"717,33"))  # + 298 + 15 %
    screenshot(page, "1-line-editor")
    page.locator("#document-form button[type=submit][accesskey=s]").click()

    expect(page).to_have_url(re.compile(r"/sales/quotes/\d+/$"))
    quote = Quote.objects.get()
    assert quote.total == Decimal("717.33")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_test_id("quote-status")).to_have_text("Sendt")
    assert mail.outbox[-1].to == ["post@fjordkaffe.no"]
    public_url = page.get_by_test_id("public-url").input_value()
    screenshot(page, "2-sent")

    customer_context = browser.new_context(viewport={"width": 390, "height": 844})  # a phone
    customer_page = customer_context.new_page()
    customer_page.goto(public_url)
    expect(customer_page.get_by_role("heading", level=1)).to_contain_text(quote.number)
    customer_page.get_by_role("button", name="Aksepter tilbudet").click()
    order = Order.objects.get()
    expect(customer_page.get_by_test_id("done")).to_contain_text(order.number)
    screenshot(customer_page, "3-customer-accepted")
    customer_context.close()

    page.reload()
    expect(page.get_by_test_id("quote-status")).to_have_text("Akseptert")
    page.get_by_test_id("order-link").click()
    expect(page.get_by_test_id("order-badges")).to_contain_text("Bekreftet")
    assert order.status == "confirmed" and order.total == quote.total
    screenshot(page, "4-order")
