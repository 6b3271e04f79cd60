"""Demo purchasing of Nordlys Handel AS: what the demo suppliers sell (supplier info),
min/max reorder rules, and purchase orders in every state a buyer meets: a draft, a
request for quotation sent, confirmed and waiting, partly received, received (valued in
stock at their purchase prices), closed and cancelled.

Everything goes through the services (numbers, receipts, stock moves and their values,
audit and events); the receipts' events are delivered at the end so the orders show what
arrived. Running it again adds nothing."""

from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from samspill.catalog import queries as catalog
from samspill.inventory import queries as inventory_queries
from samspill.inventory import services as inventory
from samspill.parties import queries as parties
from samspill.purchasing import services
from samspill.purchasing.models import PurchaseOrder, SupplierInfo

# (status, lines) of the demo orders; lines are (product index, quantity).
ORDERS = [
    ("received", [(0, 40), (1, 25)]),
    ("received", [(2, 60)]),
    ("partial", [(3, 30), (4, 20)]),
    ("confirmed", [(5, 50), (0, 10)]),
    ("closed", [(6, 24)]),
    ("sent", [(7, 12), (8, 6)]),
    ("draft", [(9, 18)]),
    ("cancelled", [(1, 5)]),
]


def _price(product, factor: str) -> Decimal:
    base = product.cost_price or (product.sales_price * Decimal("0.55"))
    return (base * Decimal(factor)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def load(*, actor) -> dict[str, int]:
    result = _load(actor)
    if result["orders"]:
        from samspill.platform.tasks import run_pending

        run_pending()  # the receipts' events: the orders learn what arrived
    return result


@transaction.atomic
def _load(actor) -> dict[str, int]:
    empty = {"orders": 0, "supplier_info": 0, "reorder_rules": 0}
    if PurchaseOrder.objects.exists() or SupplierInfo.objects.exists():
        return empty
    suppliers = list(
        parties.visible_parties(None)
        .filter(is_supplier=True, kind="organization")
        .order_by("id")[:4]
    )
    products = [
        p
        for p in catalog.product_list(None)
        .filter(is_active=True, product_type="stockable")
        .order_by("sku")[:16]
        if inventory_queries.tracking(p.pk) == "none"
    ][:10]
    if not suppliers or len(products) < 10:
        return empty
    infos = 0
    for index, product in enumerate(products):
        main = suppliers[index % len(suppliers)]
        services.save_supplier_info(
            actor=actor,
            product=product,
            party=main,
            price=_price(product, "1.00"),
            supplier_sku=f"{main.name[:3].upper()}-{product.sku}",
            lead_time_days=3 + index % 5,
            sequence=1,
        )
        infos += 1
        if index % 3 == 0 and len(suppliers) > 1:
            other = suppliers[(index + 1) % len(suppliers)]
            services.save_supplier_info(
                actor=actor,
                product=product,
                party=other,
                price=_price(product, "1.06"),
                lead_time_days=10,
                sequence=5,
            )
            infos += 1
    rules = 0
    for index, product in enumerate(products[:6]):
        services.save_reorder_rule(
            actor=actor,
            product=product,
            min_quantity=20 + 10 * index,
            max_quantity=80 + 20 * index,
        )
        rules += 1
    today = timezone.localdate()
    for number, (status, rows) in enumerate(ORDERS):
        supplier = suppliers[number % len(suppliers)]
        ordered = today - timedelta(days=3 * (len(ORDERS) - number))
        order = services.create_order(
            actor=actor,
            party=supplier,
            order_date=ordered,
            expected_date=ordered + timedelta(days=7),
            reference=f"T-{2400 + number}",
            lines=[{"product_id": products[i].pk, "quantity": quantity} for i, quantity in rows],
        )
        if status == "draft":
            continue
        services.mark_sent(order, actor=actor)
        if status == "sent":
            continue
        services.confirm_order(order, actor=actor)
        if status == "cancelled":
            services.cancel_order(order, actor=actor)
            continue
        if status == "confirmed":
            continue
        receipt = inventory_queries.receipts_for_order(order.pk)[0]
        lines = inventory_queries.receipt_lines(receipt)
        part = status in ("partial", "closed")
        inventory.receive(
            actor=actor,
            receipt=receipt,
            lines=[
                {
                    "line_id": line.pk,
                    "quantity": (line.quantity / 2).quantize(Decimal("1"))
                    if part
                    else line.quantity,
                }
                for line in lines[: 1 if status == "partial" else None]
            ],
        )
        if status == "closed":
            services.close_order(order, actor=actor)
    return {"orders": len(ORDERS), "supplier_info": infos, "reorder_rules": rules}
