"""Register one customer payment and allocate it to several open invoices; offset an open
credit note against an invoice. Thin adapters over services.register_payment and
services.offsets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from samspill.accounting import services
from samspill.accounting.models import Invoice
from samspill.accounting.queries import invoices as queries
from samspill.accounting.queries.invoices import with_open_amount
from samspill.accounting.queries.ledger import cents
from samspill.accounting.services.offsets import offset_credit_note
from samspill.accounting.services.payments import base_currency
from samspill.parties.models import Party
from samspill.platform.errors import DomainError
from samspill.platform.views import PermissionRequiredMixin


def _open_credit_notes(party_id: int):
    return (
        with_open_amount(
            Invoice.objects.filter(party_id=party_id, kind=Invoice.Kind.CREDIT_NOTE).exclude(
                state=Invoice.State.DRAFT
            )
        )
        .filter(open_amount__lt=0)
        .order_by("invoice_date", "id")
    )


def _customers():
    """Customers with money open on invoices or credit notes (one query)."""
    ids = (
        with_open_amount(Invoice.objects.exclude(state=Invoice.State.DRAFT))
        .exclude(open_amount=0)
        .values("party_id")
    )
    return Party.objects.filter(pk__in=ids).order_by("name")


def _decimal(value) -> Decimal | None:
    try:
        number = Decimal(str(value).replace(" ", "").replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


class PaymentCreateView(PermissionRequiredMixin, View):
    """GET ?party=: the customer's open invoices (oldest due first) and open credit notes;
    POST: one payment allocated to the ticked invoices, or a credit note offset."""

    permission = "accounting.add_payment"

    def render_page(self, request, party_id, data=None, status=200):
        party = Party.objects.filter(pk=party_id).first() if party_id else None
        invoices = list(queries.open_invoices_of(party.pk)) if party else []
        credits = list(_open_credit_notes(party.pk)) if party else []
        data = data or {}
        base = base_currency()
        for invoice in invoices:
            invoice.open = cents(invoice.open_amount)
            key = str(invoice.pk)
            invoice.foreign = invoice.currency != base
            invoice.settle = data.get(f"settle_{key}") == "on"
            invoice.checked = key in data.get("invoice", [key])
            invoice.share = data.get(f"amount_{key}", invoice.open)
        for credit in credits:
            credit.left = -cents(credit.open_amount)
        total = sum((i.open for i in invoices), Decimal("0.00"))
        return render(
            request,
            "accounting/payment_form.html",
            {
                "title": _("Register payment"),
                "party": party,
                "customers": _customers(),
                "invoices": invoices,
                "credit_notes": credits,
                "amount": data.get("amount", total),
                "date": data.get("date", date.today().isoformat()),
                "reference": data.get("reference", ""),
                "allow_prepayment": data.get("allow_prepayment") == "on",
            },
            status=status,
        )

    def get(self, request):
        party = request.GET.get("party", "")
        return self.render_page(request, int(party) if party.isdigit() else None)

    def post(self, request):
        party = request.POST.get("party", "")
        party_id = int(party) if party.isdigit() else None
        data = {
            "invoice": request.POST.getlist("invoice"),
            "amount": request.POST.get("amount", ""),
            "date": request.POST.get("date", ""),
            "reference": request.POST.get("reference", ""),
            "allow_prepayment": request.POST.get("allow_prepayment", ""),
            **{k: v for k, v in request.POST.items() if k.startswith(("amount_", "settle_"))},
        }
        try:
            if request.POST.get("action") == "offset":
                offset_credit_note(
                    request.POST.get("credit_note"),
                    request.POST.get("offset_invoice"),
                    actor=request.user,
                    amount=request.POST.get("offset_amount") or None,
                    date=request.POST.get("date") or None,
                )
                messages.success(request, _("Credit note offset."))
                return redirect(f"{request.path}?party={party_id}")
            allocations = []
            for key in data["invoice"]:
                raw = request.POST.get(f"amount_{key}", "")
                share = _decimal(raw)
                if share is None:
                    raise services.Overpayment(_("Enter an amount for each ticked invoice."))
                if share != 0:
                    allocations.append(
                        {
                            "invoice": key,
                            "amount": share,
                            "settle": request.POST.get(f"settle_{key}") == "on",
                        }
                    )
            amount = _decimal(data["amount"])
            services.register_payment(
                actor=request.user,
                party=party_id,
                amount=amount if amount is not None else data["amount"],
                date=data["date"] or None,
                allocations=allocations,
                allow_prepayment=data["allow_prepayment"] == "on",
                reference=data["reference"],
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return self.render_page(request, party_id, data, status=422)
        messages.success(request, _("Payment registered."))
        return redirect("accounting:payment_list")
