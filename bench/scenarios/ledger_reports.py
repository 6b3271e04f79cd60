"""The financial reports on a large general ledger: LEDGER_LINES posted journal lines (env
BENCH_REPORT_LINES, default 1,000,000) over one fiscal year, written with raw bulk inserts
(the rows the ledger services write, numbered vouchers, VAT lines pointing to their base
line, open items on 1500/2400 with due dates, most of them matched by payments), then the
planner's statistics refreshed as the worker's housekeeping does.

Measured, median of 5 runs each (ms):
- trial balance over the year (design target: under 300 ms on PostgreSQL);
- profit and loss over the year;
- VAT report for one two-month term;
- open items with ageing on 1500 (customers) at the year end;
- general ledger, a page of 200 lines with running balances: the first, the one in the
  middle of the year, and the first of a range from 1 July.
Also the insert rate (lines/s) of the bulk load, for orientation.
"""

from __future__ import annotations

import os
import statistics
import time
from datetime import date, timedelta
from decimal import Decimal

from support import Context

LEDGER_LINES = int(os.environ.get("BENCH_REPORT_LINES", "1000000"))
LINES_PER_ENTRY = 5
BATCH_ENTRIES = 4_000
CUSTOMERS = 400
SUPPLIERS = 100
RUNS = 5


def _median_ms(fn) -> float:
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def load(ctx: Context, total_lines: int) -> int:
    """Bulk insert entries of 5 lines until `total_lines` lines are written: sales (1500 with
    party and due date, two 3000 lines with code 3 and their 2700 VAT lines), purchases
    (2400, two cost lines with code 1 and their 2710 VAT lines) and bank receipts paying
    four sales each (1920 and four 1500 lines). 85 % of the paid sales are matched."""
    from django.core.management.color import no_style
    from django.db import connection
    from django.db.models import F

    from samspill.accounting.models import (
        Account,
        FiscalYear,
        Journal,
        JournalEntry,
        JournalLine,
        VoucherCounter,
    )
    from samspill.localization.no.models import VatCode
    from samspill.parties.models import Party

    ctx.bulk_parties(CUSTOMERS + SUPPLIERS)
    party_ids = list(Party.objects.order_by("pk").values_list("pk", flat=True))
    customers, suppliers = party_ids[:CUSTOMERS], party_ids[CUSTOMERS:]
    acc = dict(Account.objects.values_list("number", "pk"))
    vat = dict(VatCode.objects.values_list("code", "pk"))
    journals = dict(Journal.objects.values_list("code", "pk"))
    year = FiscalYear.objects.get(start=date(2026, 1, 1))
    periods = {p.number: p.pk for p in year.periods.all()}
    numbers = {code: 0 for code in journals}
    rng = ctx.rng
    start = date(2026, 1, 1)

    entry_id = (JournalEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    line_id = (JournalLine.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    unpaid: list[tuple[int, int, Decimal]] = []  # (line id, party, gross) of open sales
    entries_needed = total_lines // LINES_PER_ENTRY
    written = 0
    while written < entries_needed:
        entries: list[JournalEntry] = []
        lines: list[JournalLine] = []
        for i in range(written, min(written + BATCH_ENTRIES, entries_needed)):
            day = start + timedelta(days=i * 365 // entries_needed)
            kind = i % 3 if len(unpaid) >= 4 else i % 2
            code = ("SAL", "PUR", "BNK")[kind]
            numbers[code] += 1
            entry = JournalEntry(
                id=entry_id,
                journal_id=journals[code],
                fiscal_year_id=year.pk,
                period_id=periods[day.month],
                date=day,
                number=numbers[code],
                state="posted",
                description=f"Bench {code} {numbers[code]}",
            )
            entries.append(entry)
            common = {"entry_id": entry_id, "date": day, "posted": True}

            def line(no, account, debit="0", credit="0", lines=lines, common=common, **extra):
                nonlocal line_id
                lines.append(
                    JournalLine(
                        id=line_id,
                        line_no=no,
                        account_id=acc[account],
                        debit=Decimal(debit),
                        credit=Decimal(credit),
                        **common,
                        **extra,
                    )
                )
                line_id += 1
                return line_id - 1

            if code == "SAL":
                net = [Decimal(200 + rng.randrange(5000)), Decimal(100 + rng.randrange(900))]
                gross = sum((n * Decimal("1.25") for n in net), Decimal(0))
                party = rng.choice(customers)
                head = line(
                    1, "1500", debit=gross, party_id=party, due_date=day + timedelta(days=14)
                )
                for k, n in enumerate(net):
                    base = line(2 + 2 * k, "3000", credit=n, vat_code_id=vat["3"])
                    line(
                        3 + 2 * k,
                        "2700",
                        credit=n * Decimal("0.25"),
                        vat_code_id=vat["3"],
                        vat_of_id=base,
                    )
                unpaid.append((head, party, gross))
            elif code == "PUR":
                net = [Decimal(100 + rng.randrange(3000)), Decimal(50 + rng.randrange(500))]
                gross = sum((n * Decimal("1.25") for n in net), Decimal(0))
                line(
                    1,
                    "2400",
                    credit=gross,
                    party_id=rng.choice(suppliers),
                    due_date=day + timedelta(days=30),
                )
                for k, (n, account) in enumerate(zip(net, ("6800", "6300"), strict=True)):
                    base = line(2 + 2 * k, account, debit=n, vat_code_id=vat["1"])
                    line(
                        3 + 2 * k,
                        "2710",
                        debit=n * Decimal("0.25"),
                        vat_code_id=vat["1"],
                        vat_of_id=base,
                    )
            else:
                paid = [unpaid.pop(0) for _ in range(4)]
                line(1, "1920", debit=sum(p[2] for p in paid))
                for k, (invoice, party, gross) in enumerate(paid):
                    # The match number is the invoice line's id; the invoice gets it below.
                    matched = invoice if rng.random() < 0.85 else None
                    line(2 + k, "1500", credit=gross, party_id=party, match=matched)
            entry_id += 1
        JournalEntry.objects.bulk_create(entries, batch_size=2_000)
        JournalLine.objects.bulk_create(lines, batch_size=2_000)
        written += len(entries)
    JournalLine.objects.filter(
        pk__in=JournalLine.objects.filter(match__isnull=False).values("match")
    ).update(match=F("pk"))
    for code, last in numbers.items():
        VoucherCounter.objects.update_or_create(
            journal_id=journals[code], fiscal_year=year, defaults={"last_number": last}
        )
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [JournalEntry, JournalLine]):
            cursor.execute(sql)
    from samspill.platform import dbstats

    dbstats.refresh()
    return JournalLine.objects.count()


def run(ctx: Context) -> list[dict]:
    from samspill.accounting import queries, services
    from samspill.accounting.models import Account
    from samspill.accounting.queries import general_ledger as gl
    from samspill.accounting.queries import open_items, vat
    from samspill.localization.no import services as localization

    actor = ctx.user("finance")
    localization.load_vat_codes(actor=actor)
    services.load_chart(actor=actor)
    services.open_fiscal_year(actor=actor, start=date(2026, 1, 1))

    started = time.perf_counter()
    total = load(ctx, LEDGER_LINES)
    insert_rate = total / (time.perf_counter() - started)

    year_from, year_to = date(2026, 1, 1), date(2026, 12, 31)
    rows = queries.trial_balance(year_from, year_to)
    assert sum(r.closing for r in rows) == 0, "the bench ledger does not balance"
    receivables = Account.objects.get(number="1500")
    spec = gl.LedgerFilter(year_from, year_to)
    middle = gl.LedgerFilter(date(2026, 7, 1), year_to)

    def ledger_page(s, number=1):
        return gl.ledger_page(s, number, 200)

    middle_page = ledger_page(spec).num_pages // 2
    name = "ledger_reports"
    return [
        ctx.record(name, "bulk load of journal lines", insert_rate, "lines/s", total),
        ctx.record(
            name,
            "trial balance, one year",
            _median_ms(lambda: queries.trial_balance(year_from, year_to)),
            "ms",
            total,
        ),
        ctx.record(
            name,
            "profit and loss, one year",
            _median_ms(lambda: queries.profit_and_loss(year_from, year_to)),
            "ms",
            total,
        ),
        ctx.record(
            name,
            "VAT report, one term",
            _median_ms(lambda: vat.vat_report(*vat.term_range(2026, 3))),
            "ms",
            total,
        ),
        ctx.record(
            name,
            "open items with ageing, 1500",
            _median_ms(lambda: open_items.ageing(receivables, year_to)),
            "ms",
            total,
        ),
        ctx.record(
            name,
            "general ledger, first page (200 lines)",
            _median_ms(lambda: ledger_page(spec)),
            "ms",
            total,
        ),
        ctx.record(
            name,
            "general ledger, a page in the middle",
            _median_ms(lambda: ledger_page(spec, middle_page)),
            "ms",
            total,
        ),
        ctx.record(
            name,
            "general ledger from 1 July, first page",
            _median_ms(lambda: ledger_page(middle)),
            "ms",
            total,
        ),
    ]
