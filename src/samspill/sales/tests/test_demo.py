"""The demo quotes and orders: every state, through the services, idempotent."""

import pytest

from samspill.sales import demo
from samspill.sales.models import Order, Quote

pytestmark = pytest.mark.django_db


def test_demo_sales_cover_every_state_and_load_once(make_user, customer, products):
    from samspill.parties.tests.factories import OrganizationFactory

    OrganizationFactory.create_batch(9, is_customer=True)
    actor = make_user("admin")
    added = demo.load(actor=actor)
    assert added == {"quotes": 10, "orders": 10}
    assert set(Quote.objects.values_list("status", flat=True)) == set(Quote.Status.values)
    assert set(Order.objects.values_list("status", flat=True)) == {"draft", "confirmed"}
    assert Order.objects.filter(delivery_status="full").exists()
    assert Order.objects.filter(delivery_status="partial").exists()
    assert Order.objects.filter(payment_status="partial").exists()
    assert Order.objects.filter(quote__isnull=False).count() == 2
    assert demo.load(actor=actor) == {"quotes": 0, "orders": 0}
