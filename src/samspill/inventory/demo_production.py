"""Demo production: a bill of materials packing the cook set (KJELE) with a camping stove
(PRIMUS), and one done production order making cook sets from the opening stock (up to
ten, as many stoves as are available).
Idempotent: nothing is added when a bill for the box exists."""

from __future__ import annotations

from samspill.catalog import queries as catalog
from samspill.inventory import services
from samspill.inventory.models import BillOfMaterials, StockLevel

FINISHED = "KJELE"
COMPONENT = "PRIMUS"


def load(*, actor=None) -> dict[str, int]:
    skus = dict(
        catalog.product_list(None)
        .filter(sku__in=[FINISHED, COMPONENT], is_active=True)
        .values_list("sku", "pk")
    )
    if len(skus) < 2 or BillOfMaterials.objects.filter(product_id=skus[FINISHED]).exists():
        return {"boms": 0, "orders": 0}
    bom = services.create_bom(
        actor=actor,
        product=skus[FINISHED],
        quantity=1,
        note="Kjelesett pakket med turprimus",
        lines=[{"product": skus[COMPONENT], "quantity": 1}],
    )
    warehouse = services.get_warehouse()
    level = StockLevel.objects.filter(
        product_id=skus[COMPONENT], location=warehouse.stock_location
    ).first()
    free = (level.on_hand - level.reserved) if level else 0
    boxes = min(10, int(free))
    if boxes < 1:
        return {"boms": 1, "orders": 0}
    order = services.create_production(actor=actor, bom=bom, quantity=boxes)
    services.confirm_production(actor=actor, order=order)
    services.finish_production(actor=actor, order=order)
    return {"boms": 1, "orders": 1}
