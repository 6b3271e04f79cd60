from decimal import Decimal

import pytest

from samspill.inventory import services
from samspill.inventory.models import StockMove

pytestmark = pytest.mark.django_db


def test_adjust_and_read_stock(api, ops, product, stock):
    client = api(ops)
    response = client.post(
        "/api/v1/inventory/adjustments",
        {"product_id": product.pk, "location_id": stock.pk, "quantity": "12", "reason": "Opening"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = client.get(f"/api/v1/inventory/products/{product.pk}/stock").json()
    assert Decimal(body["on_hand"]) == 12 and body["locations"][0]["location"] == "HOVED/LAGER"
    listing = client.get("/api/v1/inventory/stock?q=widget").json()
    assert listing["count"] == 1 and Decimal(listing["items"][0]["available"]) == 12


def test_bad_input_is_problem_json_and_writes_nothing(api, ops, product, stock):
    client = api(ops)
    response = client.post(
        "/api/v1/inventory/adjustments",
        {"product_id": product.pk, "location_id": stock.pk, "quantity": "-1", "reason": "x"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["code"] == "insufficient_stock"
    assert not StockMove.objects.exists()


def test_delivery_flow_over_the_api(api, ops, sales, put, product, order_payload):
    put(product, "10")
    delivery = services.create_delivery_for_order(order_payload([(product, "4")]))
    client = api(ops)
    detail = client.get(f"/api/v1/inventory/deliveries/{delivery.pk}").json()
    line_id = detail["lines"][0]["id"]
    over = client.post(
        f"/api/v1/inventory/deliveries/{delivery.pk}/pick",
        {"picks": [{"line_id": line_id, "quantity": "5"}]},
        content_type="application/json",
    )
    assert over.status_code == 422 and over.json()["code"] == "over_delivery"
    picked = client.post(
        f"/api/v1/inventory/deliveries/{delivery.pk}/pick",
        {"picks": [{"line_id": line_id, "quantity": "4"}]},
        content_type="application/json",
    )
    assert Decimal(picked.json()["lines"][0]["picks"][0]["quantity"]) == 4
    shipped = client.post(f"/api/v1/inventory/deliveries/{delivery.pk}/ship").json()
    assert shipped["state"] == "done"
    listing = client.get("/api/v1/inventory/deliveries?state=done").json()
    assert [d["number"] for d in listing["items"]] == [delivery.number]
    assert api(sales).post(f"/api/v1/inventory/deliveries/{delivery.pk}/cancel").status_code in (
        403,
        409,
    )


def test_counts_over_the_api(api, ops, put, product, stock):
    put(product, "3")
    client = api(ops)
    count = client.post(
        "/api/v1/inventory/counts", {"location_id": stock.pk}, content_type="application/json"
    ).json()
    line = count["lines"][0]
    client.patch(
        f"/api/v1/inventory/counts/{count['id']}",
        {"counted": {str(line["id"]): "5"}},
        content_type="application/json",
    )
    posted = client.post(
        f"/api/v1/inventory/counts/{count['id']}/post",
        {"reason": "Count"},
        content_type="application/json",
    )
    assert posted.json()["state"] == "posted"
    assert Decimal(posted.json()["lines"][0]["difference"]) == 2


def test_returns_and_locations(api, ops, product, customer, stock):
    client = api(ops)
    created = client.post(
        "/api/v1/inventory/returns",
        {"party_id": customer.pk, "lines": [{"product_id": product.pk, "quantity": "1"}]},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["kind"] == "return"
    bad = client.post(
        "/api/v1/inventory/locations",
        {"parent_id": stock.pk, "name": ""},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert (
        client.post(
            "/api/v1/inventory/locations",
            {"parent_id": stock.pk, "name": "B1"},
            content_type="application/json",
        ).status_code
        == 201
    )
    assert any(
        loc["code"] == "HOVED/LAGER/B1" for loc in client.get("/api/v1/inventory/locations").json()
    )
