"""Supplier bills: approval throughput and the bill list's open amounts.

- create_bill(submit=True): supplier bills of 3 lines (office supplies 25 %, food 15 %,
  rent without VAT) entered by one finance user and sent for approval, each in its own
  transaction through accounting.services.bills (duplicate check, number, totals, audit,
  events): bills/s.
- approve_bill: approved by another user (four eyes) and posted: the PUR ledger entry
  (payable on 2400 with the supplier, due date and KID, costs per account and input VAT
  lines), audit and the `accounting.bill.approved` event: bills/s.
- pay_bills: a supplier payment for one bill (bank voucher, matching of the payable lines,
  states, events): payments/s.
- the open-amount query (SQL residual per bill) over every bill, median of 5: ms.
"""

from __future__ import annotations

import statistics
import time
from datetime import date

from support import Context

N_BILLS = 300
N_PAYMENTS = 100

LINES = [
    {"description": "Kontorrekvisita", "quantity": "3", "unit_price": "249.90", "account": "6800"},
    {"description": "Kaffe", "quantity": "12", "unit_price": "45.50", "account": "7798",
     "vat_code": "11", "discount_percent": "10"},
    {"description": "Husleie", "quantity": "1", "unit_price": "12000", "account": "6300",
     "vat_code": "0"},
]  # fmt: skip


def run(ctx: Context) -> list[dict]:
    from samspill.accounting import services
    from samspill.accounting.queries import bills as queries
    from samspill.accounting.services import bill_payments, bills
    from samspill.localization.no import services as localization
    from samspill.parties.models import Party

    clerk = ctx.user("finance")
    approver = ctx.user("management")
    localization.load_vat_codes(actor=None)
    services.load_chart(actor=None)
    services.open_fiscal_year(actor=None, start=date(2026, 1, 1))
    ctx.bulk_parties(50)
    suppliers = list(Party.objects.order_by("pk").values_list("pk", flat=True)[:50])

    started = time.perf_counter()
    entered = [
        bills.create_bill(
            actor=clerk,
            party=suppliers[i % len(suppliers)],
            supplier_number=f"B-{i:05d}",
            lines=LINES,
            bill_date=date(2026, 1 + i % 12, 1 + i % 28),
            kid="1234567890128",
            submit=True,
        )
        for i in range(N_BILLS)
    ]
    created = N_BILLS / (time.perf_counter() - started)

    started = time.perf_counter()
    approved = [bills.approve_bill(bill, actor=approver) for bill in entered]
    per_second = N_BILLS / (time.perf_counter() - started)

    started = time.perf_counter()
    for bill in approved[:N_PAYMENTS]:
        bill_payments.pay_bills(
            actor=clerk,
            party=bill.party_id,
            date=date(2026, 12, 31),
            allocations=[{"bill": bill.pk, "amount": bill.total}],
        )
    paid = N_PAYMENTS / (time.perf_counter() - started)

    samples = []
    for _ in range(5):
        t0 = time.perf_counter()
        rows = list(queries.bills().values_list("pk", "open_amount"))
        samples.append((time.perf_counter() - t0) * 1000)
    assert len(rows) == N_BILLS
    return [
        ctx.record("bill_approval", "enter and submit, 3-line bills", created, "bills/s", N_BILLS),
        ctx.record(
            "bill_approval", "approve and post, 3-line bills", per_second, "bills/s", N_BILLS
        ),
        ctx.record("bill_approval", "pay one bill", paid, "payments/s", N_PAYMENTS),
        ctx.record(
            "bill_approval", "open amounts of all bills", statistics.median(samples), "ms", N_BILLS
        ),
    ]
