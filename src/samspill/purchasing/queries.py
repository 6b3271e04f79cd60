"""Read side of purchasing: lists, details, the document the PDF shows, purchase history
per supplier and per product, the supplier's 360-degree figures, and the hook invoicing
uses for three-way matching (`billing_lines`: ordered, received and billed per line)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.organization import queries as organization
from samspill.platform.errors import NotFound
from samspill.platform.money import vat_breakdown
from samspill.platform.permissions import VIEW, restrict
from samspill.purchasing.models import (
    PurchaseOrder,
    PurchaseOrderLine,
    ReorderRule,
    SupplierInfo,
)

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


BILLING_FIELDS = (
    "pk",
    "order_id",
    "order__number",
    "order__party_id",
    "product_id",
    "product_type",
    "description",
    "unit",
    "quantity",
    "received_quantity",
    "billed_quantity",
    "unit_price",
    "discount_percent",
)


def _billing_row(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "line_id": row["pk"],
        "order_id": row["order_id"],
        "order_number": row["order__number"],
        "party_id": row["order__party_id"],
        "product_id": row["product_id"],
        "product_type": row["product_type"],
        "description": row["description"],
        "unit": row["unit"],
        "quantity": row["quantity"],
        "received_quantity": row["received_quantity"],
        "billed_quantity": row["billed_quantity"],
        "unit_price": row["unit_price"],
        "discount_percent": row["discount_percent"],
    }


def lines_for_billing(line_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Purchase order lines by id for accounting's three-way match (one query)."""
    rows = PurchaseOrderLine.objects.filter(pk__in=list(line_ids)).values(*BILLING_FIELDS)
    return {row["pk"]: _billing_row(row) for row in rows}


def order_for_billing(order_id: int) -> dict[str, Any] | None:
    """A purchase order with its lines, to prefill a supplier bill (two queries)."""
    order = PurchaseOrder.objects.filter(pk=order_id).values("pk", "number", "party_id").first()
    if order is None:
        return None
    rows = (
        PurchaseOrderLine.objects.filter(order_id=order_id)
        .order_by("position", "pk")
        .values(*BILLING_FIELDS)
    )
    return {
        "id": order["pk"],
        "number": order["number"],
        "party_id": order["party_id"],
        "lines": [_billing_row(row) for row in rows],
    }


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


# --- Replenishment ------------------------------------------------------------------------


def supplier_info_list(user=None) -> QuerySet[SupplierInfo]:
    return restrict(SupplierInfo.objects.select_related("product", "party"), user, VIEW)


def reorder_rule_list(user=None) -> QuerySet[ReorderRule]:
    return restrict(ReorderRule.objects.select_related("product", "warehouse", "party"), user, VIEW)


@dataclass
class Suggestion:
    """A reorder rule with its product's position in the warehouse and what to order."""

    rule: ReorderRule
    on_hand: Decimal
    incoming: Decimal
    reserved: Decimal
    supplier: Any  # Party | None
    price: Decimal | None
    supplier_sku: str
    lead_time_days: int

    @property
    def projected(self) -> Decimal:
        return self.on_hand + self.incoming - self.reserved

    @property
    def below(self) -> bool:
        return self.projected < self.rule.min_quantity

    @property
    def quantity(self) -> Decimal:
        return (
            max(self.rule.max_quantity - self.projected, Decimal(0)) if self.below else Decimal(0)
        )


def replenishment(rule_ids=None, *, below_only: bool = False, user=None) -> list[Suggestion]:
    """Every active reorder rule (or those in `rule_ids`) with on hand, incoming (open and
    draft purchase orders not yet received, for the rule's warehouse) and reserved, and
    the supplier to order from: the rule's, else the product's preferred one. Four
    queries whatever the number of rules."""
    from samspill.inventory import queries as inventory

    rules = list(reorder_rule_list(user).filter(is_active=True).order_by("product__sku"))
    if rule_ids is not None:
        wanted = {int(pk) for pk in rule_ids}
        rules = [rule for rule in rules if rule.pk in wanted]
    if not rules:
        return []
    product_ids = {rule.product_id for rule in rules}
    levels = inventory.warehouse_levels(product_ids, {rule.warehouse_id for rule in rules})
    default_code = next((r.warehouse.code for r in rules if r.warehouse.is_default), None)
    incoming: dict[tuple[int, str], Decimal] = {}
    for row in (
        PurchaseOrderLine.objects.filter(
            product_id__in=product_ids,
            order__status__in=OPEN_STATUSES,
            received_quantity__lt=F("quantity"),
        )
        .values("product_id", "order__warehouse_code")
        .annotate(total=Sum(F("quantity") - F("received_quantity")))
    ):
        code = (row["order__warehouse_code"] or default_code or "").upper()
        key = (row["product_id"], code)
        incoming[key] = incoming.get(key, Decimal(0)) + (row["total"] or Decimal(0))
    infos: dict[int, list[SupplierInfo]] = {}
    for info in SupplierInfo.objects.filter(product_id__in=product_ids).select_related("party"):
        infos.setdefault(info.product_id, []).append(info)
    result = []
    for rule in rules:
        on_hand, reserved = levels.get(
            (rule.product_id, rule.warehouse_id), (Decimal(0), Decimal(0))
        )
        options = sorted(infos.get(rule.product_id, []), key=lambda i: (i.sequence, i.pk))
        chosen = next((i for i in options if rule.party_id and i.party_id == rule.party_id), None)
        if chosen is None and not rule.party_id and options:
            chosen = options[0]
        supplier = rule.party if rule.party_id else (chosen.party if chosen else None)
        suggestion = Suggestion(
            rule=rule,
            on_hand=on_hand or Decimal(0),
            incoming=incoming.get((rule.product_id, rule.warehouse.code.upper()), Decimal(0)),
            reserved=reserved or Decimal(0),
            supplier=supplier,
            price=chosen.price if chosen else None,
            supplier_sku=chosen.supplier_sku if chosen else "",
            lead_time_days=chosen.lead_time_days if chosen else 0,
        )
        if not below_only or suggestion.below:
            result.append(suggestion)
    return result


def replenishment_rows(suggestions) -> list[dict[str, Any]]:
    """The replenishment screen's rows (and its API's) from the suggestions."""
    return [
        {
            "rule_id": s.rule.pk,
            "product_id": s.rule.product_id,
            "sku": s.rule.product.sku,
            "name": s.rule.product.name,
            "warehouse": s.rule.warehouse.code,
            "on_hand": s.on_hand,
            "incoming": s.incoming,
            "reserved": s.reserved,
            "projected": s.projected,
            "min_quantity": s.rule.min_quantity,
            "max_quantity": s.rule.max_quantity,
            "below": s.below,
            "quantity": s.quantity,
            "supplier_id": s.supplier.pk if s.supplier else None,
            "supplier": s.supplier.display_name if s.supplier else "—",
            "price": s.price,
        }
        for s in suggestions
    ]
