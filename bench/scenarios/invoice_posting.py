"""Customer invoices: posting throughput and the invoice list on many invoices.

- create_invoice(post=True): invoices of 3 lines (25 %, 15 % and 0 % VAT, one with a
  discount), each drafted and posted in one transaction through accounting.services:
  totals with VAT per rate, the next gapless invoice number, KID, the SAL ledger entry
  (receivable on 1500 with the customer and due date, revenue per VAT code, VAT lines),
  audit and the `accounting.invoice.posted` event: invoices/s.
- register_payment: a payment allocated to one invoice (bank voucher, matching of the
  receivable lines, states, events): payments/s.
- the open-amount query (SQL residual per invoice) over every invoice, median of 5: ms.
"""

from __future__ import annotations

import statistics
import time
from datetime import date

from support import Context

N_INVOICES = 300
N_PAYMENTS = 100

LINES = [
    {"description": "Konsulenttimer", "quantity": "3", "unit": "t", "unit_price": "1150"},
    {"description": "Kaffe", "quantity": "12", "unit_price": "45.50", "vat_code": "31",
     "discount_percent": "10"},
    {"description": "Avis", "quantity": "2", "unit_price": "39", "vat_code": "5"},
]  # fmt: skip


def run(ctx: Context) -> list[dict]:
    from samspill.accounting import services
    from samspill.accounting.queries import invoices as queries
    from samspill.localization.no import services as localization
    from samspill.parties.models import Party

    actor = ctx.user("finance")
    localization.load_vat_codes(actor=actor)
    services.load_chart(actor=actor)
    services.open_fiscal_year(actor=actor, start=date(2026, 1, 1))
    ctx.bulk_parties(50)
    customers = list(Party.objects.order_by("pk").values_list("pk", flat=True)[:50])

    invoices = []
    started = time.perf_counter()
    for i in range(N_INVOICES):
        invoices.append(
            services.create_invoice(
                actor=actor,
                party=customers[i % len(customers)],
                lines=LINES,
                invoice_date=date(2026, 1 + i % 12, 1 + i % 28),
                post=True,
            )
        )
    posted = N_INVOICES / (time.perf_counter() - started)

    started = time.perf_counter()
    for invoice in invoices[:N_PAYMENTS]:
        services.register_payment(
            actor=actor,
            party=invoice.party_id,
            amount=invoice.total,
            date=date(2026, 12, 31),
            allocations=[{"invoice": invoice.pk, "amount": invoice.total}],
        )
    paid = N_PAYMENTS / (time.perf_counter() - started)

    samples = []
    for _ in range(5):
        t0 = time.perf_counter()
        rows = list(queries.invoices().values_list("pk", "open_amount"))
        samples.append((time.perf_counter() - t0) * 1000)
    assert len(rows) == N_INVOICES
    return [
        ctx.record(
            "invoice_posting", "create and post, 3-line invoices", posted, "invoices/s", N_INVOICES
        ),
        ctx.record(
            "invoice_posting", "register payment, one invoice", paid, "payments/s", N_PAYMENTS
        ),
        ctx.record(
            "invoice_posting",
            "open amounts of all invoices",
            statistics.median(samples),
            "ms",
            N_INVOICES,
        ),
    ]
