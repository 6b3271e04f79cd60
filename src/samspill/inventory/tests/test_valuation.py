"""Stock valuation and its ledger postings, end to end: purchase orders received at two
prices, a sales order reserved and delivered in two parts; the stock value and the cost
of goods sold in the ledger agree with the moves."""

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from samspill.accounting.models import JournalEntry, JournalLine
from samspill.inventory import queries, services
from samspill.inventory.models import Delivery, ProductCost, Receipt, StockMove
from samspill.inventory.services import value_months

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(db):
    from samspill.accounting import services as accounting

    accounting.load_chart(actor=None)
    return accounting.open_fiscal_year(actor=None, start=date(timezone.localdate().year, 1, 1))


@pytest.fixture
def supplier(db):
    from samspill.parties.tests.factories import OrganizationFactory

    return OrganizationFactory(name="Grossist AS", is_supplier=True)


def balance(number: str) -> Decimal:
    row = JournalLine.objects.filter(account__number=number).aggregate(
        debit=Sum("debit"), credit=Sum("credit")
    )
    return (row["debit"] or Decimal(0)) - (row["credit"] or Decimal(0))


def _buy(ops, supplier, product, quantity, price, order_id):
    receipt = services.create_receipt(
        actor=ops,
        party_id=supplier.pk,
        order_id=order_id,
        order_number=f"PO-2026-{order_id:05d}",
        lines=[{"product_id": product.pk, "quantity": quantity, "unit_cost": price}],
    )
    line = receipt.lines.get()
    return services.receive(
        actor=ops, receipt=receipt, lines=[{"line_id": line.pk, "quantity": quantity}]
    )


def _ship(ops, delivery, quantity):
    line = delivery.lines.get()
    services.pick(actor=ops, delivery=delivery, picks=[{"line_id": line.pk, "quantity": quantity}])
    return services.ship(actor=ops, delivery=delivery)


def test_order_reserved_delivered_in_two_parts_agrees_with_the_ledger(
    ledger, ops, supplier, product, order_payload, warehouse
):
    _buy(ops, supplier, product, "10", "40", 1)
    assert ProductCost.objects.get(product=product).average_cost == Decimal("40.0000")
    _buy(ops, supplier, product, "10", "46", 2)
    assert ProductCost.objects.get(product=product).average_cost == Decimal("43.0000")

    delivery = services.create_delivery_for_order(order_payload([(product, "15")]), actor=ops)
    assert delivery.state == "ready"
    assert delivery.lines.get().reserved == Decimal("15.000")
    _ship(ops, delivery, "6")
    backorder = Delivery.objects.get(backorder_of=delivery)
    _ship(ops, backorder, "9")

    shipped = StockMove.objects.filter(reason="delivery")
    assert sorted(m.value for m in shipped) == [Decimal("258.00"), Decimal("387.00")]
    assert all(m.unit_cost == Decimal("43.0000") for m in shipped)

    # One ledger entry per business document: two receipts and two shipments.
    assert JournalEntry.objects.count() == 4
    assert balance("2985") == Decimal("-860.00")
    assert balance("4300") == Decimal("645.00")
    assert balance("1460") == Decimal("215.00")
    assert queries.stock_value_total() == Decimal("215.00")
    [row] = list(queries.stock_value())
    assert (row["sku"], row["quantity"], row["value"]) == (
        "WIDGET",
        Decimal("5.000"),
        Decimal("215.00"),
    )


def test_value_at_an_earlier_date(ledger, ops, supplier, product):
    _buy(ops, supplier, product, "4", "10", 1)
    StockMove.objects.update(done_at=timezone.make_aware(timezone.datetime(2026, 1, 5, 12)))
    value_months.rebuild()  # the moves were back-dated behind the stock engine's back
    _buy(ops, supplier, product, "6", "20", 2)
    assert [r["value"] for r in queries.stock_value(date(2026, 1, 5))] == [Decimal("40.00")]
    assert [r["value"] for r in queries.stock_value()] == [Decimal("160.00")]


def test_counts_and_adjustments_book_shrinkage(ledger, ops, supplier, product, stock):
    _buy(ops, supplier, product, "10", "40", 1)
    services.adjust_stock(
        actor=ops, product=product, location=stock, quantity="-2", reason="Broken"
    )
    assert balance("4390") == Decimal("80.00")
    assert balance("1460") == Decimal("320.00")


def test_without_accounting_nothing_is_booked_but_moves_are_valued(ops, supplier, product):
    _buy(ops, supplier, product, "3", "12.5", 1)
    assert JournalEntry.objects.count() == 0
    assert StockMove.objects.get().value == Decimal("37.50")
    assert Receipt.objects.get().state == "done"


def test_stock_value_page_and_export(login, ops, supplier, product, ledger):
    from django.urls import reverse

    _buy(ops, supplier, product, "2", "100", 1)
    client = login(ops)
    page = client.get(reverse("inventory:stock_value"))
    assert page.status_code == 200 and "WIDGET" in page.content.decode()
    export = client.get(reverse("inventory:stock_value"), {"_export": "csv", "at": "2000-01-01"})
    assert export.status_code == 200 and b"WIDGET" not in export.content
    api = client.get("/api/v1/inventory/stock-value").json()
    assert api["items"][0]["value"] == "200.00"


def test_product_stock_page_shows_the_average_cost(login, ops, supplier, product):
    from django.urls import reverse

    _buy(ops, supplier, product, "4", "12.5", 1)
    page = login(ops).get(reverse("inventory:product_stock", args=[product.pk]))
    html = page.content.decode()
    assert 'data-testid="average-cost">12.50<' in html.replace(",", ".")
    assert "50.00" in html.replace(",", ".")  # the receipt's value


def test_stock_value_page_has_a_fixed_query_count(
    login, ops, supplier, product, django_assert_max_num_queries
):
    from django.urls import reverse

    from samspill.catalog.tests.factories import ProductFactory

    _buy(ops, supplier, product, "2", "10", 1)
    client = login(ops)
    client.get(reverse("inventory:stock_value"))
    with django_assert_max_num_queries(14) as small:
        client.get(reverse("inventory:stock_value"))
    for index in range(5):
        _buy(ops, supplier, ProductFactory(), "3", "7", 10 + index)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("inventory:stock_value"))
    assert response.status_code == 200


def test_the_demo_opening_stock_takes_its_cost_out_of_purchases(ledger, product, warehouse):
    """The demo ledger expensed the goods on hand to 4300 when they were bought: the
    opening stock capitalises them against 4300 (the change in stock), not equity."""
    from samspill.inventory import demo

    product.cost_price = Decimal("10.00")
    product.product_type = "stockable"
    product.save()
    demo.load(actor=None)
    quantity = StockMove.objects.get(product=product).quantity
    assert balance("1460") == quantity * 10
    assert balance("4300") == -quantity * 10
    assert balance("2050") == Decimal("0")
    assert balance("4390") == Decimal("0")
