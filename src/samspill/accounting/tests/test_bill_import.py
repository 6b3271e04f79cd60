"""Import of received EHF invoices and credit notes as supplier bills: our own EHF export of
an invoice, read back by the company it was sent to (the seller is found or registered by
orgnr, lines and VAT proposed, the XML attached); and files that are refused with nothing
written: not XML, not UBL, a DOCTYPE with entities, another buyer, a duplicate, totals that
do not add up."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from samspill.accounting.models import SupplierBill
from samspill.accounting.services import bills as bill_services
from samspill.accounting.services import ehf_import
from samspill.parties.models import Party
from samspill.platform.errors import Conflict, ValidationFailed
from samspill.platform.models import Attachment

pytestmark = pytest.mark.django_db
D = Decimal
BUYER_ORGNR = "923609016"
MIXED = [
    {"description": "Konsulenttimer", "quantity": "7.5", "unit": "h", "unit_price": "1150"},
    {"description": "Kaffe", "quantity": "3", "unit_price": "89.90", "vat_code": "31",
     "discount_percent": "15"},
    {"description": "Busstur", "quantity": "1", "unit_price": "499", "vat_code": "33"},
    {"description": "Avis", "quantity": "12", "unit_price": "39", "vat_code": "5",
     "discount_percent": "2.5"},
]  # fmt: skip


@pytest.fixture
def received(ledger):
    """An EHF invoice and credit note written by the demo company to customer 923609016;
    then this database becomes that customer (the company's orgnr changes), so the demo
    company is a supplier we have never seen."""
    from samspill.accounting import services as accounting
    from samspill.localization.no.ehf import invoice_xml
    from samspill.organization import services as organization
    from samspill.organization.demo import COMPANY
    from samspill.parties.services import create_organization

    organization.update_company(actor=None, **COMPANY)
    customer = create_organization(
        actor=None, name="Equinor Kjøper AS", orgnr=BUYER_ORGNR, roles=["customer"]
    )
    invoice = accounting.create_invoice(
        actor=None,
        party=customer,
        lines=MIXED,
        invoice_date="2026-03-10",
        reference="Ola",
        post=True,
    )
    credit = accounting.create_credit_note(invoice, actor=None, lines=[MIXED[0]], post=True)
    xml = {"invoice": invoice_xml(invoice), "credit": invoice_xml(credit), "number": invoice.number}
    organization.update_company(actor=None, org_number=BUYER_ORGNR)
    return xml


def test_own_ehf_export_is_imported_as_a_draft_bill(received, make_user):
    clerk = make_user("finance")
    before = Party.objects.count()
    bill = ehf_import.import_ehf(received["invoice"], actor=clerk, filename="faktura.xml")
    assert Party.objects.count() == before + 1
    supplier = bill.party
    assert (supplier.orgnr, supplier.is_supplier) == ("998877660", True)
    assert (bill.kind, bill.state, bill.source, bill.supplier_number) == (
        "bill",
        "draft",
        "ehf",
        received["number"],
    )
    assert (str(bill.bill_date), str(bill.due_date)) == ("2026-03-10", "2026-03-24")
    assert bill.kid and bill.bank_account
    assert (bill.net_total, bill.vat_total, bill.total) == (
        D("9809.55"),
        D("2250.52"),
        D("12060.07"),
    )
    lines = list(
        bill.lines.order_by("position").values_list(
            "vat_code__code", "quantity", "unit_price", "discount_percent", "net_amount"
        )
    )
    assert lines == [
        ("1", D("7.500"), D("1150.00"), D("0.00"), D("8625.00")),
        ("11", D("3.000"), D("89.90"), D("15.00"), D("229.25")),
        ("13", D("1.000"), D("499.00"), D("0.00"), D("499.00")),
        ("0", D("12.000"), D("39.00"), D("2.50"), D("456.30")),
    ]
    attachment = Attachment.objects.get()
    assert (attachment.name, attachment.mime_type) == ("faktura.xml", "application/xml")
    # The same invoice again: refused, nothing written.
    with pytest.raises(Conflict) as exc:
        ehf_import.import_ehf(received["invoice"], actor=clerk)
    assert "registered already" in str(exc.value.message)
    assert SupplierBill.objects.count() == 1 and Attachment.objects.count() == 1
    # Approve and post it: the supplier found by orgnr next time.
    bill_services.submit_bill(bill, actor=clerk)
    bill = bill_services.approve_bill(bill, actor=make_user("management"))
    assert bill.entry.lines.get(account__number="2400").credit == D("12060.07")


def test_ehf_credit_note_is_imported_and_matched(received):
    bill = ehf_import.import_ehf(received["invoice"], actor=None)
    bill_services.submit_bill(bill, actor=None)
    bill = bill_services.approve_bill(bill, actor=None)
    credit = ehf_import.import_ehf(received["credit"], actor=None)
    assert (credit.kind, credit.credited_number, credit.total) == (
        "credit_note",
        received["number"],
        D("10781.25"),
    )
    assert credit.party_id == bill.party_id
    bill_services.submit_bill(credit, actor=None)
    bill_services.approve_bill(credit, actor=None)
    bill.refresh_from_db()
    assert bill.state == "partly_paid"


BROKEN = {
    "empty": b"",
    "not xml": b"%PDF-1.4 this is not xml",
    "broken": b"<Invoice><cbc:ID>1</Invoice>",
    "not ubl": (
        b'<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"/>'
    ),
    "entities": (
        b'<?xml version="1.0"?><!DOCTYPE Invoice [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&x;</Invoice>'
    ),
    "no lines": (
        b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" '
        b'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2" '
        b'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2">'
        b"<cbc:ID>9</cbc:ID><cbc:IssueDate>2026-03-01</cbc:IssueDate>"
        b"<cac:AccountingSupplierParty><cac:Party><cac:PartyName><cbc:Name>X</cbc:Name>"
        b"</cac:PartyName></cac:Party></cac:AccountingSupplierParty></Invoice>"
    ),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_malformed_files_are_refused_with_nothing_written(ledger, name):
    parties = Party.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        ehf_import.import_ehf(BROKEN[name], actor=None)
    assert exc.value.errors["file"]
    assert SupplierBill.objects.count() == 0 and Party.objects.count() == parties


def test_another_buyer_and_wrong_totals_are_refused(received):
    from samspill.organization import services as organization

    organization.update_company(actor=None, org_number="974760673")
    with pytest.raises(ValidationFailed) as exc:
        ehf_import.import_ehf(received["invoice"], actor=None)
    assert "not to this company" in str(exc.value.message)
    organization.update_company(actor=None, org_number=BUYER_ORGNR)
    tampered = received["invoice"].replace(
        b">9809.55</cbc:TaxExclusiveAmount>", b">9809.00</cbc:TaxExclusiveAmount>"
    )
    assert tampered != received["invoice"]
    with pytest.raises(ValidationFailed) as exc:
        ehf_import.import_ehf(tampered, actor=None)
    assert "do not add up" in str(exc.value.message)
    assert SupplierBill.objects.count() == 0 and Attachment.objects.count() == 0


def test_api_import_and_page_upload(received, make_user, api, client):
    clerk = make_user("finance")
    response = api(clerk).post(
        "/api/v1/accounting/bills/import",
        {"file": SimpleUploadedFile("ehf.xml", received["invoice"], "application/xml")},
    )
    assert response.status_code == 201, response.content
    assert response.json()["total"] == "12060.07"
    again = api(clerk).post(
        "/api/v1/accounting/bills/import",
        {"file": SimpleUploadedFile("ehf.xml", received["invoice"], "application/xml")},
    )
    assert again.status_code == 409
    bad = api(clerk).post(
        "/api/v1/accounting/bills/import",
        {"file": SimpleUploadedFile("ehf.xml", b"<nope/>", "application/xml")},
    )
    assert bad.status_code == 422, bad.content
    client.force_login(clerk)
    page = client.post(
        "/accounting/bills/import/",
        {"file": SimpleUploadedFile("credit.xml", received["credit"], "application/xml")},
        follow=True,
    )
    assert page.status_code == 200
    assert SupplierBill.objects.filter(kind="credit_note").count() == 1
    assert date.today()  # the page shows the imported bill
    assert b"credit.xml" in page.content
