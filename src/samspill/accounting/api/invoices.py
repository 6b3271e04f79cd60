"""/api/v1/accounting/invoices and /payments: customer invoices, credit notes and payments.
Thin: writes go through accounting.services, reads through queries."""

import datetime as dt
from decimal import Decimal

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status

from samspill.accounting import services
from samspill.accounting.models import Invoice
from samspill.accounting.queries import invoices as queries
from samspill.accounting.queries.ledger import cents
from samspill.platform.pagination import paginate
from samspill.platform.permissions import require

router = Router(tags=["accounting"])


class InvoiceLineIn(Schema):
    product_id: int | None = Field(None, description="Catalog product; else give a description")
    description: str = ""
    quantity: Decimal
    unit: str = ""
    unit_price: Decimal | None = Field(None, description="Empty: the catalog price")
    discount_percent: Decimal = Decimal("0")
    vat_code: str | None = Field(None, description="Sales VAT code; empty: the product's")
    order_line_id: int | None = None

    def as_line(self) -> dict:
        return {
            "product": self.product_id,
            "description": self.description,
            "quantity": self.quantity,
            "unit": self.unit,
            "unit_price": self.unit_price,
            "discount_percent": self.discount_percent,
            "vat_code": self.vat_code,
            "order_line_id": self.order_line_id,
        }


class InvoiceIn(Schema):
    party_id: int
    invoice_date: dt.date | None = None
    payment_days: int | None = Field(None, description="Empty: the company's terms")
    due_date: dt.date | None = None
    currency: str | None = None
    exchange_rate: Decimal | None = None
    language: str | None = Field(None, description="nb or en; empty: the customer's")
    reference: str = ""
    notes: str = ""
    lines: list[InvoiceLineIn]
    post: bool = Field(False, description="Post at once instead of saving a draft")

    def header(self) -> dict:
        data = self.dict(exclude={"party_id", "lines", "post"}, exclude_none=True)
        return data


class InvoicePatch(Schema):
    party_id: int | None = None
    invoice_date: dt.date | None = None
    payment_days: int | None = None
    due_date: dt.date | None = None
    currency: str | None = None
    exchange_rate: Decimal | None = None
    language: str | None = None
    reference: str | None = None
    notes: str | None = None
    lines: list[InvoiceLineIn] | None = Field(None, description="Replaces all lines")


class CreditNoteIn(Schema):
    invoice_date: dt.date | None = None
    lines: list[InvoiceLineIn] | None = Field(None, description="Empty: credit every line")
    post: bool = False


class InvoiceSendIn(Schema):
    to: str = ""
    message: str = ""


class InvoiceLineOut(Schema):
    position: int
    product_id: int | None
    order_line_id: int | None
    sku: str
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    discount_percent: Decimal
    vat_code: str = Field(..., alias="vat_code.code")
    vat_rate: Decimal
    account: str = Field(..., alias="account.number")
    net_amount: Decimal
    vat_amount: Decimal


class InvoiceSummaryOut(Schema):
    id: int
    kind: str
    state: str
    number: str | None
    kid: str
    party_id: int
    party_name: str = Field(..., alias="party.display_name")
    order_id: int | None
    credited_invoice_id: int | None
    invoice_date: dt.date
    due_date: dt.date
    currency: str
    exchange_rate: Decimal
    net_total: Decimal
    vat_total: Decimal
    total: Decimal
    open_amount: Decimal = Field(
        ..., description="What is still open, base currency (negative: credit note)"
    )

    @staticmethod
    def resolve_open_amount(obj):
        return cents(obj.open_amount)


class InvoiceOut(InvoiceSummaryOut):
    payment_days: int
    language: str
    reference: str
    notes: str
    entry_id: int | None
    sent_at: dt.datetime | None
    sent_to: str
    lines: list[InvoiceLineOut]

    @staticmethod
    def resolve_lines(obj):
        return list(queries.invoice_lines(obj))


class InvoiceFilters(Schema):
    state: str | None = Field(None, description="draft, posted, partly_paid, paid")
    kind: str | None = Field(None, description="invoice or credit_note")
    party_id: int | None = None
    overdue: bool | None = None


class AllocationIn(Schema):
    invoice_id: int
    amount: Decimal
    settle: bool = Field(
        False,
        description="A foreign-currency invoice paid in full: clear what is open and book "
        "the NOK difference as a currency gain (8060) or loss (8160)",
    )


class PaymentIn(Schema):
    party_id: int
    date: dt.date | None = None
    amount: Decimal
    allocations: list[AllocationIn] | None = Field(
        None, description="Empty: the customer's open invoices, oldest due first"
    )
    allow_prepayment: bool = Field(False, description="Keep an over-payment as a prepayment")
    reference: str = ""


class AllocationOut(Schema):
    invoice_id: int
    number: str = Field(..., alias="invoice.number")
    amount: Decimal


class PaymentOut(Schema):
    id: int
    party_id: int
    date: dt.date
    amount: Decimal
    prepayment: Decimal
    reference: str
    entry_id: int | None
    allocations: list[AllocationOut]

    @staticmethod
    def resolve_allocations(obj):
        return list(obj.allocations.all())


@router.get("/invoices", response=list[InvoiceSummaryOut], summary="Customer invoices")
@paginate
def list_invoices(request, filters: Query[InvoiceFilters]):
    require(request.user, "accounting.view_invoice")
    return queries.filter_invoices(queries.invoices(request.user), **filters.dict())


@router.post("/invoices", response={201: InvoiceOut}, summary="Create an invoice (draft or posted)")
def create_invoice(request, payload: InvoiceIn):
    invoice = services.create_invoice(
        actor=request.user,
        party=payload.party_id,
        lines=[line.as_line() for line in payload.lines],
        post=payload.post,
        **payload.header(),
    )
    return Status(201, queries.invoice(invoice.pk))


@router.get("/invoices/{invoice_id}", response=InvoiceOut, summary="One invoice with its lines")
def get_invoice(request, invoice_id: int):
    require(request.user, "accounting.view_invoice")
    return queries.invoice(invoice_id, request.user)


@router.patch("/invoices/{invoice_id}", response=InvoiceOut, summary="Change a draft")
def patch_invoice(request, invoice_id: int, payload: InvoicePatch):
    data = payload.dict(exclude_unset=True)
    lines = data.pop("lines", None)
    if "party_id" in data:
        data["party"] = data.pop("party_id")
    services.update_invoice(
        queries.invoice(invoice_id),
        actor=request.user,
        lines=None if lines is None else [line.as_line() for line in payload.lines or []],
        **data,
    )
    return queries.invoice(invoice_id)


@router.delete("/invoices/{invoice_id}", response={204: None}, summary="Delete a draft")
def delete_invoice(request, invoice_id: int):
    services.delete_invoice(queries.invoice(invoice_id), actor=request.user)
    return Status(204, None)


@router.post("/invoices/{invoice_id}/post", response=InvoiceOut, summary="Post a draft")
def post_invoice(request, invoice_id: int):
    services.post_invoice(queries.invoice(invoice_id), actor=request.user)
    return queries.invoice(invoice_id)


@router.post(
    "/invoices/{invoice_id}/credit-note",
    response={201: InvoiceOut},
    summary="Credit an invoice (all its lines unless given)",
)
def credit_invoice(request, invoice_id: int, payload: CreditNoteIn):
    header = {"invoice_date": payload.invoice_date} if payload.invoice_date else {}
    credit = services.create_credit_note(
        queries.invoice(invoice_id),
        actor=request.user,
        lines=None if payload.lines is None else [line.as_line() for line in payload.lines],
        post=payload.post,
        **header,
    )
    return Status(201, queries.invoice(credit.pk))


@router.post("/invoices/{invoice_id}/send", response=InvoiceOut, summary="E-mail with the PDF")
def send_invoice(request, invoice_id: int, payload: InvoiceSendIn):
    services.send_invoice(
        queries.invoice(invoice_id), actor=request.user, to=payload.to, message=payload.message
    )
    return queries.invoice(invoice_id)


@router.get("/invoices/{invoice_id}/pdf", summary="The invoice as PDF")
def invoice_pdf(request, invoice_id: int):
    require(request.user, "accounting.view_invoice")
    invoice = queries.invoice(invoice_id, request.user)
    response = HttpResponse(services.render_pdf(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{invoice.number or invoice.pk}.pdf"'
    return response


@router.get("/invoices/{invoice_id}/ehf", summary="The invoice as EHF (PEPPOL BIS 3.0 UBL)")
def invoice_ehf(request, invoice_id: int):
    require(request.user, "accounting.view_invoice")
    return ehf_response(queries.invoice(invoice_id, request.user))


def ehf_response(invoice: Invoice) -> HttpResponse:
    from samspill.localization.no import ehf

    response = HttpResponse(ehf.invoice_xml(invoice), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{ehf.ehf_filename(invoice)}"'
    return response


@router.get("/payments", response=list[PaymentOut], summary="Customer payments")
@paginate
def list_payments(request, party_id: int | None = None):
    require(request.user, "accounting.view_payment")
    rows = queries.payments(request.user)
    if party_id:
        rows = rows.filter(party_id=party_id)
    return rows


@router.post("/payments", response={201: PaymentOut}, summary="Register a customer payment")
def register_payment(request, payload: PaymentIn):
    payment = services.register_payment(
        actor=request.user,
        party=payload.party_id,
        amount=payload.amount,
        date=payload.date,
        allocations=None
        if payload.allocations is None
        else [
            {"invoice": a.invoice_id, "amount": a.amount, "settle": a.settle}
            for a in payload.allocations
        ],
        allow_prepayment=payload.allow_prepayment,
        reference=payload.reference,
    )
    return Status(201, queries.payment(payment.pk))


@router.get("/payments/{payment_id}", response=PaymentOut, summary="One payment")
def get_payment(request, payment_id: int):
    require(request.user, "accounting.view_payment")
    return queries.payment(payment_id, request.user)
