"""/api/v1/accounting/reports: trial balance, profit and loss, balance sheet. Read-only."""

import datetime as dt
from decimal import Decimal

from ninja import Router, Schema

from samspill.accounting import queries
from samspill.platform.errors import ValidationFailed
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
