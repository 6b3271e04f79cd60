"""End to end in headless Chromium: a bookkeeper uploads the bank's camt.053 file; the line
with the invoice's KID pays the invoice at once, the line from a known customer with the
exact amount is proposed and accepted, and the bank interest is booked to an account."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_statement_uploaded_matched_accepted_and_booked(
    page, make_user, sign_in, screenshot, tmp_path
):
    from samspill.accounting import services as accounting
    from samspill.accounting.models import BankStatementLine, Invoice
    from samspill.accounting.tests.test_bank import camt, entry
    from samspill.localization.no import services as localization
    from samspill.organization import services as organization
    from samspill.organization.demo import COMPANY
    from samspill.parties.tests.factories import OrganizationFactory

    organization.update_company(actor=None, **COMPANY)
    localization.load_vat_codes(actor=None)
    accounting.load_chart(actor=None)
    accounting.open_fiscal_year(actor=None, start=date(2026, 1, 1))
    customer = OrganizationFactory(name="Fjordkaffe AS", is_customer=True)
    lines = [{"description": "Rådgivning", "quantity": "1", "unit_price": "1000"}]
    paid, proposed = (
        accounting.create_invoice(
            actor=None, party=customer, lines=lines, invoice_date="2026-03-10", post=True
        )
        for _ in range(2)
    )
    proposed = Invoice.objects.get(pk=proposed.pk)
    file = tmp_path / "camt053.xml"
    file.write_bytes(
        camt(
            entry("1250.00", kid=paid.kid, name="Fjordkaffe AS", ref="K"),
            entry("1250.00", name="Fjordkaffe AS", text="Faktura mars", ref="N"),
            entry("12.50", text="Renter", ref="R"),
        )
    )
    bookkeeper = make_user("finance", first_name="Frida", last_name="Finans")
    sign_in(page, bookkeeper)

    page.locator('#sidebar a[href="/accounting/bank/"]').click()
    expect(page).to_have_url(re.compile(r"/accounting/bank/$"))
    page.locator("#statement-file").set_input_files(str(file))
    screenshot(page, "1-upload")
    page.locator('form[action="/accounting/bank/import/"] button[type=submit]').click()
    expect(page).to_have_url(re.compile(r"/accounting/bank/\d+/$"))
    rows = page.locator("table[data-bank-lines] tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_have_attribute("data-state", "matched")
    expect(rows.nth(1)).to_have_attribute("data-state", "proposed")
    expect(rows.nth(2)).to_have_attribute("data-state", "unmatched")
    screenshot(page, "2-imported")

    rows.nth(1).locator('form[action$="/accept/"] button').click()
    expect(rows.nth(1)).to_have_attribute("data-state", "matched")
    rows.nth(2).locator('input[name="account"]').fill("8050")
    rows.nth(2).locator('form[action$="/book/"] button').click()
    expect(rows.nth(2)).to_have_attribute("data-state", "booked")
    screenshot(page, "3-done")
    assert set(Invoice.objects.values_list("state", flat=True)) == {"paid"}
    assert BankStatementLine.objects.filter(state="booked").count() == 1
