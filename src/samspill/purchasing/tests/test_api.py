from decimal import Decimal

import pytest
from django.core import mail

from samspill.inventory.models import Receipt, StockMove
from samspill.purchasing.models import PurchaseOrder

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(api, buyer):
    return api(buyer)


def _post(client, path, body=None):
    return client.post(path, body or {}, content_type="application/json")


def test_order_to_receipt_through_the_api(client, supplier, products, warehouse, run_tasks):
    created = _post(
        client,
        "/api/v1/purchasing/orders",
        {
            "party_id": supplier.pk,
            "expected_date": "2030-01-15",
            "lines": [
                {"product_id": products["mug"].pk, "quantity": "12", "unit_price": "38.00"},
                {"product_id": products["coffee"].pk, "quantity": "2", "discount_percent": "10"},
            ],
        },
    )
    assert created.status_code == 201, created.content
    order = created.json()
    assert order["status"] == "draft"
    assert [(line["sku"], line["net_amount"]) for line in order["lines"]] == [
        ("MUG-1", "456.00"),
        ("COF-1", "144.00"),
    ]
    sent = _post(client, f"/api/v1/purchasing/orders/{order['id']}/send", {"message": "Hei"})
    assert sent.status_code == 200 and sent.json()["status"] == "sent"
    assert len(mail.outbox) == 1
    confirmed = _post(client, f"/api/v1/purchasing/orders/{order['id']}/confirm")
    assert confirmed.json()["status"] == "confirmed"

    receipts = client.get("/api/v1/inventory/receipts", {"order_id": order["id"]}).json()
    assert receipts["count"] == 1
    receipt = client.get(f"/api/v1/inventory/receipts/{receipts['items'][0]['id']}").json()
    mug_line = next(line for line in receipt["lines"] if line["sku"] == "MUG-1")
    done = _post(
        client,
        f"/api/v1/inventory/receipts/{receipt['id']}/receive",
        {"lines": [{"line_id": mug_line["id"], "quantity": "12"}]},
    )
    assert done.status_code == 200, done.content
    run_tasks()
    after = client.get(f"/api/v1/purchasing/orders/{order['id']}").json()
    assert after["status"] == "partial"
    assert [Decimal(line["received_quantity"]) for line in after["lines"]] == [
        Decimal("12"),
        Decimal("0"),
    ]
    history = client.get("/api/v1/purchasing/lines", {"product": products["mug"].pk}).json()
    assert history["count"] == 1 and history["items"][0]["order_number"] == order["number"]


def test_over_receipt_is_a_problem_and_writes_nothing(client, make_order, buyer):
    from samspill.purchasing import services

    order = services.confirm_order(make_order(), actor=buyer)
    receipt = Receipt.objects.get(order_id=order.pk)
    line = receipt.lines.order_by("pk").first()
    response = _post(
        client,
        f"/api/v1/inventory/receipts/{receipt.pk}/receive",
        {"lines": [{"line_id": line.pk, "quantity": "10.5"}]},
    )
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == "over_receipt"
    assert list(body["errors"]) == ["lines.0.quantity"]
    assert StockMove.objects.count() == 0


def test_bad_input_is_a_problem(client, supplier, products):
    response = _post(
        client,
        "/api/v1/purchasing/orders",
        {"party_id": supplier.pk, "lines": [{"product_id": 0, "quantity": "1"}]},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"lines.0.product": ["Choose a product."]}
    assert PurchaseOrder.objects.count() == 0


def test_wrong_state_is_409_and_sales_may_only_read(api, make_user, make_order, buyer):
    from samspill.purchasing import services

    order = services.confirm_order(make_order(), actor=buyer)
    response = _post(api(buyer), f"/api/v1/purchasing/orders/{order.pk}/confirm")
    assert response.status_code == 409
    assert response.json()["code"] == "wrong_state"
    seller = api(make_user("sales"))
    assert seller.get(f"/api/v1/purchasing/orders/{order.pk}").status_code == 200
    assert _post(seller, f"/api/v1/purchasing/orders/{order.pk}/close").status_code == 403
    assert PurchaseOrder.objects.get(pk=order.pk).status == "confirmed"


def test_list_has_a_fixed_query_count(client, make_order, django_assert_max_num_queries):
    make_order()
    client.get("/api/v1/purchasing/orders")
    with django_assert_max_num_queries(12) as small:
        client.get("/api/v1/purchasing/orders")
    for _ in range(5):
        make_order()
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/api/v1/purchasing/orders")
    assert response.json()["count"] == 6
