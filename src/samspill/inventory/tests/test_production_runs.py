"""Production runs: partial production (the rest stays open or is closed short), scrap of
components and finished goods to inventory loss (booked to 4390), and lot or serial
tracked components and finished goods."""

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from samspill.accounting.models import JournalLine
from samspill.inventory import services
from samspill.inventory.models import (
    LotLevel,
    ProductionOrder,
    StockLevel,
    StockMove,
)
from samspill.platform.errors import Conflict, ValidationFailed

pytestmark = pytest.mark.django_db


@pytest.fixture
def parts(db):
    from samspill.catalog.tests.factories import ProductFactory

    return {
        "table": ProductFactory(sku="TABLE", cost_price=Decimal("0")),
        "leg": ProductFactory(sku="LEG", cost_price=Decimal("10.00")),
        "top": ProductFactory(sku="TOP", cost_price=Decimal("30.00")),
    }


@pytest.fixture
def bom(ops, parts):
    return services.create_bom(
        actor=ops,
        product=parts["table"],
        quantity=1,
        lines=[
            {"product": parts["leg"].pk, "quantity": 4},
            {"product": parts["top"].pk, "quantity": 1},
        ],
    )


@pytest.fixture
def order(ops, bom, put, parts):
    put(parts["leg"], 40)
    put(parts["top"], 10)
    order = services.create_production(actor=ops, bom=bom, quantity=3)
    return services.confirm_production(actor=ops, order=order)


def level(product, location) -> StockLevel:
    return StockLevel.objects.get(product=product, location=location)


def balance(number: str) -> Decimal:
    row = JournalLine.objects.filter(account__number=number).aggregate(
        debit=Sum("debit"), credit=Sum("credit")
    )
    return (row["debit"] or Decimal(0)) - (row["credit"] or Decimal(0))


def test_partial_production_keeps_the_rest_open(ops, order, parts, stock, emitted):
    order = services.produce(actor=ops, order=order, quantity=1)
    assert order.state == ProductionOrder.State.CONFIRMED
    assert order.produced == Decimal("1.000") and order.remaining == Decimal("2.000")
    assert level(parts["table"], stock).on_hand == Decimal("1.000")
    assert level(parts["leg"], stock).on_hand == Decimal("36.000")
    assert level(parts["leg"], stock).reserved == Decimal("8.000")  # the rest stays reserved
    assert order.value == Decimal("70.00") and order.unit_cost == Decimal("70.0000")
    kind, payload = emitted()[-1]
    assert kind == "inventory.production.produced"
    assert (payload["quantity"], payload["remaining"]) == ("1.000", "2.000")

    order = services.produce(actor=ops, order=order)  # the rest
    assert order.state == ProductionOrder.State.DONE
    assert order.produced == Decimal("3.000")
    assert level(parts["leg"], stock).on_hand == Decimal("28.000")
    assert level(parts["leg"], stock).reserved == Decimal("0.000")
    assert order.value == Decimal("210.00")
    kind, payload = emitted()[-1]
    assert kind == "inventory.production.done" and payload["short"] is False
    assert {c["quantity"] for c in payload["components"]} == {"12.000", "3.000"}


def test_short_finish_releases_the_rest(ops, order, parts, stock, emitted):
    services.produce(actor=ops, order=order, quantity=1)
    order = services.close_production(actor=ops, order=order)
    assert order.state == ProductionOrder.State.DONE
    assert order.produced == Decimal("1.000")
    assert level(parts["leg"], stock).reserved == Decimal("0.000")
    assert level(parts["leg"], stock).on_hand == Decimal("36.000")
    kind, payload = emitted()[-1]
    assert kind == "inventory.production.done" and payload["short"] is True
    assert payload["quantity"] == "1.000"


def test_produce_and_close_in_one_run(ops, order, parts, stock):
    order = services.produce(actor=ops, order=order, quantity=2, close=True)
    assert order.state == ProductionOrder.State.DONE
    assert order.produced == Decimal("2.000")
    assert level(parts["leg"], stock).reserved == Decimal("0.000")
    assert level(parts["leg"], stock).on_hand == Decimal("32.000")


def test_over_production_and_closing_nothing_are_refused(ops, order, parts, stock):
    moves = StockMove.objects.count()
    with pytest.raises(ValidationFailed) as error:
        services.produce(actor=ops, order=order, quantity=4)
    assert error.value.code == "over_production"
    with pytest.raises(Conflict):
        services.close_production(actor=ops, order=order)
    assert StockMove.objects.count() == moves
    assert ProductionOrder.objects.get(pk=order.pk).produced == 0


@pytest.fixture
def ledger(db):
    from samspill.accounting import services as accounting

    accounting.load_chart(actor=None)
    return accounting.open_fiscal_year(actor=None, start=date(timezone.localdate().year, 1, 1))


def test_scrap_components_and_finished_goods_books_shrinkage(
    ledger, ops, order, parts, stock, emitted
):
    before = balance("4390")  # the opening adjustments came from inventory loss
    move = services.scrap_production(
        actor=ops, order=order, product=parts["leg"].pk, quantity=2, note="Cracked"
    )
    assert move.to_location.kind == "loss" and move.reason == StockMove.Reason.SCRAP
    assert move.value == Decimal("20.00")
    assert balance("4390") - before == Decimal("20.00")
    assert level(parts["leg"], stock).on_hand == Decimal("38.000")
    assert level(parts["leg"], stock).reserved == Decimal("10.000")  # the broken ones
    assert emitted()[-1][0] == "inventory.production.scrapped"

    order = services.produce(actor=ops, order=order)
    services.scrap_production(actor=ops, order=order, product=parts["table"].pk, quantity=1)
    assert level(parts["table"], stock).on_hand == Decimal("2.000")
    assert balance("4390") - before == Decimal("90.00")


def test_scrap_of_another_product_is_refused(ops, order, stock):
    from samspill.catalog.tests.factories import ProductFactory

    other = ProductFactory(sku="OTHER")
    with pytest.raises(ValidationFailed) as error:
        services.scrap_production(actor=ops, order=order, product=other.pk, quantity=1)
    assert "neither" in str(error.value.message)
    assert not StockMove.objects.filter(reason=StockMove.Reason.SCRAP).exists()


def test_lot_tracked_components_and_finished_goods(ops, bom, parts, put, stock, emitted):
    services.set_tracking(actor=ops, product=parts["leg"], tracking="lot")
    services.set_tracking(actor=ops, product=parts["table"], tracking="serial")
    put(parts["leg"], 6, lot="L1")
    put(parts["leg"], 6, lot="L2")
    put(parts["top"], 5)
    order = services.create_production(actor=ops, bom=bom, quantity=2)
    order = services.confirm_production(actor=ops, order=order)
    leg_line = order.lines.get(product=parts["leg"])

    moves = StockMove.objects.count()
    with pytest.raises(ValidationFailed) as error:  # an unknown lot
        services.produce(
            actor=ops,
            order=order,
            quantity=1,
            lot="SN-1",
            components=[{"line_id": leg_line.pk, "lot": "NOPE", "quantity": 4}],
        )
    assert "NOPE" in str(error.value.message)
    with pytest.raises(ValidationFailed):  # lots not adding up
        services.produce(
            actor=ops,
            order=order,
            quantity=1,
            lot="SN-1",
            components=[{"line_id": leg_line.pk, "lot": "L1", "quantity": 3}],
        )
    with pytest.raises(ValidationFailed):  # a serial number is one unit
        services.produce(
            actor=ops,
            order=order,
            quantity=2,
            lot="SN-1",
            components=[{"line_id": leg_line.pk, "lot": "L1", "quantity": 8}],
        )
    with pytest.raises(ValidationFailed):  # the finished goods need their serial number
        services.produce(
            actor=ops,
            order=order,
            quantity=1,
            components=[{"line_id": leg_line.pk, "lot": "L1", "quantity": 4}],
        )
    assert StockMove.objects.count() == moves

    services.produce(
        actor=ops,
        order=order,
        quantity=1,
        lot="SN-1",
        components=[
            {"line_id": leg_line.pk, "lot": "L1", "quantity": 3},
            {"line_id": leg_line.pk, "lot": "L2", "quantity": 1},
        ],
    )
    order = services.produce(
        actor=ops,
        order=order,
        quantity=1,
        lot="SN-2",
        components=[{"line_id": leg_line.pk, "lot": "L2", "quantity": 4}],
    )
    assert order.state == ProductionOrder.State.DONE
    lots = dict(
        LotLevel.objects.filter(location=stock, lot__product=parts["leg"]).values_list(
            "lot__name", "on_hand"
        )
    )
    assert lots == {"L1": Decimal("3.000"), "L2": Decimal("1.000")}
    made = StockMove.objects.filter(production=order, product=parts["table"])
    assert sorted(made.values_list("lot__name", flat=True)) == ["SN-1", "SN-2"]
    assert emitted()[-1][1]["lots"] == ["SN-1", "SN-2"]


def test_runs_and_scrap_over_the_api(api, ops, order, parts):
    client = api(ops)
    url = f"/api/v1/inventory/productions/{order.pk}"
    over = client.post(f"{url}/produce", {"quantity": "9"}, content_type="application/json")
    assert over.status_code == 422
    assert over.json()["code"] == "over_production"
    part = client.post(f"{url}/produce", {"quantity": "1"}, content_type="application/json")
    assert part.status_code == 200, part.content
    assert (part.json()["state"], part.json()["produced"]) == ("confirmed", "1.000")
    scrap = client.post(
        f"{url}/scrap",
        {"product_id": parts["top"].pk, "quantity": "1", "note": "Scratched"},
        content_type="application/json",
    )
    assert scrap.status_code == 201, scrap.content
    assert scrap.json()["value"] == "30.00"
    closed = client.post(f"{url}/close")
    assert closed.status_code == 200
    assert (closed.json()["state"], closed.json()["produced"]) == ("done", "1.000")
    again = client.post(f"{url}/produce", {}, content_type="application/json")
    assert again.status_code == 409


def test_production_page_produces_in_parts_and_scraps(login, ops, order, parts):
    from django.urls import reverse

    client = login(ops)
    url = reverse("inventory:production_detail", args=[order.pk])
    page = client.get(url)
    assert 'data-testid="produce-form"' in page.text and 'data-testid="scrap-form"' in page.text
    bad = client.post(url, {"action": "produce", "quantity": "7"})
    assert bad.status_code == 422 and "remain to be made" in bad.text
    assert client.post(url, {"action": "produce", "quantity": "2"}).status_code == 302
    order.refresh_from_db()
    assert (order.state, order.produced) == ("confirmed", Decimal("2.000"))
    scrapped = client.post(
        url,
        {"action": "scrap", "product": parts["leg"].pk, "scrap_quantity": "1", "note": "Bent"},
    )
    assert scrapped.status_code == 302
    assert client.post(url, {"action": "close"}).status_code == 302
    order.refresh_from_db()
    assert order.state == "done"
    page = client.get(url)
    assert page.text.count("<tr>") >= 6  # components, and the moves: made, consumed, scrapped
    assert "Bent" in page.text


def test_production_page_queries_do_not_grow_with_runs(
    login, ops, order, parts, django_assert_max_num_queries
):
    from django.urls import reverse

    client = login(ops)
    url = reverse("inventory:production_detail", args=[order.pk])
    services.produce(actor=ops, order=order, quantity=1)
    client.get(url)  # warm caches (content types, sessions)
    with django_assert_max_num_queries(40) as one:
        client.get(url)
    services.produce(actor=ops, order=order, quantity=1)
    services.scrap_production(actor=ops, order=order, product=parts["leg"].pk, quantity=1)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert response.text.count("WH/MO/") >= 1
