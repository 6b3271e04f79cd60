"""Catalog UI: list with filters and export, forms with inline errors, detail, archive,
price list pages with the htmx table of breaks, import page, search, permissions."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from samspill.catalog.models import PriceList, PriceListItem, Product
from samspill.catalog.tests.factories import (
    CategoryFactory,
    PriceListItemFactory,
    ProductFactory,
    valid_ean,
)

pytestmark = pytest.mark.django_db


def test_product_list_fixed_queries_filters_and_export(
    login, management, django_assert_max_num_queries
):
    client = login(management)
    top = CategoryFactory(name="Kontor")
    sub = CategoryFactory(name="Papir", parent=CategoryFactory(name="Rekvisita", parent=top))
    ProductFactory.create_batch(30, category=sub)
    ProductFactory.create_batch(30)
    ProductFactory(sku="MAT-1", name_nb="Knekkebrød", name_en="", vat_category="food")
    url = reverse("catalog:product_list")
    client.get(url)  # warm caches (content types, sessions)
    with django_assert_max_num_queries(12):
        response = client.get(url + "?per_page=50")
    assert response.status_code == 200
    with django_assert_max_num_queries(12):
        client.get(url + "?per_page=100")
    response = client.get(url + f"?category={top.pk}&per_page=100")
    assert response.content.decode().count("SKU-") == 30
    assert "Kontor / Rekvisita / Papir" in response.content.decode()
    response = client.get(url + "?vat_category=food")
    assert "Knekkebrød" in response.content.decode()
    assert "SKU-" not in response.content.decode()
    response = client.get(url + "?q=knekke&_export=csv")
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    assert "MAT-1" in body and "Knekkebrød" in body
    response = client.get(url + "?_export=xlsx")
    assert response.status_code == 200
    response = client.get(url + "?active=false", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in response.content.decode()


def test_empty_list_says_what_to_do(login, management):
    response = login(management).get(reverse("catalog:product_list"))
    assert "import your price list from CSV" in response.content.decode()


def test_create_product_form(login, management):
    client = login(management)
    url = reverse("catalog:product_create")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "sku": "lykt 1",
            "name_nb": "Hodelykt",
            "name_en": "",
            "product_type": "stockable",
            "unit": "pcs",
            "category": "",
            "sales_price": "299.00",
            "cost_price": "120",
            "vat_category": "standard",
            "barcode": valid_ean(3),
            "description": "",
        },
    )
    product = Product.objects.get(sku="LYKT-1")
    assert response.status_code == 302
    assert response["Location"] == product.get_absolute_url()
    assert product.sales_price == Decimal("299.00")


def test_create_form_keeps_input_and_shows_errors(login, management):
    ProductFactory(sku="TAKEN")
    client = login(management)
    response = client.post(
        reverse("catalog:product_create"),
        {
            "sku": "taken",
            "name_nb": "Ny vare",
            "product_type": "stockable",
            "unit": "pcs",
            "sales_price": "10",
            "cost_price": "0",
            "vat_category": "standard",
            "barcode": "7038010000011",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Another product has this SKU." in html
    assert "The check digit of this EAN-13 barcode is wrong." in html
    assert 'value="Ny vare"' in html
    assert Product.objects.count() == 1


def test_sales_sees_prices_disabled_and_cannot_post_them(login, sales):
    client = login(sales)
    response = client.get(reverse("catalog:product_create"))
    assert "Prices are set by finance." in response.content.decode()
    response = client.post(
        reverse("catalog:product_create"),
        {
            "sku": "S1",
            "name_nb": "Vare",
            "product_type": "stockable",
            "unit": "pcs",
            "sales_price": "999",  # ignored: the field is disabled for sales
            "cost_price": "999",
            "vat_category": "standard",
        },
    )
    assert response.status_code == 302
    assert Product.objects.get(sku="S1").sales_price == Decimal("0.00")


def test_finance_edits_prices_only(login, finance):
    product = ProductFactory(name_nb="Navn")
    client = login(finance)
    url = reverse("catalog:product_edit", args=[product.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "sku": "OTHER",
            "name_nb": "Annet navn",
            "product_type": "stockable",
            "unit": "pcs",
            "sales_price": "150",
            "cost_price": "75",
            "vat_category": "standard",
        },
    )
    assert response.status_code == 302
    product.refresh_from_db()
    assert (product.sku, product.name_nb, product.sales_price) != ("OTHER", "Annet navn", None)
    assert product.name_nb == "Navn"
    assert product.sales_price == Decimal("150.00")


def test_detail_archive_restore_delete(login, management):
    item = PriceListItemFactory()
    product = item.product
    client = login(management)
    response = client.get(product.get_absolute_url())
    assert response.status_code == 200
    assert item.price_list.name in response.content.decode()
    client.post(reverse("catalog:product_archive", args=[product.pk]))
    assert not Product.objects.get(pk=product.pk).is_active
    html = client.get(product.get_absolute_url()).content.decode()
    assert f"Product {product.sku} was archived" in html  # the product's timeline
    response = client.post(reverse("catalog:product_archive", args=[product.pk]), follow=True)
    assert "already archived" in response.content.decode()
    client.post(reverse("catalog:product_restore", args=[product.pk]))
    assert Product.objects.get(pk=product.pk).is_active
    assert client.get(reverse("catalog:product_delete", args=[product.pk])).status_code == 200
    client.post(reverse("catalog:product_delete", args=[product.pk]))
    assert not Product.objects.exists()


def test_permissions(login, make_user, sales):
    product = ProductFactory()
    hr = login(make_user("hr"))
    assert hr.get(reverse("catalog:product_list")).status_code == 403
    client = login(sales)
    assert client.get(reverse("catalog:product_delete", args=[product.pk])).status_code == 403
    assert client.get(reverse("catalog:pricelist_create")).status_code == 403
    assert client.get(reverse("catalog:product_detail", args=[999999])).status_code == 404


def test_live_validation(login, management):
    ProductFactory(sku="TAKEN", barcode=valid_ean(4))
    client = login(management)
    url = reverse("catalog:validate")
    assert "Already used by" in client.get(url, {"sku": "taken"}).content.decode()
    assert "check digit" in client.get(url, {"barcode": "7038010000011"}).content.decode()
    assert "Already used by" in client.get(url, {"barcode": valid_ean(4)}).content.decode()
    assert client.get(url, {"sku": "FREE-1"}).content.decode().strip() == ""


def test_price_list_pages_and_htmx_breaks(login, finance):
    client = login(finance)
    response = client.post(
        reverse("catalog:pricelist_create"),
        {"name": "Forhandler", "currency": "nok", "is_active": "on"},
    )
    price_list = PriceList.objects.get()
    assert response["Location"] == price_list.get_absolute_url()
    product = ProductFactory(sku="TELT-2P")
    items_url = reverse("catalog:pricelist_items", args=[price_list.pk])
    response = client.post(
        items_url,
        {"action": "add", "sku": "telt-2p", "min_quantity": "10", "unit_price": "80"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'value="80.00"' in response.content.decode()
    item = PriceListItem.objects.get()
    assert (item.product, item.min_quantity, item.unit_price) == (
        product,
        Decimal("10"),
        Decimal("80.00"),
    )
    response = client.post(
        items_url,
        {"action": "add", "sku": "telt-2p", "min_quantity": "10", "unit_price": "70"},
        HTTP_HX_REQUEST="true",
    )
    assert "already has a price from this quantity" in response.content.decode()
    response = client.post(
        items_url,
        {"action": "save", "item": item.pk, "min_quantity": "10", "unit_price": "-1"},
        HTTP_HX_REQUEST="true",
    )
    assert "Enter zero or more." in response.content.decode()
    client.post(
        items_url,
        {"action": "save", "item": item.pk, "min_quantity": "5", "unit_price": "75"},
        HTTP_HX_REQUEST="true",
    )
    item = PriceListItem.objects.get()
    assert (item.min_quantity, item.unit_price) == (Decimal("5"), Decimal("75.00"))
    response = client.post(
        items_url, {"action": "add", "sku": "NOPE", "unit_price": "1"}, HTTP_HX_REQUEST="true"
    )
    assert "There is no product with this SKU." in response.content.decode()
    client.post(items_url, {"action": "delete", "item": item.pk}, HTTP_HX_REQUEST="true")
    assert not PriceListItem.objects.exists()
    assert client.get(price_list.get_absolute_url()).status_code == 200
    response = client.get(reverse("catalog:pricelist_list"))
    assert "Forhandler" in response.content.decode()
    response = client.post(
        reverse("catalog:pricelist_edit", args=[price_list.pk]),
        {
            "name": "Forhandler",
            "currency": "NOK",
            "valid_from": "2026-05-01",
            "valid_to": "2026-04-01",
        },
    )
    assert "The end date is before the start date." in response.content.decode()


def test_sales_sees_price_lists_read_only(login, sales):
    item = PriceListItemFactory()
    client = login(sales)
    response = client.get(item.price_list.get_absolute_url())
    assert response.status_code == 200
    assert 'name="unit_price"' not in response.content.decode()
    response = client.post(
        reverse("catalog:pricelist_items", args=[item.price_list.pk]),
        {"action": "delete", "item": item.pk},
    )
    assert response.status_code == 403


def test_import_page(login, management):
    client = login(management)
    url = reverse("catalog:import")
    assert client.get(url).status_code == 200
    upload = SimpleUploadedFile(
        "p.csv", b"sku;name_nb;unit\nA-1;Vare;pcs\nB-1;Vare;parsec\n", content_type="text/csv"
    )
    response = client.post(url, {"file": upload})
    html = response.content.decode()
    assert "1 created, 0 updated, 0 unchanged." in html
    assert "There is no unit of measure “parsec”." in html
    upload = SimpleUploadedFile("p.csv", b"nothing;useful\n", content_type="text/csv")
    response = client.post(url, {"file": upload})
    assert "Unknown column(s)" in response.content.decode()
    template = client.get(reverse("catalog:import_template"))
    assert template["Content-Type"].startswith("text/csv")


def test_categories_page(login, sales):
    client = login(sales)
    response = client.post(reverse("catalog:categories"), {"name": "Kontor", "parent": ""})
    assert response.status_code == 302
    response = client.post(reverse("catalog:categories"), {"name": "kontor", "parent": ""})
    assert "A category with this name exists at this level." in response.content.decode()


def test_global_search_finds_products(login, sales):
    ProductFactory(sku="TELT-2P", name_nb="Telt", name_en="Tent for two", barcode=valid_ean(8))
    client = login(sales)
    for query in ("telt-2p", "for two", "telt", valid_ean(8)):
        response = client.get(reverse("web:search"), {"q": query})
        assert "Tent for two" in response.content.decode(), query


def test_navigation_entry(login, sales):
    response = login(sales).get(reverse("web:home"))
    assert reverse("catalog:product_list") in response.content.decode()


def test_nb_translation(login, make_user):
    client = login(make_user("sales", language="nb"))
    response = client.get(reverse("catalog:product_list"))
    assert "Ingen produkter ennå" in response.content.decode()
    ProductFactory(name_nb="Telt", name_en="Tent")
    assert "Telt" in client.get(reverse("catalog:product_list")).content.decode()


def test_the_import_template_imports_cleanly(login, management):
    client = login(management)
    template = client.get(reverse("catalog:import_template")).content
    upload = SimpleUploadedFile("template.csv", template, content_type="text/csv")
    response = client.post(reverse("catalog:import"), {"file": upload})
    assert "2 created, 0 updated, 0 unchanged." in response.content.decode()
    assert Product.objects.get(sku="INST-T").product_type == "service"
