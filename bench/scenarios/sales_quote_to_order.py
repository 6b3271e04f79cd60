"""Quote -> order -> confirm through the sales services (orders/s, 3 lines each).

For each order: sales.services.create_quote with 3 catalog lines (prices through
catalog.queries.prices_for, totals, gapless number, audit, event), mark_quote_sent, then
accept_quote, which creates the sales order from the quote and confirms it (event
sales.order.confirmed with the contract payload). Each step is its own transaction, as in
real use. Also measured: an order entered directly and confirmed (create_order +
confirm_order), and send_quote with the PDF (WeasyPrint) to a dummy mail backend, per
quote, since rendering the PDF dominates that step.

Then, with the ledger set up (Norwegian chart, VAT codes, fiscal year): quote -> order ->
invoice, where the invoice of the confirmed order is drafted and posted with its ledger
entry (sales.services.invoice_order, what the "on order" handler runs), and the whole
order -> invoice -> paid, with the customer's payment registered and matched in the ledger
(accounting.services.register_payment). Each step its own transaction; events are written
to the outbox but not delivered (event_delivery measures that).
"""

from __future__ import annotations

import time
from datetime import date
from decimal import Decimal

from support import Context

N = 300
SENDS = 20


def run(ctx: Context) -> list[dict]:
    from django.core.mail import get_connection

    from samspill.catalog.models import Product, Unit
    from samspill.parties import services as parties
    from samspill.sales import services

    actor = ctx.user("sales")
    unit = Unit.objects.get(code="pcs")
    products = Product.objects.bulk_create(
        Product(
            sku=f"BENCH-{i}",
            name_nb=f"Vare {i}",
            unit=unit,
            sales_price=Decimal("99.90") + i,
            vat_category=("standard", "food", "exempt")[i % 3],
        )
        for i in range(30)
    )
    customer = parties.create_organization(
        actor=actor,
        name="Benk Kunde AS",
        roles=["customer"],
        contact_points=[{"kind": "email", "value": "innkjop@benk.example"}],
    )
    lines = [
        [
            {"product_id": products[(i + k * 7) % len(products)].pk, "quantity": str(1 + k)}
            for k in range(3)
        ]
        for i in range(N)
    ]
    started = time.perf_counter()
    for i in range(N):
        quote = services.create_quote(actor=actor, party=customer, lines=lines[i])
        services.mark_quote_sent(quote, actor=actor)
        services.accept_quote(quote, actor=actor)
    elapsed = time.perf_counter() - started

    started = time.perf_counter()
    for i in range(N):
        order = services.create_order(actor=actor, party=customer, lines=lines[i])
        services.confirm_order(order, actor=actor)
    direct = time.perf_counter() - started

    from samspill.accounting import services as ledger
    from samspill.localization.no import services as localization

    finance = ctx.user("finance")
    localization.load_vat_codes(actor=None)
    ledger.load_chart(actor=None)
    ledger.open_fiscal_year(actor=None, start=date.today().replace(month=1, day=1))
    started = time.perf_counter()
    for i in range(N):
        quote = services.create_quote(actor=actor, party=customer, lines=lines[i])
        services.mark_quote_sent(quote, actor=actor)
        order = services.accept_quote(quote, actor=actor)
        services.invoice_order(order)
    invoiced = time.perf_counter() - started

    started = time.perf_counter()
    for i in range(N):
        order = services.create_order(actor=actor, party=customer, lines=lines[i])
        services.confirm_order(order, actor=actor)
        invoice = services.invoice_order(order)
        ledger.register_payment(
            actor=finance,
            party=customer,
            amount=invoice.total,
            allocations=[{"invoice": invoice.pk, "amount": invoice.total}],
        )
    paid = time.perf_counter() - started

    mailer = get_connection("django.core.mail.backends.dummy.EmailBackend")
    quotes = [
        services.create_quote(actor=actor, party=customer, lines=lines[i]) for i in range(SENDS)
    ]
    services.send_quote(quotes[0], actor=actor, connection=mailer)  # fonts load once
    sent_started = time.perf_counter()
    for quote in quotes[1:]:
        services.send_quote(quote, actor=actor, connection=mailer)
    sent_elapsed = time.perf_counter() - sent_started
    return [
        ctx.record("sales_quote_to_order", "quote -> order -> confirm", N / elapsed, "orders/s", N),
        ctx.record("sales_quote_to_order", "time per order", elapsed / N * 1000, "ms", N),
        ctx.record("sales_quote_to_order", "order entered -> confirm", N / direct, "orders/s", N),
        ctx.record(
            "sales_quote_to_order", "quote -> order -> invoice posted", N / invoiced, "orders/s", N
        ),
        ctx.record(
            "sales_quote_to_order", "order -> invoice -> paid (matched)", N / paid, "orders/s", N
        ),
        ctx.record(
            "sales_quote_to_order",
            "send quote with PDF",
            sent_elapsed / (SENDS - 1) * 1000,
            "ms",
            SENDS - 1,
        ),
    ]
