"""Across purchasing, inventory, sales and accounting: goods bought on two purchase orders
at two prices and received; a sales order confirmed (stock reserved by inventory on
sales.order.confirmed) and delivered in two parts; the order shows it delivered; the stock
value and the cost of goods sold in the ledger agree with the moves."""

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _balance(number: str) -> Decimal:
    from samspill.accounting.models import JournalLine

    row = JournalLine.objects.filter(account__number=number).aggregate(
        debit=Sum("debit"), credit=Sum("credit")
    )
    return (row["debit"] or Decimal(0)) - (row["credit"] or Decimal(0))


def test_purchase_receive_sell_deliver_in_two_parts(make_user, run_tasks):
    from samspill.accounting import services as accounting
    from samspill.catalog.tests.factories import ProductFactory
    from samspill.inventory import queries as inventory_queries
    from samspill.inventory import services as inventory
    from samspill.inventory.models import Delivery, StockMove
    from samspill.parties.tests.factories import OrganizationFactory
    from samspill.purchasing import services as purchasing
    from samspill.purchasing.models import PurchaseOrder
    from samspill.sales import services as sales

    accounting.load_chart(actor=None)
    accounting.open_fiscal_year(actor=None, start=date(timezone.localdate().year, 1, 1))
    inventory.ensure_setup()
    buyer = make_user("operations")
    seller = make_user("sales")
    supplier = OrganizationFactory(name="Grossist AS", is_supplier=True)
    customer = OrganizationFactory(name="Kunde AS", is_customer=True)
    lamp = ProductFactory(sku="LAMP-1", sales_price=Decimal("199.00"), cost_price=Decimal("80"))

    for price in ("80", "92"):
        order = purchasing.create_order(
            actor=buyer,
            party=supplier,
            lines=[{"product_id": lamp.pk, "quantity": "10", "unit_price": price}],
        )
        purchasing.confirm_order(order, actor=buyer)
        receipt = inventory_queries.receipts_for_order(order.pk)[0]
        line = receipt.lines.get()
        inventory.receive(
            actor=buyer, receipt=receipt, lines=[{"line_id": line.pk, "quantity": "10"}]
        )
    run_tasks()
    assert set(PurchaseOrder.objects.values_list("status", flat=True)) == {"received"}
    assert _balance("1460") == Decimal("1720.00")
    assert _balance("2985") == Decimal("-1720.00")

    sale = sales.create_order(
        actor=seller,
        party=customer,
        lines=[{"product_id": lamp.pk, "quantity": "15"}],
        invoicing_policy="delivery",
    )
    sales.confirm_order(sale, actor=seller)
    run_tasks()
    delivery = Delivery.objects.get(order_id=sale.pk)
    assert delivery.state == "ready"
    assert delivery.lines.get().reserved == Decimal("15.000")

    for quantity in ("6", "9"):
        delivery = Delivery.objects.get(order_id=sale.pk, state="ready")
        line = delivery.lines.get()
        inventory.pick(
            actor=buyer, delivery=delivery, picks=[{"line_id": line.pk, "quantity": quantity}]
        )
        inventory.ship(actor=buyer, delivery=delivery)
        run_tasks()
    sale.refresh_from_db()
    assert sale.delivery_status == "full"

    shipped = StockMove.objects.filter(reason="delivery")
    cogs = sum((m.value for m in shipped), Decimal(0))
    assert cogs == Decimal("1290.00")  # 15 × 86 (average of 10 × 80 and 10 × 92)
    assert _balance("4300") == cogs
    assert _balance("1460") == Decimal("430.00") == inventory_queries.stock_value_total()
    [row] = list(inventory_queries.stock_value())
    assert (row["quantity"], row["value"]) == (Decimal("5.000"), Decimal("430.00"))
