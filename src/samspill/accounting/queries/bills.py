"""Read side of supplier bills and supplier payments. What a bill still asks is the residual
of its payable line's match, computed in SQL (a subquery per row, no loops over lines):
positive is what we owe the supplier."""

from __future__ import annotations

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

from samspill.accounting.models import (
    SupplierBill,
    SupplierBillLine,
    SupplierPayment,
)
from samspill.accounting.queries.ledger import cents, open_item_amounts
from samspill.platform.errors import NotFound
from samspill.platform.permissions import restrict

MONEY = DecimalField(max_digits=20, decimal_places=2)
OPEN_STATES = (SupplierBill.State.APPROVED, SupplierBill.State.PARTLY_PAID)


def with_open_amount(queryset: QuerySet[SupplierBill]) -> Any:
    """Annotate `payable_amount` (the payable line, base currency, credit − debit: negative
    for a credit note) and `open_amount` (what its match still leaves owed)."""
    amount, open_amount = open_item_amounts("payable_line", debit=False)
    return queryset.annotate(payable_amount=amount, open_amount=open_amount)


def bills(user=None) -> Any:
    return restrict(
        with_open_amount(
            SupplierBill.objects.select_related("party", "payable_line", "created_by")
        ),
        user,
    )


def bill(pk, user=None) -> SupplierBill:
    row = bills(user).filter(pk=pk).first() if str(pk).isdigit() else None
    if row is None:
        raise NotFound(_("The supplier bill does not exist."))
    return row


def bill_lines(bill: SupplierBill):
    return bill.lines.select_related("vat_code", "account", "product").order_by("position", "id")


def filter_bills(
    rows: QuerySet[SupplierBill],
    *,
    state: str | None = None,
    kind: str | None = None,
    party_id: int | None = None,
    overdue: bool | None = None,
    purchase_order_id: int | None = None,
) -> QuerySet[SupplierBill]:
    """The list filters the page and the API share."""
    if state:
        rows = rows.filter(state=state)
    if kind:
        rows = rows.filter(kind=kind)
    if party_id:
        rows = rows.filter(party_id=party_id)
    if purchase_order_id:
        rows = rows.filter(purchase_order_id=purchase_order_id)
    if overdue:
        rows = rows.filter(overdue_q())
    elif overdue is False:
        rows = rows.exclude(overdue_q())
    return rows


def overdue_q(today=None) -> Q:
    today = today or timezone.localdate()
    return Q(kind=SupplierBill.Kind.BILL, state__in=OPEN_STATES, due_date__lt=today)


def open_bills_of(party_id: int):
    """Approved bills of a supplier we still owe on, oldest due first."""
    return (
        with_open_amount(
            SupplierBill.objects.filter(
                party_id=party_id, kind=SupplierBill.Kind.BILL, state__in=OPEN_STATES
            )
        )
        .filter(open_amount__gt=0)
        .order_by("due_date", "id")
    )


def bill_document(bill: SupplierBill) -> dict:
    from samspill.accounting.services.bills import vat_breakdown

    lines = list(bill_lines(bill))
    return {"bill": bill, "lines": lines, "vat_rows": vat_breakdown(lines)}


def supplier_payments(user=None) -> QuerySet[SupplierPayment]:
    return restrict(
        SupplierPayment.objects.select_related("party", "entry").prefetch_related(
            "allocations__bill"
        ),
        user,
    )


def supplier_payment(pk, user=None) -> SupplierPayment:
    row = supplier_payments(user).filter(pk=pk).first() if str(pk).isdigit() else None
    if row is None:
        raise NotFound(_("The supplier payment does not exist."))
    return row


def party_bill_figures(party_id: int) -> dict:
    """What we owe the supplier on approved bills (base currency) and how much of it is
    overdue: two aggregates in one query."""
    today = timezone.localdate()
    rows = with_open_amount(
        SupplierBill.objects.filter(party_id=party_id, payable_line__isnull=False)
    ).aggregate(
        owed=Sum("open_amount"),
        overdue=Sum("open_amount", filter=Q(due_date__lt=today, kind=SupplierBill.Kind.BILL)),
    )
    return {"owed": cents(rows["owed"]), "overdue": cents(rows["overdue"])}


def party_key_figures(user, party):
    from samspill.platform.registry import KeyFigure

    if not party.is_supplier and not SupplierBill.objects.filter(party_id=party.pk).exists():
        return []
    figures = party_bill_figures(party.pk)
    url = reverse("accounting:bill_list") + f"?party={party.pk}"
    return [
        KeyFigure(label=gettext_lazy("Owed to the supplier"), value=figures["owed"], url=url),
        KeyFigure(
            label=gettext_lazy("Overdue supplier bills"),
            value=figures["overdue"],
            url=url + "&overdue=true",
        ),
    ]


def search(user, query: str, limit: int):
    """Bills by our number (LF-2026-00001) or the supplier's invoice number."""
    from samspill.platform.registry import SearchHit

    text = query.strip()
    if len(text) < 3:
        return []
    rows = bills(user).filter(
        Q(number__istartswith=text) | Q(supplier_number__iexact=text) | Q(kid=text)
    )[:limit]
    return [
        SearchHit(
            kind=str(_("Supplier bill")),
            title=f"{row.number} {row.party.display_name} {row.supplier_number}",
            url=reverse("accounting:bill_detail", args=[row.pk]),
            subtitle=f"{row.total} {row.currency} · {row.get_state_display()}",
        )
        for row in rows
    ]


def billed_by_po_line(po_line_ids) -> dict[int, Any]:
    """Quantity on approved bills per purchase order line (credit notes subtract)."""
    rows = (
        SupplierBillLine.objects.filter(
            po_line_id__in=list(po_line_ids), bill__payable_line__isnull=False
        )
        .values("po_line_id")
        .annotate(
            qty=Sum(
                Case(
                    When(bill__kind=SupplierBill.Kind.CREDIT_NOTE, then=-F("quantity")),
                    default=F("quantity"),
                )
            )
        )
    )
    return {int(row["po_line_id"] or 0): row["qty"] for row in rows}
