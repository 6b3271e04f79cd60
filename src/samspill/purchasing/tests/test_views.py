import pytest
from django.urls import reverse

from samspill.inventory.models import Receipt
from samspill.purchasing.models import PurchaseOrder

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["purchasing:order_list", "purchasing:line_list"])
def test_list_pages_have_a_fixed_query_count(
    name, login, buyer, make_order, django_assert_max_num_queries
):
    make_order(confirm=True)
    client = login(buyer)
    client.get(reverse(name))
    with django_assert_max_num_queries(14) as small:
        client.get(reverse(name))
    for _ in range(4):
        make_order(confirm=True)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse(name))
    assert response.status_code == 200
    export = client.get(reverse(name), {"_export": "csv"})
    assert export.status_code == 200
    assert b"MUG-1" in export.content or b"PO-" in export.content


def test_receipt_list_has_a_fixed_query_count(
    login, buyer, make_order, django_assert_max_num_queries
):
    make_order(confirm=True)
    client = login(buyer)
    client.get(reverse("inventory:receipt_list"))
    with django_assert_max_num_queries(14) as small:
        client.get(reverse("inventory:receipt_list"))
    for _ in range(4):
        make_order(confirm=True)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse("inventory:receipt_list")).status_code == 200


def test_create_through_the_form_then_confirm_and_receive(
    login, buyer, supplier, products, run_tasks
):
    client = login(buyer)
    assert client.get(reverse("purchasing:order_create")).status_code == 200
    response = client.post(
        reverse("purchasing:order_create"),
        {
            "party": supplier.pk,
            "lines-TOTAL": "3",
            "lines-0-product": products["mug"].pk,
            "lines-0-quantity": "5",
            "lines-1-product": products["coffee"].pk,
            "lines-1-quantity": "2",
            "lines-1-unit_price": "70",
        },
    )
    assert response.status_code == 302
    order = PurchaseOrder.objects.get()
    assert order.lines.count() == 2
    page = client.get(order.get_absolute_url())
    assert page.status_code == 200 and order.number in page.content.decode()
    client.post(reverse("purchasing:order_confirm", args=[order.pk]))
    receipt = Receipt.objects.get(order_id=order.pk)
    detail = client.get(receipt.get_absolute_url())
    assert detail.status_code == 200
    lines = list(receipt.lines.order_by("pk"))
    response = client.post(
        receipt.get_absolute_url(), {"action": "receive", f"qty_{lines[0].pk}": "9"}
    )
    assert response.status_code == 422
    assert "5 pcs were ordered" in response.content.decode()
    client.post(receipt.get_absolute_url(), {"action": "all"})
    run_tasks()
    order.refresh_from_db()
    assert order.status == "received"


def test_form_errors_keep_the_input(login, buyer, supplier, products):
    client = login(buyer)
    response = client.post(
        reverse("purchasing:order_create"),
        {
            "party": supplier.pk,
            "lines-TOTAL": "1",
            "lines-0-product": products["mug"].pk,
            "lines-0-quantity": "-1",
        },
    )
    assert response.status_code == 422
    assert "The quantity must be a number greater than zero." in response.content.decode()
    assert PurchaseOrder.objects.count() == 0


def test_sales_sees_but_may_not_add(login, make_user, make_order):
    order = make_order()
    client = login(make_user("sales"))
    assert client.get(order.get_absolute_url()).status_code == 200
    assert client.get(reverse("purchasing:order_create")).status_code == 403
    response = client.post(reverse("purchasing:order_confirm", args=[order.pk]))
    assert response.status_code == 403
    assert PurchaseOrder.objects.get(pk=order.pk).status == "draft"


def test_supplier_360_page_shows_purchase_orders(login, buyer, supplier, make_order):
    order = make_order(confirm=True)
    page = login(buyer).get(reverse("parties:detail", args=[supplier.pk])).content.decode()
    assert order.number in page
    assert "Open purchase orders" in page
    assert "Purchase order " + order.number + " was confirmed" in page


def test_pdf_and_search(login, buyer, make_order):
    order = make_order()
    client = login(buyer)
    pdf = client.get(reverse("purchasing:order_pdf", args=[order.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    from samspill.platform.registry import search

    hits = dict((provider.key, rows) for provider, rows in search(buyer, order.number))
    assert [hit.title for hit in hits["purchasing"]] == [order.number]
