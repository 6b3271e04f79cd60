"""Report pages: the reports index, account statement, trial balance, general ledger, profit
and loss, balance sheet, VAT report, open items with ageing and the matching screen. Every
report downloads as CSV, XLSX and PDF through `common.report_export`."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.paginator import EmptyPage
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django_tables2 import RequestConfig

from samspill.accounting import queries, services
from samspill.accounting.forms import GeneralLedgerForm, OpenItemsForm
from samspill.accounting.models import ZERO, Account
from samspill.accounting.queries import general_ledger as gl
from samspill.accounting.queries import open_items, vat
from samspill.accounting.tables import (
    AgeingTable,
    GeneralLedgerTable,
    LinesTable,
    ReportLinesTable,
    StatementTable,
    TrialBalanceTable,
    VatTable,
)
from samspill.accounting.views.common import (
    date_range,
    export_query,
    found,
    range_text,
    report_export,
)
from samspill.localization.no.models import VatCode
from samspill.platform.errors import DomainError
from samspill.platform.views import PermissionRequiredMixin, style_form

STATEMENT_PAGE_SIZE = 100
LEDGER_PAGE_SIZE = 200
VIEW_LINES = "accounting.view_journalline"


def as_of(day: date) -> str:
    return _("As of %(date)s") % {"date": formats.date_format(day, "SHORT_DATE_FORMAT")}


def page_number(request) -> int:
    raw = request.GET.get("page", "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else 1


REPORTS = (
    (
        "accounting:trial_balance",
        gettext_lazy("Trial balance"),
        gettext_lazy("Per account: opening balance, debits, credits and closing balance."),
    ),
    (
        "accounting:general_ledger",
        gettext_lazy("General ledger"),
        gettext_lazy("Every account with its lines and running balance."),
    ),
    (
        "accounting:profit_and_loss",
        gettext_lazy("Profit and loss"),
        gettext_lazy("Income and expenses and the result for a period."),
    ),
    (
        "accounting:balance_sheet",
        gettext_lazy("Balance sheet"),
        gettext_lazy("Assets, equity and liabilities at a date."),
    ),
    (
        "accounting:vat_report",
        gettext_lazy("VAT report"),
        gettext_lazy("Basis and VAT per VAT code and term: the basis for the VAT return."),
    ),
    (
        "accounting:open_items",
        gettext_lazy("Open items"),
        gettext_lazy("Customers and suppliers: what is open, by age, and matching."),
    ),
)


class ReportsIndexView(PermissionRequiredMixin, View):
    permission = VIEW_LINES

    def get(self, request):
        return render(
            request,
            "accounting/reports.html",
            {
                "reports": [
                    {"url": reverse(name), "title": title, "text": text}
                    for name, title, text in REPORTS
                ],
                "title": _("Reports"),
            },
        )


class AccountStatementView(PermissionRequiredMixin, View):
    """An account's posted lines in a date range with the running balance."""

    permission = VIEW_LINES

    def get(self, request, pk):
        account = found(queries.account, pk)
        form = date_range(request)
        rows = queries.lines().none()
        opening = ZERO
        period = ""
        if form.is_valid():
            date_from, date_to = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
            opening = queries.opening_balance(account, date_from)
            rows = queries.statement(account, date_from, date_to, request.user)
            period = range_text(date_from, date_to)
        table = StatementTable(rows, opening=opening)
        title = _("Account %(account)s") % {"account": account}
        export = report_export(
            request,
            table,
            title=title,
            period=period,
            filename=f"account-{account.number}",
            footer=[["", "", _("Opening balance"), "", "", "", "", opening]],
        )
        if export is not None:
            return export
        RequestConfig(request, paginate=False).configure(table)
        try:
            table.paginate(page=page_number(request), per_page=STATEMENT_PAGE_SIZE)
        except EmptyPage:
            table.paginate(page=table.paginator.num_pages or 1, per_page=STATEMENT_PAGE_SIZE)
        return render(
            request,
            "accounting/account_statement.html",
            {
                "account": account,
                "form": form,
                "table": table,
                "opening": opening,
                "export_query": export_query(request),
                "title": title,
            },
        )


class TrialBalanceView(PermissionRequiredMixin, View):
    permission = VIEW_LINES

    def get(self, request):
        form = date_range(request)
        rows = []
        period = ""
        if form.is_valid():
            date_from, date_to = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
            rows = queries.trial_balance(date_from, date_to, request.user)
            period = range_text(date_from, date_to)
        link = f"date_from={form.data['date_from']}&date_to={form.data['date_to']}"
        table = TrialBalanceTable(rows, link_query=link)
        totals = {
            name: sum((getattr(row, name) for row in rows), ZERO)
            for name in ("opening", "debit", "credit", "closing")
        }
        footer = [["", _("Total"), *totals.values()]]
        export = report_export(
            request,
            table,
            title=_("Trial balance"),
            period=period,
            filename="trial-balance",
            footer=footer,
        )
        if export is not None:
            return export
        return render(
            request,
            "accounting/trial_balance.html",
            {
                "form": form,
                "table": table,
                "totals": totals,
                "export_query": export_query(request),
                "title": _("Trial balance"),
            },
        )


def _section_rows(sections, subtotal_after=None) -> list[dict]:
    rows: list[dict] = []
    for section in sections:
        rows.append({"name": str(section.title)})
        rows += [{"number": x.number, "name": x.name, "amount": x.amount} for x in section.lines]
        rows.append({"name": f"{_('Total')} {str(section.title).lower()}", "amount": section.total})
        if subtotal_after and section.key == subtotal_after[0]:
            rows.append({"name": subtotal_after[1], "amount": subtotal_after[2]})
    return rows


class ProfitAndLossView(PermissionRequiredMixin, View):
    permission = VIEW_LINES

    def get(self, request):
        form = date_range(request)
        report = None
        if form.is_valid():
            date_from, date_to = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
            report = queries.profit_and_loss(date_from, date_to, request.user)
            rows = _section_rows(
                report["sections"], ("other", _("Operating result"), report["operating_result"])
            )
            rows.append({"name": _("Result"), "amount": report["result"]})
            export = report_export(
                request,
                ReportLinesTable(rows),
                title=_("Profit and loss"),
                period=range_text(date_from, date_to),
                filename="profit-and-loss",
            )
            if export is not None:
                return export
        return render(
            request,
            "accounting/profit_and_loss.html",
            {
                "form": form,
                "report": report,
                "export_query": export_query(request),
                "title": _("Profit and loss"),
            },
        )


class BalanceSheetView(PermissionRequiredMixin, View):
    permission = VIEW_LINES

    def get(self, request):
        form = date_range(request)
        report = None
        if form.is_valid():
            at = form.cleaned_data["date_to"]
            report = queries.balance_sheet(at, request.user)
            rows = _section_rows([report["assets"]])
            rows.append({"name": _("Total assets"), "amount": report["total_assets"]})
            rows += _section_rows([report["equity"], report["liabilities"]])
            rows.append(
                {"name": _("Result not yet closed to equity"), "amount": report["unclosed_result"]}
            )
            rows.append(
                {
                    "name": _("Total equity and liabilities"),
                    "amount": report["total_equity_and_liabilities"],
                }
            )
            export = report_export(
                request,
                ReportLinesTable(rows),
                title=_("Balance sheet"),
                period=as_of(at),
                filename="balance-sheet",
            )
            if export is not None:
                return export
        return render(
            request,
            "accounting/balance_sheet.html",
            {
                "form": form,
                "report": report,
                "export_query": export_query(request),
                "title": _("Balance sheet"),
            },
        )


# --- General ledger ----------------------------------------------------------------------


def ledger_form(request) -> GeneralLedgerForm:
    today = date.today()
    data = request.GET.copy()
    data.setdefault("date_from", today.replace(month=1, day=1).isoformat())
    data.setdefault("date_to", today.isoformat())
    form = GeneralLedgerForm(data)
    style_form(form)
    return form


class GeneralLedgerView(PermissionRequiredMixin, View):
    """Hovedbok: per account the opening balance, the lines with the running balance and
    the closing balance; LEDGER_PAGE_SIZE lines a page, a fixed number of queries."""

    permission = VIEW_LINES

    def get(self, request):
        form = ledger_form(request)
        context = {
            "form": form,
            "blocks": [],
            "export_query": export_query(request),
            "title": _("General ledger"),
        }
        if not form.is_valid():
            return render(request, "accounting/general_ledger.html", context)
        data = form.cleaned_data
        spec = gl.LedgerFilter(
            date_from=data["date_from"],
            date_to=data["date_to"],
            account_from=data["account_from"].strip(),
            account_to=data["account_to"].strip(),
            journal=data["journal"].code if data["journal"] else "",
            party=data["party"],
        )
        if request.GET.get("_export"):
            table = GeneralLedgerTable(list(gl.ledger_rows(spec, request.user)))
            export = report_export(
                request,
                table,
                title=_("General ledger"),
                period=range_text(spec.date_from, spec.date_to),
                filename="general-ledger",
            )
            if export is not None:
                return export
        page = gl.ledger_page(spec, page_number(request), LEDGER_PAGE_SIZE, request.user)
        query = request.GET.copy()
        query.pop("page", None)
        context.update(
            page=page,
            blocks=page.blocks,
            page_query=query.urlencode(),
            statement_query=f"date_from={spec.date_from}&date_to={spec.date_to}",
        )
        return render(request, "accounting/general_ledger.html", context)


# --- VAT ----------------------------------------------------------------------------------


class VatReportView(PermissionRequiredMixin, View):
    permission = VIEW_LINES

    def get(self, request):
        form = date_range(request)
        report = None
        table = None
        terms = []
        if form.is_valid():
            date_from, date_to = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
            report = vat.vat_report(date_from, date_to, request.user)
            terms = vat.terms(date_from.year)
            link = f"date_from={date_from}&date_to={date_to}"
            table = VatTable(report["rows"], link_query=link)
            footer = [
                ["", "", _("Output VAT"), "", "", report["output_vat"], ""],
                ["", "", _("Deductible input VAT"), "", "", "", report["input_vat"]],
                [
                    "",
                    "",
                    _("To pay") if report["to_pay"] >= 0 else _("To get back"),
                    "",
                    "",
                    report["to_pay_abs"],
                    "",
                ],
            ]
            export = report_export(
                request,
                table,
                title=_("VAT report"),
                period=range_text(date_from, date_to),
                filename="vat-report",
                footer=footer,
            )
            if export is not None:
                return export
        return render(
            request,
            "accounting/vat_report.html",
            {
                "form": form,
                "report": report,
                "table": table,
                "terms": terms,
                "export_query": export_query(request),
                "title": _("VAT report"),
            },
        )


class VatCodeLinesView(PermissionRequiredMixin, View):
    """Drill-down: the lines of one VAT code in the range (base and VAT lines)."""

    permission = VIEW_LINES

    def get(self, request, pk):
        code = VatCode.objects.filter(pk=pk).first()
        if code is None:
            raise Http404(_("The VAT code does not exist."))
        form = date_range(request)
        rows = queries.lines().none()
        period = ""
        if form.is_valid():
            date_from, date_to = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
            rows = vat.vat_code_lines(code.pk, date_from, date_to, request.user)
            period = range_text(date_from, date_to)
        table = LinesTable(rows)
        title = _("VAT code %(code)s %(name)s") % {"code": code.code, "name": code.name}
        export = report_export(
            request, table, title=title, period=period, filename=f"vat-code-{code.code}"
        )
        if export is not None:
            return export
        RequestConfig(request, paginate=False).configure(table)
        try:
            table.paginate(page=page_number(request), per_page=STATEMENT_PAGE_SIZE)
        except EmptyPage:
            table.paginate(page=table.paginator.num_pages or 1, per_page=STATEMENT_PAGE_SIZE)
        return render(
            request,
            "accounting/vat_code_lines.html",
            {
                "code": code,
                "form": form,
                "table": table,
                "export_query": export_query(request),
                "title": title,
            },
        )


# --- Open items ---------------------------------------------------------------------------


def open_items_form(request) -> OpenItemsForm:
    data = request.GET.copy()
    data.setdefault("account", "1500")
    data.setdefault("at", date.today().isoformat())
    form = OpenItemsForm(data)
    style_form(form)
    return form


class OpenItemsView(PermissionRequiredMixin, View):
    """Kundereskontro / leverandørreskontro: open items per party with ageing."""

    permission = VIEW_LINES

    def get(self, request):
        form = open_items_form(request)
        report = None
        table = None
        if form.is_valid():
            account, at = form.cleaned_data["account"], form.cleaned_data["at"]
            report = open_items.ageing(account, at, request.user)
            table = AgeingTable(
                report["parties"], account=account, link_query=f"at={at.isoformat()}"
            )
            title = _("Open items %(account)s") % {"account": account}
            totals = report["totals"]
            footer = [[_("Total"), "", *totals.values()]]
            export = report_export(
                request,
                table,
                title=title,
                period=as_of(at),
                filename=f"open-items-{account.number}",
                footer=footer,
            )
            if export is not None:
                return export
        return render(
            request,
            "accounting/open_items.html",
            {
                "form": form,
                "report": report,
                "table": table,
                "buckets": open_items.BUCKETS,
                "export_query": export_query(request),
                "title": _("Open items"),
            },
        )


class PartyOpenItemsView(PermissionRequiredMixin, View):
    """A party's open items on an account with their lines: the matching screen. POST
    `action=match` with `lines`, `action=unmatch` with `match`, or `action=auto`."""

    permission = VIEW_LINES

    def objects(self, request, account_pk, party_pk):
        from samspill.parties.models import Party

        account = Account.objects.filter(pk=account_pk, reconcilable=True).first()
        party = Party.objects.filter(pk=party_pk).first()
        if account is None or party is None:
            raise Http404(_("There are no open items here."))
        return account, party

    def get(self, request, account_pk, party_pk):
        account, party = self.objects(request, account_pk, party_pk)
        raw = request.GET.get("at", "")
        try:
            at = date.fromisoformat(raw) if raw else date.today()
        except ValueError:
            at = date.today()
        items = open_items.party_items(account, party.pk, at, request.user)
        title = _("Open items %(account)s: %(party)s") % {
            "account": account.number,
            "party": party.display_name,
        }
        if request.GET.get("_export"):
            rows = [line for item in items for line in item.lines]
            export = report_export(
                request,
                LinesTable(rows),
                title=title,
                period=as_of(at),
                filename=f"open-items-{account.number}-{party.pk}",
            )
            if export is not None:
                return export
        return render(
            request,
            "accounting/party_open_items.html",
            {
                "account": account,
                "party": party,
                "at": at,
                "items": items,
                "total": sum((item.amount for item in items), ZERO),
                "buckets": dict(open_items.BUCKETS),
                "can_match": request.user.has_perm("accounting.change_journalline"),
                "export_query": export_query(request),
                "title": title,
            },
        )

    def post(self, request, account_pk, party_pk):
        account, party = self.objects(request, account_pk, party_pk)
        if not request.user.has_perm("accounting.change_journalline"):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied(_("You do not have permission to do this"))
        action = request.POST.get("action")
        try:
            if action == "match":
                ids = [int(x) for x in request.POST.getlist("lines") if x.isdigit()]
                if not _own_lines(ids, account, party):
                    raise Http404(_("Choose lines of this party's open items."))
                number = services.match_lines(ids, actor=request.user)
                messages.success(request, _("Matched as %(match)s.") % {"match": number})
            elif action == "unmatch":
                raw = request.POST.get("match", "")
                number = int(raw) if raw.isdigit() else 0
                if not _own_match(number, account, party):
                    raise Http404(_("There is no such match."))
                count = services.unmatch_lines(number, actor=request.user)
                messages.success(request, _("%(count)d lines released.") % {"count": count})
            elif action == "auto":
                numbers = services.auto_match(account, party.pk, actor=request.user)
                messages.success(
                    request, _("%(count)d payments matched.") % {"count": len(numbers)}
                )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        url = reverse("accounting:party_open_items", args=[account.pk, party.pk])
        at = request.POST.get("at", "")
        return redirect(f"{url}?at={at}" if at else url)


def _own_lines(ids, account, party) -> bool:
    """Only lines of this account and party are matched from its screen."""
    from samspill.accounting.models import JournalLine

    own = JournalLine.objects.filter(pk__in=ids, account=account, party=party).count()
    return own == len(set(ids))


def _own_match(number: int, account, party) -> bool:
    from samspill.accounting.models import JournalLine

    return JournalLine.objects.filter(match=number, account=account, party=party).exists()
