"""Pages of the general ledger: accounts, journal entries, periods, projects. Thin adapters
over accounting.services and queries."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from samspill.accounting import queries, services
from samspill.accounting.filters import AccountFilter, EntryFilter
from samspill.accounting.forms import (
    AccountForm,
    EntryForm,
    FiscalYearForm,
    LineFormSet,
    NewAccountForm,
    ProjectForm,
    ReverseForm,
)
from samspill.accounting.models import ZERO, JournalEntry
from samspill.accounting.tables import AccountTable, EntryTable
from samspill.accounting.views.common import found
from samspill.platform.errors import DomainError
from samspill.platform.views import (
    ListPage,
    PermissionRequiredMixin,
    form_errors_from,
    style_form,
)

# --- Accounts ----------------------------------------------------------------------------


class AccountListPage(ListPage):
    permission = "accounting.view_account"
    table_class = AccountTable
    filterset_class = AccountFilter
    title = gettext_lazy("Chart of accounts")
    template_name = "accounting/account_list.html"
    create_url = "accounting:account_create"
    create_permission = "accounting.add_account"
    empty_text = gettext_lazy("No accounts yet. Load the Norwegian chart of accounts above.")
    export_name = "chart-of-accounts"

    def get_queryset(self):
        return queries.accounts()

    def post(self, request):
        """Load the Norwegian VAT codes and chart of accounts where missing."""
        from samspill.localization.no import services as localization

        try:
            localization.load_vat_codes(actor=request.user)
            created = services.load_chart(actor=request.user)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("%(count)d accounts loaded.") % {"count": created})
        return redirect("accounting:account_list")


class AccountCreateView(PermissionRequiredMixin, View):
    permission = "accounting.add_account"

    def render(self, request, form):
        style_form(form)
        return render(
            request,
            "accounting/account_form.html",
            {"form": form, "account": None, "title": _("New account")},
            status=422 if form.errors else 200,
        )

    def get(self, request):
        return self.render(request, NewAccountForm(initial={"active": True}))

    def post(self, request):
        form = NewAccountForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            if not data.get("vat_usage"):
                data.pop("vat_usage", None)
            try:
                account = services.create_account(actor=request.user, **data)
            except DomainError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("Account %(account)s created.") % {"account": account})
                return redirect("accounting:account_list")
        return self.render(request, form)


class AccountEditView(PermissionRequiredMixin, View):
    permission = "accounting.change_account"

    def render(self, request, form, account):
        style_form(form)
        return render(
            request,
            "accounting/account_form.html",
            {"form": form, "account": account, "title": str(account)},
            status=422 if form.errors else 200,
        )

    def get(self, request, pk):
        account = found(queries.account, pk)
        initial = {f: getattr(account, f) for f in services.setup.ACCOUNT_FIELDS}
        initial["default_vat_code"] = (
            account.default_vat_code.code if account.default_vat_code else None
        )
        return self.render(request, AccountForm(initial=initial), account)

    def post(self, request, pk):
        account = found(queries.account, pk)
        form = AccountForm(request.POST)
        if form.is_valid():
            try:
                services.update_account(account, actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("Account saved."))
                return redirect("accounting:account_list")
        return self.render(request, form, account)


class EntryListPage(ListPage):
    permission = "accounting.view_journalentry"
    table_class = EntryTable
    filterset_class = EntryFilter
    title = gettext_lazy("Journal entries")
    empty_text = gettext_lazy("No journal entries yet. Record the first voucher with New.")
    create_url = "accounting:entry_create"
    create_permission = "accounting.add_journalentry"
    export_name = "journal-entries"

    def get_queryset(self):
        return queries.entries()


class EntryDetailView(PermissionRequiredMixin, View):
    permission = "accounting.view_journalentry"

    def get(self, request, pk):
        entry = found(queries.entry, pk)
        lines = list(queries.entry_lines(entry))
        reversal = (
            JournalEntry.objects.filter(reversal_of=entry)
            .select_related("journal", "fiscal_year")
            .first()
        )
        return render(
            request,
            "accounting/entry_detail.html",
            {
                "entry": entry,
                "lines": lines,
                "debit": sum((line.debit for line in lines), ZERO),
                "credit": sum((line.credit for line in lines), ZERO),
                "reversal": reversal,
                "reverse_form": ReverseForm(initial={"date": entry.date}),
                "title": entry.voucher or _("Draft entry"),
            },
        )


class EntryCreateView(PermissionRequiredMixin, View):
    permission = "accounting.add_journalentry"

    def render(self, request, form, formset, status=200):
        style_form(form)
        for line_form in formset:
            style_form(line_form)
        return render(
            request,
            "accounting/entry_form.html",
            {
                "form": form,
                "formset": formset,
                "accounts": queries.accounts()
                .filter(active=True)
                .select_related(None)
                .only("number", "name"),
                "title": _("New journal entry"),
            },
            status=status,
        )

    def get(self, request):
        form = EntryForm(initial={"date": date.today(), "journal": "GEN"})
        return self.render(request, form, LineFormSet(prefix="lines"))

    def post(self, request):
        form = EntryForm(request.POST)
        formset = LineFormSet(request.POST, prefix="lines")
        if form.is_valid() and formset.is_valid():
            lines = [f.as_line() for f in formset if f.has_changed() and f.cleaned_data]
            try:
                entry = services.create_entry(
                    actor=request.user,
                    journal=form.cleaned_data["journal"],
                    date=form.cleaned_data["date"],
                    description=form.cleaned_data["description"],
                    lines=lines,
                    post="post" in request.POST,
                )
            except DomainError as exc:
                form_errors_from(form, exc)
                for messages_ in exc.errors.values():
                    for message in messages_:
                        if message not in form.non_field_errors():
                            form.add_error(None, message)
            else:
                if entry.state == JournalEntry.State.POSTED:
                    messages.success(
                        request, _("Voucher %(voucher)s posted.") % {"voucher": entry.voucher}
                    )
                else:
                    messages.success(request, _("Draft saved."))
                return redirect("accounting:entry_detail", entry.pk)
        return self.render(request, form, formset, status=422)


class EntryPreviewView(PermissionRequiredMixin, View):
    """htmx: the lines the voucher form would post, VAT lines included, with the totals
    and what is still wrong. Writes nothing."""

    permission = "accounting.add_journalentry"

    def post(self, request):
        form = EntryForm(request.POST)
        formset = LineFormSet(request.POST, prefix="lines")
        context: dict = {"lines": [], "errors": []}
        if formset.is_valid():
            raw = [f.as_line() for f in formset if f.has_changed() and f.cleaned_data]
            day = form.data.get("date") or date.today().isoformat()
            if raw:
                try:
                    lines = services.preview_lines(date=day, lines=raw)
                except DomainError as exc:
                    context["errors"] = [str(exc.message)]
                else:
                    debit = sum((line.debit for line in lines), ZERO)
                    credit = sum((line.credit for line in lines), ZERO)
                    context.update(
                        lines=lines, debit=debit, credit=credit, difference=debit - credit
                    )
        else:
            context["errors"] = [_("Some lines are not complete or not valid yet.")]
        return render(request, "accounting/_entry_preview.html", context)


class EntryActionView(PermissionRequiredMixin, View):
    """POST: post, reverse or delete an entry."""

    permission = "accounting.post_journalentry"
    action = "post"

    def post(self, request, pk):
        entry = found(queries.entry, pk)
        try:
            if self.action == "post":
                entry = services.post_entry(entry, actor=request.user)
                messages.success(
                    request, _("Voucher %(voucher)s posted.") % {"voucher": entry.voucher}
                )
            elif self.action == "reverse":
                form = ReverseForm(request.POST)
                day = form.cleaned_data["date"] if form.is_valid() else None
                reversal = services.reverse_entry(entry, actor=request.user, date=day)
                messages.success(
                    request, _("Reversed by voucher %(voucher)s.") % {"voucher": reversal.voucher}
                )
                return redirect("accounting:entry_detail", reversal.pk)
            else:
                services.delete_entry(entry, actor=request.user)
                messages.success(request, _("Draft deleted."))
                return redirect("accounting:entry_list")
        except DomainError as exc:
            messages.error(request, str(exc.message))
            for message in exc.errors.get("lines", [])[1:]:
                messages.error(request, message)
        return redirect("accounting:entry_detail", pk)


# --- Periods ------------------------------------------------------------------------------


class PeriodListView(PermissionRequiredMixin, View):
    permission = "accounting.view_period"

    def get(self, request):
        form = FiscalYearForm()
        style_form(form)
        return render(
            request,
            "accounting/period_list.html",
            {"years": queries.fiscal_years(request.user), "form": form, "title": _("Periods")},
        )


class PeriodActionView(PermissionRequiredMixin, View):
    permission = "accounting.close_period"
    action = "close"

    def post(self, request, pk):
        period = found(queries.period, pk)
        try:
            if self.action == "close":
                services.close_period(period, actor=request.user)
                messages.success(request, _("Period %(period)s closed.") % {"period": period})
            else:
                services.reopen_period(period, actor=request.user)
                messages.success(request, _("Period %(period)s reopened.") % {"period": period})
        except DomainError as exc:
            messages.error(request, str(exc.message))
        return redirect("accounting:period_list")


class FiscalYearCloseView(PermissionRequiredMixin, View):
    permission = "accounting.close_fiscalyear"

    def post(self, request, pk):
        year = found(queries.fiscal_year, pk)
        try:
            services.close_year(year, actor=request.user)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Fiscal year %(year)s closed.") % {"year": year})
        return redirect("accounting:period_list")


class FiscalYearOpenView(PermissionRequiredMixin, View):
    permission = "accounting.add_fiscalyear"

    def post(self, request):
        form = FiscalYearForm(request.POST)
        if form.is_valid():
            try:
                year = services.open_fiscal_year(
                    actor=request.user, start=form.cleaned_data["start"]
                )
            except DomainError as exc:
                messages.error(request, str(exc.message))
            else:
                messages.success(request, _("Fiscal year %(year)s opened.") % {"year": year})
        else:
            messages.error(request, _("Enter the first day of the fiscal year."))
        return redirect("accounting:period_list")


class ProjectListView(PermissionRequiredMixin, View):
    """Projects, the dimension lines can carry, and a form to add one."""

    permission = "accounting.view_project"

    def render(self, request, form, status=200):
        style_form(form)
        return render(
            request,
            "accounting/project_list.html",
            {"projects": queries.projects(request.user), "form": form, "title": _("Projects")},
            status=status,
        )

    def get(self, request):
        return self.render(request, ProjectForm())

    def post(self, request):
        form = ProjectForm(request.POST)
        if form.is_valid():
            try:
                services.create_project(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("Project saved."))
                return redirect("accounting:project_list")
        return self.render(request, form, status=422)
