"""EHF / PEPPOL BIS Billing 3.0 documents of posted invoices and credit notes: parsed and
checked, and run through ../shared/tools/validate_einvoice.py (no fatal finding)."""

from __future__ import annotations

import importlib.util
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from samspill.localization.no.ehf import ehf_filename, invoice_xml

REPO = Path(__file__).resolve().parents[6]
VALIDATOR = REPO.parent / "shared" / "tools" / "validate_einvoice.py"
NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}
pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture(scope="session")
def validator():
    if not VALIDATOR.is_file():
        pytest.skip(f"EHF validator not found: {VALIDATOR} (../shared is absent)")
    spec = importlib.util.spec_from_file_location("validate_einvoice", VALIDATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["validate_einvoice"] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    checker = module.Validator()

    def run(xml: bytes, tmp_path: Path, name: str) -> list:
        path = tmp_path / name
        path.write_bytes(xml)
        return checker.validate(path)

    return run


@pytest.fixture
def setup(db):
    from samspill.accounting import services as accounting
    from samspill.localization.no import services as localization
    from samspill.organization import services as organization
    from samspill.organization.demo import COMPANY
    from samspill.parties.tests.factories import AddressFactory, OrganizationFactory

    organization.update_company(actor=None, **COMPANY)
    localization.load_vat_codes(actor=None)
    accounting.load_chart(actor=None)
    accounting.open_fiscal_year(actor=None, start=date(2026, 1, 1))
    customer = OrganizationFactory(name="Acme Bygg AS", is_customer=True)
    AddressFactory(
        party=customer, kind="postal", line1="Postboks 7", postal_code="5003", city="Bergen"
    )
    return customer


def post(customer, lines, **header):
    from samspill.accounting import services as accounting

    return accounting.create_invoice(
        actor=None, party=customer, lines=lines, invoice_date="2026-03-10", post=True, **header
    )


MIXED = [
    {"description": "Konsulenttimer", "quantity": "7.5", "unit": "h", "unit_price": "1150"},
    {"description": "Kaffe", "quantity": "3", "unit_price": "89.90", "vat_code": "31",
     "discount_percent": "15"},
    {"description": "Busstur", "quantity": "1", "unit_price": "499", "vat_code": "33"},
    {"description": "Avis", "quantity": "12", "unit_price": "39", "vat_code": "5",
     "discount_percent": "2.5"},
]  # fmt: skip


def fatal(findings) -> list[str]:
    return [str(f) for f in findings if f.fatal]


def test_invoice_with_several_rates_and_discounts_is_valid(setup, validator, tmp_path):
    invoice = post(setup, MIXED, reference="Ola Nordmann")
    xml = invoice_xml(invoice)
    assert fatal(validator(xml, tmp_path, ehf_filename(invoice))) == []
    doc = etree.fromstring(xml)
    assert doc.tag.endswith("}Invoice")
    assert doc.findtext("cbc:ID", namespaces=NS) == invoice.number
    assert doc.findtext("cbc:DueDate", namespaces=NS) == "2026-03-24"
    assert doc.findtext("cac:PaymentMeans/cbc:PaymentID", namespaces=NS) == invoice.kid
    seller = doc.find("cac:AccountingSupplierParty/cac:Party", NS)
    assert [e.text for e in seller.findall("cac:PartyTaxScheme/cbc:CompanyID", NS)] == [
        "NO998877660MVA",
        "Foretaksregisteret",
    ]
    subtotals = [
        (
            s.findtext("cac:TaxCategory/cbc:ID", namespaces=NS),
            s.findtext("cac:TaxCategory/cbc:Percent", namespaces=NS),
            s.findtext("cbc:TaxableAmount", namespaces=NS),
            s.findtext("cbc:TaxAmount", namespaces=NS),
        )
        for s in doc.findall("cac:TaxTotal/cac:TaxSubtotal", NS)
    ]
    assert subtotals == [
        ("S", "25.00", "8625.00", "2156.25"),
        ("S", "15.00", "229.25", "34.39"),
        ("S", "12.00", "499.00", "59.88"),
        ("Z", "0.00", "456.30", "0.00"),
    ]
    assert doc.findtext("cac:LegalMonetaryTotal/cbc:PayableAmount", namespaces=NS) == str(
        invoice.total
    )
    assert invoice.total == D("12060.07")


def test_credit_note_is_valid_and_refers_to_its_invoice(setup, validator, tmp_path):
    from samspill.accounting import services as accounting

    invoice = post(setup, MIXED)
    credit = accounting.create_credit_note(
        invoice, actor=None, post=True, invoice_date="2026-03-12"
    )
    xml = invoice_xml(credit)
    assert fatal(validator(xml, tmp_path, ehf_filename(credit))) == []
    doc = etree.fromstring(xml)
    assert doc.tag.endswith("}CreditNote")
    assert doc.findtext("cbc:CreditNoteTypeCode", namespaces=NS) == "381"
    assert (
        doc.findtext("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID", namespaces=NS)
        == invoice.number
    )
    assert len(doc.findall("cac:CreditNoteLine", NS)) == 4


def test_foreign_currency_invoice_is_valid(setup, validator, tmp_path):
    invoice = post(
        setup,
        [{"description": "Licence", "quantity": "2", "unit_price": "450.50", "vat_code": "3"}],
        currency="EUR",
        exchange_rate="11.45",
    )
    xml = invoice_xml(invoice)
    assert fatal(validator(xml, tmp_path, ehf_filename(invoice))) == []
    doc = etree.fromstring(xml)
    assert doc.findtext("cbc:DocumentCurrencyCode", namespaces=NS) == "EUR"
    payable = doc.find("cac:LegalMonetaryTotal/cbc:PayableAmount", NS)
    assert (payable.text, payable.get("currencyID")) == ("1126.25", "EUR")


def test_a_buyer_without_orgnr_gets_no_ehf(setup):
    from samspill.localization.no.ehf import NoEhf
    from samspill.parties.tests.factories import PersonFactory

    person = PersonFactory(is_customer=True, first_name="Kari", last_name="Nordmann")
    invoice = post(
        person,
        [{"description": "Kurs", "quantity": "1", "unit_price": "1000", "vat_code": "3"}],
    )
    with pytest.raises(NoEhf) as caught:
        invoice_xml(invoice)
    assert caught.value.message == (
        "EHF needs the customer's organisation number; Kari Nordmann has none."
    )


def test_export_ehf_command(setup, tmp_path):
    from django.core.management import CommandError, call_command

    from samspill.parties.tests.factories import PersonFactory

    one = post(setup, MIXED)
    two = post(setup, MIXED[:1])
    post(PersonFactory(is_customer=True), MIXED[:1])  # no orgnr: skipped
    call_command("export-ehf", one.number, "--output-dir", str(tmp_path / "one"), verbosity=0)
    assert sorted(p.name for p in (tmp_path / "one").iterdir()) == [f"invoice-{one.number}.xml"]
    call_command("export-ehf", "--all", "--output-dir", str(tmp_path / "all"), verbosity=0)
    names = sorted(p.name for p in (tmp_path / "all").iterdir())
    assert names == [f"invoice-{one.number}.xml", f"invoice-{two.number}.xml"]
    root = etree.parse(str(tmp_path / "all" / names[1])).getroot()
    assert root.findtext("cbc:ID", namespaces=NS) == two.number
    with pytest.raises(CommandError, match="No posted invoice with number: 999"):
        call_command("export-ehf", "999", "--output-dir", str(tmp_path / "x"))
