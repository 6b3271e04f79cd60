"""End to end in headless Chromium: a bookkeeper opens Dunning, ticks two overdue invoices
and writes their reminders with the fee; the invoice page lists its reminder; then one
payment of the customer is spread over its open invoices, oldest first, on the payment
page."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reminders_written_and_one_payment_spread(page, make_user, sign_in, screenshot):
    from samspill.accounting import services as accounting
    from samspill.accounting.models import Payment, Reminder
    from samspill.localization.no import services as localization
    from samspill.organization import services as organization
    from samspill.organization.demo import COMPANY
    from samspill.parties.tests.factories import OrganizationFactory

    organization.update_company(actor=None, **COMPANY)
    localization.load_vat_codes(actor=None)
    accounting.load_chart(actor=None)
    accounting.open_fiscal_year(actor=None, start=date(date.today().year, 1, 1))
    customer = OrganizationFactory(name="Fjordkaffe AS", is_customer=True)
    year = date.today().year
    invoices = [
        accounting.create_invoice(
            actor=None,
            party=customer,
            lines=[{"description": "Rådgivning", "quantity": "1", "unit_price": price}],
            invoice_date=date(year, 1, day),
            post=True,
        )
        for day, price in ((5, "1000"), (12, "400"))
    ]
    bookkeeper = make_user("finance", first_name="Frida", last_name="Finans")
    page.set_default_timeout(30_000)  # a busy machine: the first page renders slowly
    sign_in(page, bookkeeper)

    page.locator('#sidebar a[href="/accounting/dunning/"]').click()
    expect(page).to_have_url(re.compile(r"/accounting/dunning/$"))
    rows = page.locator("table[data-overdue] tbody tr")
    expect(rows).to_have_count(2)
    page.locator("input[data-select-all]").check()
    screenshot(page, "1-overdue")
    page.locator("form[data-dunning-form] button[type=submit]").click()
    expect(page.locator(".alert-success").first).to_be_visible()
    screenshot(page, "2-written")
    assert Reminder.objects.filter(fee=35).count() == 2

    page.goto(f"/accounting/invoices/{invoices[0].pk}/")
    expect(page.locator("table[data-reminders] tbody tr")).to_have_count(1)

    page.goto(f"/accounting/payments/new/?party={customer.pk}")
    page.locator("#id_amount").fill("1500")
    page.locator("#id_amount").dispatch_event("change")
    first = page.locator(f'input[name="amount_{invoices[0].pk}"]')
    second = page.locator(f'input[name="amount_{invoices[1].pk}"]')
    expect(first).to_have_value("1285.00")  # 1250 + the 35 fee, oldest first
    expect(second).to_have_value("215.00")
    screenshot(page, "3-payment")
    page.locator("form[data-payment-form] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounting/payments/$"))
    payment = Payment.objects.get()
    assert payment.amount == 1500 and payment.allocations.count() == 2
