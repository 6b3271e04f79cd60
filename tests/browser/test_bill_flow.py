"""End to end in headless Chromium: a bookkeeper imports a received EHF invoice and enters a
bill by hand with lines, sends it for approval; the manager approves it (four eyes) and the
bookkeeper registers the payment to the supplier."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_bill_imported_entered_approved_and_paid(page, make_user, sign_in, screenshot, tmp_path):
    from samspill.accounting import services as accounting
    from samspill.accounting.demo_bills import _ehf
    from samspill.accounting.models import SupplierBill
    from samspill.localization.no import services as localization
    from samspill.organization import services as organization
    from samspill.organization.demo import COMPANY
    from samspill.parties.tests.factories import OrganizationFactory

    organization.update_company(actor=None, **COMPANY)
    localization.load_vat_codes(actor=None)
    accounting.load_chart(actor=None)
    accounting.open_fiscal_year(actor=None, start=date(2026, 1, 1))
    supplier = OrganizationFactory(name="Kontorland AS", is_supplier=True)
    file = tmp_path / "ehf.xml"
    file.write_bytes(_ehf(COMPANY["org_number"], "KE-1", "2026-03-02", "2026-04-01"))
    bookkeeper = make_user("finance", first_name="Frida", last_name="Finans")
    manager = make_user("management", first_name="Mona", last_name="Leder")

    sign_in(page, bookkeeper)
    page.locator('#sidebar a[href="/accounting/bills/"]').click()
    expect(page).to_have_url(re.compile(r"/accounting/bills/$"))
    page.locator("#ehf-file").set_input_files(str(file))
    page.locator('form[action="/accounting/bills/import/"] button[type=submit]').click()
    expect(page).to_have_url(re.compile(r"/accounting/bills/\d+/$"))
    expect(page.locator("h1 [data-state]")).to_have_attribute("data-state", "draft")
    screenshot(page, "1-imported")

    page.goto(f"/accounting/bills/new/?party={supplier.pk}")
    page.locator("#id_supplier_number").fill("F-2026-17")
    page.locator("#id_bill_date").fill("2026-03-05")
    page.locator("#id_kid").fill("1234567890128")
    page.locator("#id_lines-0-description").fill("Kontorrekvisita")
    page.locator("#id_lines-0-account").fill("6800")
    page.locator("#id_lines-0-quantity").fill("4")
    page.locator("#id_lines-0-unit_price").fill("250")
    page.locator("#id_lines-1-description").fill("Lunsj")
    page.locator("#id_lines-1-account").fill("7798")
    page.locator("#id_lines-1-quantity").fill("1")
    page.locator("#id_lines-1-unit_price").fill("400")
    page.locator("#id_lines-1-vat_code").select_option("11")
    screenshot(page, "2-form")
    page.locator('button[name="submit"]').click()
    expect(page).to_have_url(re.compile(r"/accounting/bills/\d+/$"))
    expect(page.locator("h1 [data-state]")).to_have_attribute("data-state", "awaiting_approval")
    bill = SupplierBill.objects.get(supplier_number="F-2026-17")
    assert str(bill.total) == "1710.00"

    page.context.clear_cookies()
    sign_in(page, manager)
    page.goto(f"/accounting/bills/{bill.pk}/")
    screenshot(page, "3-approval")
    page.locator('form[action$="/approve/"] button').click()
    expect(page.locator("h1 [data-state]")).to_have_attribute("data-state", "approved")
    expect(page.locator("a[data-voucher]")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, bookkeeper)
    page.goto(f"/accounting/bills/{bill.pk}/")
    page.locator('form[action$="/pay/"] button').click()
    expect(page.locator("h1 [data-state]")).to_have_attribute("data-state", "paid")
    screenshot(page, "4-paid")
