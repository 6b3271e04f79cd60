"""/api/v1/accounting: accounts, journals, fiscal years and periods, journal entries and
projects. Thin: writes go through accounting.services, reads through queries."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Query, Router, Schema, Status

from samspill.accounting import queries, services
from samspill.platform.pagination import paginate
from samspill.platform.permissions import require

router = Router(tags=["accounting"])


class AccountOut(Schema):
    id: int
    number: str
    name: str
    name_en: str
    kind: str
    normal_side: str
    default_vat_code: str | None = Field(None, alias="default_vat_code.code")
    vat_usage: str
    reconcilable: bool
    party_required: bool
    active: bool
    standard_account: str
    grouping_category: str
    grouping_code: str


class AccountPatch(Schema):
    name: str | None = None
    name_en: str | None = None
    default_vat_code: str | None = None
    vat_usage: str | None = None
    reconcilable: bool | None = None
    party_required: bool | None = None
    active: bool | None = None
    standard_account: str | None = None
    grouping_category: str | None = None
    grouping_code: str | None = None


class JournalOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    active: bool


class PeriodOut(Schema):
    id: int
    number: int
    start: dt.date
    end: dt.date
    closed: bool


class FiscalYearOut(Schema):
    id: int
    name: str
    start: dt.date
    end: dt.date
    closed: bool
    periods: list[PeriodOut]


class FiscalYearIn(Schema):
    start: dt.date


class EntryLineIn(Schema):
    account: str = Field(..., description="Account number, e.g. 1920")
    debit: Decimal | None = None
    credit: Decimal | None = None
    description: str = ""
    party_id: int | None = None
    vat_code: str | None = Field(None, description="VAT code; its VAT line is added")
    department_id: int | None = None
    project: str | None = Field(None, description="Project code")
    due_date: dt.date | None = Field(None, description="Due date of an open item")

    def as_line(self) -> dict:
        return {
            "account": self.account,
            "debit": self.debit,
            "credit": self.credit,
            "description": self.description,
            "party": self.party_id,
            "vat_code": self.vat_code,
            "department": self.department_id,
            "project": self.project,
            "due_date": self.due_date,
        }


class EntryIn(Schema):
    journal: str = Field(..., description="Journal code: SAL, PUR, BNK, CSH, GEN")
    date: dt.date
    description: str = ""
    lines: list[EntryLineIn]
    post: bool = Field(False, description="Post at once instead of saving a draft")


class EntryPatch(Schema):
    journal: str | None = None
    date: dt.date | None = None
    description: str | None = None
    lines: list[EntryLineIn] | None = Field(None, description="Replaces all lines of the draft")


class ReverseIn(Schema):
    date: dt.date | None = None
    description: str | None = None


class EntryLineOut(Schema):
    line_no: int
    account: str = Field(..., alias="account.number")
    debit: Decimal
    credit: Decimal
    description: str
    party_id: int | None
    vat_code: str | None = Field(None, alias="vat_code.code")
    vat_of_line: int | None = Field(None, alias="vat_of.line_no")
    department_id: int | None
    project: str | None = Field(None, alias="project.code")
    due_date: dt.date | None
    match: int | None = Field(None, description="Match number of settled open items")


class EntrySummaryOut(Schema):
    id: int
    voucher: str
    journal: str = Field(..., alias="journal.code")
    date: dt.date
    state: str
    kind: str
    description: str
    total: Decimal
    reversal_of_id: int | None
    posted_at: dt.datetime | None


class EntryOut(EntrySummaryOut):
    lines: list[EntryLineOut]

    @staticmethod
    def resolve_lines(obj):
        return list(queries.entry_lines(obj).select_related("vat_of"))


class EntryFilters(Schema):
    journal: str | None = None
    state: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    party_id: int | None = None


# --- Accounts, journals, years ----------------------------------------------------------


@router.get("/accounts", response=list[AccountOut], summary="Chart of accounts")
@paginate
def list_accounts(request, q: str | None = None, active: bool | None = None):
    require(request.user, "accounting.view_account")
    rows = queries.accounts(request.user)
    if q:
        rows = rows.filter(number__startswith=q) | rows.filter(name__icontains=q)
    if active is not None:
        rows = rows.filter(active=active)
    return rows


class AccountIn(AccountPatch):
    number: str
    name: str  # type: ignore[assignment]
    kind: str = Field(..., description="asset, liability, equity, income or expense")


@router.post("/accounts", response={201: AccountOut}, summary="Create an account")
def create_account(request, payload: AccountIn):
    data = payload.model_dump(exclude_unset=True)
    account = services.create_account(actor=request.user, **data)
    return Status(201, queries.account_by_number(account.number))


@router.get("/accounts/{number}", response=AccountOut, summary="One account")
def get_account(request, number: str):
    require(request.user, "accounting.view_account")
    return queries.account_by_number(number, request.user)


@router.patch("/accounts/{number}", response=AccountOut, summary="Change an account")
def patch_account(request, number: str, payload: AccountPatch):
    require(request.user, "accounting.change_account")
    account = queries.account_by_number(number)
    services.update_account(account, actor=request.user, **payload.model_dump(exclude_unset=True))
    return queries.account_by_number(number)


@router.get("/journals", response=list[JournalOut], summary="Journals")
def list_journals(request):
    require(request.user, "accounting.view_journal")
    return list(queries.journals(request.user))


@router.get("/fiscal-years", response=list[FiscalYearOut], summary="Fiscal years and periods")
def list_fiscal_years(request):
    require(request.user, "accounting.view_fiscalyear")
    return list(queries.fiscal_years(request.user))


@router.post("/fiscal-years", response={201: FiscalYearOut}, summary="Open a fiscal year")
def open_fiscal_year(request, payload: FiscalYearIn):
    year = services.open_fiscal_year(actor=request.user, start=payload.start)
    return Status(201, queries.fiscal_years().get(pk=year.pk))


@router.post("/fiscal-years/{year_id}/close", response=FiscalYearOut, summary="Year-end close")
def close_fiscal_year(request, year_id: int):
    require(request.user, "accounting.close_fiscalyear")
    services.close_year(queries.fiscal_year(year_id), actor=request.user)
    return queries.fiscal_years().get(pk=year_id)


@router.post("/periods/{period_id}/close", response=PeriodOut, summary="Close a month")
def close_period(request, period_id: int):
    require(request.user, "accounting.close_period")
    return services.close_period(queries.period(period_id), actor=request.user)


@router.post("/periods/{period_id}/reopen", response=PeriodOut, summary="Reopen a month")
def reopen_period(request, period_id: int):
    require(request.user, "accounting.close_period")
    return services.reopen_period(queries.period(period_id), actor=request.user)


# --- Entries ----------------------------------------------------------------------------


@router.get("/entries", response=list[EntrySummaryOut], summary="Journal entries")
@paginate
def list_entries(request, filters: Query[EntryFilters]):
    require(request.user, "accounting.view_journalentry")
    rows = queries.entries(request.user)
    if filters.journal:
        rows = rows.filter(journal__code=filters.journal.upper())
    if filters.state:
        rows = rows.filter(state=filters.state)
    if filters.date_from:
        rows = rows.filter(date__gte=filters.date_from)
    if filters.date_to:
        rows = rows.filter(date__lte=filters.date_to)
    if filters.party_id:
        rows = rows.filter(
            pk__in=queries.lines().filter(party_id=filters.party_id).values("entry_id")
        )
    return rows


@router.post(
    "/entries", response={201: EntryOut}, summary="Record a journal entry (draft or posted)"
)
def create_entry(request, payload: EntryIn):
    entry = services.create_entry(
        actor=request.user,
        journal=payload.journal,
        date=payload.date,
        description=payload.description,
        lines=[line.as_line() for line in payload.lines],
        post=payload.post,
    )
    return Status(201, queries.entry(entry.pk))


@router.get("/entries/{entry_id}", response=EntryOut, summary="One journal entry with its lines")
def get_entry(request, entry_id: int):
    require(request.user, "accounting.view_journalentry")
    return queries.entry(entry_id, request.user)


@router.patch("/entries/{entry_id}", response=EntryOut, summary="Change a draft")
def patch_entry(request, entry_id: int, payload: EntryPatch):
    require(request.user, "accounting.change_journalentry")
    changes = payload.model_dump(exclude_unset=True, exclude={"lines"})
    if payload.lines is not None:
        changes["lines"] = [line.as_line() for line in payload.lines]
    services.update_entry(queries.entry(entry_id), actor=request.user, **changes)
    return queries.entry(entry_id)


@router.delete("/entries/{entry_id}", response={204: None}, summary="Delete a draft")
def delete_entry(request, entry_id: int):
    require(request.user, "accounting.delete_journalentry")
    services.delete_entry(queries.entry(entry_id), actor=request.user)
    return Status(204, None)


@router.post("/entries/{entry_id}/post", response=EntryOut, summary="Post a draft")
def post_entry(request, entry_id: int):
    require(request.user, "accounting.post_journalentry")
    services.post_entry(queries.entry(entry_id), actor=request.user)
    return queries.entry(entry_id)


@router.post(
    "/entries/{entry_id}/reverse", response={201: EntryOut}, summary="Reverse a posted entry"
)
def reverse_entry(request, entry_id: int, payload: ReverseIn):
    require(request.user, "accounting.post_journalentry")
    reversal = services.reverse_entry(
        queries.entry(entry_id),
        actor=request.user,
        date=payload.date,
        description=payload.description,
    )
    return Status(201, queries.entry(reversal.pk))


class ProjectOut(Schema):
    id: int
    code: str
    name: str
    active: bool


class ProjectIn(Schema):
    code: str
    name: str


@router.get("/projects", response=list[ProjectOut], summary="Projects")
@paginate
def list_projects(request):
    require(request.user, "accounting.view_project")
    return queries.projects(request.user)


@router.post("/projects", response={201: ProjectOut}, summary="Create a project")
def create_project(request, payload: ProjectIn):
    return Status(201, services.create_project(actor=request.user, **payload.model_dump()))
