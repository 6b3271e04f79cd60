"""/api/v1/accounting/dunning and /reminders: overdue invoices, reminders (purring) and
collection notices (inkassovarsel), their PDFs. Writes go through services.dunning."""

import datetime as dt
from decimal import Decimal

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status

from samspill.accounting.queries import dunning as queries
from samspill.accounting.queries.ledger import cents
from samspill.accounting.services import dunning as services
from samspill.platform.pagination import paginate
from samspill.platform.permissions import require

router = Router(tags=["accounting"])


class OverdueInvoiceOut(Schema):
    id: int
    number: str
    kid: str
    party_id: int
    party_name: str = Field(..., alias="party.display_name")
    invoice_date: dt.date
    due_date: dt.date
    days_overdue: int
    total: Decimal
    currency: str
    open_amount: Decimal = Field(..., description="Still open incl. earlier fees, base currency")
    last_level: int | None = Field(None, description="1 reminder, 2 collection notice")
    last_reminder_date: dt.date | None = None
    reminder_due_date: dt.date | None = None

    @staticmethod
    def resolve_open_amount(obj):
        return cents(obj.open_amount)

    @staticmethod
    def resolve_days_overdue(obj):
        return (dt.date.today() - obj.due_date).days


class OverdueFilters(Schema):
    party_id: int | None = None
    level: int | None = Field(None, description="0: never reminded; 1 or 2: last level sent")


class ReminderIn(Schema):
    invoice_ids: list[int] = Field(..., description="Each gets its next level")
    date: dt.date | None = Field(None, description="Empty: today")
    fee: bool = Field(True, description="Charge the company's reminder fee")
    send: bool = Field(False, description="E-mail each to the customer with the PDF")


class ReminderOut(Schema):
    id: int
    invoice_id: int
    invoice_number: str = Field(..., alias="invoice.number")
    party_id: int
    level: int = Field(..., description="1 reminder (purring), 2 collection notice")
    date: dt.date
    due_date: dt.date
    claim: Decimal
    fee: Decimal
    fee_entry_id: int | None
    language: str
    sent_at: dt.datetime | None
    sent_to: str


class ReminderCreatedOut(Schema):
    reminders: list[ReminderOut]
    not_sent: list[str] = Field(default_factory=list, description="Why an e-mail failed")


class ReminderFilters(Schema):
    party_id: int | None = None
    invoice_id: int | None = None
    level: int | None = None


class ReminderSendIn(Schema):
    to: str = ""


@router.get(
    "/dunning/overdue", response=list[OverdueInvoiceOut], summary="Overdue invoices to remind"
)
@paginate
def list_overdue(request, filters: Query[OverdueFilters]):
    require(request.user, "accounting.view_reminder")
    return queries.overdue_invoices(request.user, party_id=filters.party_id, level=filters.level)


@router.get("/reminders", response=list[ReminderOut], summary="Reminders and collection notices")
@paginate
def list_reminders(request, filters: Query[ReminderFilters]):
    require(request.user, "accounting.view_reminder")
    return queries.filter_reminders(queries.reminders(request.user), **filters.dict())


@router.post(
    "/reminders",
    response={201: ReminderCreatedOut},
    summary="Write the next reminder of overdue invoices (all or nothing)",
)
def create_reminders(request, payload: ReminderIn):
    created = services.create_reminders(
        payload.invoice_ids, actor=request.user, date=payload.date, fee=payload.fee
    )
    problems: list[str] = []
    if payload.send:
        _sent, problems = services.send_reminders(created, actor=request.user)
    rows = list(queries.reminders().filter(pk__in=[r.pk for r in created]).order_by("id"))
    return Status(201, {"reminders": rows, "not_sent": problems})


@router.get("/reminders/{reminder_id}", response=ReminderOut, summary="One reminder")
def get_reminder(request, reminder_id: int):
    require(request.user, "accounting.view_reminder")
    return queries.reminder(reminder_id, request.user)


@router.post("/reminders/{reminder_id}/send", response=ReminderOut, summary="E-mail with the PDF")
def send_reminder(request, reminder_id: int, payload: ReminderSendIn):
    services.send_reminder(queries.reminder(reminder_id), actor=request.user, to=payload.to)
    return queries.reminder(reminder_id)


@router.get("/reminders/{reminder_id}/pdf", summary="The reminder as PDF")
def reminder_pdf(request, reminder_id: int):
    require(request.user, "accounting.view_reminder")
    reminder = queries.reminder(reminder_id, request.user)
    response = HttpResponse(services.render_reminder_pdf(reminder), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{services.reminder_filename(reminder)}"'
    )
    return response
