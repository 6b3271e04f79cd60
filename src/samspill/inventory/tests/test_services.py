from decimal import Decimal

import pytest

from samspill.catalog.tests.factories import ProductFactory
from samspill.inventory import queries, services
from samspill.inventory.models import Delivery, Location, StockLevel, StockMove
from samspill.platform.errors import Conflict, PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db


def level(product, location):
    row = StockLevel.objects.filter(product=product, location=location).first()
    return (row.on_hand, row.reserved) if row else (Decimal(0), Decimal(0))


def test_setup_creates_virtual_locations_and_default_warehouse(warehouse):
    kinds = set(Location.objects.values_list("kind", flat=True))
    assert {"supplier", "customer", "loss", "production", "view", "internal"} <= kinds
    assert warehouse.code == "HOVED" and warehouse.is_default
    assert warehouse.stock_location.code == "HOVED/LAGER"
    assert warehouse.output_location.code == "HOVED/UT"
    assert services.ensure_setup().pk == warehouse.pk  # idempotent


def test_adjustment_is_a_double_entry_move(put, product, stock, emitted):
    move = put(product, "10")
    loss = Location.objects.get(kind="loss")
    assert (move.from_location, move.to_location, move.quantity) == (loss, stock, Decimal("10.000"))
    assert level(product, stock) == (Decimal("10.000"), Decimal(0))
    assert level(product, loss)[0] == Decimal("-10.000")
    assert [t for t, _p in emitted()] == ["inventory.stock.adjusted"]
    assert emitted()[0][1]["quantity"] == "10.000"


def test_no_negative_stock_and_nothing_written(put, product, stock, ops):
    put(product, "2")
    with pytest.raises(services.InsufficientStock) as info:
        services.adjust_stock(
            actor=ops, product=product, location=stock, quantity="-3", reason="Broken"
        )
    assert "1.000 pcs missing" in str(info.value.message)
    assert StockMove.objects.count() == 1
    assert level(product, stock)[0] == Decimal("2.000")


def test_location_that_allows_negative(ops, product, stock):
    bin_ = services.create_location(actor=ops, parent=stock, name="A-01", allow_negative=True)
    assert bin_.code == "HOVED/LAGER/A-01" and bin_.warehouse_id == stock.warehouse_id
    services.adjust_stock(
        actor=ops, product=product, location=bin_, quantity="-3", reason="Oversold"
    )
    assert level(product, bin_)[0] == Decimal("-3.000")


def test_unit_conversion_through_the_catalog(ops, stock):
    from samspill.catalog.models import Unit

    flour = ProductFactory(sku="FLOUR", unit=Unit.objects.get(code="kg"))
    services.adjust_stock(
        actor=ops, product=flour, location=stock, quantity="2500", unit="g", reason="In"
    )
    assert level(flour, stock)[0] == Decimal("2.500")
    with pytest.raises(ValidationFailed) as info:
        services.adjust_stock(
            actor=ops, product=flour, location=stock, quantity="1", unit="l", reason="In"
        )
    assert "unit" in info.value.errors


def test_bad_input_is_rejected(ops, product, stock):
    for kwargs, field in (
        ({"quantity": "abc", "reason": "x"}, "quantity"),
        ({"quantity": "0", "reason": "x"}, "quantity"),
        ({"quantity": "1.0001", "reason": "x"}, "quantity"),
        ({"quantity": "1", "reason": " "}, "reason"),
        ({"quantity": "1", "reason": "x", "lot": "L1"}, "lot"),
    ):
        with pytest.raises(ValidationFailed) as info:
            services.adjust_stock(actor=ops, product=product, location=stock, **kwargs)
        assert field in info.value.errors
    assert not StockMove.objects.exists()


def test_permission_is_checked(sales, product, stock):
    with pytest.raises(PermissionDenied):
        services.adjust_stock(
            actor=sales, product=product, location=stock, quantity="1", reason="x"
        )


def test_lots_and_serial_numbers(ops, product, stock, put):
    services.set_tracking(actor=ops, product=product, tracking="lot")
    with pytest.raises(ValidationFailed):
        put(product, "5")  # a tracked product needs its lot
    put(product, "5", lot="L-1")
    put(product, "3", lot="L-2")
    with pytest.raises(ValidationFailed) as info:
        services.adjust_stock(
            actor=ops, product=product, location=stock, quantity="-1", reason="x", lot="NOPE"
        )
    assert info.value.code == "unknown_lot"
    with pytest.raises(services.InsufficientStock):
        services.adjust_stock(
            actor=ops, product=product, location=stock, quantity="-4", reason="x", lot="L-2"
        )
    assert [(lv.lot.name, lv.on_hand) for lv in queries.lot_stock(product.pk)] == [
        ("L-1", Decimal("5.000")),
        ("L-2", Decimal("3.000")),
    ]
    with pytest.raises(ValidationFailed):  # tracking cannot change while in stock
        services.set_tracking(actor=ops, product=product, tracking="none")


def test_delivery_from_confirmed_order_reserves_stock(put, product, stock, order_payload, emitted):
    service = ProductFactory(sku="FITTING", product_type="service")
    put(product, "3")
    delivery = services.create_delivery_for_order(order_payload([(product, "5"), (service, "1")]))
    assert delivery.number == f"WH/OUT/{delivery.pk:05d}"
    assert delivery.state == Delivery.State.WAITING
    lines = list(delivery.lines.all())
    assert [(ln.product_id, ln.quantity, ln.reserved) for ln in lines] == [
        (product.pk, Decimal("5.000"), Decimal("3.000"))
    ]
    assert level(product, stock) == (Decimal("3.000"), Decimal("3.000"))
    assert emitted()[-1][0] == "inventory.delivery.created"
    # Running again for the same order changes nothing.
    assert services.create_delivery_for_order(order_payload([(product, "5")])).pk == delivery.pk
    assert Delivery.objects.count() == 1


def test_order_quantities_are_converted_to_the_product_unit(put, product, order_payload):
    put(product, "30")
    delivery = services.create_delivery_for_order(order_payload([(product, "2")], unit="dozen"))
    assert delivery.lines.get().quantity == Decimal("24.000")
    assert delivery.state == Delivery.State.READY


def test_partial_shipment_creates_a_back_order(ops, put, product, stock, order_payload, emitted):
    put(product, "10")
    delivery = services.create_delivery_for_order(order_payload([(product, "8")]))
    line = delivery.lines.get()
    services.pick(actor=ops, delivery=delivery, picks=[{"line_id": line.pk, "quantity": "5"}])
    services.ship(actor=ops, delivery=delivery)
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.DONE
    backorder = Delivery.objects.get(backorder_of=delivery)
    assert backorder.state == Delivery.State.READY
    assert [(ln.quantity, ln.reserved, ln.order_line_id) for ln in backorder.lines.all()] == [
        (Decimal("3.000"), Decimal("3.000"), line.order_line_id)
    ]
    assert level(product, stock) == (Decimal("5.000"), Decimal("3.000"))
    done = [p for t, p in emitted() if t == "inventory.delivery.done"]
    assert done == [
        {
            "delivery_id": delivery.pk,
            "number": delivery.number,
            "order_id": 1,
            "party_id": delivery.party_id,
            "lines": [
                {"order_line_id": line.order_line_id, "product_id": product.pk, "quantity": "5.000"}
            ],
            "backorder_id": backorder.pk,
        }
    ]
    services.pick_reserved(actor=ops, delivery=backorder)
    services.ship(actor=ops, delivery=backorder)
    assert level(product, stock) == (Decimal("2.000"), Decimal("0.000"))
    assert not Delivery.objects.filter(backorder_of=backorder).exists()


def test_over_delivery_and_unknown_lot_write_nothing(ops, put, product, order_payload):
    put(product, "10")
    delivery = services.create_delivery_for_order(order_payload([(product, "4")]))
    line = delivery.lines.get()
    with pytest.raises(ValidationFailed) as info:
        services.pick(actor=ops, delivery=delivery, picks=[{"line_id": line.pk, "quantity": "5"}])
    assert info.value.code == "over_delivery"
    with pytest.raises(ValidationFailed):
        services.pick(
            actor=ops,
            delivery=delivery,
            picks=[
                {"line_id": line.pk, "quantity": "1"},
                {"line_id": line.pk, "quantity": "1", "lot": "X"},
            ],
        )
    assert not line.picks.exists()
    with pytest.raises(ValidationFailed):
        services.ship(actor=ops, delivery=delivery)


def test_shipping_lots(ops, put, product, order_payload):
    services.set_tracking(actor=ops, product=product, tracking="serial")
    put(product, "1", lot="SN-1")
    put(product, "1", lot="SN-2")
    delivery = services.create_delivery_for_order(order_payload([(product, "2")]))
    line = delivery.lines.get()
    with pytest.raises(ValidationFailed) as info:
        services.pick(
            actor=ops,
            delivery=delivery,
            picks=[{"line_id": line.pk, "quantity": "1", "lot": "SN-9"}],
        )
    assert info.value.code == "unknown_lot"
    services.pick(
        actor=ops,
        delivery=delivery,
        picks=[
            {"line_id": line.pk, "quantity": "1", "lot": "SN-1"},
            {"line_id": line.pk, "quantity": "1", "lot": "SN-2"},
        ],
    )
    services.ship(actor=ops, delivery=delivery)
    assert queries.lot_stock(product.pk) == []
    # A serial number that left can come back once, and only one at a time.
    with pytest.raises(ValidationFailed):
        services.receive_return(
            actor=ops,
            party=delivery.party,
            lines=[{"product": product.pk, "quantity": "2", "lot": "SN-1"}],
        )
    services.receive_return(
        actor=ops,
        party=delivery.party,
        lines=[{"product": product.pk, "quantity": "1", "lot": "SN-1"}],
    )
    assert [lv.lot.name for lv in queries.lot_stock(product.pk)] == ["SN-1"]
    with pytest.raises(ValidationFailed) as info:
        put(product, "1", lot="SN-1")
    assert info.value.code == "serial_in_stock"


def test_cancelled_order_releases_reservations(ops, put, product, stock, order_payload, emitted):
    put(product, "10")
    delivery = services.create_delivery_for_order(order_payload([(product, "4")]))
    assert services.cancel_for_order(1) == 1
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.CANCELLED
    assert level(product, stock) == (Decimal("10.000"), Decimal("0.000"))
    assert emitted()[-1] == (
        "inventory.delivery.cancelled",
        {
            "delivery_id": delivery.pk,
            "order_id": 1,
            "party_id": delivery.party_id,
            "number": delivery.number,
        },
    )
    with pytest.raises(Conflict):
        services.ship(actor=ops, delivery=delivery)


def test_check_availability_after_stock_arrives(ops, put, product, order_payload):
    delivery = services.create_delivery_for_order(order_payload([(product, "4")]))
    assert delivery.state == Delivery.State.WAITING
    put(product, "4")
    assert services.check_availability(actor=ops, delivery=delivery).state == Delivery.State.READY


def test_consumables_ship_without_stock(ops, order_payload):
    paper = ProductFactory(sku="PAPER", product_type="consumable")
    delivery = services.create_delivery_for_order(order_payload([(paper, "3")]))
    assert delivery.state == Delivery.State.READY
    services.pick_reserved(actor=ops, delivery=delivery)
    services.ship(actor=ops, delivery=delivery)
    assert Delivery.objects.get(pk=delivery.pk).state == Delivery.State.DONE


def test_customer_return(ops, product, stock, customer, emitted):
    ret = services.receive_return(
        actor=ops, party=customer, lines=[{"product": product.pk, "quantity": "2"}], order_id=7
    )
    assert ret.number.startswith("WH/RET/") and ret.kind == Delivery.Kind.RETURN
    assert level(product, stock)[0] == Decimal("2.000")
    assert emitted()[-1][0] == "inventory.return.received"
    with pytest.raises(ValidationFailed):
        services.receive_return(actor=ops, party=customer, lines=[])


def test_stock_count_posts_differences(ops, put, product, stock, emitted):
    other = ProductFactory(sku="OTHER")
    put(product, "10")
    put(other, "4")
    count = services.create_count(actor=ops, location=stock)
    lines = {ln.product_id: ln for ln in count.lines.all()}
    assert {p: ln.expected for p, ln in lines.items()} == {
        product.pk: Decimal("10.000"),
        other.pk: Decimal("4.000"),
    }
    with pytest.raises(ValidationFailed) as info:
        services.set_counted(
            actor=ops, count=count, counted={lines[product.pk].pk: "-1", lines[other.pk].pk: "x"}
        )
    assert len(info.value.errors) == 2
    services.set_counted(
        actor=ops, count=count, counted={lines[product.pk].pk: "8", lines[other.pk].pk: "4"}
    )
    with pytest.raises(ValidationFailed):
        services.post_count(actor=ops, count=count, reason="")
    services.post_count(actor=ops, count=count, reason="Yearly count")
    assert level(product, stock)[0] == Decimal("8.000")
    assert level(other, stock)[0] == Decimal("4.000")
    posted = next(p for t, p in emitted() if t == "inventory.count.posted")
    assert posted["adjustments"] == [
        {"product_id": product.pk, "lot_id": None, "quantity": "-2.000"}
    ]
    with pytest.raises(Conflict):
        services.post_count(actor=ops, count=count, reason="again")


def test_levels_equal_the_aggregate_of_moves(ops, put, product, order_payload):
    put(product, "10")
    delivery = services.create_delivery_for_order(order_payload([(product, "6")]))
    services.pick_reserved(actor=ops, delivery=delivery)
    services.ship(actor=ops, delivery=delivery)
    levels = {(lv.product_id, lv.location_id): lv.on_hand for lv in StockLevel.objects.all()}
    from_moves = queries.on_hand_from_moves()
    assert {k: v for k, v in levels.items() if v} == {k: v for k, v in from_moves.items() if v}
    assert sum(levels.values()) == 0  # double entry: every quantity came from somewhere
