import pytest

from samspill.inventory import demo
from samspill.inventory.models import Location, StockLevel, StockMove
from samspill.platform.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_demo_stock_is_bulk_and_idempotent(ops, django_assert_max_num_queries):
    from samspill.catalog import demo as catalog_demo
    from samspill.catalog.models import Product

    catalog_demo.load(actor=None)
    stockable = Product.objects.filter(product_type="stockable", is_active=True).count()
    with django_assert_max_num_queries(60):  # bulk: not a query per product
        added = demo.load(actor=ops)
    assert added == {"locations": 7, "products": stockable}
    assert (
        StockLevel.objects.filter(location__code="HOVED/LAGER", on_hand__gt=0).count() == stockable
    )
    assert Location.objects.filter(code="HOVED/LAGER/A/A-02").exists()
    assert AuditEntry.objects.filter(content_type__model="stockmove").count() == stockable
    assert demo.load(actor=ops) == {"locations": 0, "products": 0}
    assert StockMove.objects.count() == stockable


def test_demo_production_packs_cook_sets(ops):
    from samspill.catalog import demo as catalog_demo
    from samspill.inventory import demo_production
    from samspill.inventory.models import ProductionOrder

    catalog_demo.load(actor=None)
    demo.load(actor=ops)
    assert demo_production.load(actor=ops) == {"boms": 1, "orders": 1}
    order = ProductionOrder.objects.get()
    assert order.state == ProductionOrder.State.DONE
    assert order.product.sku == "KJELE" and order.quantity >= 1
    assert order.lines.get().quantity == order.quantity
    assert order.value == sum(m.value for m in order.moves.exclude(product=order.product))
    assert demo_production.load(actor=ops) == {"boms": 0, "orders": 0}


def test_demo_ledger_values_stock_once(db):
    """In the demo company the stock account equals the stock value report, and cost of
    goods (4300) this year is the periodic purchases less the stock capitalised at the
    opening plus what deliveries shipped: no item is expensed twice."""
    from datetime import date
    from io import StringIO

    from django.core.management import call_command
    from django.db.models import Sum

    from samspill.accounting.models import JournalLine
    from samspill.inventory import queries
    from samspill.inventory.services import valuation

    call_command("demo", stdout=StringIO())

    def balance(number, **filters):
        row = JournalLine.objects.filter(account__number=number, **filters).aggregate(
            debit=Sum("debit"), credit=Sum("credit")
        )
        return (row["debit"] or 0) - (row["credit"] or 0)

    stock_value = queries.stock_value_total()
    assert stock_value > 0
    assert balance("1460") == stock_value
    this_year = {"entry__date__gte": date(date.today().year, 1, 1)}
    purchases = balance("4300", entry__journal__code="PUR", **this_year)
    opening = sum(m.value for m in StockMove.objects.filter(reference=demo.REASON))
    shipped = (
        StockMove.objects.filter(
            from_location__kind="internal", to_location__kind="customer"
        ).aggregate(total=Sum("value"))["total"]
        or 0
    )
    returned = (
        StockMove.objects.filter(
            from_location__kind="customer", to_location__kind="internal"
        ).aggregate(total=Sum("value"))["total"]
        or 0
    )
    assert balance("4300", **this_year) == purchases - opening + shipped - returned
    assert valuation.COGS_ACCOUNT == demo.OPENING_COUNTER_ACCOUNT
