from decimal import Decimal

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages():
    """Assertions on messages read the English source; nb has its own test."""
    with translation.override("en"):
        yield


@pytest.fixture
def emitted(db):
    """emitted() -> [(type, payload)] of the events published since the fixture was made."""
    from samspill.platform.models import OutboxEvent

    before = set(OutboxEvent.objects.values_list("pk", flat=True))

    def read():
        rows = OutboxEvent.objects.exclude(pk__in=before).order_by("occurred_at", "pk")
        return [(row.type, row.payload) for row in rows]

    return read


@pytest.fixture
def ops(make_user):
    return make_user("operations", language="en")


@pytest.fixture
def sales(make_user):
    return make_user("sales", language="en")


@pytest.fixture
def warehouse(db):
    from samspill.inventory.services import ensure_setup

    return ensure_setup()


@pytest.fixture
def stock(warehouse):
    return warehouse.stock_location


@pytest.fixture
def product(db):
    from samspill.catalog.tests.factories import ProductFactory

    return ProductFactory(sku="WIDGET")


@pytest.fixture
def customer(db):
    from samspill.parties.tests.factories import OrganizationFactory

    return OrganizationFactory(name="Kunde AS")


@pytest.fixture
def put(ops, stock):
    """put(product, quantity, lot=None, location=stock): stock in by an adjustment."""
    from samspill.inventory import services

    def do(product, quantity, lot=None, location=None):
        return services.adjust_stock(
            actor=ops,
            product=product,
            location=location or stock,
            quantity=Decimal(quantity),
            reason="Initial stock",
            lot=lot,
        )

    return do


@pytest.fixture
def order_payload(product, customer):
    """order_payload(lines=[(product, qty)...], order_id=1) -> a sales.order.confirmed payload."""

    def make(lines=None, order_id=1, unit=None):
        lines = lines or [(product, "5")]
        return {
            "order_id": order_id,
            "number": f"SO-2026-{order_id:05d}",
            "party_id": customer.pk,
            "currency": "NOK",
            "invoicing_policy": "delivery",
            "warehouse_code": "",
            "lines": [
                {
                    "line_id": 100 * order_id + i,
                    "product_id": p.pk,
                    "sku": p.sku,
                    "quantity": str(q),
                    "unit": unit or p.unit.code,
                    "product_type": p.product_type,
                }
                for i, (p, q) in enumerate(lines)
            ],
        }

    return make
