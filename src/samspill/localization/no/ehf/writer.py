"""Write a posted customer invoice or credit note as PEPPOL BIS Billing 3.0 UBL (EHF), with
lxml. The seller is the company (organization app), the buyer the invoice's party; amounts
are in the invoice currency, VAT per category and rate as on the invoice.

Element order follows the UBL 2.1 schema; the rules are those of EN 16931 and PEPPOL
(checked in the tests with ../shared/tools/validate_einvoice.py)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from lxml import etree

from samspill.accounting.models import Invoice
from samspill.accounting.queries.invoices import invoice_document
from samspill.platform.errors import ValidationFailed

CUSTOMIZATION = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
NS_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
NS_CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
ORGNR_SCHEME = "0192"  # Enhetsregisteret, Brønnøysundregistrene
CENT = Decimal("0.01")
# Units of measure (UN/ECE Recommendation 20) for the catalog's unit codes.
UNITS = {
    "stk": "EA",
    "pcs": "EA",
    "ea": "EA",
    "h": "HUR",
    "t": "HUR",
    "time": "HUR",
    "kg": "KGM",
    "g": "GRM",
    "l": "LTR",
    "m": "MTR",
    "m2": "MTK",
    "m3": "MTQ",
    "km": "KMT",
    "dag": "DAY",
    "day": "DAY",
    "mnd": "MON",
    "month": "MON",
    "pk": "PK",
}


def _fmt(value: Decimal) -> str:
    return str(Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP))


def _quantity(value: Decimal) -> str:
    text = format(Decimal(value).normalize(), "f")
    return text


def unit_code(unit: str) -> str:
    return UNITS.get((unit or "").strip().lower(), "C62")


def tax_category(code) -> tuple[str, Decimal, str]:
    """(UNCL5305 category, percent, exemption reason) of a sales VAT code."""
    if code.computes_vat:
        return "S", code.rate, ""
    if code.treatment == "zero":
        return "Z", Decimal("0"), ""
    return "E", Decimal("0"), "Salg utenfor merverdiavgiftsloven"


class _Builder:
    def __init__(self, root: etree._Element, currency: str) -> None:
        self.root = root
        self.currency = currency

    def cbc(self, parent, tag: str, text, **attrs) -> etree._Element:
        element = etree.SubElement(parent, f"{{{CBC}}}{tag}", **attrs)
        element.text = str(text)
        return element

    def cac(self, parent, tag: str) -> etree._Element:
        return etree.SubElement(parent, f"{{{CAC}}}{tag}")

    def amount(self, parent, tag: str, value) -> etree._Element:
        return self.cbc(parent, tag, _fmt(value), currencyID=self.currency)


def _address(b: _Builder, party_el, street: str, city: str, code: str, country: str) -> None:
    address = b.cac(party_el, "PostalAddress")
    lines = [line for line in (street or "").splitlines() if line.strip()]
    if lines:
        b.cbc(address, "StreetName", lines[0].strip())
    if len(lines) > 1:
        b.cbc(address, "AdditionalStreetName", " ".join(line.strip() for line in lines[1:]))
    if city:
        b.cbc(address, "CityName", city)
    if code:
        b.cbc(address, "PostalZone", code)
    b.cbc(b.cac(address, "Country"), "IdentificationCode", (country or "NO").upper())


def _seller(b: _Builder, parent, company) -> None:
    party = b.cac(b.cac(parent, "AccountingSupplierParty"), "Party")
    b.cbc(party, "EndpointID", company.org_number, schemeID=ORGNR_SCHEME)
    b.cbc(b.cac(party, "PartyName"), "Name", company.legal_name)
    _address(
        b,
        party,
        company.postal_street,
        company.postal_city,
        company.postal_code,
        company.postal_country,
    )
    if company.mva_registered:
        scheme = b.cac(party, "PartyTaxScheme")
        b.cbc(scheme, "CompanyID", f"NO{company.org_number}MVA")
        b.cbc(b.cac(scheme, "TaxScheme"), "ID", "VAT")
    # Norwegian rule: a company in the Register of Business Enterprises says so.
    scheme = b.cac(party, "PartyTaxScheme")
    b.cbc(scheme, "CompanyID", "Foretaksregisteret")
    b.cbc(b.cac(scheme, "TaxScheme"), "ID", "TAX")
    legal = b.cac(party, "PartyLegalEntity")
    b.cbc(legal, "RegistrationName", company.legal_name)
    b.cbc(legal, "CompanyID", company.org_number, schemeID=ORGNR_SCHEME)
    contact_values = [
        (n, v) for n, v in (("Telephone", company.phone), ("ElectronicMail", company.email)) if v
    ]
    if contact_values:
        contact = b.cac(party, "Contact")
        for name, value in contact_values:
            b.cbc(contact, name, value)


def _buyer(b: _Builder, parent, invoice: Invoice, address) -> None:
    customer = invoice.party
    party = b.cac(b.cac(parent, "AccountingCustomerParty"), "Party")
    b.cbc(party, "EndpointID", customer.orgnr, schemeID=ORGNR_SCHEME)
    b.cbc(b.cac(party, "PartyName"), "Name", customer.display_name)
    if address is not None:
        street = "\n".join(x for x in (address.line1, address.line2) if x)
        _address(b, party, street, address.city, address.postal_code, address.country)
    else:
        _address(b, party, "", "", "", "NO")
    legal = b.cac(party, "PartyLegalEntity")
    b.cbc(legal, "RegistrationName", customer.display_name)
    if customer.orgnr:
        b.cbc(legal, "CompanyID", customer.orgnr, schemeID=ORGNR_SCHEME)


class NoEhf(ValidationFailed):
    code = "no_ehf"


def check_ehf_possible(invoice: Invoice) -> None:
    """EHF goes to businesses in the PEPPOL network: a posted document, a buyer with a
    Norwegian organisation number and a seller with one."""
    from samspill.organization import queries as organization

    if invoice.number is None:
        raise NoEhf(_("Only a posted invoice has an EHF document."))
    if not invoice.party.orgnr:
        raise NoEhf(
            _("EHF needs the customer's organisation number; %(name)s has none.")
            % {"name": invoice.party.display_name}
        )
    company = organization.company()
    if company is None or not company.org_number:
        raise NoEhf(_("EHF needs the company's organisation number (company settings)."))
    if not (company.iban or company.bank_account):
        raise NoEhf(_("EHF needs the company's bank account (company settings)."))


def invoice_xml(invoice: Invoice) -> bytes:
    """The EHF document (UTF-8 bytes) of a posted invoice or credit note."""
    check_ehf_possible(invoice)
    doc = invoice_document(invoice)
    company = doc["company"]
    credit = invoice.is_credit_note
    ns = NS_CREDIT_NOTE if credit else NS_INVOICE
    root = etree.Element(
        f"{{{ns}}}{'CreditNote' if credit else 'Invoice'}",
        nsmap={None: ns, "cac": CAC, "cbc": CBC},
    )
    b = _Builder(root, invoice.currency)
    b.cbc(root, "CustomizationID", CUSTOMIZATION)
    b.cbc(root, "ProfileID", PROFILE)
    b.cbc(root, "ID", invoice.number)
    b.cbc(root, "IssueDate", invoice.invoice_date.isoformat())
    if not credit:
        b.cbc(root, "DueDate", invoice.due_date.isoformat())
    b.cbc(root, "CreditNoteTypeCode" if credit else "InvoiceTypeCode", "381" if credit else "380")
    if invoice.notes:
        b.cbc(root, "Note", invoice.notes[:1000])
    b.cbc(root, "DocumentCurrencyCode", invoice.currency)
    b.cbc(root, "BuyerReference", invoice.reference or invoice.order_number or invoice.number)
    if invoice.order_number:
        b.cbc(b.cac(root, "OrderReference"), "ID", invoice.order_number)
    if credit and invoice.credited_invoice is not None:
        ref = b.cac(b.cac(root, "BillingReference"), "InvoiceDocumentReference")
        b.cbc(ref, "ID", invoice.credited_invoice.number)
        b.cbc(ref, "IssueDate", invoice.credited_invoice.invoice_date.isoformat())
    _seller(b, root, company)
    _buyer(b, root, invoice, doc["address"])
    if not credit:
        means = b.cac(root, "PaymentMeans")
        b.cbc(means, "PaymentMeansCode", "30", name="Credit transfer")
        if invoice.kid:
            b.cbc(means, "PaymentID", invoice.kid)
        account = b.cac(means, "PayeeFinancialAccount")
        b.cbc(account, "ID", company.iban or company.bank_account)
        terms = b.cac(root, "PaymentTerms")
        b.cbc(
            terms, "Note", f"{invoice.payment_days} dager netto / {invoice.payment_days} days net"
        )
    tax_total = b.cac(root, "TaxTotal")
    b.amount(tax_total, "TaxAmount", invoice.vat_total)
    for row in doc["vat_rows"]:
        category, percent, reason = tax_category(row["code"])
        subtotal = b.cac(tax_total, "TaxSubtotal")
        b.amount(subtotal, "TaxableAmount", row["net"])
        b.amount(subtotal, "TaxAmount", row["vat"])
        _tax_category(b, subtotal, "TaxCategory", category, percent, reason)
    totals = b.cac(root, "LegalMonetaryTotal")
    b.amount(totals, "LineExtensionAmount", invoice.net_total)
    b.amount(totals, "TaxExclusiveAmount", invoice.net_total)
    b.amount(totals, "TaxInclusiveAmount", invoice.total)
    b.amount(totals, "PayableAmount", invoice.total)
    for index, line in enumerate(doc["lines"], start=1):
        _line(b, root, index, line, credit)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _tax_category(b: _Builder, parent, name: str, category: str, percent, reason: str) -> None:
    element = b.cac(parent, name)
    b.cbc(element, "ID", category)
    b.cbc(element, "Percent", _fmt(percent))
    if reason and name == "TaxCategory":
        b.cbc(element, "TaxExemptionReason", reason)
    b.cbc(b.cac(element, "TaxScheme"), "ID", "VAT")


def _line(b: _Builder, root, index: int, line, credit: bool) -> None:
    element = b.cac(root, "CreditNoteLine" if credit else "InvoiceLine")
    b.cbc(element, "ID", str(index))
    b.cbc(
        element,
        "CreditedQuantity" if credit else "InvoicedQuantity",
        _quantity(line.quantity),
        unitCode=unit_code(line.unit),
    )
    b.amount(element, "LineExtensionAmount", line.net_amount)
    gross = Decimal(line.quantity * line.unit_price).quantize(CENT, rounding=ROUND_HALF_UP)
    discount = gross - line.net_amount
    if discount:
        charge = b.cac(element, "AllowanceCharge")
        b.cbc(charge, "ChargeIndicator", "false")
        b.cbc(charge, "AllowanceChargeReasonCode", "95")
        b.cbc(charge, "AllowanceChargeReason", "Rabatt")
        b.cbc(charge, "MultiplierFactorNumeric", _fmt(line.discount_percent))
        b.amount(charge, "Amount", discount)
        b.amount(charge, "BaseAmount", gross)
    item = b.cac(element, "Item")
    b.cbc(item, "Name", line.description[:200])
    if line.sku:
        b.cbc(b.cac(item, "SellersItemIdentification"), "ID", line.sku)
    category, percent, _reason = tax_category(line.vat_code)
    _tax_category(b, item, "ClassifiedTaxCategory", category, percent, "")
    price = b.cac(element, "Price")
    b.amount(price, "PriceAmount", line.unit_price)


def ehf_filename(invoice: Invoice) -> str:
    prefix = "creditnote" if invoice.is_credit_note else "invoice"
    return f"{prefix}-{invoice.number}.xml"
