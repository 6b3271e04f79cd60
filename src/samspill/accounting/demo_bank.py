"""A bank statement in the demo company: yesterday's camt.053 from the bank with one
customer paying an open invoice by its KID (matched at import), one paying the exact
amount without a KID (proposed for a bookkeeper to accept) and a bank fee to book. Loaded
after the demo invoices; only once."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from samspill.accounting.models import BankStatement, Invoice
from samspill.accounting.queries import invoices as invoice_queries
from samspill.accounting.services import bank
from samspill.organization import queries as organization

NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"
STATEMENT_ID = "DEMO-STMT-1"


def _entry(amount: Decimal, day: str, ref: str, *, name: str, kid: str = "", text: str = "",
           credit: bool = True) -> str:  # fmt: skip
    remittance = (
        "<RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp>"
        f"<Ref>{kid}</Ref></CdtrRefInf></Strd></RmtInf>"
        if kid
        else f"<RmtInf><Ustrd>{text}</Ustrd></RmtInf>"
    )
    side = "Dbtr" if credit else "Cdtr"
    return (
        f'<Ntry><Amt Ccy="NOK">{amount}</Amt><CdtDbtInd>{"CRDT" if credit else "DBIT"}'
        f"</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>{day}</Dt></BookgDt>"
        f"<AcctSvcrRef>{ref}</AcctSvcrRef><NtryDtls><TxDtls><Refs><EndToEndId>{ref}"
        f"</EndToEndId></Refs><RltdPties><{side}><Nm>{name}</Nm></{side}></RltdPties>"
        f"{remittance}</TxDtls></NtryDtls></Ntry>"
    )


def load(*, actor) -> dict[str, int]:
    company = organization.company()
    if company is None or not company.iban or BankStatement.objects.exists():
        return {"statements": 0}
    open_invoices = list(
        invoice_queries.with_open_amount(
            Invoice.objects.filter(kind="invoice", state__in=["posted", "partly_paid"])
            .exclude(currency__in=["EUR", "USD", "SEK"])
            .select_related("party")
            .order_by("due_date", "id")
        )
    )
    open_invoices = [i for i in open_invoices if i.open_amount and i.open_amount > 0]
    day = (timezone.localdate() - timedelta(days=1)).isoformat()
    entries = []
    if open_invoices:
        paid = open_invoices[0]
        entries.append(_entry(paid.open_amount, day, "DEMO-1", name=paid.party.name, kid=paid.kid))
    if len(open_invoices) > 1:
        proposed = open_invoices[1]
        text = f"Faktura {proposed.number}"
        entries.append(_entry(proposed.open_amount, day, "DEMO-2", name=proposed.party.name,
                              text=text))  # fmt: skip
    entries.append(
        _entry(Decimal("95.00"), day, "DEMO-3", name="Banken", text="Gebyr", credit=False)
    )
    xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><Document xmlns="{NS}"><BkToCstmrStmt>'
        f"<GrpHdr><MsgId>DEMO</MsgId><CreDtTm>{day}T06:00:00</CreDtTm></GrpHdr>"
        f"<Stmt><Id>{STATEMENT_ID}</Id><CreDtTm>{day}T06:00:00</CreDtTm>"
        f"<Acct><Id><IBAN>{company.iban}</IBAN></Id><Ccy>NOK</Ccy></Acct>"
        + "".join(entries)
        + "</Stmt></BkToCstmrStmt></Document>"
    )
    statements = bank.import_camt053(xml.encode(), actor=actor)
    return {"statements": len(statements)}
