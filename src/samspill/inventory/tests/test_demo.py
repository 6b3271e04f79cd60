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
