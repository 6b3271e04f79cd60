"""Report pages: account statement, trial balance, profit and loss, balance sheet."""

from __future__ import annotations

from django.core.paginator import EmptyPage
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View
from django_tables2 import RequestConfig

from samspill.accounting import queries
from samspill.accounting.models import ZERO
from samspill.accounting.tables import StatementTable, TrialBalanceTable
from samspill.accounting.views.common import date_range, found
from samspill.platform.views import (
    EXPORT_FORMATS,
    PermissionRequiredMixin,
    SpreadsheetExport,
)

STATEMENT_PAGE_SIZE = 100


class AccountStatementView(PermissionRequiredMixin, View):
    """An account's posted lines in a date range with the running balance; CSV/XLSX."""

    permission = "accounting.view_journalline"

    def get(self, request, pk):
        account = found(queries.account, pk)
        form = date_range(request)
        rows = queries.lines().none()
        opening = ZERO
        if form.is_valid():
            date_from, date_to = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
            opening = queries.opening_balance(account, date_from)
            rows = queries.statement(account, date_from, date_to, request.user)
        table = StatementTable(rows, opening=opening)
        export = request.GET.get("_export")
        if export in EXPORT_FORMATS:
            return SpreadsheetExport(export, table).response(f"account-{account.number}.{export}")
        RequestConfig(request, paginate=False).configure(table)
        raw = request.GET.get("page", "")
        number = int(raw) if raw.isdigit() and int(raw) > 0 else 1
        try:
            table.paginate(page=number, per_page=STATEMENT_PAGE_SIZE)
        except EmptyPage:
            table.paginate(page=table.paginator.num_pages or 1, per_page=STATEMENT_PAGE_SIZE)
        query = request.GET.copy()
        query.pop("page", None)
        query.pop("_export", None)
        return render(
            request,
            "accounting/account_statement.html",
            {
                "account": account,
                "form": form,
                "table": table,
                "opening": opening,
                "export_query": query.urlencode(),
                "title": _("Account %(account)s") % {"account": account},
            },
        )


# --- Journal entries --------------------------------------------------------------------


# --- Reports ------------------------------------------------------------------------------


class TrialBalanceView(PermissionRequiredMixin, View):
    permission = "accounting.view_journalline"

    def get(self, request):
        form = date_range(request)
        rows = []
        if form.is_valid():
            rows = queries.trial_balance(
                form.cleaned_data["date_from"], form.cleaned_data["date_to"], request.user
            )
        query = request.GET.copy()
        query.pop("_export", None)
        link = f"date_from={form.data['date_from']}&date_to={form.data['date_to']}"
        table = TrialBalanceTable(rows, link_query=link)
        export = request.GET.get("_export")
        if export in EXPORT_FORMATS:
            return SpreadsheetExport(export, table).response(f"trial-balance.{export}")
        totals = {
            name: sum((getattr(row, name) for row in rows), ZERO)
            for name in ("opening", "debit", "credit", "closing")
        }
        return render(
            request,
            "accounting/trial_balance.html",
            {
                "form": form,
                "table": table,
                "totals": totals,
                "export_query": query.urlencode(),
                "title": _("Trial balance"),
            },
        )


class ProfitAndLossView(PermissionRequiredMixin, View):
    permission = "accounting.view_journalline"

    def get(self, request):
        form = date_range(request)
        report = None
        if form.is_valid():
            report = queries.profit_and_loss(
                form.cleaned_data["date_from"], form.cleaned_data["date_to"], request.user
            )
        return render(
            request,
            "accounting/profit_and_loss.html",
            {"form": form, "report": report, "title": _("Profit and loss")},
        )


class BalanceSheetView(PermissionRequiredMixin, View):
    permission = "accounting.view_journalline"

    def get(self, request):
        form = date_range(request)
        report = None
        if form.is_valid():
            report = queries.balance_sheet(form.cleaned_data["date_to"], request.user)
        return render(
            request,
            "accounting/balance_sheet.html",
            {"form": form, "report": report, "title": _("Balance sheet")},
        )
