from decimal import Decimal

import pytest
from django.urls import reverse

from samspill.catalog.tests.factories import ProductFactory
from samspill.inventory import services
from samspill.inventory.models import Delivery, Location, StockCount, StockLevel

pytestmark = pytest.mark.django_db


def test_stock_list_has_a_fixed_number_of_queries(login, ops, put, django_assert_max_num_queries):
    for n in range(30):
        put(ProductFactory(sku=f"P-{n:03d}"), str(n + 1))
    client = login(ops)
    client.get(reverse("inventory:stock_list"))  # warm caches (content types, sessions)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("inventory:stock_list") + "?per_page=50")
    assert response.status_code == 200
    assert "P-029" in response.text
    export = client.get(reverse("inventory:stock_list") + "?_export=csv&q=P-00")
    assert export.status_code == 200 and export.content.decode().count("HOVED/LAGER") == 10


def test_stock_list_filters_and_permissions(login, ops, make_user, put, product):
    put(product, "3")
    client = login(ops)
    assert "WIDGET" in client.get(reverse("inventory:stock_list") + "?availability=in_stock").text
    assert (
        "WIDGET" not in client.get(reverse("inventory:stock_list") + "?availability=reserved").text
    )
    outsider = make_user("hr")
    assert login(outsider).get(reverse("inventory:stock_list")).status_code == 403


def test_product_stock_page_adjusts_with_inline_errors(login, ops, product, stock):
    client = login(ops)
    url = reverse("inventory:product_stock", args=[product.pk])
    assert client.get(url).status_code == 200
    bad = client.post(
        url, {"action": "adjust", "location": stock.pk, "quantity": "-5", "reason": "Broken"}
    )
    assert bad.status_code == 422 and "not enough" in bad.text
    assert (
        not StockLevel.objects.filter(product=product, location=stock).exclude(on_hand=0).exists()
    )
    ok = client.post(
        url, {"action": "adjust", "location": stock.pk, "quantity": "7", "reason": "Found"}
    )
    assert ok.status_code == 302
    assert StockLevel.objects.get(product=product, location=stock).on_hand == Decimal("7.000")
    assert (
        client.post(url, {"action": "tracking", "tracking": "lot"}).status_code == 422
    )  # in stock


def test_delivery_pick_and_ship_with_htmx(login, ops, put, product, order_payload):
    put(product, "10")
    delivery = services.create_delivery_for_order(order_payload([(product, "6")]))
    line = delivery.lines.get()
    client = login(ops)
    url = delivery.get_absolute_url()
    assert client.get(reverse("inventory:delivery_list")).status_code == 200
    assert delivery.number in client.get(url).text
    over = client.post(
        url, {"action": "pick", "line": line.pk, f"qty_{line.pk}": "9"}, HTTP_HX_REQUEST="true"
    )
    assert over.status_code == 200 and "only 6.000 remain" in over.text
    client.post(
        url, {"action": "pick", "line": line.pk, f"qty_{line.pk}": "4"}, HTTP_HX_REQUEST="true"
    )
    response = client.post(url, {"action": "ship"}, HTTP_HX_REQUEST="true")
    assert "Shipped." in response.text
    assert Delivery.objects.get(pk=delivery.pk).state == "done"
    assert Delivery.objects.filter(backorder_of=delivery).count() == 1


def test_sales_sees_deliveries_but_cannot_ship(login, sales, put, product, order_payload):
    put(product, "10")
    delivery = services.create_delivery_for_order(order_payload([(product, "6")]))
    client = login(sales)
    assert "Ship" not in client.get(delivery.get_absolute_url()).text
    assert client.post(delivery.get_absolute_url(), {"action": "ship"}).status_code == 403


def test_delivery_list_queries(
    login, ops, put, product, order_payload, django_assert_max_num_queries
):
    put(product, "100")
    for n in range(1, 21):
        services.create_delivery_for_order(order_payload([(product, "1")], order_id=n))
    client = login(ops)
    client.get(reverse("inventory:delivery_list"))  # warm caches (content types, sessions)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("inventory:delivery_list") + "?state=open")
    assert response.text.count("WH/OUT/") >= 20


def test_count_pages(login, ops, put, product, stock):
    put(product, "5")
    client = login(ops)
    response = client.post(reverse("inventory:count_list"), {"location": stock.pk})
    count = StockCount.objects.get()
    assert response.url == count.get_absolute_url()
    line = count.lines.get()
    bad = client.post(count.get_absolute_url(), {f"line_{line.pk}": "abc", "action": "save"})
    assert bad.status_code == 422 and "Enter a number." in bad.text
    missing_reason = client.post(
        count.get_absolute_url(), {f"line_{line.pk}": "4", "action": "post", "reason": ""}
    )
    assert missing_reason.status_code == 422
    client.post(
        count.get_absolute_url(), {f"line_{line.pk}": "4", "action": "post", "reason": "Count"}
    )
    assert StockLevel.objects.get(product=product, location=stock).on_hand == Decimal("4.000")
    assert client.get(reverse("inventory:count_list")).status_code == 200


def test_locations_tree_and_new_bin(login, ops, stock):
    client = login(ops)
    assert "HOVED/LAGER" in client.get(reverse("inventory:location_list")).text
    assert (
        client.post(
            reverse("inventory:location_list"), {"parent": stock.pk, "name": "a/b"}
        ).status_code
        == 422
    )
    assert (
        client.post(
            reverse("inventory:location_list"), {"parent": stock.pk, "name": "A-01"}
        ).status_code
        == 302
    )
    assert Location.objects.filter(code="HOVED/LAGER/A-01").exists()


def test_return_page(login, ops, customer, product):
    client = login(ops)
    assert client.get(reverse("inventory:return_create")).status_code == 200
    bad = client.post(
        reverse("inventory:return_create"),
        {"party": customer.pk, "product": "NOPE", "quantity": "1"},
    )
    assert bad.status_code == 422
    ok = client.post(
        reverse("inventory:return_create"),
        {"party": customer.pk, "product": "widget", "quantity": "2"},
    )
    assert ok.status_code == 302
    assert Delivery.objects.get().kind == "return"


def test_search_and_party_key_figure(ops, put, product, order_payload, customer):
    from samspill.platform import registry

    put(product, "5")
    delivery = services.create_delivery_for_order(order_payload([(product, "1")]))
    found = dict(registry.search(ops, delivery.number))
    assert any(hit.title == delivery.number for hits in found.values() for hit in hits)
    figures = {str(f.label): f.value for f in registry.key_figures(ops, customer)}
    assert figures["Open deliveries"] == 1


def test_party_360_shows_deliveries(login, make_user, put, product, order_payload, customer):
    put(product, "5")
    delivery = services.create_delivery_for_order(order_payload([(product, "1")]))
    manager = make_user("management", "sales", language="en")
    page = login(manager).get(customer.get_absolute_url())
    assert page.status_code == 200
    assert "Open deliveries" in page.text
    assert f"Delivery {delivery.number} was created" in page.text
