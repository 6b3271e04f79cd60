"""The stock levels (the summary table) always equal what the moves and the open
reservations say, whatever sequence of adjustments, deliveries, picks, shipments,
cancellations and returns happens (hypothesis generates the sequences)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samspill.inventory import queries, services
from samspill.inventory.models import Delivery, StockLevel
from samspill.platform.errors import DomainError

pytestmark = pytest.mark.django_db

step = st.one_of(
    st.tuples(st.just("adjust"), st.integers(0, 1), st.integers(-6, 9)),
    st.tuples(st.just("order"), st.integers(0, 1), st.integers(1, 6)),
    st.tuples(st.just("ship"), st.integers(0, 20), st.integers(1, 6)),
    st.tuples(st.just("cancel"), st.integers(0, 20), st.just(0)),
    st.tuples(st.just("check"), st.integers(0, 20), st.just(0)),
    st.tuples(st.just("return"), st.integers(0, 1), st.integers(1, 3)),
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(step, min_size=1, max_size=12))
def test_levels_always_equal_moves_and_reservations(steps, ops, stock, customer, order_payload):
    from django.db import transaction

    from samspill.catalog.tests.factories import ProductFactory

    sid = transaction.savepoint()
    products = [ProductFactory(), ProductFactory()]
    order_id = 0
    for action, which, amount in steps:
        try:
            if action == "adjust" and amount:
                services.adjust_stock(
                    actor=ops, product=products[which], location=stock, quantity=amount, reason="h"
                )
            elif action == "order":
                order_id += 1
                services.create_delivery_for_order(
                    order_payload([(products[which], str(amount))], order_id=order_id)
                )
            elif action in ("ship", "cancel", "check"):
                open_ = list(Delivery.objects.filter(state__in=Delivery.OPEN).order_by("pk"))
                if not open_:
                    continue
                delivery = open_[which % len(open_)]
                if action == "ship":
                    line = delivery.lines.first()
                    services.pick(
                        actor=ops,
                        delivery=delivery,
                        picks=[{"line_id": line.pk, "quantity": amount}],
                    )
                    services.ship(actor=ops, delivery=delivery)
                elif action == "cancel":
                    services.cancel(actor=ops, delivery=delivery)
                else:
                    services.check_availability(actor=ops, delivery=delivery)
            elif action == "return":
                services.receive_return(
                    actor=ops,
                    party=customer,
                    lines=[{"product": products[which].pk, "quantity": amount}],
                )
        except DomainError:
            pass  # refused commands write nothing; the invariant must still hold
        levels = {(lv.product_id, lv.location_id): lv for lv in StockLevel.objects.all()}
        moves = queries.on_hand_from_moves()
        reservations = queries.reserved_from_deliveries()
        for key in set(levels) | set(moves):
            level = levels.get(key)
            assert (level.on_hand if level else Decimal(0)) == moves.get(key, Decimal(0))
            assert (level.reserved if level else Decimal(0)) == reservations.get(key, Decimal(0))
            if level and key[1] == stock.pk:
                assert level.on_hand >= 0  # the stock location does not allow negative stock
    transaction.savepoint_rollback(sid)
