"""Bank statements: camt.053 lines matched automatically against many open invoices.

10,000 posted customer invoices are laid down in bulk (one SAL voucher each through
`post_entries`: receivable on 1500 with the customer and due date, revenue on 3000; the
invoice rows with their number, KID and receivable line). Then camt.053 files of 200 credit
lines are imported through `accounting.services.bank.import_camt053`: every line carries an
open invoice's KID and pays it in full, so each is a registered payment (bank voucher,
matching, states, events). Metric: bank lines auto-matched per second, including parsing,
the bulk KID look-up and the payments.
"""

from __future__ import annotations

import time
from datetime import date
from decimal import Decimal

from support import Context

N_OPEN = 10_000
N_LINES = 200
FILES = 2
AMOUNT = Decimal("1250.00")


def _camt(statement: str, kids: list[str]) -> bytes:
    entries = "".join(
        f"""<Ntry><Amt Ccy="NOK">{AMOUNT}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
        <BookgDt><Dt>2026-06-30</Dt></BookgDt><NtryDtls><TxDtls><RmtInf><Strd><CdtrRefInf>
        <Ref>{kid}</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls></Ntry>"""
        for kid in kids
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
<GrpHdr><MsgId>{statement}</MsgId><CreDtTm>2026-06-30T06:00:00</CreDtTm></GrpHdr>
<Stmt><Id>{statement}</Id><CreDtTm>2026-06-30T06:00:00</CreDtTm>
<Acct><Id><IBAN>NO7112345678903</IBAN></Id><Ccy>NOK</Ccy></Acct>{entries}</Stmt>
</BkToCstmrStmt></Document>""".encode()


def run(ctx: Context) -> list[dict]:
    from samspill.accounting import services
    from samspill.accounting.models import Invoice, JournalLine
    from samspill.accounting.services import bank
    from samspill.accounting.services.invoices import make_kid
    from samspill.localization.no import services as localization
    from samspill.organization import services as organization
    from samspill.organization.demo import COMPANY
    from samspill.parties.models import Party

    actor = ctx.user("finance")
    organization.update_company(actor=None, **COMPANY)
    localization.load_vat_codes(actor=actor)
    services.load_chart(actor=actor)
    services.open_fiscal_year(actor=actor, start=date(2026, 1, 1))
    ctx.bulk_parties(200)
    customers = list(Party.objects.order_by("pk").values_list("pk", flat=True)[:200])

    day, due = date(2026, 6, 1), date(2026, 6, 15)
    entries = services.post_entries(
        [
            {
                "journal": "SAL",
                "date": day,
                "description": f"Invoice 2026{i:05d}",
                "lines": [
                    {
                        "account": "1500",
                        "debit": AMOUNT,
                        "party": customers[i % len(customers)],
                        "due_date": due,
                    },
                    {"account": "3000", "credit": AMOUNT},
                ],
            }
            for i in range(N_OPEN)
        ],
        actor=None,
    )
    receivables = dict(
        JournalLine.objects.filter(entry__in=entries, account__number="1500").values_list(
            "entry_id", "pk"
        )
    )
    invoices = Invoice.objects.bulk_create(
        Invoice(
            kind="invoice",
            state="posted",
            number=f"2026{i:05d}",
            kid=make_kid(f"2026{i:05d}", "mod10"),
            party_id=customers[i % len(customers)],
            invoice_date=day,
            due_date=due,
            net_total=AMOUNT,
            total=AMOUNT,
            entry=entry,
            receivable_line_id=receivables[entry.pk],
        )
        for i, entry in enumerate(entries)
    )
    kids = [invoice.kid for invoice in invoices]

    matched = 0
    started = time.perf_counter()
    for f in range(FILES):
        chunk = kids[f * N_LINES : (f + 1) * N_LINES]
        [statement] = bank.import_camt053(_camt(f"BENCH-{f}", chunk), actor=actor)
        matched += statement.lines.filter(state="matched").count()
    elapsed = time.perf_counter() - started
    assert matched == FILES * N_LINES, matched
    return [
        ctx.record(
            "bank_matching",
            f"camt.053 lines auto-matched by KID, {N_OPEN:,} open invoices",
            matched / elapsed,
            "lines/s",
            matched,
        )
    ]
