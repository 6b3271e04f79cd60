"""/api/v1/catalog: CRUD, filters, pagination, price lookup, problem+json, query budget."""

import json
from decimal import Decimal

import pytest

from samspill.catalog.models import PriceList, PriceListItem, Product
from samspill.catalog.tests.factories import (
    CategoryFactory,
    PriceListFactory,
    PriceListItemFactory,
    ProductFactory,
    valid_ean,
)
from samspill.platform.models import AuditEntry, OutboxEvent

pytestmark = pytest.mark.django_db

BASE = "/api/v1/catalog"


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def patch(client, url, data):
    return client.patch(url, json.dumps(data), content_type="application/json")


def put(client, url, data):
    return client.put(url, json.dumps(data), content_type="application/json")


def rows():
    return (
        Product.objects.count(),
        PriceList.objects.count(),
        PriceListItem.objects.count(),
        AuditEntry.objects.count(),
        OutboxEvent.objects.count(),
    )


@pytest.fixture
def client(api, management):
    return api(management)


def test_create_get_update_archive_restore(client):
    category = CategoryFactory(name="Friluft")
    response = post(
        client,
        f"{BASE}/products",
        {
            "sku": "telt 2p",
            "name_nb": "Telt 2 personer",
            "name_en": "Tent 2 persons",
            "unit": "pcs",
            "category_id": category.pk,
            "sales_price": "1990.00",
            "cost_price": "1100.00",
            "barcode": valid_ean(7),
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["sku"] == "TELT-2P"
    assert body["unit"] == "pcs"
    assert body["category"] == "Friluft"
    assert body["sales_price"] == "1990.00"
    assert body["vat_rate"] == "25"
    pk = body["id"]

    assert client.get(f"{BASE}/products/{pk}").json()["name_en"] == "Tent 2 persons"
    response = patch(client, f"{BASE}/products/{pk}", {"sales_price": "1890.5", "unit": "kg"})
    assert response.status_code == 200, response.content
    assert response.json()["sales_price"] == "1890.50"
    assert response.json()["unit"] == "kg"

    assert client.post(f"{BASE}/products/{pk}/archive").json()["is_active"] is False
    response = client.post(f"{BASE}/products/{pk}/archive")
    assert response.status_code == 409
    assert response.json()["code"] == "product_archived"
    assert client.post(f"{BASE}/products/{pk}/restore").json()["is_active"] is True


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"sales_price": "-1"}, "sales_price"),
        ({"sales_price": "1.234"}, "sales_price"),
        ({"barcode": "7038010000011"}, "barcode"),
        ({"unit": "parsec"}, "unit"),
        ({"category_id": 999999}, "category_id"),
        ({"name_nb": ""}, "name_nb"),
    ],
)
def test_create_bad_input_is_problem_json_and_writes_nothing(client, data, field):
    before = rows()
    response = post(
        client, f"{BASE}/products", {"sku": "X-1", "unit": "pcs", "name_nb": "x", **data}
    )
    assert response.status_code == 422, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert field in response.json()["errors"]
    assert rows() == before


def test_schema_errors_are_problem_json(client):
    response = post(client, f"{BASE}/products", {"sku": "X", "unit": "pcs", "vat_category": "lux"})
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")


def test_unknown_product_is_404(client):
    response = client.get(f"{BASE}/products/999999")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_sales_cannot_set_prices_through_the_api(api, sales):
    product = ProductFactory()
    response = patch(api(sales), f"{BASE}/products/{product.pk}", {"sales_price": "1"})
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_roles_without_catalog_access(api, make_user):
    response = api(make_user("hr")).get(f"{BASE}/products")
    assert response.status_code == 403


def test_list_filters_and_pagination(client, django_assert_max_num_queries):
    food = ProductFactory.create_batch(3, vat_category="food", product_type="consumable")
    ProductFactory.create_batch(30)
    ProductFactory(is_active=False, name_nb="Gammel lykt")
    with django_assert_max_num_queries(8):
        response = client.get(f"{BASE}/products?page_size=25")
    body = response.json()
    assert body["count"] == 34
    assert len(body["items"]) == 25
    response = client.get(f"{BASE}/products?vat_category=food&product_type=consumable")
    assert {p["id"] for p in response.json()["items"]} == {p.pk for p in food}
    response = client.get(f"{BASE}/products?active=false")
    assert [p["name_nb"] for p in response.json()["items"]] == ["Gammel lykt"]
    response = client.get(f"{BASE}/products?q=lykt")
    assert response.json()["count"] == 1


def test_category_filter_includes_subcategories(client):
    top = CategoryFactory(name="Kontor")
    sub = CategoryFactory(name="Papir", parent=top)
    a = ProductFactory(category=top)
    b = ProductFactory(category=sub)
    ProductFactory()
    response = client.get(f"{BASE}/products?category={top.pk}")
    assert {p["id"] for p in response.json()["items"]} == {a.pk, b.pk}


def test_price_lists_and_items(client):
    response = post(client, f"{BASE}/price-lists", {"name": "Forhandler", "currency": "NOK"})
    assert response.status_code == 201
    pk = response.json()["id"]
    product = ProductFactory(sales_price=Decimal("100.00"))
    response = put(
        client,
        f"{BASE}/price-lists/{pk}/items",
        {
            "items": [
                {"product_id": product.pk, "min_quantity": "1", "unit_price": "90"},
                {"sku": product.sku, "min_quantity": "10", "unit_price": "80"},
            ]
        },
    )
    assert response.status_code == 200, response.content
    assert [(i["min_quantity"], i["unit_price"]) for i in response.json()] == [
        ("1.000", "90.00"),
        ("10.000", "80.00"),
    ]
    listed = client.get(f"{BASE}/price-lists/{pk}/items").json()
    assert listed["count"] == 2
    response = client.get(f"{BASE}/price?product={product.pk}&quantity=12&price_list={pk}")
    assert response.status_code == 200, response.content
    assert response.json()["unit_price"] == "80.00"
    assert response.json()["amount"] == "960.00"
    assert response.json()["source"] == "price_list"

    response = put(
        client,
        f"{BASE}/price-lists/{pk}/items",
        {"items": [{"product_id": product.pk, "unit_price": "-3"}]},
    )
    assert response.status_code == 422
    assert "items.0.unit_price" in response.json()["errors"]

    response = patch(client, f"{BASE}/price-lists/{pk}", {"currency": "EUR"})
    assert response.status_code == 422
    response = patch(client, f"{BASE}/price-lists/{pk}", {"is_active": False})
    assert response.json()["is_active"] is False
    assert client.delete(f"{BASE}/price-lists/{pk}").status_code == 204


def test_price_endpoint_errors(client):
    product = ProductFactory()
    response = client.get(f"{BASE}/price?product={product.pk}&quantity=0")
    assert response.status_code == 422
    assert "quantity" in response.json()["errors"]
    response = client.get(f"{BASE}/price?product=999999&quantity=1")
    assert response.status_code == 422
    assert "product" in response.json()["errors"]
    response = client.get(f"{BASE}/price?product={product.pk}&currency=EUR")
    assert response.status_code == 422
    assert response.json()["code"] == "no_price"
    response = client.get(f"{BASE}/price?product={product.pk}&price_list=424242")
    assert response.status_code == 422
    response = client.get(f"{BASE}/price?product={product.pk}&date=2026-13-01")
    assert response.status_code == 422


def test_price_on_a_date(client):
    from datetime import date

    product = ProductFactory(sales_price=Decimal("100.00"))
    price_list = PriceListFactory(valid_from=date(2026, 1, 1), valid_to=date(2026, 12, 31))
    PriceListItemFactory(price_list=price_list, product=product, unit_price=Decimal("50.00"))
    url = f"{BASE}/price?product={product.pk}&price_list={price_list.pk}"
    assert client.get(url + "&date=2026-06-01").json()["unit_price"] == "50.00"
    assert client.get(url + "&date=2027-01-01").json()["unit_price"] == "100.00"


def test_import_through_the_api(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = "sku;name_nb;unit;sales_price\nA-1;Vare A;pcs;10,50\nB-1;;pcs;5\n"
    upload = SimpleUploadedFile("p.csv", content.encode(), content_type="text/csv")
    response = client.post(f"{BASE}/products/import", {"file": upload}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["created"], body["written"]) == (1, True)
    assert body["errors"] == [
        {
            "row": 3,
            "column": "name_nb",
            "message": "Give the product a name in Norwegian or English.",
        }
    ]


def test_units_and_categories(client):
    units = client.get(f"{BASE}/units").json()
    assert {"pcs", "h", "kg", "g", "l", "m"} <= {u["code"] for u in units}
    response = post(client, f"{BASE}/categories", {"name": "Kontor"})
    assert response.status_code == 201
    response = post(
        client, f"{BASE}/categories", {"name": "Papir", "parent_id": response.json()["id"]}
    )
    assert response.json()["path"] == "Kontor / Papir"
    response = post(client, f"{BASE}/categories", {"name": "kontor"})
    assert response.status_code == 422


def test_delete_product(client):
    product = ProductFactory()
    assert client.delete(f"{BASE}/products/{product.pk}").status_code == 204
    assert not Product.objects.exists()


def test_prices_for_several_lines(client, django_assert_max_num_queries):
    price_list = PriceListFactory()
    a = ProductFactory(sales_price=Decimal("100.00"))
    b = ProductFactory(sales_price=Decimal("10.00"))
    PriceListItemFactory(
        price_list=price_list, product=a, min_quantity=Decimal("5"), unit_price=Decimal("80.00")
    )
    body = {
        "lines": [{"product_id": a.pk, "quantity": "6"}, {"product_id": b.pk, "quantity": "2.5"}],
        "price_list": price_list.pk,
    }
    with django_assert_max_num_queries(10):
        response = post(client, f"{BASE}/prices", body)
    assert response.status_code == 200, response.content
    assert [(p["unit_price"], p["amount"], p["source"]) for p in response.json()] == [
        ("80.00", "480.00", "price_list"),
        ("10.00", "25.00", "base"),
    ]
    response = post(client, f"{BASE}/prices", {"lines": [{"product_id": 999999}]})
    assert response.status_code == 422
    assert "lines.0.product_id" in response.json()["errors"]
