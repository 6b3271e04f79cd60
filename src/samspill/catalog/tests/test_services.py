"""Catalog commands: validation, permissions, audit, events; nothing written on bad input."""

from decimal import Decimal

import pytest

from samspill.catalog import services
from samspill.catalog.models import Category, PriceList, PriceListItem, Product, Unit
from samspill.catalog.tests.factories import (
    CategoryFactory,
    PriceListFactory,
    PriceListItemFactory,
    ProductFactory,
    valid_ean,
)
from samspill.platform.errors import Conflict, PermissionDenied, ValidationFailed
from samspill.platform.models import AuditEntry, OutboxEvent

pytestmark = pytest.mark.django_db


def rows():
    return (
        Product.objects.count(),
        PriceList.objects.count(),
        PriceListItem.objects.count(),
        Category.objects.count(),
        AuditEntry.objects.count(),
        OutboxEvent.objects.count(),
    )


# --- Products --------------------------------------------------------------------------------


def test_create_product_normalises_and_publishes(management, emitted):
    product = services.create_product(
        actor=management,
        sku="  telt 2p ",
        name_nb="Telt 2 personer",
        unit="PCS",
        sales_price="1 990,50",
        cost_price=Decimal("1100"),
        vat_category="standard",
        barcode=valid_ean(1),
    )
    assert product.sku == "TELT-2P"
    assert product.sales_price == Decimal("1990.50")
    assert product.unit.code == "pcs"
    assert product.barcode == valid_ean(1)
    assert emitted() == [
        (
            "catalog.product.created",
            {
                "product_id": product.pk,
                "sku": "TELT-2P",
                "name": "Telt 2 personer",
                "product_type": "stockable",
                "vat_category": "standard",
                "sales_price": "1990.50",
            },
        )
    ]
    entry = AuditEntry.objects.get(object_id=str(product.pk), action="create")
    assert entry.changes["sku"] == [None, "TELT-2P"]
    assert entry.actor == management


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("sales_price", "-1", "Enter zero or more."),
        ("sales_price", "12.345", "Use at most 2 decimals."),
        ("sales_price", "abc", "Enter a number."),
        ("sales_price", "NaN", "Enter a number."),
        ("cost_price", "99999999999", "This number is too large."),
        ("barcode", "7038010000011", "The check digit of this EAN-13 barcode is wrong."),
        ("barcode", "12345", "Enter an EAN-13 barcode: 13 digits."),
        ("sku", "ÆØÅ?!", "Use 1–40 letters"),
        ("unit", "parsec", "There is no unit of measure “parsec”."),
        ("vat_category", "luxury", "is not a valid choice"),
        ("product_type", "magic", "is not a valid choice"),
    ],
)
def test_create_product_bad_input_writes_nothing(management, field, value, message):
    before = rows()
    data = {"sku": "OK-1", "name_nb": "Vare", "unit": "pcs", field: value}
    with pytest.raises(ValidationFailed) as exc:
        services.create_product(actor=management, **data)
    assert message in " ".join(exc.value.errors[field])
    assert rows() == before


def test_product_needs_a_name_in_one_language(management):
    with pytest.raises(ValidationFailed) as exc:
        services.create_product(actor=management, sku="X1", unit="pcs")
    assert exc.value.errors["name_nb"] == ["Give the product a name in Norwegian or English."]
    product = services.create_product(actor=management, sku="X1", unit="pcs", name_en="Thing")
    assert product.name == "Thing"  # falls back to English in any language


def test_sku_and_barcode_are_unique(management):
    ProductFactory(sku="A-1", barcode=valid_ean(5))
    with pytest.raises(ValidationFailed) as exc:
        services.create_product(
            actor=management, sku="a 1", name_nb="x", unit="pcs", barcode=valid_ean(5)
        )
    assert exc.value.errors["sku"] == ["Another product has this SKU."]
    assert exc.value.errors["barcode"] == ["Another product has this barcode."]


def test_services_have_no_barcode(management):
    with pytest.raises(ValidationFailed) as exc:
        services.create_product(
            actor=management,
            sku="S1",
            name_nb="Installasjon",
            unit="h",
            product_type="service",
            barcode=valid_ean(2),
        )
    assert exc.value.errors["barcode"] == ["Services have no barcode."]


def test_sales_may_create_products_but_not_set_prices(sales):
    product = services.create_product(actor=sales, sku="S-1", name_nb="Vare", unit="pcs")
    assert product.sales_price == Decimal("0.00")
    before = rows()
    with pytest.raises(PermissionDenied):
        services.create_product(
            actor=sales, sku="S-2", name_nb="Vare", unit="pcs", sales_price="10"
        )
    with pytest.raises(PermissionDenied):
        services.update_product(actor=sales, product=product, cost_price="5")
    assert rows() == before
    services.update_product(actor=sales, product=product, name_en="Item")
    assert Product.objects.get(pk=product.pk).name_en == "Item"


def test_finance_sets_prices_but_not_master_data(finance, emitted):
    product = ProductFactory(sales_price=Decimal("100.00"))
    services.update_product(actor=finance, product=product, sales_price="120", cost_price="70")
    product.refresh_from_db()
    assert (product.sales_price, product.cost_price) == (Decimal("120.00"), Decimal("70.00"))
    assert emitted() == [
        (
            "catalog.product.updated",
            {"product_id": product.pk, "sku": product.sku, "fields": ["cost_price", "sales_price"]},
        )
    ]
    with pytest.raises(PermissionDenied):
        services.update_product(actor=finance, product=product, name_nb="Nytt navn")
    with pytest.raises(PermissionDenied):
        services.create_product(actor=finance, sku="F1", name_nb="x", unit="pcs")


def test_update_without_change_publishes_nothing(management, emitted):
    product = ProductFactory()
    services.update_product(actor=management, product=product, name_nb=product.name_nb)
    assert emitted() == []


def test_update_records_before_and_after(management):
    product = ProductFactory(name_nb="Gammel")
    services.update_product(actor=management, product=product, name_nb="Ny", unit="kg")
    entry = AuditEntry.objects.get(object_id=str(product.pk), action="update")
    kg = Unit.objects.get(code="kg")
    assert entry.changes == {"name_nb": ["Gammel", "Ny"], "unit": [product.unit_id, kg.pk]}


def test_archive_and_restore(sales, emitted):
    product = ProductFactory()
    services.archive_product(actor=sales, product=product)
    product.refresh_from_db()
    assert not product.is_active
    with pytest.raises(Conflict) as exc:
        services.archive_product(actor=sales, product=product)
    assert exc.value.code == "product_archived"
    services.restore_product(actor=sales, product=product)
    assert Product.objects.get(pk=product.pk).is_active
    assert [t for t, _p in emitted()] == ["catalog.product.archived", "catalog.product.restored"]


def test_delete_product_needs_permission_and_removes_prices(sales, management):
    item = PriceListItemFactory()
    with pytest.raises(PermissionDenied):
        services.delete_product(actor=sales, product=item.product)
    services.delete_product(actor=management, product=item.product)
    assert not Product.objects.exists()
    assert not PriceListItem.objects.exists()
    assert AuditEntry.objects.filter(action="delete", object_id=str(item.product_id)).exists()


def test_finance_cannot_archive(finance):
    with pytest.raises(PermissionDenied):
        services.archive_product(actor=finance, product=ProductFactory())


# --- Categories ------------------------------------------------------------------------------


def test_categories_tree_unique_per_level(sales):
    office = services.create_category(actor=sales, name="Kontor")
    paper = services.create_category(actor=sales, name="Papir", parent=office)
    assert paper.path == "Kontor / Papir"
    with pytest.raises(ValidationFailed):
        services.create_category(actor=sales, name="kontor")
    with pytest.raises(ValidationFailed):
        services.create_category(actor=sales, name="PAPIR", parent=office)
    services.create_category(actor=sales, name="Papir")  # another level: fine
    with pytest.raises(ValidationFailed) as exc:
        services.update_category(actor=sales, category=office, parent=paper)
    assert exc.value.errors["parent"] == ["A category cannot be inside itself."]


def test_delete_category_in_use(sales):
    category = CategoryFactory()
    ProductFactory(category=category)
    with pytest.raises(Conflict):
        services.delete_category(actor=sales, category=category)


# --- Price lists -----------------------------------------------------------------------------


def test_create_price_list(finance, emitted):
    price_list = services.create_price_list(
        actor=finance, name=" Forhandler ", currency="eur", notes=""
    )
    assert (price_list.name, price_list.currency) == ("Forhandler", "EUR")
    assert emitted() == [
        (
            "catalog.pricelist.created",
            {"price_list_id": price_list.pk, "name": "Forhandler", "currency": "EUR"},
        )
    ]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"currency": "XYZ"}, "currency"),
        ({"currency": "kroner"}, "currency"),
        ({"name": ""}, "name"),
        ({"valid_from": "2026-02-01", "valid_to": "2026-01-01"}, "valid_to"),
    ],
)
def test_price_list_bad_input(finance, data, field):
    from datetime import date

    data = {k: date.fromisoformat(v) if k.startswith("valid") else v for k, v in data.items()}
    before = rows()
    with pytest.raises(ValidationFailed) as exc:
        services.create_price_list(actor=finance, **{"name": "Liste", **data})
    assert field in exc.value.errors
    assert rows() == before


def test_sales_cannot_manage_price_lists(sales):
    with pytest.raises(PermissionDenied):
        services.create_price_list(actor=sales, name="X")


def test_currency_of_a_list_with_prices_is_fixed(finance):
    item = PriceListItemFactory()
    with pytest.raises(ValidationFailed) as exc:
        services.update_price_list(actor=finance, price_list=item.price_list, currency="EUR")
    assert "has prices in NOK" in exc.value.errors["currency"][0]


def test_set_price_list_items_bulk(finance, emitted, django_assert_max_num_queries):
    price_list = PriceListFactory()
    products = ProductFactory.create_batch(20)
    items = [
        {"product": p, "min_quantity": q, "unit_price": price}
        for p in products
        for q, price in ((1, "90"), (10, "80"), ("100,5", "70.50"))
    ]
    with django_assert_max_num_queries(15):  # whatever the number of items
        services.set_price_list_items(actor=finance, price_list=price_list, items=items)
    assert PriceListItem.objects.filter(price_list=price_list).count() == 60
    (event_type, payload) = emitted()[-1]
    assert event_type == "catalog.pricelist.updated"
    assert payload["product_ids"] == sorted(p.pk for p in products)
    # Replace one product's breaks by SKU; the others stay.
    services.set_price_list_items(
        actor=finance,
        price_list=price_list,
        items=[{"sku": products[0].sku.lower(), "min_quantity": "5", "unit_price": "85"}],
    )
    breaks = list(
        PriceListItem.objects.filter(product=products[0]).values_list("min_quantity", "unit_price")
    )
    assert breaks == [(Decimal("5.000"), Decimal("85.00"))]
    assert PriceListItem.objects.count() == 58
    services.set_price_list_items(
        actor=finance, price_list=price_list, items=[], products=[products[1]]
    )
    assert not PriceListItem.objects.filter(product=products[1]).exists()
    services.set_price_list_items(
        actor=finance, price_list=price_list, items=items[:1], replace_all=True
    )
    assert PriceListItem.objects.count() == 1


def test_set_price_list_items_reports_every_bad_item_and_writes_nothing(finance):
    price_list = PriceListFactory()
    product = ProductFactory()
    PriceListItemFactory(price_list=price_list, product=product)
    before = rows()
    with pytest.raises(ValidationFailed) as exc:
        services.set_price_list_items(
            actor=finance,
            price_list=price_list,
            items=[
                {"product": product, "min_quantity": 1, "unit_price": "-5"},
                {"sku": "NOPE", "unit_price": "5"},
                {"product": product, "min_quantity": "x", "unit_price": "5"},
                {"product": product, "min_quantity": 2, "unit_price": "5"},
                {"product": product, "min_quantity": "2.0", "unit_price": "6"},
            ],
        )
    assert exc.value.errors == {
        "items.0.unit_price": ["Enter zero or more."],
        "items.1.product": ["There is no such product."],
        "items.2.min_quantity": ["Enter a number."],
        "items.4.min_quantity": ["This product already has a price from this quantity."],
    }
    assert rows() == before


def test_setting_the_same_prices_again_changes_nothing(finance, emitted):
    item = PriceListItemFactory()
    before = rows()
    services.set_price_list_items(
        actor=finance,
        price_list=item.price_list,
        items=[{"product": item.product, "min_quantity": "1", "unit_price": "90.00"}],
    )
    assert rows() == before
    assert emitted() == []


def test_delete_price_list_only_when_inactive(finance):
    price_list = PriceListFactory()
    with pytest.raises(Conflict):
        services.delete_price_list(actor=finance, price_list=price_list)
    services.update_price_list(actor=finance, price_list=price_list, is_active=False)
    services.delete_price_list(actor=finance, price_list=price_list)
    assert not PriceList.objects.exists()


# --- Units -----------------------------------------------------------------------------------


def test_units_come_back_after_a_flush():
    from django.core.management.sql import emit_post_migrate_signal

    Unit.objects.all().delete()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert {"pcs", "h", "kg", "g", "l", "m"} <= set(Unit.objects.values_list("code", flat=True))


def test_unit_conversion_within_a_dimension():
    from django.core.exceptions import ValidationError

    kg, g, hour = (Unit.objects.get(code=c) for c in ("kg", "g", "h"))
    assert g.convert(Decimal("1500"), kg) == Decimal("1.5")
    assert kg.convert(Decimal("2"), g) == Decimal("2000")
    with pytest.raises(ValidationError):
        kg.convert(Decimal("1"), hour)


def test_a_sku_taken_by_a_concurrent_request_is_a_conflict(management, monkeypatch):
    """The uniqueness check ran before another request saved the same SKU."""
    from samspill.catalog.services import products as product_services

    monkeypatch.setattr(product_services, "_validate", lambda product, errors: None)
    ProductFactory(sku="RACE-1")
    before = rows()
    with pytest.raises(Conflict) as exc:
        services.create_product(actor=management, sku="RACE-1", name_nb="x", unit="pcs")
    assert exc.value.code == "product_taken"
    assert rows() == before
