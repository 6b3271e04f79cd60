"""Read side of customer invoices and payments. What an invoice still asks is the residual of
its receivable line's match, computed in SQL (a subquery per row, no loops over lines)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    DecimalField,
    F,
    Q,
    QuerySet,
    Sum,
    When,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samspill.accounting.models import Invoice, InvoiceLine, Payment
from samspill.accounting.queries.ledger import cents, open_item_amounts
from samspill.platform.errors import NotFound
from samspill.platform.permissions import restrict

MONEY = DecimalField(max_digits=20, decimal_places=2)


def with_open_amount(queryset: QuerySet[Invoice]) -> Any:
    """Annotate `receivable_amount` (the receivable line, base currency; negative for a
    credit note) and `open_amount` (what its match still leaves open)."""
    amount, open_amount = open_item_amounts("receivable_line", debit=True)
    return queryset.annotate(receivable_amount=amount, open_amount=open_amount)


def invoices(user=None) -> Any:
    return restrict(
        with_open_amount(
            Invoice.objects.select_related("party", "credited_invoice", "receivable_line")
        ),
        user,
    )


def invoice(pk, user=None) -> Invoice:
    row = invoices(user).filter(pk=pk).first() if str(pk).isdigit() else None
    if row is None:
        raise NotFound(_("The invoice does not exist."))
    return row


def invoice_by_number(number: str, user=None) -> Invoice:
    row = invoices(user).filter(number=str(number).strip()).first()
    if row is None:
        raise NotFound(_("Invoice %(number)s does not exist.") % {"number": number})
    return row


def overdue_q(today: date | None = None) -> Q:
    today = today or timezone.localdate()
    return Q(
        kind=Invoice.Kind.INVOICE,
        state__in=[Invoice.State.POSTED, Invoice.State.PARTLY_PAID],
        due_date__lt=today,
    )


def invoice_lines(invoice: Invoice):
    return invoice.lines.select_related("vat_code", "account", "product").order_by("position", "id")


def invoice_document(invoice: Invoice) -> dict:
    """What the PDF and the EHF need: the invoice, its lines, VAT per rate, the seller
    (company) and the buyer's address."""
    from samspill.accounting.services.invoices import vat_breakdown
    from samspill.organization import queries as organization

    lines = list(invoice_lines(invoice))
    address = (
        invoice.party.addresses.order_by(
            Case(When(kind="invoice", then=0), When(kind="postal", then=1), default=2), "id"
        ).first()
        if invoice.party_id
        else None
    )
    return {
        "invoice": invoice,
        "lines": lines,
        "vat_rows": vat_breakdown(lines),
        "company": organization.company(),
        "address": address,
    }


def payments(user=None) -> QuerySet[Payment]:
    return restrict(
        Payment.objects.select_related("party", "entry").prefetch_related("allocations__invoice"),
        user,
    )


def payment(pk, user=None) -> Payment:
    row = payments(user).filter(pk=pk).first() if str(pk).isdigit() else None
    if row is None:
        raise NotFound(_("The payment does not exist."))
    return row


def party_invoice_figures(party_id: int) -> dict:
    """What the customer owes on posted invoices (open amounts, base currency) and how much
    of it is overdue: two aggregates in one query."""
    today = timezone.localdate()
    rows = with_open_amount(
        Invoice.objects.filter(party_id=party_id).exclude(state=Invoice.State.DRAFT)
    ).aggregate(
        unpaid=Sum("open_amount"),
        overdue=Sum("open_amount", filter=Q(due_date__lt=today, kind=Invoice.Kind.INVOICE)),
    )
    return {"unpaid": cents(rows["unpaid"]), "overdue": cents(rows["overdue"])}


def party_key_figures(user, party):
    from samspill.platform.registry import KeyFigure

    figures = party_invoice_figures(party.pk)
    url = reverse("accounting:invoice_list") + f"?party={party.pk}"
    return [
        KeyFigure(label=gettext_lazy("Unpaid invoices"), value=figures["unpaid"], url=url),
        KeyFigure(
            label=gettext_lazy("Overdue invoices"),
            value=figures["overdue"],
            url=url + "&overdue=1",
        ),
    ]


def search(user, query: str, limit: int):
    """Invoices by number or KID."""
    from samspill.platform.registry import SearchHit

    text = query.strip().replace(" ", "")
    if not text.isdigit() or len(text) < 3:
        return []
    rows = invoices(user).filter(Q(number__startswith=text) | Q(kid=text))[:limit]
    return [
        SearchHit(
            kind=str(row.get_kind_display()),
            title=f"{row.number} {row.party.display_name}",
            url=reverse("accounting:invoice_detail", args=[row.pk]),
            subtitle=f"{row.total} {row.currency} · KID {row.kid}",
        )
        for row in rows
    ]


def open_invoices_of(party_id: int):
    """Posted invoices of a customer that still ask for money, oldest due first."""
    return (
        with_open_amount(
            Invoice.objects.filter(
                party_id=party_id,
                kind=Invoice.Kind.INVOICE,
                state__in=[Invoice.State.POSTED, Invoice.State.PARTLY_PAID],
            )
        )
        .filter(open_amount__gt=0)
        .order_by("due_date", "id")
    )


def invoiced_quantities(order_line_ids) -> dict[int, Decimal]:
    """Quantity invoiced per sales order line (posted and draft invoices less credit notes)."""
    rows = (
        InvoiceLine.objects.filter(order_line_id__in=list(order_line_ids))
        .values("order_line_id")
        .annotate(
            qty=Sum(
                Case(
                    When(invoice__kind=Invoice.Kind.CREDIT_NOTE, then=-F("quantity")),
                    default=F("quantity"),
                )
            )
        )
    )
    return {
        int(row["order_line_id"] or 0): Decimal(str(row["qty"] or 0)).quantize(Decimal("0.001"))
        for row in rows
    }


def filter_invoices(
    rows: QuerySet[Invoice],
    *,
    state: str | None = None,
    kind: str | None = None,
    party_id: int | None = None,
    overdue: bool | None = None,
) -> QuerySet[Invoice]:
    """The list filters the page and the API share."""
    if state:
        rows = rows.filter(state=state)
    if kind:
        rows = rows.filter(kind=kind)
    if party_id:
        rows = rows.filter(party_id=party_id)
    if overdue:
        rows = rows.filter(overdue_q())
    return rows
