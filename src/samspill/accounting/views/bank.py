"""Pages of bank statements: the list with the upload form, one statement with its lines
and the Accept / Book-to-account actions. Thin adapters over accounting.services.bank."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from samspill.accounting.filters import BankStatementFilter
from samspill.accounting.queries import bank as queries
from samspill.accounting.queries.ledger import accounts
from samspill.accounting.services import bank as services
from samspill.accounting.tables import BankStatementTable
from samspill.accounting.views.common import found
from samspill.platform.errors import DomainError
from samspill.platform.views import ListPage, PermissionRequiredMixin

MAX_STATEMENT_BYTES = 20 * 1024 * 1024


class BankStatementListPage(ListPage):
    permission = "accounting.view_bankstatement"
    template_name = "accounting/bank_statement_list.html"
    table_class = BankStatementTable
    filterset_class = BankStatementFilter
    title = gettext_lazy("Bank statements")
    empty_text = gettext_lazy("No bank statements yet. Upload the bank's camt.053 file.")
    export_name = "bank-statements"

    def get_queryset(self):
        return queries.statements()


class BankStatementImportView(PermissionRequiredMixin, View):
    """POST: the uploaded camt.053 file."""

    permission = "accounting.add_bankstatement"

    def post(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose the bank's camt.053 file."))
            return redirect("accounting:bank_statement_list")
        if upload.size and upload.size > MAX_STATEMENT_BYTES:
            messages.error(request, _("The file is larger than 20 MB."))
            return redirect("accounting:bank_statement_list")
        try:
            created = services.import_camt053(upload.read(), actor=request.user)
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return redirect("accounting:bank_statement_list")
        messages.success(
            request, _("%(count)s bank statement(s) imported.") % {"count": len(created)}
        )
        if len(created) == 1:
            return redirect("accounting:bank_statement_detail", created[0].pk)
        return redirect("accounting:bank_statement_list")


class BankStatementDetailView(PermissionRequiredMixin, View):
    permission = "accounting.view_bankstatement"

    def get(self, request, pk):
        statement = found(queries.statement, pk, request.user)
        return render(
            request,
            "accounting/bank_statement_detail.html",
            {
                "statement": statement,
                "lines": queries.statement_lines(statement),
                "accounts": accounts(request.user)
                .select_related(None)
                .filter(active=True)
                .order_by("number")
                .only("number", "name"),
                "title": statement.statement_id,
            },
        )


class BankLineActionView(PermissionRequiredMixin, View):
    """POST: accept the proposed invoice, or book the line to an account."""

    permission = "accounting.change_bankstatement"
    action = "accept"

    def post(self, request, pk):
        line = found(queries.line, pk, request.user)
        try:
            if self.action == "accept":
                services.accept_proposal(line, actor=request.user)
                messages.success(request, _("Payment registered."))
            else:
                services.book_line_to_account(
                    line, request.POST.get("account", ""), actor=request.user
                )
                messages.success(request, _("The line is booked."))
        except DomainError as exc:
            messages.error(request, str(exc.message))
        return redirect("accounting:bank_statement_detail", line.statement_id)
