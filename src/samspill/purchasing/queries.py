"""Read side of purchasing: lists, details, the document the PDF shows, purchase history
per supplier and per product, the supplier's 360-degree figures, and the hook invoicing
uses for three-way matching (`billing_lines`: ordered, received and billed per line)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.organization import queries as organization
from samspill.platform.errors import NotFound
from samspill.platform.permissions import VIEW, restrict
from samspill.purchasing.models import PurchaseOrder, PurchaseOrderLine
from samspill.purchasing.services.common import vat_breakdown

OPEN_STATUSES = (
    PurchaseOrder.Status.DRAFT,
    PurchaseOrder.Status.SENT,
    PurchaseOrder.Status.CONFIRMED,
    PurchaseOrder.Status.PARTIAL,
)


def order_list(user=None) -> QuerySet[PurchaseOrder]:
    return restrict(PurchaseOrder.objects.select_related("party"), user, VIEW)


def get_order(user, pk) -> PurchaseOrder:
    row = (
        order_list(user).select_related("created_by").filter(pk=pk).first()
        if str(pk).isdigit()
        else None
    )
    if row is None:
        raise NotFound(_("There is no purchase order with this id."))
    return row


def line_list(user=None) -> QuerySet[PurchaseOrderLine]:
    """Every purchase order line with its order and supplier: the purchase history (per
    supplier, per product) behind the history page and its API."""
    orders = order_list(user)
    return (
        PurchaseOrderLine.objects.filter(order__in=orders.values("pk"))
        .select_related("order", "order__party", "product")
        .order_by("-order__order_date", "-order_id", "position")
    )


def lines_of(order: PurchaseOrder) -> list[PurchaseOrderLine]:
    """The lines in order, each with `unit_of_measure` (the catalog unit); two queries."""
    from samspill.catalog import queries as catalog

    lines = list(order.lines.select_related("product").order_by("position", "id"))
    units = {unit.code: unit for unit in catalog.units()}
    for line in lines:
        line.unit_of_measure = units.get(line.unit, line.unit)  # type: ignore[attr-defined]
    return lines


def order_document(order: PurchaseOrder) -> dict[str, Any]:
    """What the PDF shows of a purchase order."""
    lines = lines_of(order)
    return {
        "order": order,
        "lines": lines,
        "vat_rows": vat_breakdown(lines),
        "company": organization.company(),
    }


def billing_lines(order_id: int) -> list[dict[str, Any]]:
    """For supplier bills and three-way matching: per line of a purchase order the product,
    the quantity ordered, received and billed and the net unit price (one query)."""
    return [
        {
            "line_id": row["pk"],
            "product_id": row["product_id"],
            "sku": row["sku"],
            "quantity": row["quantity"],
            "received_quantity": row["received_quantity"],
            "billed_quantity": row["billed_quantity"],
            "unit_price": row["unit_price"],
            "discount_percent": row["discount_percent"],
            "vat_category": row["vat_category"],
        }
        for row in PurchaseOrderLine.objects.filter(order_id=order_id)
        .order_by("position", "pk")
        .values(
            "pk",
            "product_id",
            "sku",
            "quantity",
            "received_quantity",
            "billed_quantity",
            "unit_price",
            "discount_percent",
            "vat_category",
        )
    ]


def search(user, q: str, limit: int = 10) -> list[PurchaseOrder]:
    q = (q or "").strip()
    if not q:
        return []
    condition = Q(number__icontains=q) | Q(reference__icontains=q)
    return list(order_list(user).filter(condition).order_by("-id")[:limit])


def party_figures(party) -> dict[str, Any]:
    """Open purchase orders (count, value) and this year's purchases (count, value): one
    query."""
    year = timezone.localdate().year
    row = PurchaseOrder.objects.filter(party=party).aggregate(
        open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
        open_value=Sum("net_total", filter=Q(status__in=OPEN_STATUSES)),
        year=Count(
            "id",
            filter=Q(order_date__year=year)
            & ~Q(
                status__in=[
                    PurchaseOrder.Status.CANCELLED,
                    PurchaseOrder.Status.DRAFT,
                    PurchaseOrder.Status.SENT,
                ]
            ),
        ),
        year_value=Sum(
            "net_total",
            filter=Q(order_date__year=year)
            & ~Q(
                status__in=[
                    PurchaseOrder.Status.CANCELLED,
                    PurchaseOrder.Status.DRAFT,
                    PurchaseOrder.Status.SENT,
                ]
            ),
        ),
    )
    return {
        "open_orders": row["open"],
        "open_orders_value": row["open_value"] or Decimal("0.00"),
        "orders_this_year": row["year"],
        "orders_this_year_value": row["year_value"] or Decimal("0.00"),
    }


def recent_orders(party, limit: int = 10) -> list[PurchaseOrder]:
    return list(PurchaseOrder.objects.filter(party=party).order_by("-order_date", "-id")[:limit])


def outstanding(product_ids) -> dict[int, Decimal]:
    """Product id -> quantity ordered from suppliers and not yet arrived (open orders)."""
    rows = (
        PurchaseOrderLine.objects.filter(
            product_id__in=list(product_ids), order__status__in=PurchaseOrder.OPEN
        )
        .values("product_id")
        .annotate(total=Sum(F("quantity") - F("received_quantity")))
    )
    return {row["product_id"]: max(row["total"] or Decimal(0), Decimal(0)) for row in rows}
