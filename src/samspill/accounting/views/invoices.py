"""Pages of customer invoices, credit notes and payments. Thin adapters over
accounting.services and queries."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from samspill.accounting import services
from samspill.accounting.filters import InvoiceFilter, PaymentFilter
from samspill.accounting.forms import (
    InvoiceForm,
    InvoiceLineFormSet,
    PaymentForm,
    SendForm,
)
from samspill.accounting.queries import invoices as queries
from samspill.accounting.queries.ledger import cents
from samspill.accounting.tables import InvoiceTable, PaymentTable
from samspill.accounting.views.common import found
from samspill.platform import audit
from samspill.platform.errors import DomainError
from samspill.platform.views import (
    ListPage,
    PermissionRequiredMixin,
    form_errors_from,
    style_form,
)


class InvoiceListPage(ListPage):
    permission = "accounting.view_invoice"
    table_class = InvoiceTable
    filterset_class = InvoiceFilter
    title = gettext_lazy("Invoices")
    empty_text = gettext_lazy("No invoices yet. Write the first one with New.")
    create_url = "accounting:invoice_create"
    create_permission = "accounting.add_invoice"
    export_name = "invoices"

    def get_queryset(self):
        return queries.invoices()


class PaymentListPage(ListPage):
    permission = "accounting.view_payment"
    table_class = PaymentTable
    filterset_class = PaymentFilter
    title = gettext_lazy("Payments")
    empty_text = gettext_lazy("No payments yet. Register one with New or on an invoice.")
    create_url = "accounting:payment_create"
    create_permission = "accounting.add_payment"
    export_name = "payments"

    def get_queryset(self):
        return (
            queries.payments()
            .prefetch_related(None)
            .select_related("party", "entry__journal", "entry__fiscal_year")
        )


class InvoiceCreateView(PermissionRequiredMixin, View):
    permission = "accounting.add_invoice"

    def render(self, request, form, formset, status=200):
        style_form(form)
        for line_form in formset:
            style_form(line_form)
        return render(
            request,
            "accounting/invoice_form.html",
            {"form": form, "formset": formset, "title": _("New invoice")},
            status=status,
        )

    def get(self, request):
        initial = {"invoice_date": date.today()}
        if request.GET.get("party", "").isdigit():
            initial["party"] = int(request.GET["party"])
        return self.render(
            request, InvoiceForm(initial=initial), InvoiceLineFormSet(prefix="lines")
        )

    def post(self, request):
        form = InvoiceForm(request.POST)
        formset = InvoiceLineFormSet(request.POST, prefix="lines")
        if form.is_valid() and formset.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
            party = data.pop("party")
            lines = [f.as_line() for f in formset if f.has_changed() and f.cleaned_data]
            try:
                invoice = services.create_invoice(
                    actor=request.user,
                    party=party,
                    lines=lines,
                    post="post" in request.POST,
                    **data,
                )
            except DomainError as exc:
                form_errors_from(form, exc)
                for messages_ in exc.errors.values():
                    for message in messages_:
                        if message not in form.non_field_errors():
                            form.add_error(None, message)
            else:
                if invoice.number:
                    messages.success(
                        request, _("Invoice %(number)s posted.") % {"number": invoice.number}
                    )
                else:
                    messages.success(request, _("Draft saved."))
                return redirect("accounting:invoice_detail", invoice.pk)
        return self.render(request, form, formset, status=422)


class InvoiceEditView(InvoiceCreateView):
    """Change a draft: its header and (all of) its lines."""

    permission = "accounting.change_invoice"

    def render(self, request, form, formset, status=200):
        style_form(form)
        for line_form in formset:
            style_form(line_form)
        return render(
            request,
            "accounting/invoice_form.html",
            {"form": form, "formset": formset, "title": _("Change draft"), "invoice": self.invoice},
            status=status,
        )

    def dispatch(self, request, *args, **kwargs):
        self.invoice = found(queries.invoice, kwargs["pk"])
        if not self.invoice.is_draft:
            messages.error(
                request, _("A posted invoice cannot be changed; issue a credit note instead.")
            )
            return redirect("accounting:invoice_detail", self.invoice.pk)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):  # type: ignore[override]
        invoice = self.invoice
        form = InvoiceForm(
            initial={
                "party": invoice.party_id,
                "invoice_date": invoice.invoice_date,
                "payment_days": invoice.payment_days,
                "currency": invoice.currency,
                "exchange_rate": invoice.exchange_rate,
                "reference": invoice.reference,
                "notes": invoice.notes,
            }
        )
        lines = [
            {
                "product": line.product_id,
                "description": line.description,
                "quantity": line.quantity,
                "unit": line.unit,
                "unit_price": line.unit_price,
                "discount_percent": line.discount_percent,
                "vat_code": line.vat_code,
            }
            for line in queries.invoice_lines(invoice)
        ]
        return self.render(request, form, InvoiceLineFormSet(prefix="lines", initial=lines))

    def post(self, request, pk):  # type: ignore[override]
        form = InvoiceForm(request.POST)
        formset = InvoiceLineFormSet(request.POST, prefix="lines")
        if form.is_valid() and formset.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
            lines = [f.as_line() for f in formset if f.has_changed() and f.cleaned_data]
            try:
                services.update_invoice(self.invoice, actor=request.user, lines=lines, **data)
            except DomainError as exc:
                form_errors_from(form, exc)
                for messages_ in exc.errors.values():
                    for message in messages_:
                        if message not in form.non_field_errors():
                            form.add_error(None, message)
            else:
                messages.success(request, _("Draft saved."))
                return redirect("accounting:invoice_detail", self.invoice.pk)
        return self.render(request, form, formset, status=422)


class InvoiceDetailView(PermissionRequiredMixin, View):
    permission = "accounting.view_invoice"

    def get(self, request, pk):
        invoice = found(queries.invoice, pk)
        document = queries.invoice_document(invoice)
        payment_form = PaymentForm(
            initial={"date": date.today(), "amount": cents(invoice.open_amount)}
        )
        send_form = SendForm()
        style_form(payment_form)
        style_form(send_form)
        return render(
            request,
            "accounting/invoice_detail.html",
            {
                **document,
                "open_amount": cents(invoice.open_amount),
                "overdue": invoice.state in ("posted", "partly_paid")
                and not invoice.is_credit_note
                and invoice.due_date < date.today(),
                "credit_notes": invoice.credit_notes.order_by("id"),
                "allocations": invoice.allocations.select_related("payment").order_by("id"),
                "reminders": invoice.reminders.order_by("level"),
                "payment_form": payment_form,
                "send_form": send_form,
                "history": audit.history(invoice),
                "title": str(invoice),
            },
        )


class InvoiceActionView(PermissionRequiredMixin, View):
    """POST: post, credit, delete, send or register a payment."""

    permission = "accounting.post_invoice"
    action = "post"

    def post(self, request, pk):
        invoice = found(queries.invoice, pk)
        try:
            if self.action == "post":
                invoice = services.post_invoice(invoice, actor=request.user)
                messages.success(
                    request, _("Invoice %(number)s posted.") % {"number": invoice.number}
                )
            elif self.action == "credit":
                credit = services.create_credit_note(invoice, actor=request.user, post=True)
                messages.success(
                    request, _("Credit note %(number)s posted.") % {"number": credit.number}
                )
                return redirect("accounting:invoice_detail", credit.pk)
            elif self.action == "send":
                form = SendForm(request.POST)
                data = form.cleaned_data if form.is_valid() else {}
                invoice = services.send_invoice(
                    invoice,
                    actor=request.user,
                    to=data.get("to", ""),
                    message=data.get("message", ""),
                )
                messages.success(request, _("Sent to %(to)s.") % {"to": invoice.sent_to})
            elif self.action == "pay":
                form = PaymentForm(request.POST)
                if not form.is_valid():
                    for errors in form.errors.values():
                        for error in errors:
                            messages.error(request, error)
                    return redirect("accounting:invoice_detail", pk)
                data = form.cleaned_data
                services.register_payment(
                    actor=request.user,
                    party=invoice.party_id,
                    amount=data["amount"],
                    date=data["date"],
                    allocations=[
                        {
                            "invoice": invoice.pk,
                            "amount": min(data["amount"], cents(invoice.open_amount)),
                        }
                    ],
                    allow_prepayment=data["allow_prepayment"],
                    reference=data["reference"],
                )
                messages.success(request, _("Payment registered."))
            else:
                services.delete_invoice(invoice, actor=request.user)
                messages.success(request, _("Draft deleted."))
                return redirect("accounting:invoice_list")
        except DomainError as exc:
            messages.error(request, str(exc.message))
        return redirect("accounting:invoice_detail", pk)


class InvoiceDownloadView(PermissionRequiredMixin, View):
    """GET: the PDF or the EHF XML."""

    permission = "accounting.view_invoice"
    kind = "pdf"

    def get(self, request, pk):
        invoice = found(queries.invoice, pk)
        if self.kind == "pdf":
            response = HttpResponse(services.render_pdf(invoice), content_type="application/pdf")
            name = f"{invoice.number or invoice.pk}.pdf"
        else:
            from samspill.localization.no import ehf

            try:
                xml = ehf.invoice_xml(invoice)
            except DomainError as exc:
                messages.error(request, str(exc.message))
                return redirect("accounting:invoice_detail", pk)
            response = HttpResponse(xml, content_type="application/xml")
            name = ehf.ehf_filename(invoice)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


def party_invoices(request, party) -> str:
    """The customer's latest invoices with their open amounts, for the party page (one
    query)."""
    from django.template.loader import render_to_string
    from django.urls import reverse

    from samspill.platform.permissions import allowed

    rows = list(queries.invoices().filter(party_id=party.pk).order_by("-invoice_date", "-id")[:10])
    return render_to_string(
        "accounting/_party_invoices.html",
        {
            "invoices": rows,
            "today": date.today(),
            "party": party,
            "all_url": reverse("accounting:invoice_list") + f"?party={party.pk}",
            "can_add": allowed(request.user, "accounting.add_invoice"),
        },
        request=request,
    )
