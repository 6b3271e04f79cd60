"""CSV import: row-by-row error report, nothing written for bad rows, idempotent re-runs."""

from decimal import Decimal

import pytest

from samspill.catalog import services
from samspill.catalog.models import Product
from samspill.catalog.tests.factories import CategoryFactory, ProductFactory, valid_ean
from samspill.platform.errors import PermissionDenied, ValidationFailed
from samspill.platform.models import AuditEntry, OutboxEvent

pytestmark = pytest.mark.django_db

GOOD = (
    "sku;name_nb;name_en;unit;product_type;category;sales_price;cost_price;vat_category;"
    "barcode;active\n"
    "TELT-2P;Telt 2 personer;Tent;pcs;stockable;Friluft;1 990,00;1100;standard;"
    f"{valid_ean(1)};ja\n"
    "INST-T;Installasjon (time);Installation;h;service;;950;;standard;;yes\n"
    "KAFFE-500;Kaffe 500 g;Coffee;pcs;consumable;;89,90;45;food;;1\n"
)


@pytest.fixture(autouse=True)
def friluft(db):
    return CategoryFactory(name="Friluft")


def test_import_creates_products_and_is_idempotent(management, emitted):
    result = services.import_products(actor=management, content=GOOD)
    assert (result.created, result.updated, result.unchanged, result.errors) == (3, 0, 0, [])
    tent = Product.objects.get(sku="TELT-2P")
    assert tent.sales_price == Decimal("1990.00")
    assert tent.category.name == "Friluft"
    assert tent.barcode == valid_ean(1)
    assert Product.objects.get(sku="KAFFE-500").vat_category == "food"
    assert Product.objects.get(sku="INST-T").unit.code == "h"
    assert [t for t, _p in emitted()] == ["catalog.product.created"] * 3
    assert AuditEntry.objects.filter(action="create").count() == 3

    events_before = OutboxEvent.objects.count()
    again = services.import_products(actor=management, content=GOOD.encode("utf-8-sig"))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert OutboxEvent.objects.count() == events_before


def test_import_updates_existing_skus_and_leaves_empty_cells(management, emitted):
    ProductFactory(sku="TELT-2P", name_nb="Telt", description="Beholdes", sales_price=Decimal("1"))
    content = "sku,name_nb,sales_price,unit\ntelt-2p,Telt 2 personer,2000,\n"
    result = services.import_products(actor=management, content=content)
    assert (result.created, result.updated) == (0, 1)
    tent = Product.objects.get(sku="TELT-2P")
    assert (tent.name_nb, tent.description, tent.sales_price) == (
        "Telt 2 personer",
        "Beholdes",
        Decimal("2000.00"),
    )
    assert emitted()[-1][1]["fields"] == ["name_nb", "sales_price"]


def test_bad_rows_are_reported_and_not_written(management):
    ProductFactory(sku="HAS-EAN", barcode=valid_ean(9))
    content = (
        "sku;name_nb;unit;sales_price;vat_category;barcode;category\n"
        "OK-1;Grei vare;pcs;10;;;\n"
        "BAD-1;Feil pris;pcs;-5;;;\n"
        "BAD-2;Feil enhet;parsec;5;;;\n"
        "BAD-3;Feil mva;pcs;5;luxury;;\n"
        "BAD-4;Feil strekkode;pcs;5;;7038010000011;\n"
        "BAD-5;Brukt strekkode;pcs;5;;" + valid_ean(9) + ";\n"
        "OK-1;Dobbel;pcs;5;;;\n"
        "BAD-6;Ukjent kategori;pcs;5;;;Hage\n"
        ";Uten varenummer;pcs;5;;;\n"
    )
    result = services.import_products(actor=management, content=content)
    assert result.created == 1
    assert [(e.row, e.column) for e in result.errors] == [
        (3, "sales_price"),
        (4, "unit"),
        (5, "vat_category"),
        (6, "barcode"),
        (7, "barcode"),
        (8, "sku"),
        (9, "category"),
        (10, "sku"),
    ]
    assert result.errors[0].message == "Enter zero or more."
    assert set(Product.objects.values_list("sku", flat=True)) == {"HAS-EAN", "OK-1"}
    assert result.bad_rows == 8


def test_all_or_nothing(management):
    content = "sku;name_nb;unit\nOK-1;Grei;pcs\nBAD;Feil;parsec\n"
    result = services.import_products(actor=management, content=content, all_or_nothing=True)
    assert not result.written
    assert not Product.objects.exists()
    assert [(e.row, e.column) for e in result.errors] == [(3, "unit")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "The file is empty."),
        ("sku;name_nb\nA;B\n", "Missing column(s): unit."),
        ("sku;unit\nA;pcs\n", "Missing column(s): name_nb / name_en."),
        ("sku;name_nb;unit;colour\nA;B;pcs;red\n", "Unknown column(s): colour."),
        (b"sku;name_nb;unit\nA;\xff;pcs\n", "The file is not UTF-8 text."),
    ],
)
def test_bad_files(management, content, message):
    with pytest.raises(ValidationFailed) as exc:
        services.import_products(actor=management, content=content)
    assert message in " ".join(exc.value.errors["file"])
    assert not Product.objects.exists()


def test_sales_may_import_without_prices_but_not_with(sales):
    result = services.import_products(actor=sales, content="sku;name_nb;unit\nA-1;Vare;pcs\n")
    assert result.created == 1
    result = services.import_products(
        actor=sales, content="sku;name_nb;unit;sales_price\nB-1;Vare;pcs;10\n"
    )
    assert result.created == 0
    assert result.errors[0].column == "sales_price"


@pytest.mark.parametrize("role", ["finance", "hr"])
def test_roles_that_cannot_import(make_user, role):
    with pytest.raises(PermissionDenied):
        services.import_products(actor=make_user(role), content="sku;name_nb;unit\nA;B;pcs\n")
    assert not Product.objects.exists()


def test_norwegian_headers(management):
    content = "Varenummer;Navn;Enhet;Pris;MVA\nX-1;Brød;stk;39,90;food\n".replace("stk", "pcs")
    result = services.import_products(actor=management, content=content)
    assert result.errors == []
    assert Product.objects.get(sku="X-1").sales_price == Decimal("39.90")


def test_import_query_count_does_not_grow_per_row_for_reads(
    management, django_assert_max_num_queries
):
    lines = "".join(f"P-{i};Vare {i};pcs;{i}\n" for i in range(200))
    content = "sku;name_nb;unit;sales_price\n" + lines
    # reads and writes in bulk; two queries per created product are the outbox and its subjects
    with django_assert_max_num_queries(20 + 2 * 200):
        result = services.import_products(actor=management, content=content)
    assert result.created == 200
