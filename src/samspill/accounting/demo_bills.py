# ruff: noqa: E501  (the EHF document reads best one element a line)
"""Supplier bills in the demo company: one received as EHF (imported, a draft to check), one
for goods received on a purchase order (approved: it clears 2985 goods received, so the cost
of goods is not booked twice), one awaiting approval and one approved and paid. Entered by
the demo finance user, approved by the demo administrator (four eyes). Loaded after the
purchase orders and the bank statement; only once."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from samspill.accounting.models import SupplierBill
from samspill.accounting.services import bill_payments, bills, ehf_import
from samspill.organization import queries as organization
from samspill.parties.models import Party

EHF_SUPPLIER = ("Kontorekspressen AS", "923456783")


def _ehf(company_orgnr: str, number: str, day: str, due: str) -> bytes:
    """A small EHF (PEPPOL BIS Billing 3.0) invoice as a supplier would send it."""
    name, orgnr = EHF_SUPPLIER
    lines = [
        ("1", "Kopipapir A4, 5 × 500 ark", "10", "EA", "45.00", "450.00", "25"),
        ("2", "Kaffe, 1 kg", "4", "EA", "149.00", "596.00", "15"),
    ]
    body = "".join(
        f"""<cac:InvoiceLine><cbc:ID>{n}</cbc:ID>
<cbc:InvoicedQuantity unitCode="{unit}">{qty}</cbc:InvoicedQuantity>
<cbc:LineExtensionAmount currencyID="NOK">{net}</cbc:LineExtensionAmount>
<cac:Item><cbc:Name>{text}</cbc:Name><cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID>
<cbc:Percent>{pct}</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>
</cac:ClassifiedTaxCategory></cac:Item>
<cac:Price><cbc:PriceAmount currencyID="NOK">{price}</cbc:PriceAmount></cac:Price>
</cac:InvoiceLine>"""
        for n, text, qty, unit, price, net, pct in lines
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
<cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
<cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>
<cbc:ID>{number}</cbc:ID><cbc:IssueDate>{day}</cbc:IssueDate><cbc:DueDate>{due}</cbc:DueDate>
<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode><cbc:DocumentCurrencyCode>NOK</cbc:DocumentCurrencyCode>
<cbc:BuyerReference>Innkjøp</cbc:BuyerReference>
<cac:AccountingSupplierParty><cac:Party>
<cbc:EndpointID schemeID="0192">{orgnr}</cbc:EndpointID>
<cac:PartyName><cbc:Name>{name}</cbc:Name></cac:PartyName>
<cac:PostalAddress><cbc:StreetName>Industriveien 4</cbc:StreetName><cbc:CityName>Drammen</cbc:CityName>
<cbc:PostalZone>3015</cbc:PostalZone><cac:Country><cbc:IdentificationCode>NO</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
<cac:PartyTaxScheme><cbc:CompanyID>NO{orgnr}MVA</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
<cac:PartyLegalEntity><cbc:RegistrationName>{name}</cbc:RegistrationName><cbc:CompanyID>{orgnr}</cbc:CompanyID></cac:PartyLegalEntity>
</cac:Party></cac:AccountingSupplierParty>
<cac:AccountingCustomerParty><cac:Party>
<cbc:EndpointID schemeID="0192">{company_orgnr}</cbc:EndpointID>
<cac:PartyLegalEntity><cbc:RegistrationName>Nordlys Handel AS</cbc:RegistrationName><cbc:CompanyID>{company_orgnr}</cbc:CompanyID></cac:PartyLegalEntity>
</cac:Party></cac:AccountingCustomerParty>
<cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode><cbc:PaymentID>20261234560</cbc:PaymentID>
<cac:PayeeFinancialAccount><cbc:ID>15031234567</cbc:ID></cac:PayeeFinancialAccount></cac:PaymentMeans>
<cac:TaxTotal><cbc:TaxAmount currencyID="NOK">201.90</cbc:TaxAmount>
<cac:TaxSubtotal><cbc:TaxableAmount currencyID="NOK">450.00</cbc:TaxableAmount><cbc:TaxAmount currencyID="NOK">112.50</cbc:TaxAmount>
<cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>25</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory></cac:TaxSubtotal>
<cac:TaxSubtotal><cbc:TaxableAmount currencyID="NOK">596.00</cbc:TaxableAmount><cbc:TaxAmount currencyID="NOK">89.40</cbc:TaxAmount>
<cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>15</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory></cac:TaxSubtotal>
</cac:TaxTotal>
<cac:LegalMonetaryTotal><cbc:LineExtensionAmount currencyID="NOK">1046.00</cbc:LineExtensionAmount>
<cbc:TaxExclusiveAmount currencyID="NOK">1046.00</cbc:TaxExclusiveAmount>
<cbc:TaxInclusiveAmount currencyID="NOK">1247.90</cbc:TaxInclusiveAmount>
<cbc:PayableAmount currencyID="NOK">1247.90</cbc:PayableAmount></cac:LegalMonetaryTotal>
{body}
</Invoice>""".encode()


def load(*, actor, purchase_orders=()) -> dict[str, int]:
    """`purchase_orders`: ids of received purchase orders (the demo command reads them from
    purchasing); the first with something received and not billed gets its bill."""
    result = _load(actor, list(purchase_orders))
    if result["bills"]:
        from samspill.platform.tasks import run_pending

        run_pending()  # purchasing learns the billed quantities
    return result


@transaction.atomic
def _load(actor, purchase_orders: list[int]) -> dict[str, int]:
    from samspill.users.models import User

    company = organization.company()
    if company is None or SupplierBill.objects.exists():
        return {"bills": 0}
    clerk = User.objects.filter(username="finance").first()
    today = timezone.localdate()
    suppliers = list(
        Party.objects.filter(is_supplier=True, kind="organization", merged_into__isnull=True)
        .exclude(orgnr=EHF_SUPPLIER[1])
        .order_by("id")[:3]
    )
    count = 0
    # 1. Received as EHF: imported, waiting for a bookkeeper to check it.
    day = today - timedelta(days=3)
    ehf_import.import_ehf(
        _ehf(
            company.org_number, "KE-88213", day.isoformat(), (day + timedelta(days=30)).isoformat()
        ),
        actor=clerk,
        filename="KE-88213.xml",
    )
    count += 1
    # 2. Goods received on a purchase order: billed and approved (clears 2985).
    for order_id in purchase_orders:
        prefill = bills.lines_from_purchase_order(order_id)
        if prefill is None or not prefill[1]:
            continue
        header, lines = prefill
        bill = bills.create_bill(
            actor=clerk,
            lines=lines,
            supplier_number=f"{header['purchase_order_number']}-F",
            bill_date=today - timedelta(days=5),
            source=SupplierBill.Source.PURCHASE_ORDER,
            submit=True,
            **header,
        )
        bills.approve_bill(bill, actor=actor)
        count += 1
        break
    if suppliers:
        # 3. Awaiting approval: rent and electricity.
        bills.create_bill(
            actor=clerk,
            party=suppliers[0],
            supplier_number="H-2026-11",
            bill_date=today - timedelta(days=2),
            lines=[
                {
                    "description": "Husleie lager",
                    "quantity": "1",
                    "unit_price": "18500",
                    "account": "6300",
                    "vat_code": "0",
                },
                {"description": "Strøm", "quantity": "1", "unit_price": "2340", "account": "6340"},
            ],
            submit=True,
        )
        count += 1
        # 4. Approved and paid.
        paid = bills.create_bill(
            actor=clerk,
            party=suppliers[-1],
            supplier_number="R-4471",
            bill_date=today - timedelta(days=20),
            kid="4471000000006",
            lines=[
                {
                    "description": "Regnskapsbistand oktober",
                    "quantity": "6",
                    "unit": "t",
                    "unit_price": "950",
                    "account": "6705",
                },
            ],
            submit=True,
        )
        paid = bills.approve_bill(paid, actor=actor)
        bill_payments.pay_bills(
            actor=actor,
            party=paid.party_id,
            date=today - timedelta(days=6),
            allocations=[{"bill": paid.pk, "amount": paid.total}],
            reference=f"KID {paid.kid}",
        )
        count += 1
    return {"bills": count}
