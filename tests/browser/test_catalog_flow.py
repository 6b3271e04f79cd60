"""End to end in headless Chromium: a manager adds a product (the barcode is checked while
typing), finance builds a price list with quantity breaks in the editable table (htmx), and
the product list works on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_product_and_price_list_with_quantity_breaks(page, make_user, sign_in, screenshot):
    from samspill.catalog.models import PriceListItem, Product

    manager = make_user("management", first_name="Mona", last_name="Leder")
    sign_in(page, manager)
    page.locator('#sidebar a[href="/catalog/products/"]').click()
    expect(page).to_have_url(re.compile(r"/catalog/products/$"))
    page.locator('a[href="/catalog/products/new/"]').first.click()

    page.locator("#id_sku").fill("telt 2p")
    page.locator("#id_name_nb").fill("Telt 2 personer")
    page.locator("#id_name_en").fill("Tent 2 persons")
    page.locator("#id_sales_price").fill("1990")
    page.locator("#id_cost_price").fill("1100")
    page.locator("#id_barcode").fill("7038010000011")  # wrong check digit
    page.locator("#id_barcode").blur()
    expect(page.locator("#live-barcode")).to_contain_text("EAN-13")
    screenshot(page, "1-live-validation")
    page.locator("#id_barcode").fill("7038010000010")
    page.locator("form.catalog-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/catalog/products/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Telt 2 personer")
    product = Product.objects.get(sku="TELT-2P")
    assert str(product.sales_price) == "1990.00"

    page.goto("/catalog/price-lists/new/")
    page.locator("#id_name").fill("Forhandler")
    page.locator("form.catalog-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/catalog/price-lists/\d+/$"))

    new_row = page.locator("#new-break")
    new_row.locator('input[name="sku"]').fill("TELT-2P")
    new_row.locator('input[name="min_quantity"]').fill("10")
    new_row.locator('input[name="unit_price"]').fill("1500")
    new_row.locator('button[value="add"]').click()
    expect(page.locator("#breaks")).to_contain_text("TELT-2P")
    new_row = page.locator("#new-break")
    new_row.locator('input[name="sku"]').fill("TELT-2P")
    new_row.locator('input[name="unit_price"]').fill("-1")
    new_row.locator('button[value="add"]').click()
    expect(page.locator("#breaks .invalid-feedback")).to_have_count(1)
    expect(page.locator('#new-break input[name="unit_price"]')).to_have_value("-1")
    screenshot(page, "2-price-list")
    assert list(PriceListItem.objects.values_list("min_quantity", "unit_price")) == [
        (product.price_items.get().min_quantity, product.price_items.get().unit_price)
    ]
    assert str(PriceListItem.objects.get().unit_price) == "1500.00"

    # The product list on a phone.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/catalog/products/")
    expect(page.locator("#list-table")).to_contain_text("TELT-2P")
    screenshot(page, "3-phone-list")
