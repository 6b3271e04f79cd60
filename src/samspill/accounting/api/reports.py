"""/api/v1/accounting/reports: trial balance, general ledger, profit and loss, balance sheet,
VAT report, open items with ageing (read-only); /api/v1/accounting/open-items: matching."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from ninja import Field, Query, Router, Schema

from samspill.accounting import queries, services
from samspill.accounting.queries import general_ledger as gl
from samspill.accounting.queries import open_items, vat
from samspill.localization.no.models import VatCode
from samspill.platform.errors import NotFound, ValidationFailed
from samspill.platform.pagination import paginate
from samspill.platform.permissions import require

router = Router(tags=["accounting"])


class TrialBalanceRowOut(Schema):
    account_id: int
    number: str
    name: str
    opening: Decimal
    debit: Decimal
    credit: Decimal
    closing: Decimal


class TrialBalanceOut(Schema):
    date_from: dt.date
    date_to: dt.date
    rows: list[TrialBalanceRowOut]
    total_debit: Decimal
    total_credit: Decimal
    total_closing: Decimal


@router.get("/reports/trial-balance", response=TrialBalanceOut, summary="Trial balance")
def trial_balance(request, date_from: dt.date, date_to: dt.date):
    require(request.user, "accounting.view_journalline")
    if date_from > date_to:
        raise ValidationFailed(errors={"date_from": ["date_from is after date_to"]})
    rows = queries.trial_balance(date_from, date_to, request.user)
    return {
        "date_from": date_from,
        "date_to": date_to,
        "rows": rows,
        "total_debit": sum((r.debit for r in rows), Decimal("0.00")),
        "total_credit": sum((r.credit for r in rows), Decimal("0.00")),
        "total_closing": sum((r.closing for r in rows), Decimal("0.00")),
    }


class ReportLineOut(Schema):
    account_id: int
    number: str
    name: str
    amount: Decimal


class ReportSectionOut(Schema):
    key: str
    title: str
    lines: list[ReportLineOut]
    total: Decimal

    @staticmethod
    def resolve_title(obj) -> str:
        return str(obj.title)


class ProfitAndLossOut(Schema):
    sections: list[ReportSectionOut]
    operating_result: Decimal
    result: Decimal


class BalanceSheetOut(Schema):
    assets: ReportSectionOut
    equity: ReportSectionOut
    liabilities: ReportSectionOut
    unclosed_result: Decimal
    total_assets: Decimal
    total_equity_and_liabilities: Decimal


@router.get("/reports/profit-and-loss", response=ProfitAndLossOut, summary="Profit and loss")
def profit_and_loss(request, date_from: dt.date, date_to: dt.date):
    require(request.user, "accounting.view_journalline")
    return queries.profit_and_loss(date_from, date_to, request.user)


@router.get("/reports/balance-sheet", response=BalanceSheetOut, summary="Balance sheet at a date")
def balance_sheet(request, at: dt.date):
    require(request.user, "accounting.view_journalline")
    return queries.balance_sheet(at, request.user)


def _range(date_from: dt.date, date_to: dt.date) -> None:
    if date_from > date_to:
        raise ValidationFailed(errors={"date_from": ["date_from is after date_to"]})


class ReportLineItemOut(Schema):
    """A posted line in a report (general ledger, VAT drill-down, open items)."""

    id: int
    entry_id: int
    voucher: str = Field(..., alias="entry.voucher")
    date: dt.date
    account: str = Field(..., alias="account.number")
    description: str
    party_id: int | None
    vat_code: str | None = Field(None, alias="vat_code.code")
    debit: Decimal
    credit: Decimal
    due_date: dt.date | None
    match: int | None


class GeneralLedgerLineOut(ReportLineItemOut):
    account_name: str = Field(..., alias="account.name")
    balance: Decimal = Field(description="The account's balance after this line")


class LedgerAccountOut(Schema):
    account_id: int = Field(..., alias="account.pk")
    number: str = Field(..., alias="account.number")
    name: str = Field(..., alias="account.name")
    opening: Decimal
    debit: Decimal
    credit: Decimal
    closing: Decimal
    continued: bool = Field(description="The account's lines began on an earlier page")
    lines: list[GeneralLedgerLineOut]


class GeneralLedgerOut(Schema):
    date_from: dt.date
    date_to: dt.date
    accounts: list[LedgerAccountOut]
    count: int = Field(description="Number of lines on all pages")
    page: int
    page_size: int


class GeneralLedgerFilters(Schema):
    date_from: dt.date
    date_to: dt.date
    account_from: str = Field("", description="First account number")
    account_to: str = Field("", description="Last account number")
    journal: str = Field("", description="Journal code")
    party: int | None = None
    page: int = Field(1, ge=1)
    page_size: int | None = Field(None, ge=1)


@router.get(
    "/reports/general-ledger",
    response=GeneralLedgerOut,
    summary="General ledger: accounts with lines and running balances (paginated by lines)",
)
def general_ledger(request, filters: Query[GeneralLedgerFilters]):
    require(request.user, "accounting.view_journalline")
    _range(filters.date_from, filters.date_to)
    spec = gl.LedgerFilter(
        date_from=filters.date_from,
        date_to=filters.date_to,
        account_from=filters.account_from.strip(),
        account_to=filters.account_to.strip(),
        journal=filters.journal.strip().upper(),
        party=filters.party,
    )
    config = settings.SAMSPILL
    size = int(min(filters.page_size or config["PAGE_SIZE"], config["MAX_PAGE_SIZE"]))
    page = gl.ledger_page(spec, filters.page, size, request.user)
    return {
        "date_from": spec.date_from,
        "date_to": spec.date_to,
        "accounts": page.blocks,
        "count": page.count,
        "page": page.number,
        "page_size": size,
    }


class VatRowOut(Schema):
    vat_code_id: int
    code: str
    standard_code: str = Field(description="SAF-T standard tax code (what the VAT return uses)")
    name: str
    direction: str
    rate: Decimal
    basis: Decimal
    output_vat: Decimal
    input_vat: Decimal


class VatReportOut(Schema):
    date_from: dt.date
    date_to: dt.date
    rows: list[VatRowOut]
    output_vat: Decimal
    input_vat: Decimal
    to_pay: Decimal = Field(description="Output minus input VAT: negative is to get back")


@router.get(
    "/reports/vat",
    response=VatReportOut,
    summary="VAT report per VAT code: give a year and term (1-6), or a date range",
)
def vat_report(
    request,
    year: int | None = None,
    term: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
):
    require(request.user, "accounting.view_journalline")
    date_from, date_to = _term_or_range(year, term, date_from, date_to)
    return vat.vat_report(date_from, date_to, request.user)


def _term_or_range(year, term, date_from, date_to) -> tuple[dt.date, dt.date]:
    if year is not None or term is not None:
        if year is None or term is None or not 1 <= term <= vat.TERMS or not 1 <= year <= 9999:
            raise ValidationFailed(errors={"term": ["Give a year and a term from 1 to 6."]})
        return vat.term_range(year, term)
    if date_from is None or date_to is None:
        raise ValidationFailed(
            errors={"date_from": ["Give date_from and date_to, or year and term."]}
        )
    _range(date_from, date_to)
    return date_from, date_to


@router.get(
    "/reports/vat/{code}/lines",
    response=list[ReportLineItemOut],
    summary="The lines of one VAT code in a term or range",
)
@paginate
def vat_lines(
    request,
    code: str,
    year: int | None = None,
    term: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
):
    require(request.user, "accounting.view_journalline")
    vat_code = VatCode.objects.filter(code=code).first()
    if vat_code is None:
        raise NotFound(f"VAT code {code} does not exist.")
    date_from, date_to = _term_or_range(year, term, date_from, date_to)
    return vat.vat_code_lines(vat_code.pk, date_from, date_to, request.user)


class PartyAgeingOut(Schema):
    party_id: int | None
    name: str
    items: int
    not_due: Decimal
    days_1_30: Decimal
    days_31_60: Decimal
    days_61_90: Decimal
    over_90: Decimal
    total: Decimal


class AgeingTotalsOut(Schema):
    not_due: Decimal
    days_1_30: Decimal
    days_31_60: Decimal
    days_61_90: Decimal
    over_90: Decimal
    total: Decimal


class OpenItemsOut(Schema):
    account: str
    at: dt.date
    parties: list[PartyAgeingOut]
    totals: AgeingTotalsOut

    @staticmethod
    def resolve_account(obj) -> str:
        return obj["account"].number


def _reconcilable(number: str):
    account = queries.accounts().filter(number=number, reconcilable=True).first()
    if account is None:
        raise NotFound(f"Account {number} does not exist or keeps no open items.")
    return account


@router.get(
    "/reports/open-items",
    response=OpenItemsOut,
    summary="Open items per party with ageing (1500 customers, 2400 suppliers)",
)
def open_items_report(request, account: str = "1500", at: dt.date | None = None):
    require(request.user, "accounting.view_journalline")
    return open_items.ageing(_reconcilable(account), at or dt.date.today(), request.user)


class OpenItemOut(Schema):
    key: int = Field(description="The match number, or the line id of an unmatched line")
    amount: Decimal = Field(description="Open amount on the account's normal side")
    due: dt.date
    days_overdue: int
    bucket: str
    matched: bool
    lines: list[ReportLineItemOut]


@router.get(
    "/reports/open-items/{account}/{party_id}",
    response=list[OpenItemOut],
    summary="A party's open items with their lines",
)
def party_open_items(request, account: str, party_id: int, at: dt.date | None = None):
    require(request.user, "accounting.view_journalline")
    return open_items.party_items(
        _reconcilable(account), party_id, at or dt.date.today(), request.user
    )


class MatchIn(Schema):
    lines: list[int] = Field(description="Ids of posted lines on one account and party")


class MatchOut(Schema):
    match: int


class UnmatchOut(Schema):
    released: int


class AutoMatchIn(Schema):
    account: str = "1500"
    party_id: int | None = Field(None, description="One party, or every party")


class AutoMatchOut(Schema):
    matches: list[int]


@router.post("/open-items/match", response=MatchOut, summary="Match open items")
def match(request, payload: MatchIn):
    return {"match": services.match_lines(payload.lines, actor=request.user)}


@router.post("/open-items/{match}/unmatch", response=UnmatchOut, summary="Release a match")
def unmatch(request, match: int):
    return {"released": services.unmatch_lines(match, actor=request.user)}


@router.post(
    "/open-items/auto-match",
    response=AutoMatchOut,
    summary="Match payments with the oldest invoice of the same amount",
)
def auto_match(request, payload: AutoMatchIn):
    require(request.user, "accounting.change_journalline")
    account = _reconcilable(payload.account)
    return {"matches": services.auto_match(account, payload.party_id, actor=request.user)}


class StatementLineOut(ReportLineItemOut):
    balance: Decimal = Field(description="The account's balance after this line")


class StatementFilters(Schema):
    date_from: dt.date
    date_to: dt.date
    page: int = Field(1, ge=1)
    page_size: int | None = Field(None, ge=1)


class StatementOut(Schema):
    account: str
    name: str
    date_from: dt.date
    date_to: dt.date
    opening: Decimal
    lines: list[StatementLineOut]
    count: int = Field(description="Number of lines on all pages")
    page: int
    page_size: int


@router.get(
    "/reports/account-statement/{number}",
    response=StatementOut,
    summary="Account statement: an account's lines with the running balance (paginated)",
)
def account_statement(request, number: str, filters: Query[StatementFilters]):
    require(request.user, "accounting.view_journalline")
    date_from, date_to, page = filters.date_from, filters.date_to, filters.page
    page_size = filters.page_size
    _range(date_from, date_to)
    account = queries.accounts(request.user).filter(number=number).first()
    if account is None:
        raise NotFound(f"Account {number} does not exist.")
    config = settings.SAMSPILL
    size = int(min(page_size or config["PAGE_SIZE"], config["MAX_PAGE_SIZE"]))
    opening = queries.opening_balance(account, date_from)
    rows = queries.statement(account, date_from, date_to, request.user)
    offset = (page - 1) * size
    lines = list(rows[offset : offset + size])
    for line in lines:
        line.balance = opening + queries.cents(line.running)
    return {
        "account": account.number,
        "name": account.name,
        "date_from": date_from,
        "date_to": date_to,
        "opening": opening,
        "lines": lines,
        "count": rows.count(),
        "page": page,
        "page_size": size,
    }
