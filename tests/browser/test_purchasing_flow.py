"""End to end in headless Chromium: a buyer makes a purchase order, confirms it, receives
part of the goods on the receipt, sees the order partly received and the stock valued, and
drafts a replenishment order for a product below its minimum."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_purchase_order_confirmed_received_and_replenished(
    page, live_server, make_user, sign_in, screenshot
):
    from samspill.catalog.tests.factories import ProductFactory
    from samspill.inventory.models import Receipt
    from samspill.parties.tests.factories import OrganizationFactory
    from samspill.platform.tasks import run_pending
    from samspill.purchasing import services
    from samspill.purchasing.models import PurchaseOrder

    supplier = OrganizationFactory(name="Grossist AS", is_supplier=True)
    mug = ProductFactory(sku="MUG-1", name_nb="Kaffekopp", cost_price=Decimal("40.00"))
    buyer = make_user("operations", first_name="Ola", last_name="Innkjøper")
    sign_in(page, buyer)

    page.locator('#sidebar a[href="/purchasing/orders/"]').click()
    page.locator('a[href="/purchasing/orders/new/"]').first.click()
    page.locator("#id_party_search").fill("Grossist")
    expect(page.locator("#id_party")).to_have_value(str(supplier.pk))
    page.locator('select[name="lines-0-product"]').select_option(str(mug.pk))
    page.locator('input[name="lines-0-quantity"]').fill("10")
    page.locator('input[name="lines-0-unit_price"]').fill("38,50")
    screenshot(page, "1-form")
    page.locator("#order-form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/purchasing/orders/\d+/$"))
    order = PurchaseOrder.objects.get()
    assert order.net_total == Decimal("385.00")
    page.get_by_role("button", name="Bekreft ordre").click()
    expect(page.get_by_test_id("order-status")).to_have_text("Bekreftet")
    screenshot(page, "2-confirmed")

    receipt = Receipt.objects.get(order_id=order.pk)
    page.get_by_role("link", name=receipt.number).click()
    line = receipt.lines.get()
    page.locator(f'input[name="qty_{line.pk}"]').fill("12")
    page.get_by_role("button", name="Motta", exact=True).click()
    expect(page.locator(".invalid-feedback").first).to_contain_text(
        "MUG-1: 10 pcs ble bestilt og 0 har kommet inn; 12 til"
    )
    page.locator(f'input[name="qty_{line.pk}"]').fill("4")
    page.get_by_role("button", name="Motta", exact=True).click()
    expect(page.get_by_test_id("receipt-state")).to_have_text("Forventet")
    screenshot(page, "3-received-part")
    run_pending()

    page.goto(order.get_absolute_url())
    expect(page.get_by_test_id("order-status")).to_have_text("Delvis mottatt")
    page.goto("/inventory/value/")
    expect(page.get_by_test_id("stock-total")).to_contain_text("154,00")
    screenshot(page, "4-stock-value")

    services.save_supplier_info(actor=buyer, product=mug, party=supplier, price="37")
    services.save_reorder_rule(actor=buyer, product=mug, min_quantity="20", max_quantity="50")
    page.goto("/purchasing/replenishment/")
    page.get_by_test_id("replenish").click()
    expect(page).to_have_url(re.compile(r"/purchasing/orders/\?status=draft$"))
    draft = PurchaseOrder.objects.get(status="draft")
    assert draft.lines.get().quantity == Decimal("40.000")  # 50 − (4 on hand + 6 incoming)
    screenshot(page, "5-replenished")
