"""The demo catalogue: believable, bulk, idempotent."""

from decimal import Decimal

import pytest

from samspill.catalog import demo
from samspill.catalog.models import PriceList, PriceListItem, Product
from samspill.catalog.queries import price_for
from samspill.platform.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_demo_catalogue_is_believable_and_idempotent(management, django_assert_max_num_queries):
    with django_assert_max_num_queries(120):  # bulk: not a query per product
        added = demo.load(actor=management)
    assert 200 <= added["products"] == Product.objects.count() <= 600
    assert Product.objects.filter(vat_category="food").count() >= 10
    assert Product.objects.filter(vat_category="zero").exists()
    assert Product.objects.filter(vat_category="exempt", product_type="service").exists()
    install = Product.objects.get(sku="INST-T")
    assert (install.name_nb, install.unit.code, install.product_type) == (
        "Installasjon (time)",
        "h",
        "service",
    )
    assert not Product.objects.filter(product_type="service").exclude(barcode="").exists()
    assert AuditEntry.objects.filter(action="create").count() >= added["products"]
    dealer = PriceList.objects.get(name="Forhandler")
    export = PriceList.objects.get(name="EUR export")
    assert export.currency == "EUR"
    tent = Product.objects.get(sku="TELT-TUR-2")
    assert price_for(tent, 1, price_list=dealer).unit_price < tent.sales_price
    assert (
        price_for(tent, 50, price_list=dealer).unit_price
        < price_for(tent, 10, price_list=dealer).unit_price
    )
    before = (Product.objects.count(), PriceListItem.objects.count(), AuditEntry.objects.count())
    assert demo.load(actor=management) == {"products": 0, "prices": 0}
    after = (Product.objects.count(), PriceListItem.objects.count(), AuditEntry.objects.count())
    assert after == before


def test_every_demo_barcode_is_a_valid_ean13():
    from stdnum import ean

    demo.load()
    for barcode in Product.objects.exclude(barcode="").values_list("barcode", flat=True):
        assert ean.is_valid(barcode) and len(barcode) == 13


def test_demo_prices_have_two_decimals():
    demo.load()
    for price in PriceListItem.objects.values_list("unit_price", flat=True)[:500]:
        assert price == price.quantize(Decimal("0.01"))
