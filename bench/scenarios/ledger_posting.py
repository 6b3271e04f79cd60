"""The general ledger: posting throughput and the trial balance on a large ledger.

- create_entry(post=True): vouchers of 5 lines (one with a VAT code, so 6 lines are
  written), each recorded and posted in one transaction through accounting.services, as
  "Save and post" in the UI and the API do it (checks, gapless number, audit, event);
- draft then post_entry: the same in two steps (two transactions), entries/s.
- post_entries: the bulk path of importers, BATCH vouchers per call: entries/s.
- trial balance over the year on a ledger of LEDGER_LINES lines (env BENCH_LEDGER_LINES,
  default 100,000; the design target is 1,000,000 lines under 300 ms on PostgreSQL),
  median of 5 runs: ms.
"""

from __future__ import annotations

import os
import statistics
import time
from datetime import date, timedelta
from decimal import Decimal

from support import Context

N_SINGLE = 300
BATCH = 1_000
LEDGER_LINES = int(os.environ.get("BENCH_LEDGER_LINES", "100000"))


def voucher(i: int) -> dict:
    amount = Decimal(1000 + i % 977)
    return {
        "journal": "GEN",
        "date": date(2026, 1, 1) + timedelta(days=i % 365),
        "description": f"Bench {i}",
        "lines": [
            {"account": "6800", "debit": amount, "vat_code": "1"},
            {"account": "6900", "debit": Decimal("100")},
            {"account": "7000", "debit": Decimal("50")},
            {"account": "7770", "debit": Decimal("25")},
            {"account": "1920", "credit": amount * Decimal("1.25") + Decimal("175")},
        ],
    }


def run(ctx: Context) -> list[dict]:
    from samspill.accounting import queries, services
    from samspill.localization.no import services as localization

    actor = ctx.user("finance")
    localization.load_vat_codes(actor=actor)
    services.load_chart(actor=actor)
    services.open_fiscal_year(actor=actor, start=date(2026, 1, 1))

    started = time.perf_counter()
    for i in range(N_SINGLE):
        services.create_entry(actor=actor, post=True, **voucher(i))
    single = N_SINGLE / (time.perf_counter() - started)
    started = time.perf_counter()
    for i in range(N_SINGLE):
        entry = services.create_entry(actor=actor, **voucher(i))
        services.post_entry(entry, actor=actor)
    two_step = N_SINGLE / (time.perf_counter() - started)

    lines_per_entry = 6
    entries_needed = max(LEDGER_LINES // lines_per_entry - 2 * N_SINGLE, BATCH)
    started = time.perf_counter()
    done = 0
    while done < entries_needed:
        services.post_entries([voucher(done + j) for j in range(BATCH)], actor=actor)
        done += BATCH
    bulk = done / (time.perf_counter() - started)

    samples = []
    for _ in range(5):
        t0 = time.perf_counter()
        rows = queries.trial_balance(date(2026, 1, 1), date(2026, 12, 31))
        samples.append((time.perf_counter() - t0) * 1000)
    assert sum(r.closing for r in rows) == 0
    total_lines = (2 * N_SINGLE + done) * lines_per_entry
    return [
        ctx.record(
            "ledger_posting", "create and post, 5-line vouchers", single, "entries/s", N_SINGLE
        ),
        ctx.record("ledger_posting", "draft, then post_entry", two_step, "entries/s", N_SINGLE),
        ctx.record(
            "ledger_posting", "post_entries (bulk), 5-line vouchers", bulk, "entries/s", done
        ),
        ctx.record(
            "ledger_posting",
            "trial balance, one year",
            statistics.median(samples),
            "ms",
            total_lines,
        ),
    ]
