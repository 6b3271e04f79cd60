"""price_for(): the most specific quantity break of a valid price list, else the base price
in NOK; no currency conversion. Example-based tests plus properties checked by hypothesis
against a plain reference implementation."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samspill.catalog.models import PriceListItem
from samspill.catalog.queries import NoPrice, price_for, prices_for
from samspill.catalog.tests.factories import PriceListFactory, PriceListItemFactory, ProductFactory
from samspill.platform.errors import ValidationFailed

pytestmark = pytest.mark.django_db

DAY = date(2026, 6, 1)


@pytest.fixture
def product(db):
    return ProductFactory(sales_price=Decimal("100.00"), vat_category="food")


@pytest.fixture
def dealer(product):
    price_list = PriceListFactory(name="Forhandler")
    for quantity, price in (("1", "90.00"), ("10", "80.00"), ("100", "70.00")):
        PriceListItemFactory(
            price_list=price_list,
            product=product,
            min_quantity=Decimal(quantity),
            unit_price=Decimal(price),
        )
    return price_list


def test_without_price_list_the_base_price(product):
    price = price_for(product, 3, on=DAY)
    assert (price.unit_price, price.currency, price.source) == (Decimal("100.00"), "NOK", "base")
    assert price.amount == Decimal("300.00")
    assert price.vat_category == "food"


@pytest.mark.parametrize(
    ("quantity", "expected", "break_"),
    [
        ("1", "90.00", "1"),
        ("9.999", "90.00", "1"),
        ("10", "80.00", "10"),
        ("99", "80.00", "10"),
        ("100", "70.00", "100"),
        ("100000", "70.00", "100"),
    ],
)
def test_most_specific_break_wins(product, dealer, quantity, expected, break_):
    price = price_for(product, Decimal(quantity), price_list=dealer, on=DAY)
    assert price.unit_price == Decimal(expected)
    assert price.min_quantity == Decimal(break_)
    assert (price.source, price.price_list_id, price.price_list_name) == (
        "price_list",
        dealer.pk,
        "Forhandler",
    )


def test_below_the_smallest_break_falls_back_to_base(product, dealer):
    price = price_for(product, Decimal("0.5"), price_list=dealer, on=DAY)
    assert (price.unit_price, price.source) == (Decimal("100.00"), "base")


def test_product_not_on_the_list_falls_back_to_base(dealer):
    other = ProductFactory(sales_price=Decimal("55.50"))
    assert price_for(other, 10, price_list=dealer, on=DAY).unit_price == Decimal("55.50")


@pytest.mark.parametrize(
    "dates",
    [
        {"valid_from": DAY + timedelta(days=1)},
        {"valid_to": DAY - timedelta(days=1)},
        {"is_active": False},
    ],
)
def test_list_not_valid_on_the_day_is_ignored(product, dealer, dates):
    for field, value in dates.items():
        setattr(dealer, field, value)
    dealer.save()
    assert price_for(product, 10, price_list=dealer, on=DAY).source == "base"


def test_list_valid_on_its_first_and_last_day(product, dealer):
    dealer.valid_from, dealer.valid_to = DAY, DAY
    dealer.save()
    assert price_for(product, 10, price_list=dealer, on=DAY).unit_price == Decimal("80.00")


def test_foreign_currency_uses_lists_in_that_currency(product):
    old = PriceListFactory(name="EUR 2025", currency="EUR", valid_from=date(2025, 1, 1))
    new = PriceListFactory(name="EUR 2026", currency="EUR", valid_from=date(2026, 1, 1))
    PriceListItemFactory(price_list=old, product=product, unit_price=Decimal("9.00"))
    PriceListItemFactory(price_list=new, product=product, unit_price=Decimal("8.50"))
    PriceListItemFactory(
        price_list=old, product=product, min_quantity=Decimal("50"), unit_price=Decimal("7.00")
    )
    price = price_for(product, 5, currency="eur", on=DAY)
    assert (price.unit_price, price.currency, price.price_list_id) == (
        Decimal("8.50"),
        "EUR",
        new.pk,
    )  # same break: the newer list wins
    assert price_for(product, 50, currency="EUR", on=DAY).unit_price == Decimal("7.00")


def test_no_price_in_a_foreign_currency_is_an_error(product):
    with pytest.raises(NoPrice) as exc:
        price_for(product, 1, currency="SEK", on=DAY)
    assert exc.value.code == "no_price"


def test_currency_must_match_the_list(product, dealer):
    with pytest.raises(ValidationFailed) as exc:
        price_for(product, 1, price_list=dealer, currency="EUR", on=DAY)
    assert exc.value.errors["currency"] == ["The price list “Forhandler” is in NOK."]


@pytest.mark.parametrize("quantity", ["0", "-1", "abc", "NaN", "Infinity", None])
def test_bad_quantity(product, quantity):
    with pytest.raises(ValidationFailed) as exc:
        price_for(product, quantity, on=DAY)
    assert "quantity" in exc.value.errors


def test_bad_currency(product):
    with pytest.raises(ValidationFailed) as exc:
        price_for(product, 1, currency="KRONER", on=DAY)
    assert "currency" in exc.value.errors


def test_amount_is_rounded_half_up(product):
    product.sales_price = Decimal("0.25")
    assert price_for(product, Decimal("0.5"), on=DAY).amount == Decimal("0.13")


def test_many_lines_in_one_query(dealer, product, django_assert_num_queries):
    others = ProductFactory.create_batch(10)
    for other in others:
        PriceListItemFactory(price_list=dealer, product=other, unit_price=Decimal("1.00"))
    lines = [(product, 10), *((p, 1) for p in others)]
    with django_assert_num_queries(1):
        prices = prices_for(lines, price_list=dealer, on=DAY)
    assert [p.unit_price for p in prices] == [Decimal("80.00")] + [Decimal("1.00")] * 10


# --- Properties ------------------------------------------------------------------------------

breaks_strategy = st.dictionaries(
    st.decimals(min_value=Decimal("0"), max_value=Decimal("1000"), places=3),
    st.decimals(min_value=Decimal("0"), max_value=Decimal("100000"), places=2),
    max_size=6,
)
quantity_strategy = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("5000"), places=3)


def reference_price(base: Decimal, breaks: dict[Decimal, Decimal], quantity: Decimal):
    applicable = [q for q in breaks if q <= quantity]
    return breaks[max(applicable)] if applicable else base


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(breaks=breaks_strategy, quantity=quantity_strategy)
def test_price_matches_the_reference(product, breaks, quantity):
    price_list = PriceListFactory()
    PriceListItem.objects.bulk_create(
        PriceListItem(price_list=price_list, product=product, min_quantity=q, unit_price=p)
        for q, p in breaks.items()
    )
    price = price_for(product, quantity, price_list=price_list, on=DAY)
    assert price.unit_price == reference_price(product.sales_price, breaks, quantity)
    assert price.amount == (price.unit_price * quantity).quantize(Decimal("0.01"), "ROUND_HALF_UP")


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    breaks=breaks_strategy.filter(bool),
    a=quantity_strategy,
    b=quantity_strategy,
)
def test_more_never_costs_more_per_unit_when_breaks_fall(product, breaks, a, b):
    """With breaks whose prices fall as the quantity rises, a larger quantity never gets a
    higher unit price."""
    quantities = sorted(breaks)
    prices = sorted(breaks.values(), reverse=True)
    falling = dict(zip(quantities, prices, strict=True))
    price_list = PriceListFactory()
    PriceListItem.objects.bulk_create(
        PriceListItem(price_list=price_list, product=product, min_quantity=q, unit_price=p)
        for q, p in falling.items()
    )
    low, high = sorted((a, b))
    if low < quantities[0]:
        return  # below every break the base price applies, which may be anything
    p_low = price_for(product, low, price_list=price_list, on=DAY).unit_price
    p_high = price_for(product, high, price_list=price_list, on=DAY).unit_price
    assert p_high <= p_low
