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
def seller(make_user):
    return make_user("sales")


@pytest.fixture
def customer(db):
    from samspill.parties.tests.factories import ContactPointFactory, OrganizationFactory

    party = OrganizationFactory(name="Fjordkaffe AS", is_customer=True)
    ContactPointFactory(
        party=party, value="innkjop@fjordkaffe.no", normalized="innkjop@fjordkaffe.no"
    )
    return party


@pytest.fixture
def products(db):
    """A stockable product (25 %), a food product (15 %) and an exempt service."""
    from samspill.catalog.tests.factories import ProductFactory

    return {
        "mug": ProductFactory(sku="MUG-1", sales_price=Decimal("99.90"), vat_category="standard"),
        "coffee": ProductFactory(
            sku="COF-1",
            sales_price=Decimal("149.00"),
            vat_category="food",
            product_type="consumable",
        ),
        "course": ProductFactory(
            sku="EDU-1",
            sales_price=Decimal("1000.00"),
            vat_category="exempt",
            product_type="service",
        ),
    }


@pytest.fixture
def quote_lines(products):
    return [
        {"product_id": products["mug"].pk, "quantity": "3"},
        {"product_id": products["coffee"].pk, "quantity": "2.5"},
        {"product_id": products["course"].pk, "quantity": "1"},
    ]
