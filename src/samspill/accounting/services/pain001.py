"""A credit transfer file (ISO 20022 pain.001.001.03) for approved supplier bills, to upload
to the bank: one payment from the company's account per bill, for what is still open, with
the bill's KID as structured reference (else the supplier's invoice number as text), to the
supplier's account (IBAN, else the Norwegian account number as BBAN). Writes nothing: the
payments are registered when the bank statement shows them (or by hand)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from samspill.accounting.models import SupplierBill
from samspill.accounting.queries.bills import OPEN_STATES, with_open_amount
from samspill.accounting.queries.ledger import cents
from samspill.accounting.services.common import fail
from samspill.organization import queries as organization

NS = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"


def _sub(parent, tag: str, text: str | None = None, **attrs):
    element = etree.SubElement(parent, f"{{{NS}}}{tag}", **attrs)
    if text is not None:
        element.text = text
    return element


def _account(parent, tag: str, number: str) -> None:
    ident = _sub(_sub(parent, tag), "Id")
    compact = number.replace(" ", "").replace(".", "").upper()
    if compact[:2].isalpha():
        _sub(ident, "IBAN", compact)
    else:
        other = _sub(ident, "Othr")
        _sub(other, "Id", compact)
        _sub(_sub(other, "SchmeNm"), "Cd", "BBAN")


def payable_bills(bill_ids=None, *, due_by: date | None = None):
    """Approved bills in the base currency still open, with the supplier's account."""
    rows = with_open_amount(
        SupplierBill.objects.select_related("party").filter(
            kind=SupplierBill.Kind.BILL, state__in=OPEN_STATES
        )
    ).filter(open_amount__gt=0)
    if bill_ids is not None:
        rows = rows.filter(pk__in=[int(pk) for pk in bill_ids])
    if due_by is not None:
        rows = rows.filter(due_date__lte=due_by)
    return rows.order_by("due_date", "id")


def credit_transfer(bills, *, execution_date: date | None = None, now: datetime | None = None):
    """The pain.001.001.03 document (bytes) paying these bills; refuses bills without an
    account or in another currency than the company's, and an empty selection."""
    company = organization.company()
    if company is None or not (company.iban or company.bank_account):
        raise fail(_("Enter the company's bank account (IBAN) first."), "bills")
    bills = list(bills)
    if not bills:
        raise fail(_("No approved bill is open for payment."), "bills")
    base = organization.base_currency() or "NOK"
    for bill in bills:
        if not bill.bank_account:
            raise fail(
                _("Bill %(number)s has no bank account of the supplier.") % {"number": bill.number},
                "bills",
            )
        if bill.currency != base:
            raise fail(
                _("Bill %(number)s is in %(currency)s; the file pays %(base)s only.")
                % {"number": bill.number, "currency": bill.currency, "base": base},
                "bills",
            )
    now = now or timezone.now()
    day = execution_date or timezone.localdate()
    amounts = [cents(bill.open_amount) for bill in bills]
    total = sum(amounts, Decimal("0.00"))
    ident = f"SAMSPILL-{now:%Y%m%d%H%M%S}"
    root = etree.Element(f"{{{NS}}}Document", nsmap={None: NS})
    transfer = _sub(root, "CstmrCdtTrfInitn")
    header = _sub(transfer, "GrpHdr")
    _sub(header, "MsgId", ident)
    _sub(header, "CreDtTm", now.replace(microsecond=0).isoformat())
    _sub(header, "NbOfTxs", str(len(bills)))
    _sub(header, "CtrlSum", f"{total:.2f}")
    name = (company.legal_name or "")[:70]
    _sub(_sub(header, "InitgPty"), "Nm", name)
    info = _sub(transfer, "PmtInf")
    _sub(info, "PmtInfId", ident)
    _sub(info, "PmtMtd", "TRF")
    _sub(info, "NbOfTxs", str(len(bills)))
    _sub(info, "CtrlSum", f"{total:.2f}")
    _sub(info, "ReqdExctnDt", day.isoformat())
    _sub(_sub(info, "Dbtr"), "Nm", name)
    _account(info, "DbtrAcct", company.iban or company.bank_account)
    _sub(_sub(_sub(_sub(info, "DbtrAgt"), "FinInstnId"), "Othr"), "Id", "NOTPROVIDED")
    for bill, amount in zip(bills, amounts, strict=True):
        item = _sub(info, "CdtTrfTxInf")
        _sub(_sub(item, "PmtId"), "EndToEndId", bill.number[:35])
        _sub(_sub(item, "Amt"), "InstdAmt", f"{amount:.2f}", Ccy=base)
        _sub(_sub(item, "Cdtr"), "Nm", bill.party.display_name[:70])
        _account(item, "CdtrAcct", bill.bank_account)
        remittance = _sub(item, "RmtInf")
        if bill.kid:
            reference = _sub(_sub(remittance, "Strd"), "CdtrRefInf")
            _sub(_sub(_sub(reference, "Tp"), "CdOrPrtry"), "Cd", "SCOR")
            _sub(reference, "Ref", bill.kid)
        else:
            _sub(remittance, "Ustrd", f"{bill.supplier_number}"[:140])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
