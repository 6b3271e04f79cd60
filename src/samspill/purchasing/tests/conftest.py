from decimal import Decimal

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages():
    """Assertions on messages read the English source; nb has its own tests."""
    with translation.override("en"):
        yield


@pytest.fixture
def emitted(db):
    """emitted() -> [(type, payload)] of the events published since the fixture was made."""
    from samspill.platform.models import OutboxEvent

    before = set(OutboxEvent.objects.values_list("pk", flat=True))

    def read():
        rows = OutboxEvent.objects.exclude(pk__in=before).order_by("occurred_at", "id")
        return [(row.type, row.payload) for row in rows]

    return read


@pytest.fixture
def buyer(make_user):
    return make_user("operations", language="en")


@pytest.fixture
def warehouse(db):
    from samspill.inventory.services import ensure_setup

    return ensure_setup()


@pytest.fixture
def supplier(db):
    from samspill.parties.tests.factories import ContactPointFactory, OrganizationFactory

    party = OrganizationFactory(name="Grossist AS", is_supplier=True)
    ContactPointFactory(party=party, value="ordre@grossist.no", normalized="ordre@grossist.no")
    return party


@pytest.fixture
def products(db):
    """A stockable mug (25 %, cost 40), coffee (15 %, consumable) and a service."""
    from samspill.catalog.tests.factories import ProductFactory

    return {
        "mug": ProductFactory(sku="MUG-1", cost_price=Decimal("40.00"), vat_category="standard"),
        "coffee": ProductFactory(
            sku="COF-1",
            cost_price=Decimal("80.00"),
            vat_category="food",
            product_type="consumable",
        ),
        "freight": ProductFactory(
            sku="FRAKT",
            cost_price=Decimal("250.00"),
            vat_category="standard",
            product_type="service",
        ),
    }


@pytest.fixture
def make_order(buyer, supplier, products, warehouse):
    """make_order(lines=None, confirm=False) -> a purchase order of 10 mugs, 4 coffee."""
    from samspill.purchasing import services

    def make(lines=None, confirm=False, **kwargs):
        order = services.create_order(
            actor=buyer,
            party=supplier,
            lines=lines
            or [
                {"product_id": products["mug"].pk, "quantity": "10"},
                {"product_id": products["coffee"].pk, "quantity": "4", "unit_price": "75.50"},
            ],
            **kwargs,
        )
        if confirm:
            order = services.confirm_order(order, actor=buyer)
        return order

    return make
