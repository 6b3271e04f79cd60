"""factory-boy factories for the catalog. They write rows directly (tests only); tests of
behaviour go through the services."""

from decimal import Decimal

import factory
from stdnum import ean

from samspill.catalog.models import Category, PriceList, PriceListItem, Product, Unit


def valid_ean(n: int) -> str:
    """A valid EAN-13 derived from n."""
    twelve = f"703801{n:06d}"
    return twelve + ean.calc_check_digit(twelve)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Kategori {n}")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    name_nb = factory.Sequence(lambda n: f"Vare {n}")
    name_en = factory.Sequence(lambda n: f"Item {n}")
    unit = factory.LazyFunction(lambda: Unit.objects.get(code="pcs"))
    sales_price = Decimal("100.00")
    cost_price = Decimal("60.00")


class PriceListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriceList

    name = factory.Sequence(lambda n: f"Prisliste {n}")
    currency = "NOK"


class PriceListItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriceListItem

    price_list = factory.SubFactory(PriceListFactory)
    product = factory.SubFactory(ProductFactory)
    min_quantity = Decimal("1")
    unit_price = Decimal("90.00")
