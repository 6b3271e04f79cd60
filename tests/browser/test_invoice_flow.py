"""End to end in headless Chromium: a bookkeeper writes an invoice with two VAT rates, posts
it, downloads the PDF, registers a partial payment and then the rest, and sees the invoice
paid in the list and the customer's unpaid amount go to zero."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_invoice_written_posted_and_paid(page, make_user, sign_in, screenshot):
    from samspill.accounting import services as accounting
    from samspill.accounting.models import Invoice
    from samspill.localization.no import services as localization
    from samspill.organization import services as organization
    from samspill.organization.demo import COMPANY
    from samspill.parties.tests.factories import OrganizationFactory

    organization.update_company(actor=None, **COMPANY)
    localization.load_vat_codes(actor=None)
    accounting.load_chart(actor=None)
    accounting.open_fiscal_year(actor=None, start=date(date.today().year, 1, 1))
    customer = OrganizationFactory(name="Fjordkaffe AS", is_customer=True)
    bookkeeper = make_user("finance", first_name="Frida", last_name="Finans")
    sign_in(page, bookkeeper)

    page.locator('#sidebar a[href="/accounting/invoices/"]').click()
    expect(page).to_have_url(re.compile(r"/accounting/invoices/$"))
    page.locator('a[href="/accounting/invoices/new/"]').first.click()
    page.locator("#id_party").fill(str(customer.pk))
    page.locator("#id_lines-0-description").fill("Rådgivning")
    page.locator("#id_lines-0-quantity").fill("2")
    page.locator("#id_lines-0-unit_price").fill("1000")
    page.locator("#id_lines-1-description").fill("Kaffe")
    page.locator("#id_lines-1-quantity").fill("1")
    page.locator("#id_lines-1-unit_price").fill("100")
    page.locator("#id_lines-1-vat_code").select_option("31")
    screenshot(page, "1-form")
    page.locator('button[name="post"]').click()
    expect(page).to_have_url(re.compile(r"/accounting/invoices/\d+/$"))
    invoice = Invoice.objects.get()
    expect(page.locator("h1")).to_contain_text(invoice.number)
    expect(page.locator("[data-open-amount]")).to_have_text(re.compile(r"^2\s615,00$"))
    with page.expect_download() as download:
        page.locator(f'a[href="/accounting/invoices/{invoice.pk}/pdf/"]').click()
    assert download.value.suggested_filename == f"{invoice.number}.pdf"
    screenshot(page, "2-posted")

    page.locator("#id_amount").fill("615")
    page.locator('form[action$="/pay/"] button[type=submit]').click()
    expect(page.locator("[data-state]")).to_have_attribute("data-state", "partly_paid")
    expect(page.locator("[data-open-amount]")).to_have_text(re.compile(r"^2\s000,00$"))
    page.locator('form[action$="/pay/"] button[type=submit]').click()  # the rest, prefilled
    expect(page.locator("[data-state]")).to_have_attribute("data-state", "paid")
    screenshot(page, "3-paid")

    page.goto("/accounting/invoices/?state=paid")
    expect(page.locator("table tbody tr")).to_have_count(1)
    page.goto(f"/parties/{customer.pk}/")
    expect(page.locator("body")).to_contain_text(invoice.number)
    screenshot(page, "4-party")
