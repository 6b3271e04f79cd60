"""The demo purchasing: every state, through the services, idempotent."""

import pytest

from samspill.inventory.models import StockMove
from samspill.purchasing import demo
from samspill.purchasing.models import PurchaseOrder

pytestmark = pytest.mark.django_db


def test_demo_covers_every_state_and_loads_once(make_user, warehouse):
    from samspill.catalog.tests.factories import ProductFactory
    from samspill.parties.tests.factories import OrganizationFactory

    OrganizationFactory.create_batch(3, is_supplier=True)
    ProductFactory.create_batch(10, product_type="stockable")
    actor = make_user("admin")
    added = demo.load(actor=actor)
    assert added == {"orders": 8, "supplier_info": 14, "reorder_rules": 6}
    assert set(PurchaseOrder.objects.values_list("status", flat=True)) == set(
        PurchaseOrder.Status.values
    )
    assert StockMove.objects.filter(reason="receipt", value__gt=0).exists()
    assert demo.load(actor=actor) == {"orders": 0, "supplier_info": 0, "reorder_rules": 0}
