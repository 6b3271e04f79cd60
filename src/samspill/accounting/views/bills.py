"""Pages of supplier bills and supplier payments: the list (with the EHF upload), manual
entry, the bill with its approval buttons, three-way match, payment and attachments, and the
payments list. Thin adapters over accounting.services.bills and queries.bills; the forms,
table and filters of these pages live here too."""

from __future__ import annotations

from datetime import date

import django_filters
import django_tables2 as tables
from django import forms
from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from samspill.accounting.models import SupplierBill, SupplierPayment
from samspill.accounting.queries import bills as queries
from samspill.accounting.queries.ledger import cents
from samspill.accounting.services import bill_payments, ehf_import
from samspill.accounting.services import bills as services
from samspill.accounting.tables import NUM
from samspill.accounting.views.common import found
from samspill.localization.no.models import VatCode
from samspill.platform import audit
from samspill.platform.errors import DomainError
from samspill.platform.permissions import allowed
from samspill.platform.views import (
    ListPage,
    PermissionRequiredMixin,
    form_errors_from,
    style_form,
)

MAX_EHF_BYTES = 10 * 1024 * 1024

# --- Forms -----------------------------------------------------------------------------------


class BillForm(forms.Form):
    party = forms.IntegerField(label=gettext_lazy("Supplier no."), min_value=1)
    supplier_number = forms.CharField(
        label=gettext_lazy("Supplier's invoice number"), max_length=50
    )
    bill_date = forms.DateField(
        label=gettext_lazy("Bill date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    due_date = forms.DateField(
        label=gettext_lazy("Due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    kid = forms.CharField(
        label=gettext_lazy("KID / payment reference"), max_length=35, required=False
    )
    bank_account = forms.CharField(
        label=gettext_lazy("Supplier's bank account"), max_length=34, required=False
    )
    currency = forms.CharField(label=gettext_lazy("Currency"), max_length=3, required=False)
    exchange_rate = forms.DecimalField(
        label=gettext_lazy("Exchange rate"), max_digits=12, decimal_places=6, required=False
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    purchase_order_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    purchase_order_number = forms.CharField(required=False, max_length=30, widget=forms.HiddenInput)


class BillLineForm(forms.Form):
    product = forms.IntegerField(label=gettext_lazy("Product no."), min_value=1, required=False)
    description = forms.CharField(label=gettext_lazy("Description"), max_length=300, required=False)
    account = forms.CharField(label=gettext_lazy("Account"), max_length=10, required=False)
    quantity = forms.DecimalField(label=gettext_lazy("Quantity"), max_digits=15, decimal_places=3)
    unit = forms.CharField(label=gettext_lazy("Unit"), max_length=10, required=False)
    unit_price = forms.DecimalField(
        label=gettext_lazy("Unit price"), max_digits=14, decimal_places=2
    )
    discount_percent = forms.DecimalField(
        label=gettext_lazy("Discount %"), max_digits=5, decimal_places=2, required=False
    )
    vat_code = forms.ModelChoiceField(
        label=gettext_lazy("VAT"),
        queryset=VatCode.objects.filter(active=True, direction="purchase"),
        to_field_name="code",
        required=False,
    )
    po_line_id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def as_line(self) -> dict:
        data = dict(self.cleaned_data)
        data["vat_code"] = data["vat_code"].code if data.get("vat_code") else None
        return data


BillLineFormSet = forms.formset_factory(BillLineForm, extra=3, max_num=100)


class BillPaymentForm(forms.Form):
    date = forms.DateField(
        label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    amount = forms.DecimalField(label=gettext_lazy("Amount"), max_digits=14, decimal_places=2)
    reference = forms.CharField(label=gettext_lazy("Reference"), max_length=100, required=False)
    allow_prepayment = forms.BooleanField(
        label=gettext_lazy("Keep an over-payment as a prepayment to the supplier"), required=False
    )


# --- Table and filters -----------------------------------------------------------------------


class BillTable(tables.Table):
    number = tables.LinkColumn(
        "accounting:bill_detail", args=[tables.A("pk")], verbose_name=gettext_lazy("Number")
    )
    kind = tables.Column(verbose_name=gettext_lazy("Kind"))
    party = tables.Column(verbose_name=gettext_lazy("Supplier"), accessor="party__name")
    supplier_number = tables.Column(verbose_name=gettext_lazy("Supplier's invoice number"))
    bill_date = tables.DateColumn(verbose_name=gettext_lazy("Bill date"))
    due_date = tables.DateColumn(verbose_name=gettext_lazy("Due date"))
    currency = tables.Column(verbose_name=gettext_lazy("Currency"))
    total = tables.Column(verbose_name=gettext_lazy("Total incl. VAT"), attrs=NUM)
    open_amount = tables.Column(verbose_name=gettext_lazy("Owed (NOK)"), attrs=NUM)
    state = tables.Column(verbose_name=gettext_lazy("State"))

    class Meta:
        model = SupplierBill
        fields = (
            "number",
            "kind",
            "party",
            "supplier_number",
            "bill_date",
            "due_date",
            "currency",
            "total",
            "open_amount",
            "state",
        )
        attrs = {"class": "table table-hover align-middle"}

    def render_open_amount(self, value):
        return cents(value)

    def value_open_amount(self, value):
        return cents(value)


class SupplierPaymentTable(tables.Table):
    date = tables.DateColumn(verbose_name=gettext_lazy("Date"))
    party = tables.Column(verbose_name=gettext_lazy("Supplier"), accessor="party__name")
    amount = tables.Column(verbose_name=gettext_lazy("Amount"), attrs=NUM)
    reference = tables.Column(verbose_name=gettext_lazy("Reference"))
    voucher = tables.LinkColumn(
        "accounting:entry_detail",
        args=[tables.A("entry_id")],
        verbose_name=gettext_lazy("Voucher"),
        accessor="entry__voucher",
        orderable=False,
    )

    class Meta:
        model = SupplierPayment
        fields = ("date", "party", "amount", "reference", "voucher")
        attrs = {"class": "table table-hover align-middle"}


class BillFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=gettext_lazy("Search"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    state = django_filters.ChoiceFilter(
        label=gettext_lazy("State"),
        choices=SupplierBill.State.choices,
        empty_label=gettext_lazy("All"),
    )
    kind = django_filters.ChoiceFilter(
        label=gettext_lazy("Kind"),
        choices=SupplierBill.Kind.choices,
        empty_label=gettext_lazy("All"),
    )
    party = django_filters.NumberFilter(label=gettext_lazy("Party no."), field_name="party_id")
    overdue = django_filters.ChoiceFilter(
        label=gettext_lazy("Overdue"),
        choices=[("true", gettext_lazy("Overdue only")), ("false", gettext_lazy("Not overdue"))],
        empty_label=gettext_lazy("All"),
        method="by_overdue",
    )

    class Meta:
        model = SupplierBill
        fields = ["q", "state", "kind", "party", "overdue"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__istartswith=value)
            | Q(supplier_number__icontains=value)
            | Q(kid=value)
            | Q(party__name__icontains=value)
        )

    def by_overdue(self, queryset, name, value):
        if value not in ("true", "false"):
            return queryset
        q = queries.overdue_q()
        return queryset.filter(q) if value == "true" else queryset.exclude(q)


class SupplierPaymentFilter(django_filters.FilterSet):
    party = django_filters.NumberFilter(label=gettext_lazy("Party no."), field_name="party_id")
    date_from = django_filters.DateFilter(
        label=gettext_lazy("From"),
        field_name="date",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        label=gettext_lazy("To"),
        field_name="date",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = SupplierPayment
        fields = ["party", "date_from", "date_to"]


# --- Pages -----------------------------------------------------------------------------------


class BillListPage(ListPage):
    permission = "accounting.view_supplierbill"
    template_name = "accounting/bill_list.html"
    table_class = BillTable
    filterset_class = BillFilter
    title = gettext_lazy("Supplier bills")
    empty_text = gettext_lazy("No supplier bills yet. Enter one with New or import an EHF file.")
    create_url = "accounting:bill_create"
    create_permission = "accounting.add_supplierbill"
    export_name = "supplier-bills"

    def get_queryset(self):
        return queries.bills()


class SupplierPaymentListPage(ListPage):
    permission = "accounting.view_supplierpayment"
    table_class = SupplierPaymentTable
    filterset_class = SupplierPaymentFilter
    title = gettext_lazy("Supplier payments")
    empty_text = gettext_lazy("No supplier payments yet. Pay an approved bill on its page.")
    export_name = "supplier-payments"

    def get_queryset(self):
        return (
            queries.supplier_payments()
            .prefetch_related(None)
            .select_related("party", "entry__journal", "entry__fiscal_year")
        )


def _domain_errors(form, exc: DomainError) -> None:
    form_errors_from(form, exc)
    for messages_ in exc.errors.values():
        for message in messages_:
            if message not in form.non_field_errors():
                form.add_error(None, message)


class BillCreateView(PermissionRequiredMixin, View):
    permission = "accounting.add_supplierbill"
    bill: SupplierBill | None = None

    def render(self, request, form, formset, status=200):
        style_form(form)
        for line_form in formset:
            style_form(line_form)
        return render(
            request,
            "accounting/bill_form.html",
            {
                "form": form,
                "formset": formset,
                "bill": self.bill,
                "title": _("Change draft") if self.bill else _("New supplier bill"),
            },
            status=status,
        )

    def get(self, request):
        initial: dict = {"bill_date": date.today()}
        if request.GET.get("party", "").isdigit():
            initial["party"] = int(request.GET["party"])
        lines: list[dict] = []
        prefill = services.lines_from_purchase_order(request.GET.get("purchase_order"))
        if prefill is not None:
            header, lines = prefill
            initial.update(header)
            if not lines:
                messages.info(request, _("Everything received on this order is billed already."))
        formset = BillLineFormSet(prefix="lines", initial=lines)
        return self.render(request, BillForm(initial=initial), formset)

    def save(self, request, data, lines):
        party = data.pop("party")
        return services.create_bill(
            actor=request.user,
            party=party,
            lines=lines,
            submit="submit" in request.POST,
            source=(
                SupplierBill.Source.PURCHASE_ORDER
                if data.get("purchase_order_id")
                else SupplierBill.Source.MANUAL
            ),
            **data,
        )

    def post(self, request, *args, **kwargs):
        form = BillForm(request.POST)
        formset = BillLineFormSet(request.POST, prefix="lines")
        if form.is_valid() and formset.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
            lines = [f.as_line() for f in formset if f.has_changed() and f.cleaned_data]
            try:
                bill = self.save(request, data, lines)
            except DomainError as exc:
                _domain_errors(form, exc)
            else:
                if bill.state == SupplierBill.State.AWAITING_APPROVAL:
                    messages.success(
                        request, _("Bill %(number)s sent for approval.") % {"number": bill.number}
                    )
                else:
                    messages.success(request, _("Draft saved."))
                return redirect("accounting:bill_detail", bill.pk)
        return self.render(request, form, formset, status=422)


class BillEditView(BillCreateView):
    """Change a draft: its header and (all of) its lines."""

    permission = "accounting.change_supplierbill"

    def dispatch(self, request, *args, **kwargs):
        self.bill = found(queries.bill, kwargs["pk"])
        if not self.bill.is_editable:
            messages.error(
                request, _("Only a draft bill can be changed; reject it back to draft first.")
            )
            return redirect("accounting:bill_detail", self.bill.pk)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):  # type: ignore[override]
        bill = self.bill
        assert bill is not None
        form = BillForm(
            initial={
                "party": bill.party_id,
                "supplier_number": bill.supplier_number,
                "bill_date": bill.bill_date,
                "due_date": bill.due_date,
                "kid": bill.kid,
                "bank_account": bill.bank_account,
                "currency": bill.currency,
                "exchange_rate": bill.exchange_rate,
                "notes": bill.notes,
                "purchase_order_id": bill.purchase_order_id,
                "purchase_order_number": bill.purchase_order_number,
            }
        )
        lines = [
            {
                "product": line.product_id,
                "description": line.description,
                "account": line.account.number,
                "quantity": line.quantity,
                "unit": line.unit,
                "unit_price": line.unit_price,
                "discount_percent": line.discount_percent,
                "vat_code": line.vat_code,
                "po_line_id": line.po_line_id,
            }
            for line in queries.bill_lines(bill)
        ]
        return self.render(request, form, BillLineFormSet(prefix="lines", initial=lines))

    def save(self, request, data, lines):
        bill = services.update_bill(self.bill, actor=request.user, lines=lines, **data)
        if "submit" in request.POST:
            bill = services.submit_bill(bill, actor=request.user)
        return bill


class BillDetailView(PermissionRequiredMixin, View):
    permission = "accounting.view_supplierbill"

    def get(self, request, pk):
        bill = found(queries.bill, pk)
        document = queries.bill_document(bill)
        open_amount = cents(bill.open_amount)
        payment_form = BillPaymentForm(initial={"date": date.today(), "amount": open_amount})
        style_form(payment_form)
        return render(
            request,
            "accounting/bill_detail.html",
            {
                **document,
                "open_amount": open_amount,
                "overdue": bill.state in queries.OPEN_STATES
                and not bill.is_credit_note
                and bill.due_date < date.today(),
                "match_rows": services.three_way_match(bill, document["lines"]),
                "allocations": bill.allocations.select_related("payment").order_by("id"),
                "payment_form": payment_form,
                "four_eyes_blocked": bool(
                    services.option("BILLS_FOUR_EYES", True)
                    and bill.created_by_id
                    and bill.created_by_id == request.user.pk
                ),
                "history": audit.history(bill),
                "title": str(bill),
            },
        )


class BillActionView(PermissionRequiredMixin, View):
    """POST: submit, approve, reject, delete or pay."""

    permission = "accounting.change_supplierbill"
    action = "submit"

    def post(self, request, pk):
        bill = found(queries.bill, pk)
        try:
            if self.action == "submit":
                services.submit_bill(bill, actor=request.user)
                messages.success(
                    request, _("Bill %(number)s sent for approval.") % {"number": bill.number}
                )
            elif self.action == "approve":
                services.approve_bill(
                    bill,
                    actor=request.user,
                    override_reason=request.POST.get("override_reason", ""),
                )
                messages.success(
                    request, _("Bill %(number)s approved and posted.") % {"number": bill.number}
                )
            elif self.action == "reject":
                services.reject_bill(
                    bill, actor=request.user, reason=request.POST.get("reason", "")
                )
                messages.success(
                    request, _("Bill %(number)s sent back to draft.") % {"number": bill.number}
                )
            elif self.action == "pay":
                form = BillPaymentForm(request.POST)
                if not form.is_valid():
                    for errors in form.errors.values():
                        for error in errors:
                            messages.error(request, error)
                    return redirect("accounting:bill_detail", pk)
                data = form.cleaned_data
                open_amount = cents(bill.open_amount)
                bill_payments.pay_bills(
                    actor=request.user,
                    party=bill.party_id,
                    amount=data["amount"],
                    date=data["date"],
                    allocations=[
                        {
                            "bill": bill.pk,
                            "amount": min(data["amount"], open_amount)
                            if data["allow_prepayment"]
                            else data["amount"],
                        }
                    ],
                    reference=data["reference"],
                    allow_prepayment=data["allow_prepayment"],
                )
                messages.success(request, _("Payment registered."))
            else:
                services.delete_bill(bill, actor=request.user)
                messages.success(request, _("Draft deleted."))
                return redirect("accounting:bill_list")
        except DomainError as exc:
            messages.error(request, str(exc.message))
        return redirect("accounting:bill_detail", pk)


class BillImportView(PermissionRequiredMixin, View):
    """POST: a received EHF / PEPPOL BIS Billing 3.0 invoice or credit note (UBL XML)."""

    permission = "accounting.add_supplierbill"

    def post(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose the EHF file (UBL XML)."))
            return redirect("accounting:bill_list")
        if upload.size and upload.size > MAX_EHF_BYTES:
            messages.error(request, _("The file is larger than 10 MB."))
            return redirect("accounting:bill_list")
        try:
            bill = ehf_import.import_ehf(upload.read(), actor=request.user, filename=upload.name)
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return redirect("accounting:bill_list")
        messages.success(
            request,
            _(
                "%(supplier)s's invoice %(number)s imported as bill %(bill)s. Check the lines "
                "and send it for approval."
            )
            % {
                "supplier": bill.party.display_name,
                "number": bill.supplier_number,
                "bill": bill.number,
            },
        )
        return redirect("accounting:bill_detail", bill.pk)


class BillPaymentFileView(PermissionRequiredMixin, View):
    """GET: a pain.001 credit transfer file of the approved bills due by ?due_by= (all open
    ones without it), to upload to the bank."""

    permission = "accounting.add_supplierpayment"

    def get(self, request):
        from django.http import HttpResponse

        from samspill.accounting.services import pain001

        raw = request.GET.get("due_by", "")
        try:
            due_by = date.fromisoformat(raw) if raw else None
        except ValueError:
            due_by = None
        try:
            xml = pain001.credit_transfer(pain001.payable_bills(due_by=due_by))
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return redirect("accounting:bill_list")
        response = HttpResponse(xml, content_type="application/xml")
        response["Content-Disposition"] = (
            f'attachment; filename="pain001-{date.today().isoformat()}.xml"'
        )
        return response


def party_bills(request, party) -> str:
    """The supplier's latest bills with what is owed, for the party page (one query)."""
    rows = list(queries.bills().filter(party_id=party.pk).order_by("-bill_date", "-id")[:10])
    return render_to_string(
        "accounting/_party_bills.html",
        {
            "bills": rows,
            "today": date.today(),
            "party": party,
            "all_url": reverse("accounting:bill_list") + f"?party={party.pk}",
            "can_add": allowed(request.user, "accounting.add_supplierbill"),
        },
        request=request,
    )
