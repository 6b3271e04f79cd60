from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from samspill.inventory import services as inventory
from samspill.platform.errors import ValidationFailed
from samspill.purchasing import queries, services
from samspill.purchasing.models import PurchaseOrder, ReorderRule, ReplenishmentRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_supplier(db):
    from samspill.parties.tests.factories import OrganizationFactory

    return OrganizationFactory(name="Annen Grossist AS", is_supplier=True)


@pytest.fixture
def rules(buyer, supplier, second_supplier, products, warehouse):
    """Mugs: min 5 max 20, preferred supplier Grossist at 38.50, 7 days; 3 on hand.
    Coffee: min 10 max 30 from Annen Grossist at 70; nothing on hand."""
    services.save_supplier_info(
        actor=buyer,
        product=products["mug"],
        party=supplier,
        price="38.50",
        supplier_sku="G-MUG",
        lead_time_days=7,
        sequence=1,
    )
    services.save_supplier_info(
        actor=buyer, product=products["mug"], party=second_supplier, price="36", sequence=5
    )
    services.save_supplier_info(
        actor=buyer, product=products["coffee"], party=second_supplier, price="70"
    )
    inventory.adjust_stock(
        actor=buyer,
        product=products["mug"],
        location=warehouse.stock_location,
        quantity="3",
        reason="Opening",
    )
    return [
        services.save_reorder_rule(
            actor=buyer, product=products["mug"], min_quantity="5", max_quantity="20"
        ),
        services.save_reorder_rule(
            actor=buyer,
            product=products["coffee"],
            min_quantity="10",
            max_quantity="30",
            party=second_supplier,
        ),
    ]


def test_suggestions_use_on_hand_incoming_and_reserved(rules, products, supplier):
    rows = {row.rule.product.sku: row for row in queries.replenishment()}
    mug = rows["MUG-1"]
    assert (mug.on_hand, mug.incoming, mug.reserved, mug.projected) == (
        Decimal("3.000"),
        Decimal("0"),
        Decimal("0.000"),
        Decimal("3.000"),
    )
    assert mug.below and mug.quantity == Decimal("17.000")
    assert (mug.supplier, mug.price, mug.lead_time_days) == (supplier, Decimal("38.50"), 7)
    assert rows["COF-1"].quantity == Decimal("30")


def test_one_click_drafts_one_order_per_supplier_and_is_not_repeated(
    rules, buyer, supplier, second_supplier, emitted
):
    result = services.replenish(actor=buyer)
    orders = {order.party_id: order for order in result["orders"]}
    assert set(orders) == {supplier.pk, second_supplier.pk}
    mug_line = orders[supplier.pk].lines.get()
    assert (mug_line.sku, mug_line.quantity, mug_line.unit_price) == (
        "MUG-1",
        Decimal("17.000"),
        Decimal("38.50"),
    )
    assert mug_line.expected_date == timezone.localdate() + timezone.timedelta(days=7)
    assert all(order.status == "draft" for order in orders.values())
    assert [t for t, _p in emitted()].count("purchasing.order.created") == 2
    # The drafts count as incoming: running it again orders nothing more.
    assert services.replenish(actor=buyer)["orders"] == []


def test_rules_are_validated(buyer, products):
    with pytest.raises(ValidationFailed) as exc:
        services.save_reorder_rule(
            actor=buyer, product=products["mug"], min_quantity="10", max_quantity="5"
        )
    assert exc.value.errors == {
        "max_quantity": ["The maximum must be above zero and at least the minimum."]
    }
    assert ReorderRule.objects.count() == 0


def test_a_rule_without_supplier_is_skipped(buyer, products, warehouse):
    rule = services.save_reorder_rule(
        actor=buyer, product=products["coffee"], min_quantity="1", max_quantity="2"
    )
    assert services.replenish(actor=buyer) == {"orders": [], "skipped": [rule.pk]}


def test_nightly_runs_once_a_day_when_enabled(rules):
    assert services.nightly() == 0  # off by default
    with override_settings(SAMSPILL={"REPLENISH_HOUR": 0, "PAGE_SIZE": 50, "MAX_PAGE_SIZE": 500}):
        assert services.nightly() == 2
        assert services.nightly() == 0
    assert ReplenishmentRun.objects.get().orders == 2
    assert PurchaseOrder.objects.count() == 2


def test_screen_api_and_lists(login, api, buyer, rules, products, django_assert_max_num_queries):
    client = login(buyer)
    client.get(reverse("purchasing:replenishment"))
    with django_assert_max_num_queries(14):
        page = client.get(reverse("purchasing:replenishment"))
    assert "MUG-1" in page.content.decode()
    export = client.get(reverse("purchasing:replenishment"), {"_export": "csv"})
    assert b"MUG-1" in export.content
    for name in ("purchasing:reorder_rules", "purchasing:supplier_info"):
        assert client.get(reverse(name)).status_code == 200
    response = client.post(reverse("purchasing:replenishment"))
    assert response.status_code == 302
    assert PurchaseOrder.objects.filter(status="draft").count() == 2

    token = api(buyer)
    rows = token.get("/api/v1/purchasing/replenishment", {"below": "true"}).json()
    assert rows["count"] == 0
    info = token.get("/api/v1/purchasing/supplier-info", {"product": products["mug"].pk}).json()
    assert [row["supplier_sku"] for row in info["items"]] == ["G-MUG", ""]


def test_reorder_rule_form_and_delete(login, buyer, products, warehouse):
    client = login(buyer)
    url = reverse("purchasing:reorder_rules")
    bad = client.post(
        url, {"product": products["mug"].pk, "min_quantity": "x", "max_quantity": "5"}
    )
    assert bad.status_code == 422 and "Enter a number." in bad.content.decode()
    client.post(
        url,
        {
            "product": products["mug"].pk,
            "min_quantity": "2",
            "max_quantity": "5",
            "is_active": "on",
        },
    )
    rule = ReorderRule.objects.get()
    assert (rule.min_quantity, rule.warehouse_id) == (Decimal("2.000"), warehouse.pk)
    client.post(url, {"delete": rule.pk})
    assert ReorderRule.objects.count() == 0
