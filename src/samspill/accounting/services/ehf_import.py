"""Import of a received EHF / PEPPOL BIS Billing 3.0 invoice or credit note (UBL 2.1 XML)
as a draft supplier bill.

The file is parsed with lxml without entities, DTDs or network access (a document with a
DOCTYPE is refused). It must be a UBL Invoice or CreditNote. The supplier is found by its
organisation number (EndpointID with scheme 0192, PartyLegalEntity/CompanyID or the VAT
number) or created as an organisation through the parties' services. Lines are proposed from
the invoice lines: description, quantity, net unit price, discount, the product (our SKU as
the buyer's item id, or the GTIN as its barcode), the input VAT code mapped from the VAT
category and percent, and the account (see services.bills). Document-level allowances and
charges become lines of their own. Our totals must equal the document's. The XML (and a PDF
embedded in it) are attached to the bill as the voucher's documentation. A duplicate (same
supplier, kind and invoice number) is refused. All or nothing: one transaction.
"""

from __future__ import annotations

import base64
import binascii
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from lxml import etree

from samspill.accounting.models import SupplierBill
from samspill.accounting.services import bills
from samspill.accounting.services.common import fail
from samspill.localization.no.models import VatCode
from samspill.organization import queries as organization
from samspill.parties.models import Party
from samspill.platform.errors import DomainError, ValidationFailed
from samspill.platform.money import HUNDRED, money
from samspill.platform.permissions import allowed, require

UBL_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
UBL_CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}
ORGNR_SCHEME = "0192"
MAX_BYTES = 10 * 1024 * 1024
MAX_EMBEDDED_BYTES = 5 * 1024 * 1024
# UNCL5305 VAT categories without VAT charged by the supplier.
NO_VAT_CATEGORIES = {"Z", "E", "O", "K", "G"}
REVERSE_CHARGE_CATEGORY = "AE"


def _refuse(message: str):
    raise fail(message, "file", code="ehf_invalid")


def _t(element, path: str) -> str:
    if element is None:
        return ""
    found = element.find(path, NS)
    return (found.text or "").strip() if found is not None and found.text else ""


def _decimal(raw: str, what: str) -> Decimal:
    try:
        value = Decimal(raw)
    except (InvalidOperation, ValueError):
        value = None
    if value is None or not value.is_finite():
        _refuse(
            _("The EHF file has %(what)s that is not a number: %(raw)s.")
            % {"what": what, "raw": raw or "—"}
        )
    assert value is not None
    return value


def _date(raw: str, what: str) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw[:10])
    except ValueError:
        _refuse(_("The EHF file has an invalid %(what)s: %(raw)s.") % {"what": what, "raw": raw})
    return None


def _orgnr(party) -> str:
    """The Norwegian organisation number of a UBL party, or ""."""
    if party is None:
        return ""
    endpoint = party.find("cbc:EndpointID", NS)
    if endpoint is not None and endpoint.get("schemeID") == ORGNR_SCHEME and endpoint.text:
        return re.sub(r"\D", "", endpoint.text)[:9]
    for path in ("cac:PartyLegalEntity/cbc:CompanyID", "cac:PartyTaxScheme/cbc:CompanyID"):
        for element in party.iterfind(path, NS):
            digits = re.sub(r"\D", "", element.text or "")
            if len(digits) == 9:
                return digits
    return ""


def parse(content: bytes) -> etree._Element:
    """The root of a UBL Invoice or CreditNote; refuses anything else."""
    if not content or not content.strip():
        _refuse(_("The file is empty."))
    if len(content) > MAX_BYTES:
        _refuse(_("The file is larger than 10 MB."))
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_pis=True
    )
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as exc:
        _refuse(_("The file is not well-formed XML: %s") % exc)
    if root.getroottree().docinfo.doctype:
        _refuse(_("The file declares a DOCTYPE; EHF documents never do, so it is refused."))
    qname = etree.QName(root)
    if (qname.namespace, qname.localname) not in (
        (UBL_INVOICE, "Invoice"),
        (UBL_CREDIT_NOTE, "CreditNote"),
    ):
        _refuse(_("The file is not an EHF invoice or credit note (UBL Invoice or CreditNote)."))
    return root


def _vat_code(category: str, percent: Decimal, codes: list[VatCode], line_no: int) -> str:
    category = category.upper()
    if category in NO_VAT_CATEGORIES or (category == "S" and percent == 0):
        return "0"
    treatment = (
        VatCode.Treatment.REVERSE_CHARGE
        if category == REVERSE_CHARGE_CATEGORY
        else VatCode.Treatment.STANDARD
    )
    if category not in ("S", REVERSE_CHARGE_CATEGORY):
        _refuse(
            _(
                "Line %(n)s has VAT category %(category)s, which cannot be mapped to an "
                "input VAT code."
            )
            % {"n": line_no, "category": category or "—"}
        )
    for code in codes:
        if code.treatment == treatment and code.rate == percent:
            return code.code
    _refuse(
        _("Line %(n)s has %(percent)s %% VAT, which no active input VAT code has.")
        % {"n": line_no, "percent": percent.normalize()}
    )
    return ""


def _line(element, *, credit: bool, codes, line_no: int) -> dict[str, Any]:
    quantity_tag = "cbc:CreditedQuantity" if credit else "cbc:InvoicedQuantity"
    quantity = _decimal(_t(element, quantity_tag) or "1", _("a quantity"))
    net = _decimal(_t(element, "cbc:LineExtensionAmount"), _("a line amount"))
    item = element.find("cac:Item", NS)
    name = _t(item, "cbc:Name") or _t(item, "cbc:Description") or _("Line %(n)s") % {"n": line_no}
    price = _decimal(_t(element, "cac:Price/cbc:PriceAmount") or "0", _("a price"))
    base_quantity = _t(element, "cac:Price/cbc:BaseQuantity")
    if base_quantity:
        per = _decimal(base_quantity, _("a base quantity"))
        if per > 0:
            price = price / per
    discount = Decimal("0")
    for charge in element.iterfind("cac:AllowanceCharge", NS):
        if _t(charge, "cbc:ChargeIndicator") == "false" and _t(
            charge, "cbc:MultiplierFactorNumeric"
        ):
            discount += _decimal(_t(charge, "cbc:MultiplierFactorNumeric"), _("a discount"))
    if quantity < 0:  # a negative invoice line credits: keep quantities positive
        quantity, net, price = -quantity, -net, -price
    unit_price = money(price)
    computed = money(quantity * unit_price * (HUNDRED - discount) / HUNDRED)
    if computed != net:
        # Fall back to what the line comes to: the net per unit when exact, else one unit.
        discount = Decimal("0")
        per_unit = money(net / quantity) if quantity else net
        if quantity and money(quantity * per_unit) == net:
            unit_price = per_unit
        else:
            name = f"{name} ({quantity.normalize():f} × {unit_price})"
            quantity, unit_price = Decimal("1"), net
    category = _t(item, "cac:ClassifiedTaxCategory/cbc:ID")
    percent = _decimal(_t(item, "cac:ClassifiedTaxCategory/cbc:Percent") or "0", _("a VAT rate"))
    unit = element.find(quantity_tag, NS)
    return {
        "description": name[:300],
        "quantity": quantity,
        "unit": _unit((unit.get("unitCode") if unit is not None else "") or ""),
        "unit_price": unit_price,
        "discount_percent": discount,
        "vat_code": _vat_code(category, percent, codes, line_no),
        "_buyer_id": _t(item, "cac:BuyersItemIdentification/cbc:ID"),
        "_gtin": _t(item, "cac:StandardItemIdentification/cbc:ID"),
    }


UNITS = {"EA": "stk", "C62": "stk", "H87": "stk", "HUR": "t", "KGM": "kg", "MTR": "m", "LTR": "l"}


def _unit(code: str) -> str:
    return UNITS.get(code.upper(), code.lower()[:10] or "stk")


def _document_charges(root, codes) -> list[dict[str, Any]]:
    """Document-level allowances (negative) and charges (positive) as lines."""
    result = []
    for index, charge in enumerate(root.iterfind("cac:AllowanceCharge", NS), start=1):
        amount = _decimal(_t(charge, "cbc:Amount"), _("an allowance or charge"))
        is_charge = _t(charge, "cbc:ChargeIndicator") == "true"
        reason = _t(charge, "cbc:AllowanceChargeReason") or (
            _("Charge") if is_charge else _("Allowance")
        )
        category = _t(charge, "cac:TaxCategory/cbc:ID")
        percent = _decimal(_t(charge, "cac:TaxCategory/cbc:Percent") or "0", _("a VAT rate"))
        result.append(
            {
                "description": reason[:300],
                "quantity": Decimal("1"),
                "unit_price": amount if is_charge else -amount,
                "vat_code": _vat_code(category, percent, codes, index),
            }
        )
    return result


def read(root) -> dict[str, Any]:
    """What the bill needs from the document (header, supplier, buyer, lines, totals)."""
    credit = etree.QName(root).localname == "CreditNote"
    codes = sorted(
        VatCode.objects.filter(direction=VatCode.Direction.PURCHASE, active=True),
        key=lambda c: (len(c.code), c.code),
    )
    number = _t(root, "cbc:ID")
    if not number:
        _refuse(_("The EHF file has no invoice number (cbc:ID)."))
    issued = _date(_t(root, "cbc:IssueDate"), _("issue date"))
    if issued is None:
        _refuse(_("The EHF file has no issue date."))
    supplier = root.find("cac:AccountingSupplierParty/cac:Party", NS)
    if supplier is None:
        _refuse(_("The EHF file names no supplier."))
    buyer = root.find("cac:AccountingCustomerParty/cac:Party", NS)
    line_tag = "cac:CreditNoteLine" if credit else "cac:InvoiceLine"
    lines = [
        _line(element, credit=credit, codes=codes, line_no=index)
        for index, element in enumerate(root.iterfind(line_tag, NS), start=1)
    ]
    if not lines:
        _refuse(_("The EHF file has no lines."))
    lines += _document_charges(root, codes)
    due = _date(
        _t(root, "cbc:DueDate") or _t(root, "cac:PaymentMeans/cbc:PaymentDueDate"),
        _("due date"),
    )
    address = supplier.find("cac:PostalAddress", NS)
    country = _t(address, "cac:Country/cbc:IdentificationCode")
    currency = _t(root, "cbc:DocumentCurrencyCode")
    tax_amounts = [
        e
        for e in root.iterfind("cac:TaxTotal/cbc:TaxAmount", NS)
        if e.get("currencyID") == currency
    ] or list(root.iterfind("cac:TaxTotal/cbc:TaxAmount", NS))
    return {
        "kind": SupplierBill.Kind.CREDIT_NOTE if credit else SupplierBill.Kind.BILL,
        "supplier_number": number,
        "bill_date": issued,
        "due_date": due,
        "currency": currency,
        "kid": _t(root, "cac:PaymentMeans/cbc:PaymentID"),
        "bank_account": _t(root, "cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID"),
        "purchase_order_number": _t(root, "cac:OrderReference/cbc:ID"),
        "credited_number": _t(root, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID"),
        "notes": _t(root, "cbc:Note"),
        "supplier": {
            "name": _t(supplier, "cac:PartyLegalEntity/cbc:RegistrationName")
            or _t(supplier, "cac:PartyName/cbc:Name"),
            "orgnr": _orgnr(supplier) if country in ("", "NO") else "",
            "address": {
                "line1": _t(address, "cbc:StreetName"),
                "line2": _t(address, "cbc:AdditionalStreetName"),
                "postal_code": _t(address, "cbc:PostalZone"),
                "city": _t(address, "cbc:CityName"),
                "country": country or "NO",
            },
        },
        "buyer_orgnr": _orgnr(buyer),
        "lines": lines,
        "net": _decimal(
            _t(root, "cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount") or "0", _("the total")
        ),
        "vat": _decimal(tax_amounts[0].text if tax_amounts else "0", _("the VAT")),
        "attachments": [
            e
            for e in root.iterfind(
                "cac:AdditionalDocumentReference/cac:Attachment/cbc:EmbeddedDocumentBinaryObject",
                NS,
            )
        ],
    }


def _find_or_create_supplier(data: dict[str, Any], actor) -> Party:
    from samspill.parties import services as parties
    from samspill.parties.services.common import DuplicateParty

    orgnr = data["orgnr"]
    if orgnr:
        party = Party.objects.filter(orgnr=orgnr, merged_into__isnull=True).first()
        if party is not None:
            return party
    if not data["name"]:
        _refuse(_("The EHF file gives no name for the supplier."))
    address = data["address"]
    addresses = [{"kind": "invoice", **address}] if address["line1"] and address["city"] else []
    creator = actor if actor is not None and allowed(actor, "parties.add_party") else None
    try:
        return parties.create_organization(
            actor=creator,
            name=data["name"][:200],
            orgnr=orgnr,
            roles=["supplier"],
            addresses=addresses,
        )
    except DuplicateParty as exc:
        candidates = list(getattr(exc, "candidates", []) or [])
        if len(candidates) == 1:
            return candidates[0]
        raise fail(
            _(
                "The supplier %(name)s is not registered with organisation number %(orgnr)s, and "
                "several parties look like it. Give the right party the number and import again."
            )
            % {"name": data["name"], "orgnr": orgnr or "—"},
            "file",
        ) from exc
    except ValidationFailed as exc:
        raise fail(
            _("The supplier in the EHF file cannot be registered: %(reason)s")
            % {"reason": exc.message},
            "file",
        ) from exc


def _products(lines: list[dict[str, Any]]) -> None:
    """Our product for lines that name our SKU (buyer's item id) or a GTIN we know."""
    from samspill.catalog import queries as catalog

    skus = {line["_buyer_id"] for line in lines if line.get("_buyer_id")}
    gtins = {line["_gtin"] for line in lines if line.get("_gtin")}
    found: dict[str, int] = {}
    if skus or gtins:
        rows = catalog.product_list(None).filter(Q(sku__in=skus) | Q(barcode__in=gtins))
        for row in rows:
            found[row.sku] = row.pk
            if row.barcode:
                found[f"gtin:{row.barcode}"] = row.pk
    for line in lines:
        sku = line.pop("_buyer_id", "") or "-"
        gtin = line.pop("_gtin", "") or "-"
        product_id = found.get(sku) or found.get(f"gtin:{gtin}")
        if product_id:
            line["product"] = product_id


@transaction.atomic
def import_ehf(content: bytes | str, *, actor, filename: str = "") -> SupplierBill:
    """Import one EHF invoice or credit note as a draft bill; nothing is written when it is
    refused (not UBL, broken, for another company, a duplicate, totals that do not add up)."""
    if actor is not None:
        require(actor, "accounting.add_supplierbill")
    if isinstance(content, str):
        content = content.encode("utf-8")
    root = parse(content)
    data = read(root)
    company = organization.company()
    ours = re.sub(r"\D", "", getattr(company, "org_number", "") or "") if company else ""
    if ours and data["buyer_orgnr"] and data["buyer_orgnr"] != ours:
        _refuse(
            _("The invoice is addressed to organisation %(buyer)s, not to this company (%(ours)s).")
            % {"buyer": data["buyer_orgnr"], "ours": ours}
        )
    supplier = _find_or_create_supplier(data["supplier"], actor)
    lines = data["lines"]
    _products(lines)
    try:
        bill = bills.create_bill(
            actor=actor,
            party=supplier,
            lines=lines,
            kind=data["kind"],
            source=SupplierBill.Source.EHF,
            supplier_number=data["supplier_number"],
            bill_date=data["bill_date"],
            due_date=data["due_date"] or None,
            currency=data["currency"] or None,
            kid=data["kid"],
            bank_account=data["bank_account"],
            purchase_order_number=data["purchase_order_number"],
            credited_number=data["credited_number"],
            notes=data["notes"],
        )
    except bills.DuplicateBill:
        raise
    except ValidationFailed as exc:
        raise fail(
            _("The EHF file cannot be registered as a bill: %(reason)s") % {"reason": exc.message},
            "file",
        ) from exc
    if bill.net_total != money(data["net"]) or bill.vat_total != money(data["vat"]):
        _refuse(
            _(
                "The totals do not add up: the file says %(net)s + VAT %(vat)s, its lines come to "
                "%(our_net)s + VAT %(our_vat)s."
            )
            % {
                "net": money(data["net"]),
                "vat": money(data["vat"]),
                "our_net": bill.net_total,
                "our_vat": bill.vat_total,
            }
        )
    _attach(bill, content, data, actor=actor, filename=filename)
    return bill


def _attach(bill: SupplierBill, content: bytes, data, *, actor, filename: str) -> None:
    """The XML as it came, and an embedded PDF, as the bill's documentation."""
    from samspill.platform import chatter, records

    reference = records.ref(bill)
    name = re.sub(r"[^\w.-]", "_", filename or "")[:80] or f"{bill.number}.xml"
    if not name.lower().endswith(".xml"):
        name += ".xml"
    chatter.add_attachment(reference, ContentFile(content, name=name), actor=actor)
    for element in data["attachments"]:
        if element.get("mimeCode") != "application/pdf" or not element.text:
            continue
        try:
            pdf = base64.b64decode(element.text, validate=False)
        except (binascii.Error, ValueError):
            continue
        if not pdf.startswith(b"%PDF") or len(pdf) > MAX_EMBEDDED_BYTES:
            continue
        pdf_name = re.sub(r"[^\w.-]", "_", element.get("filename") or "")[:80] or "bill.pdf"
        if not pdf_name.lower().endswith(".pdf"):
            pdf_name += ".pdf"
        try:
            chatter.add_attachment(reference, ContentFile(pdf, name=pdf_name), actor=actor)
        except DomainError:
            continue  # the XML is the voucher; a PDF the platform refuses is left out
