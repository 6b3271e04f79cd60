"""/api/v1/accounting/bills and /supplier-payments: supplier bills and credit notes (manual,
from EHF), their approval, the three-way match, and payments to suppliers. Thin: writes go
through accounting.services, reads through queries."""

import datetime as dt
from decimal import Decimal

from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from samspill.accounting.queries import bills as queries
from samspill.accounting.queries.ledger import cents
from samspill.accounting.services import bill_payments, ehf_import
from samspill.accounting.services import bills as services
from samspill.platform.pagination import paginate
from samspill.platform.permissions import require

router = Router(tags=["accounting"])


class BillLineIn(Schema):
    product_id: int | None = None
    description: str = ""
    account: str | None = Field(
        None, description="Account number; empty: the supplier's usual, 4300 or 2985"
    )
    quantity: Decimal
    unit: str = ""
    unit_price: Decimal
    discount_percent: Decimal = Decimal("0")
    vat_code: str | None = Field(None, description="Input VAT code; empty: the product's")
    po_line_id: int | None = Field(None, description="The purchase order line it bills")

    def as_line(self) -> dict:
        return {
            "product": self.product_id,
            "description": self.description,
            "account": self.account,
            "quantity": self.quantity,
            "unit": self.unit,
            "unit_price": self.unit_price,
            "discount_percent": self.discount_percent,
            "vat_code": self.vat_code,
            "po_line_id": self.po_line_id,
        }


class BillIn(Schema):
    party_id: int
    kind: str = Field("bill", description="bill or credit_note")
    supplier_number: str = Field(..., description="The supplier's invoice number")
    bill_date: dt.date | None = None
    due_date: dt.date | None = None
    currency: str | None = None
    exchange_rate: Decimal | None = None
    kid: str = ""
    bank_account: str = ""
    purchase_order_id: int | None = None
    purchase_order_number: str = ""
    credited_number: str = Field("", description="Credit note: the invoice number it credits")
    notes: str = ""
    lines: list[BillLineIn]
    submit: bool = Field(False, description="Send for approval at once")

    def header(self) -> dict:
        return self.dict(exclude={"party_id", "lines", "submit", "kind"}, exclude_none=True)


class BillPatch(Schema):
    party_id: int | None = None
    supplier_number: str | None = None
    bill_date: dt.date | None = None
    due_date: dt.date | None = None
    currency: str | None = None
    exchange_rate: Decimal | None = None
    kid: str | None = None
    bank_account: str | None = None
    notes: str | None = None
    lines: list[BillLineIn] | None = Field(None, description="Replaces all lines")


class BillApproveIn(Schema):
    override_reason: str = Field(
        "", description="Needed when the bill is outside the purchase order's tolerances"
    )


class BillRejectIn(Schema):
    reason: str


class BillLineOut(Schema):
    position: int
    product_id: int | None
    description: str
    account: str = Field(..., alias="account.number")
    quantity: Decimal
    unit: str
    unit_price: Decimal
    discount_percent: Decimal
    vat_code: str = Field(..., alias="vat_code.code")
    vat_rate: Decimal
    net_amount: Decimal
    vat_amount: Decimal
    po_line_id: int | None


class BillSummaryOut(Schema):
    id: int
    number: str
    kind: str
    state: str
    source: str
    party_id: int
    party_name: str = Field(..., alias="party.display_name")
    supplier_number: str
    bill_date: dt.date
    due_date: dt.date
    currency: str
    exchange_rate: Decimal
    kid: str
    net_total: Decimal
    vat_total: Decimal
    total: Decimal
    open_amount: Decimal = Field(..., description="What is still owed, base currency")

    @staticmethod
    def resolve_open_amount(obj):
        return cents(obj.open_amount)


class BillOut(BillSummaryOut):
    bank_account: str
    purchase_order_id: int | None
    purchase_order_number: str
    credited_number: str
    notes: str
    rejection_reason: str
    override_reason: str
    entry_id: int | None
    created_by_id: int | None
    approved_by_id: int | None
    approved_at: dt.datetime | None
    lines: list[BillLineOut]

    @staticmethod
    def resolve_lines(obj):
        return list(queries.bill_lines(obj))


class BillMatchOut(Schema):
    position: int
    po_line_id: int
    ordered: Decimal | None = None
    received: Decimal | None = None
    billed_before: Decimal | None = None
    billed: Decimal | None = None
    po_price: Decimal | None = None
    bill_price: Decimal | None = None
    problems: list[str]


class BillFilters(Schema):
    state: str | None = Field(
        None, description="draft, awaiting_approval, approved, partly_paid, paid"
    )
    kind: str | None = Field(None, description="bill or credit_note")
    party_id: int | None = None
    overdue: bool | None = None
    purchase_order_id: int | None = None


class SupplierAllocationIn(Schema):
    bill_id: int
    amount: Decimal | None = Field(None, description="Empty: what the bill still asks")


class SupplierPaymentIn(Schema):
    party_id: int
    date: dt.date | None = None
    amount: Decimal | None = Field(None, description="Empty: the allocations' sum")
    allocations: list[SupplierAllocationIn] | None = Field(
        None, description="Empty: the supplier's approved bills, oldest due first"
    )
    reference: str = ""
    allow_prepayment: bool = Field(
        False, description="Keep what exceeds the bills on the supplier's account (2400)"
    )


class SupplierAllocationOut(Schema):
    bill_id: int
    number: str = Field(..., alias="bill.number")
    supplier_number: str = Field(..., alias="bill.supplier_number")
    amount: Decimal


class SupplierPaymentOut(Schema):
    id: int
    party_id: int
    date: dt.date
    amount: Decimal
    reference: str
    entry_id: int | None
    allocations: list[SupplierAllocationOut]

    @staticmethod
    def resolve_allocations(obj):
        return list(obj.allocations.all())


@router.get("/bills", response=list[BillSummaryOut], summary="Supplier bills")
@paginate
def list_bills(request, filters: Query[BillFilters]):
    require(request.user, "accounting.view_supplierbill")
    return queries.filter_bills(queries.bills(request.user), **filters.dict())


@router.post("/bills", response={201: BillOut}, summary="Register a supplier bill (draft)")
def create_bill(request, payload: BillIn):
    bill = services.create_bill(
        actor=request.user,
        party=payload.party_id,
        kind=payload.kind,
        lines=[line.as_line() for line in payload.lines],
        submit=payload.submit,
        **payload.header(),
    )
    return Status(201, queries.bill(bill.pk))


@router.post(
    "/bills/import",
    response={201: BillOut},
    summary="Import a received EHF / PEPPOL BIS 3.0 invoice or credit note (multipart file)",
)
def import_bill(request, file: File[UploadedFile]):
    bill = ehf_import.import_ehf(file.read(), actor=request.user, filename=file.name or "")
    return Status(201, queries.bill(bill.pk))


class BillPaymentFileIn(Schema):
    bill_ids: list[int] | None = Field(None, description="Empty: every approved, open bill")
    due_by: dt.date | None = None
    execution_date: dt.date | None = None


@router.post(
    "/bills/payment-file",
    summary="A pain.001.001.03 credit transfer file for approved bills (XML)",
)
def bill_payment_file(request, payload: BillPaymentFileIn):
    from django.http import HttpResponse

    from samspill.accounting.services import pain001

    require(request.user, "accounting.add_supplierpayment")
    xml = pain001.credit_transfer(
        pain001.payable_bills(payload.bill_ids, due_by=payload.due_by),
        execution_date=payload.execution_date,
    )
    response = HttpResponse(xml, content_type="application/xml")
    response["Content-Disposition"] = 'attachment; filename="pain001.xml"'
    return response


@router.get("/bills/{bill_id}", response=BillOut, summary="One supplier bill with its lines")
def get_bill(request, bill_id: int):
    require(request.user, "accounting.view_supplierbill")
    return queries.bill(bill_id, request.user)


@router.patch("/bills/{bill_id}", response=BillOut, summary="Change a draft bill")
def patch_bill(request, bill_id: int, payload: BillPatch):
    data = payload.dict(exclude_unset=True)
    data.pop("lines", None)
    if "party_id" in data:
        data["party"] = data.pop("party_id")
    services.update_bill(
        queries.bill(bill_id),
        actor=request.user,
        lines=None if payload.lines is None else [line.as_line() for line in payload.lines],
        **data,
    )
    return queries.bill(bill_id)


@router.delete("/bills/{bill_id}", response={204: None}, summary="Delete a draft bill")
def delete_bill(request, bill_id: int):
    services.delete_bill(queries.bill(bill_id), actor=request.user)
    return Status(204, None)


@router.post("/bills/{bill_id}/submit", response=BillOut, summary="Send a draft for approval")
def submit_bill(request, bill_id: int):
    services.submit_bill(queries.bill(bill_id), actor=request.user)
    return queries.bill(bill_id)


@router.post("/bills/{bill_id}/approve", response=BillOut, summary="Approve and post a bill")
def approve_bill(request, bill_id: int, payload: BillApproveIn):
    services.approve_bill(
        queries.bill(bill_id), actor=request.user, override_reason=payload.override_reason
    )
    return queries.bill(bill_id)


@router.post("/bills/{bill_id}/reject", response=BillOut, summary="Reject a bill back to draft")
def reject_bill(request, bill_id: int, payload: BillRejectIn):
    services.reject_bill(queries.bill(bill_id), actor=request.user, reason=payload.reason)
    return queries.bill(bill_id)


@router.get(
    "/bills/{bill_id}/match",
    response=list[BillMatchOut],
    summary="Three-way match: ordered, received and billed per purchase order line",
)
def bill_match(request, bill_id: int):
    require(request.user, "accounting.view_supplierbill")
    bill = queries.bill(bill_id, request.user)
    return [
        {
            **{k: v for k, v in row.items() if k not in ("line", "po")},
            "position": row["line"].position,
            "po_line_id": row["line"].po_line_id,
        }
        for row in services.three_way_match(bill)
    ]


@router.get(
    "/supplier-payments", response=list[SupplierPaymentOut], summary="Payments to suppliers"
)
@paginate
def list_supplier_payments(request, party_id: int | None = None):
    require(request.user, "accounting.view_supplierpayment")
    rows = queries.supplier_payments(request.user)
    if party_id:
        rows = rows.filter(party_id=party_id)
    return rows


@router.post("/supplier-payments", response={201: SupplierPaymentOut}, summary="Pay supplier bills")
def pay_bills(request, payload: SupplierPaymentIn):
    payment = bill_payments.pay_bills(
        actor=request.user,
        party=payload.party_id,
        amount=payload.amount,
        date=payload.date,
        allocations=None
        if payload.allocations is None
        else [{"bill": a.bill_id, "amount": a.amount} for a in payload.allocations],
        reference=payload.reference,
        allow_prepayment=payload.allow_prepayment,
    )
    return Status(201, queries.supplier_payment(payment.pk))


@router.get(
    "/supplier-payments/{payment_id}", response=SupplierPaymentOut, summary="One supplier payment"
)
def get_supplier_payment(request, payment_id: int):
    require(request.user, "accounting.view_supplierpayment")
    return queries.supplier_payment(payment_id, request.user)
