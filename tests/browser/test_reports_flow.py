"""End to end in headless Chromium: a bookkeeper opens the reports from the menu, reads the
VAT report of a term, finds a customer's open items by age and matches the invoice with
its payment on the matching screen."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reports_and_matching(page, make_user, sign_in, screenshot):
    from samspill.accounting import services
    from samspill.accounting.models import JournalLine
    from samspill.localization.no import services as localization
    from samspill.parties.services import create_organization

    localization.load_vat_codes(actor=None)
    services.load_chart(actor=None)
    services.open_fiscal_year(actor=None, start=date(2026, 1, 1))
    customer = create_organization(actor=None, name="Fjordkaffe AS", roles=["customer"])
    for day, net in ((date(2026, 3, 10), "1000"), (date(2026, 4, 2), "400")):
        services.create_entry(
            actor=None,
            journal="SAL",
            date=day,
            description="Kaffemaskin",
            lines=[
                {"account": "1500", "debit": Decimal(net) * Decimal("1.25"), "party": customer.pk},
                {"account": "3000", "credit": Decimal(net), "vat_code": "3"},
            ],
            post=True,
        )
    services.create_entry(
        actor=None,
        journal="BNK",
        date=date(2026, 3, 30),
        description="Innbetaling",
        lines=[
            {"account": "1920", "debit": "1250"},
            {"account": "1500", "credit": "1250", "party": customer.pk},
        ],
        post=True,
    )
    sign_in(page, make_user("finance"))

    page.locator('#sidebar a[href="/accounting/reports/"]').click()
    page.get_by_role("link", name=re.compile("Mva-oppgave")).click()
    page.locator("#id_date_from").fill("2026-01-01")
    page.locator("#id_date_to").fill("2026-12-31")
    page.get_by_role("button", name="Vis").click()
    page.get_by_role("link", name="Termin 2").click()
    expect(page.locator("main")).to_contain_text("1 400,00")  # the basis of code 3
    expect(page.locator("main")).to_contain_text("350,00")  # output VAT, to pay
    screenshot(page, "1-vat-report")

    page.goto("/accounting/reports/open-items/?account=1500&at=2026-05-31")
    expect(page.locator("main")).to_contain_text("Fjordkaffe AS")
    screenshot(page, "2-open-items")
    page.get_by_role("link", name="Fjordkaffe AS").click()
    rows = page.locator("main tbody tr")
    expect(rows).to_have_count(3)
    invoice = JournalLine.objects.get(account__number="1500", date=date(2026, 3, 10))
    payment = JournalLine.objects.get(account__number="1500", date=date(2026, 3, 30))
    page.locator(f'input[name=lines][value="{invoice.pk}"]').check()
    page.locator(f'input[name=lines][value="{payment.pk}"]').check()
    screenshot(page, "3-selected")
    page.get_by_role("button", name="Avstem", exact=True).click()
    expect(page.locator("main")).to_contain_text(f"Avstemt som {invoice.pk}")
    expect(page.locator("main tbody tr")).to_have_count(1)
    invoice.refresh_from_db()
    assert invoice.match == invoice.pk
    screenshot(page, "4-matched")
