"""End to end in headless Chromium: operations writes a bill of materials, drafts a
production order from it, confirms it, is refused "Done" while a component is short,
and finishes it once the stock is there."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_bill_of_materials_and_production_order(page, live_server, make_user, sign_in, screenshot):
    from samspill.catalog.tests.factories import ProductFactory
    from samspill.inventory import services
    from samspill.inventory.models import ProductionOrder

    ProductFactory(sku="KIT-1", name_nb="Verktøysett", cost_price=Decimal("0"))
    hammer = ProductFactory(sku="HAMMER", name_nb="Hammer", cost_price=Decimal("80.00"))
    saw = ProductFactory(sku="SAG", name_nb="Sag", cost_price=Decimal("120.50"))
    ops = make_user("operations", first_name="Kari", last_name="Lager")
    warehouse = services.ensure_setup()
    services.adjust_stock(
        actor=ops,
        product=hammer,
        location=warehouse.stock_location,
        quantity=Decimal(5),
        reason="Start",
    )
    sign_in(page, ops)

    page.locator('#sidebar a[href="/inventory/boms/"]').click()
    page.locator('a[href="/inventory/boms/new/"]').first.click()
    page.locator('input[name="sku"]').fill("KIT-1")
    page.locator('input[name="sku_0"]').fill("HAMMER")
    page.locator('input[name="qty_0"]').fill("1")
    page.locator('input[name="sku_1"]').fill("SAG")
    page.locator('input[name="qty_1"]').fill("1")
    screenshot(page, "1-bom-form")
    page.get_by_role("button", name="Lagre").click()
    expect(page).to_have_url(re.compile(r"/inventory/boms/$"))
    expect(page.locator("main")).to_contain_text("HAMMER × 1 pcs, SAG × 1 pcs")
    screenshot(page, "2-bom-list")

    page.get_by_role("link", name="Produser").first.click()
    page.locator("#mo-qty").fill("2")
    page.get_by_role("button", name="Opprett").click()
    expect(page).to_have_url(re.compile(r"/inventory/production/\d+/$"))
    expect(page.get_by_test_id("production-state")).to_have_text("Kladd")
    page.get_by_role("button", name="Bekreft").click()
    expect(page.get_by_test_id("production-state")).to_have_text("Bekreftet")
    page.get_by_role("button", name="Utført").click()
    expect(page.locator("main")).to_contain_text("SAG")
    expect(page.get_by_test_id("production-state")).to_have_text("Bekreftet")
    screenshot(page, "3-short")

    services.adjust_stock(
        actor=ops,
        product=saw,
        location=warehouse.stock_location,
        quantity=Decimal(2),
        reason="Start",
    )
    page.get_by_role("button", name="Utført").click()
    expect(page.get_by_test_id("production-state")).to_have_text("Utført")
    order = ProductionOrder.objects.get()
    assert order.value == Decimal("401.00")  # 2 × 80.00 + 2 × 120.50
    screenshot(page, "4-done")


def test_production_in_two_runs_with_scrap(page, live_server, make_user, sign_in, screenshot):
    from samspill.catalog.tests.factories import ProductFactory
    from samspill.inventory import services
    from samspill.inventory.models import ProductionOrder

    kit = ProductFactory(sku="KIT-2", name_nb="Settet", cost_price=Decimal("0"))
    hammer = ProductFactory(sku="HAMMER", name_nb="Hammer", cost_price=Decimal("80.00"))
    ops = make_user("operations", first_name="Kari", last_name="Lager")
    warehouse = services.ensure_setup()
    services.adjust_stock(
        actor=ops,
        product=hammer,
        location=warehouse.stock_location,
        quantity=Decimal(10),
        reason="Start",
    )
    bom = services.create_bom(
        actor=ops, product=kit, quantity=1, lines=[{"product": hammer.pk, "quantity": 1}]
    )
    order = services.create_production(actor=ops, bom=bom, quantity=4)
    services.confirm_production(actor=ops, order=order)
    sign_in(page, ops)
    page.goto(f"{live_server.url}/inventory/production/{order.pk}/")

    form = page.get_by_test_id("produce-form")
    form.locator('input[name="quantity"]').fill("1")
    form.get_by_role("button", name="Produser").click()
    expect(page.get_by_test_id("production-produced")).to_contain_text("1")
    expect(page.get_by_test_id("production-state")).to_have_text("Bekreftet")

    scrap = page.get_by_test_id("scrap-form")
    scrap.locator('select[name="product"]').select_option(label="HAMMER")
    scrap.locator('input[name="scrap_quantity"]').fill("1")
    scrap.locator('input[name="note"]').fill("Knekt skaft")
    scrap.get_by_role("button", name="Kasser varer").click()
    expect(page.get_by_test_id("production-moves")).to_contain_text("Knekt skaft")
    screenshot(page, "1-one-made-one-scrapped")

    page.once("dialog", lambda dialog: dialog.accept())  # "Avslutte ordren …?"
    page.get_by_role("button", name="Avslutt med mindre").click()
    expect(page.get_by_test_id("production-state")).to_have_text("Utført")
    assert ProductionOrder.objects.get().produced == Decimal("1.000")
    screenshot(page, "2-closed-short")
