"""The stock value report from the monthly summary (StockValueMonth) is exact: on random
moves, back-dated ones included, it equals the full recomputation over every move at
any day, and the summary the stock engine keeps equals the one rebuilt from the moves."""

import random
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from samspill.inventory import queries, services
from samspill.inventory.models import Location, StockMove, StockValueMonth, StockValueTotal
from samspill.inventory.services import value_months
from samspill.inventory.services.common import virtual

pytestmark = pytest.mark.django_db


def _reference(at: date) -> dict[int, tuple[Decimal, Decimal]]:
    """product id -> (quantity, value) at the end of `at`, summed in Python (Decimal)
    over every done move: the slow, obviously right answer."""
    kinds = dict(Location.objects.values_list("pk", "kind"))
    end = timezone.make_aware(datetime.combine(at + timedelta(days=1), time.min))
    totals: dict[int, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for move in StockMove.objects.filter(state="done", done_at__lt=end):
        into = kinds[move.to_location_id] == "internal"
        out_of = kinds[move.from_location_id] == "internal"
        if into == out_of:
            continue
        sign = 1 if into else -1
        totals[move.product_id][0] += sign * move.quantity
        totals[move.product_id][1] += sign * move.value
    return {pk: (q, v) for pk, (q, v) in totals.items() if q or v}


def _report(at: date) -> dict[int, tuple[Decimal, Decimal]]:
    return {row["product_id"]: (row["quantity"], row["value"]) for row in queries.stock_value(at)}


def _summary() -> dict[tuple[int, date], tuple[Decimal, Decimal]]:
    return {
        (row.product_id, row.month): (row.quantity, row.value)
        for row in StockValueMonth.objects.all()
        if row.quantity or row.value
    }


def _totals() -> dict[int, tuple[Decimal, Decimal]]:
    return {
        row.product_id: (row.quantity, row.value)
        for row in StockValueTotal.objects.all()
        if row.quantity or row.value
    }


@pytest.fixture
def world(warehouse):
    from samspill.catalog.tests.factories import ProductFactory

    stock = warehouse.stock_location
    bin_a = services.create_location(actor=None, parent=stock, name="A-01")
    products = [ProductFactory(sku=f"RND-{i}", cost_price=Decimal(10 + 7 * i)) for i in range(5)]
    return products, [stock, bin_a]


def test_random_moves_with_back_dated_ones_agree_with_the_full_recomputation(world):
    products, locations = world
    rng = random.Random(7)
    supplier = virtual(Location.Kind.SUPPLIER)
    customer = virtual(Location.Kind.CUSTOMER)
    loss = virtual(Location.Kind.LOSS)
    now = timezone.now()
    for _batch in range(40):
        moves = []
        for _ in range(rng.randint(1, 6)):
            product = rng.choice(products)
            # Anything from 400 days ago (back-dated) to now, across month ends.
            when = now - timedelta(days=rng.randint(0, 400), minutes=rng.randint(0, 1440))
            kind = rng.random()
            a, b = rng.sample(locations, 2)
            if kind < 0.35:
                move = StockMove(
                    product_id=product.pk,
                    from_location=supplier,
                    to_location=a,
                    quantity=Decimal(rng.randint(1, 30)),
                    unit_cost=Decimal(rng.randint(500, 9000)) / 100,
                    reason="receipt",
                )
            elif kind < 0.6:
                move = StockMove(
                    product_id=product.pk,
                    from_location=a,
                    to_location=customer,
                    quantity=Decimal(rng.randint(1, 5)),
                    reason="delivery",
                )
            elif kind < 0.8:
                move = StockMove(
                    product_id=product.pk,
                    from_location=a,
                    to_location=b,
                    quantity=Decimal("1.5"),
                    reason="transfer",
                )
            else:
                move = StockMove(
                    product_id=product.pk,
                    from_location=loss,
                    to_location=a,
                    quantity=Decimal("2.250"),
                    reason="adjustment",
                )
            move.done_at = when
            move.reference = "random"
            moves.append(move)
        for location in locations:  # runs a bin negative sometimes: allowed here
            location.allow_negative = True
            location.save(update_fields=["allow_negative"])
        services.apply_moves(moves)

    days = [timezone.localdate() - timedelta(days=d) for d in (0, 1, 15, 31, 45, 100, 250, 399)]
    days += [date(d.year, d.month, 1) - timedelta(days=1) for d in days]  # month ends
    for day in days:
        assert _report(day) == _reference(day), day
        expected = sum((v for _q, v in _reference(day).values()), Decimal(0))
        assert queries.stock_value_total(day) == expected
        # And the report the old way, a full aggregate over the moves, says the same (SQLite
        # sums decimals through floating point: compare at the precision of the columns).
        slow = {
            r["product_id"]: (
                Decimal(r["quantity"]).quantize(Decimal("0.001")),
                Decimal(r["value"]).quantize(Decimal("0.01")),
            )
            for r in queries.stock_value_from_moves(day)
        }
        assert slow == _reference(day)

    # The summary kept move by move equals the one rebuilt from the moves alone.
    kept = _summary()
    totals = _totals()
    assert kept
    assert value_months.rebuild() == len(kept)
    assert _summary() == kept
    assert _totals() == totals


def test_the_month_is_cut_in_the_company_time_zone(world):
    products, locations = world
    loss = virtual(Location.Kind.LOSS)
    # 23:30 UTC on 31 January is 00:30 on 1 February in Oslo: February's.
    when = datetime(2026, 1, 31, 23, 30, tzinfo=UTC)
    move = StockMove(
        product_id=products[0].pk,
        from_location=loss,
        to_location=locations[0],
        quantity=Decimal(4),
        reason="adjustment",
        done_at=when,
    )
    services.apply_moves([move])
    row = StockValueMonth.objects.get(product=products[0])
    assert row.month == date(2026, 2, 1)
    assert row.quantity == Decimal("4.000")
    assert _report(date(2026, 1, 31)) == {}
    assert _report(date(2026, 2, 1)) == {products[0].pk: (Decimal("4.000"), move.value)}


def test_rebuild_command_recomputes_the_summary(world, put):
    products, _locations = world
    put(products[0], "3")
    put(products[1], "2")
    # Moves written behind the stock engine's back (an import): back-dated, no summary.
    StockMove.objects.update(done_at=timezone.now() - timedelta(days=70))
    StockValueMonth.objects.all().delete()
    StockValueTotal.objects.all().delete()
    assert queries.stock_value() == []
    call_command("rebuild-stock-value", verbosity=0)
    assert {row["product_id"] for row in queries.stock_value()} == {
        products[0].pk,
        products[1].pk,
    }


def test_report_takes_four_queries_whatever_the_history(world, put, django_assert_max_num_queries):
    products, _locations = world
    for product in products:
        put(product, "5")
    with django_assert_max_num_queries(4):
        rows = queries.stock_value()
    assert len(rows) == len(products)
    with django_assert_max_num_queries(4):
        queries.stock_value_total()
