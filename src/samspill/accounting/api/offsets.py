"""/api/v1/accounting/credit-notes/{id}/offset: use an open credit note to pay an open
invoice of the same customer. Writes go through services.offsets."""

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Router, Schema, Status

from samspill.accounting.queries import invoices as queries
from samspill.accounting.queries.ledger import cents
from samspill.accounting.services.offsets import offset_credit_note

router = Router(tags=["accounting"])


class CreditOffsetIn(Schema):
    invoice_id: int
    amount: Decimal | None = Field(None, description="Empty: all that fits")
    date: dt.date | None = None


class CreditOffsetOut(Schema):
    entry_id: int
    credit_note_id: int
    credit_left: Decimal = Field(..., description="Credit still open on the credit note")
    invoice_id: int
    invoice_open: Decimal = Field(..., description="What the invoice still has open")


@router.post(
    "/credit-notes/{credit_note_id}/offset",
    response={201: CreditOffsetOut},
    summary="Offset an open credit note against an invoice of the customer",
)
def offset(request, credit_note_id: int, payload: CreditOffsetIn):
    entry = offset_credit_note(
        credit_note_id,
        payload.invoice_id,
        actor=request.user,
        amount=payload.amount,
        date=payload.date,
    )
    credit: Any = queries.invoice(credit_note_id)
    invoice: Any = queries.invoice(payload.invoice_id)
    return Status(
        201,
        {
            "entry_id": entry.pk,
            "credit_note_id": credit.pk,
            "credit_left": -cents(credit.open_amount),
            "invoice_id": invoice.pk,
            "invoice_open": cents(invoice.open_amount),
        },
    )
