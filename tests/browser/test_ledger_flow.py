"""End to end in headless Chromium, keyboard only: a bookkeeper records a sale on the voucher
form (account search by name and number, party search, the running balance while typing)
and saves and posts it with Ctrl+Enter; the voucher is posted with its VAT line."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_voucher_form_by_keyboard(page, make_user, sign_in, screenshot):
    from samspill.accounting import services
    from samspill.accounting.models import JournalEntry
    from samspill.localization.no import services as localization
    from samspill.parties.services import create_organization

    localization.load_vat_codes(actor=None)
    services.load_chart(actor=None)
    services.open_fiscal_year(actor=None, start=date(date.today().year, 1, 1))
    customer = create_organization(actor=None, name="Fjordkaffe AS", roles=["customer"])
    sign_in(page, make_user("finance"))
    page.goto("/accounting/entries/new/")

    keyboard = page.keyboard
    page.locator("#id_description").focus()
    keyboard.type("Kontantsalg")
    keyboard.press("Enter")  # Enter moves on, it does not post
    expect(page.locator("#id_lines-0-account")).to_be_focused()

    # Line 1: the customer, found by account number, then the party by name.
    keyboard.type("150")
    options = page.locator("#id_lines-0-account_options")
    expect(options).to_be_visible()
    expect(options.locator("[role=option]").first).to_contain_text("1500")
    keyboard.press("Enter")
    expect(page.locator("#id_lines-0-account")).to_have_value("1500")
    expect(page.locator("#id_lines-0-debit")).to_be_focused()
    keyboard.type("1250")
    keyboard.press("Tab")  # credit
    keyboard.press("Tab")  # VAT code
    keyboard.press("Tab")  # party search
    expect(page.locator("#id_lines-0-party_search")).to_be_focused()
    keyboard.type("Fjordkaffe")
    expect(page.locator("#id_lines-0-party")).to_have_value(str(customer.pk))
    expect(page.locator("#entry-preview")).to_contain_text("Ikke i balanse")
    screenshot(page, "1-unbalanced")

    # Line 2: income found by name with the arrow keys, VAT code 3 by typing.
    page.locator("#id_lines-1-account").focus()
    keyboard.type("varesalg")
    expect(options := page.locator("#id_lines-1-account_options")).to_be_visible()
    keyboard.press("ArrowDown")
    keyboard.press("ArrowUp")
    keyboard.press("Enter")
    expect(page.locator("#id_lines-1-account")).to_have_value("3000")
    expect(options).to_be_hidden()
    keyboard.press("Tab")  # debit -> credit
    keyboard.type("1000")
    keyboard.press("Tab")
    keyboard.type("3")  # selects VAT code 3 in the focused select
    keyboard.press("Tab")
    expect(page.locator("#entry-preview")).to_contain_text("I balanse.")
    expect(page.locator("#entry-preview")).to_contain_text("250,00")
    screenshot(page, "2-balanced")

    keyboard.press("Control+Enter")
    expect(page).to_have_url(re.compile(r"/accounting/entries/\d+/$"))
    entry = JournalEntry.objects.get()
    assert entry.state == "posted" and entry.description == "Kontantsalg"
    lines = list(entry.lines.order_by("line_no").values_list("account__number", "debit", "credit"))
    assert lines[0] == ("1500", Decimal("1250.00"), Decimal("0.00"))
    assert ("2700", Decimal("0.00"), Decimal("250.00")) in lines
    assert entry.lines.get(account__number="1500").party_id == customer.pk
    expect(page.get_by_role("heading", level=1)).to_contain_text(entry.voucher)
    screenshot(page, "3-posted")
