"""SAF-T Financial 1.30 export of a year with N journal lines (default 200,000).

The ledger is generated with bulk inserts (sales to 500 customers with 25 % VAT, purchases
from 100 suppliers with deduction, bank payments; 4, 3 and 2 lines per voucher), then the
file of the whole year is written with the export service, as the UI, the API and
`samspill export-saft` write it: time, lines per second, file size, and, in a second run
under tracemalloc, the peak of Python memory. The writer streams: the peak stays flat as N
grows. For the million: SAFT_BENCH_LINES=1000000 .venv/bin/python bench/run.py saft_export
(BENCH_DB=postgres for PostgreSQL).
"""

from __future__ import annotations

import os
import time
import tracemalloc
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from support import Context

N = int(os.environ.get("SAFT_BENCH_LINES", "200000"))
YEAR = 2026
D = Decimal
BATCH = 5_000  # vouchers per bulk insert


def _setup(ctx: Context) -> None:
    from samspill.accounting import services as accounting
    from samspill.localization.no import services as localization
    from samspill.organization import services as organization
    from samspill.organization.demo import COMPANY

    organization.update_company(actor=None, **COMPANY)
    localization.load_vat_codes(actor=None)
    accounting.load_chart(actor=None)
    accounting.open_fiscal_year(actor=None, start=date(YEAR, 1, 1))
    ctx.bulk_parties(600)


def _ledger(ctx: Context, lines_wanted: int) -> int:
    """Posted vouchers with `lines_wanted` lines (about), written with bulk inserts."""
    from django.db import transaction

    from samspill.accounting.models import Account, FiscalYear, Journal, JournalEntry, JournalLine
    from samspill.localization.no.models import VatCode
    from samspill.parties.models import Party

    accounts = {a.number: a for a in Account.objects.all()}
    journals = {j.code: j for j in Journal.objects.all()}
    year = FiscalYear.objects.get(start=date(YEAR, 1, 1))
    periods = {p.number: p for p in year.periods.all()}
    sales_vat, purchase_vat = VatCode.objects.get(code="3"), VatCode.objects.get(code="1")
    party_ids = list(Party.objects.order_by("pk").values_list("pk", flat=True))
    customers, suppliers = party_ids[:500], party_ids[500:600]
    rng = ctx.rng
    numbers = {"SAL": 0, "PUR": 0, "BNK": 0}
    written = 0
    while written < lines_wanted:
        entries, plans = [], []
        for _ in range(BATCH):
            day = date(YEAR, 1, 1) + timedelta(days=rng.randrange(365))
            kind = rng.choice(("SAL", "SAL", "PUR", "BNK"))
            numbers[kind] += 1
            net = D(rng.randrange(1_000, 90_000))
            vat = (net * D("0.25")).quantize(D("0.01"))
            plan: list[tuple[str, Any, Any, Any, Any, bool]]
            if kind == "SAL":
                party = rng.choice(customers)
                plan = [
                    ("1500", net + vat, 0, party, None, False),
                    ("3000", 0, net, None, sales_vat, False),
                    ("2700", 0, vat, None, sales_vat, True),
                ]
            elif kind == "PUR":
                party = rng.choice(suppliers)
                plan = [
                    ("4300", net, 0, None, purchase_vat, False),
                    ("2710", vat, 0, None, purchase_vat, True),
                    ("2400", 0, net + vat, party, None, False),
                ]
            else:
                party = rng.choice(customers)
                plan = [("1920", net, 0, None, None, False), ("1500", 0, net, party, None, False)]
            entries.append(JournalEntry(
                journal=journals[kind], fiscal_year=year, period=periods[day.month], date=day,
                number=numbers[kind], state="posted", description=f"Bilag {kind} {numbers[kind]}",
            ))  # fmt: skip
            plans.append(plan)
            written += len(plan)
            if written >= lines_wanted:
                break
        with transaction.atomic():
            JournalEntry.objects.bulk_create(entries, batch_size=2_000)
            base, vat_lines = [], []
            for entry, plan in zip(entries, plans, strict=True):
                previous = None
                for no, (number, debit, credit, party, code, is_vat) in enumerate(plan, start=1):
                    line = JournalLine(
                        entry=entry, line_no=no, account=accounts[number], date=entry.date,
                        debit=D(debit), credit=D(credit), party_id=party, vat_code=code,
                        posted=True,
                    )  # fmt: skip
                    if is_vat:
                        line.vat_of = previous
                        vat_lines.append(line)
                    else:
                        base.append(line)
                    previous = line
            JournalLine.objects.bulk_create(base, batch_size=2_000)
            for line in vat_lines:
                assert line.vat_of is not None
                line.vat_of_id = line.vat_of.pk
            JournalLine.objects.bulk_create(vat_lines, batch_size=2_000)
    return written


def run(ctx: Context) -> list[dict]:
    from samspill.localization.no.saft import services

    _setup(ctx)
    started = time.perf_counter()
    lines = _ledger(ctx, N)
    generated = time.perf_counter() - started
    out_dir = Path(os.environ.get("SAMSPILL_VAR_DIR", Path(__file__).resolve().parents[2] / "var"))
    target = out_dir / "bench" / "saft_export.xml"
    target.parent.mkdir(parents=True, exist_ok=True)
    first, last = date(YEAR, 1, 1), date(YEAR, 12, 31)

    started = time.perf_counter()
    with target.open("wb") as handle:
        result = services.export(actor=None, date_from=first, date_to=last, out=handle)
    elapsed = time.perf_counter() - started
    size_mb = target.stat().st_size / 1_000_000

    tracemalloc.start()
    with target.open("wb") as handle:
        services.export(actor=None, date_from=first, date_to=last, out=handle)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    target.unlink()
    assert result.totals.lines == lines, (result.totals.lines, lines)
    name = "saft_export"
    return [
        ctx.record(name, "ledger generated (bulk insert)", generated, "s", lines),
        ctx.record(name, "export time", elapsed, "s", lines),
        ctx.record(name, "export throughput", lines / elapsed, "lines/s", lines),
        ctx.record(name, "file size", size_mb, "MB", lines),
        ctx.record(name, "peak Python memory (tracemalloc)", peak / 1_000_000, "MB", lines),
    ]
