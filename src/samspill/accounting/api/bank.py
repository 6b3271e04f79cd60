"""/api/v1/accounting/bank-statements: import the bank's camt.053 file, read statements and
their lines, accept a proposed match or book a line to an account. Thin: writes go through
accounting.services.bank, reads through queries.bank."""

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile

from samspill.accounting.queries import bank as queries
from samspill.accounting.services import bank as services
from samspill.platform.errors import ValidationFailed
from samspill.platform.pagination import paginate
from samspill.platform.permissions import require

router = Router(tags=["accounting"])
MAX_STATEMENT_BYTES = 20 * 1024 * 1024


class BankStatementLineOut(Schema):
    id: int
    position: int
    date: dt.date
    amount: Decimal = Field(..., description="Money in positive, money out negative")
    currency: str
    kid: str = Field(..., description="KID or other structured creditor reference")
    text: str
    counterparty_name: str
    counterparty_account: str
    bank_reference: str
    state: str = Field(..., description="unmatched, proposed, matched or booked")
    confidence: int = Field(..., description="100: KID and amount; 80: payer and amount")
    proposed_invoice_id: int | None
    proposed_bill_id: int | None = Field(None, description="Money out: the supplier bill")
    supplier_payment_id: int | None = None
    payment_id: int | None
    entry_id: int | None


class BankStatementSummaryOut(Schema):
    id: int
    statement_id: str
    account: str
    currency: str
    period_start: dt.date | None
    period_end: dt.date | None
    opening_balance: Decimal | None
    closing_balance: Decimal | None
    imported_at: dt.datetime
    line_count: int
    matched_count: int
    proposed_count: int
    unmatched_count: int


class BankStatementOut(BankStatementSummaryOut):
    lines: list[BankStatementLineOut]

    @staticmethod
    def resolve_lines(obj):
        return list(queries.statement_lines(obj))


class BookIn(Schema):
    account: str = Field(..., description="Account number, e.g. 8050")


@router.get(
    "/bank-statements", response=list[BankStatementSummaryOut], summary="Imported bank statements"
)
@paginate
def list_statements(request):
    require(request.user, "accounting.view_bankstatement")
    return queries.statements(request.user)


@router.post(
    "/bank-statements",
    response={201: list[BankStatementOut]},
    summary="Import a camt.053 bank statement file and match its lines",
)
def import_statement(request, file: File[UploadedFile]):
    """Every statement in the file is imported; credit lines with an open invoice's KID pay
    it. Refused with nothing written: not a camt.053 file (422), another account than the
    company's (422), a statement imported before (409)."""
    require(request.user, "accounting.add_bankstatement")
    if file.size and file.size > MAX_STATEMENT_BYTES:
        raise ValidationFailed(errors={"file": [_("The file is larger than 20 MB.")]})
    created = services.import_camt053(file.read(), actor=request.user)
    return Status(201, [queries.statement(s.pk) for s in created])


@router.get(
    "/bank-statements/{statement_id}", response=BankStatementOut, summary="One statement with lines"
)
def get_statement(request, statement_id: int):
    require(request.user, "accounting.view_bankstatement")
    return queries.statement(statement_id, request.user)


@router.post(
    "/bank-statements/lines/{line_id}/accept",
    response=BankStatementLineOut,
    summary="Accept the proposed invoice: the line pays it",
)
def accept_line(request, line_id: int):
    return services.accept_proposal(queries.line(line_id, request.user), actor=request.user)


@router.post(
    "/bank-statements/lines/{line_id}/book",
    response=BankStatementLineOut,
    summary="Book a line against an account (bank on the other side)",
)
def book_line(request, line_id: int, payload: BookIn):
    return services.book_line_to_account(
        queries.line(line_id, request.user), payload.account, actor=request.user
    )
