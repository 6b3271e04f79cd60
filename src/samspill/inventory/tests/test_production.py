"""Production: bills of materials and production orders — validation, reservations,
consumption and the cost roll-up into the moving average, the ledger, events, API and
pages."""

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from samspill.accounting.models import JournalEntry, JournalLine
from samspill.inventory import queries, services
from samspill.inventory.models import (
    BillOfMaterials,
    ProductCost,
    ProductionOrder,
    StockLevel,
    StockMove,
)
from samspill.platform.errors import Conflict, ValidationFailed
from samspill.platform.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def parts(db):
    from samspill.catalog.tests.factories import ProductFactory

    return {
        "table": ProductFactory(sku="TABLE", cost_price=Decimal("0")),
        "leg": ProductFactory(sku="LEG", cost_price=Decimal("10.00")),
        "top": ProductFactory(sku="TOP", cost_price=Decimal("33.33")),
        "screw": ProductFactory(sku="SCREW", cost_price=Decimal("0.37")),
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
            {"product": parts["screw"].pk, "quantity": "8", "unit": "pcs"},
        ],
    )


@pytest.fixture
def stocked(put, parts):
    put(parts["leg"], 40)
    put(parts["top"], 10)
    put(parts["screw"], 100)
    return parts


def level(product, location) -> StockLevel:
    return StockLevel.objects.get(product=product, location=location)


def balance(number: str) -> Decimal:
    row = JournalLine.objects.filter(account__number=number).aggregate(
        debit=Sum("debit"), credit=Sum("credit")
    )
    return (row["debit"] or Decimal(0)) - (row["credit"] or Decimal(0))


# --- Bills of materials --------------------------------------------------------------------


def test_bom_is_created_with_its_lines_and_audited(bom, parts):
    assert bom.product == parts["table"]
    assert bom.quantity == Decimal("1.000")
    assert [(line.product.sku, line.quantity) for line in bom.lines.all()] == [
        ("LEG", Decimal("4.000")),
        ("TOP", Decimal("1.000")),
        ("SCREW", Decimal("8.000")),
    ]
    assert AuditEntry.objects.filter(object_id=str(bom.pk), action="create").count() == 1


def test_bom_refuses_the_product_as_its_own_component(ops, parts):
    with pytest.raises(ValidationFailed) as error:
        services.create_bom(
            actor=ops, product=parts["table"], lines=[{"product": parts["table"].pk, "quantity": 1}]
        )
    assert error.value.errors == {"lines.0.product": ["A product cannot be a component of itself."]}
    assert not BillOfMaterials.objects.exists()


def test_bom_refuses_a_cycle(ops, bom, parts):
    with pytest.raises(ValidationFailed) as error:
        services.create_bom(
            actor=ops, product=parts["leg"], lines=[{"product": parts["table"].pk, "quantity": 1}]
        )
    assert error.value.errors == {
        "lines": ["LEG is already a component of one of these components: that is a cycle."]
    }
    assert BillOfMaterials.objects.count() == 1


@pytest.mark.parametrize("quantity", [0, "-1", "abc"])
def test_bom_refuses_quantities_not_above_zero(ops, parts, quantity):
    with pytest.raises(ValidationFailed) as error:
        services.create_bom(
            actor=ops,
            product=parts["table"],
            lines=[{"product": parts["leg"].pk, "quantity": quantity}],
        )
    assert list(error.value.errors) == ["lines.0.quantity"]
    with pytest.raises(ValidationFailed):
        services.create_bom(
            actor=ops,
            product=parts["table"],
            quantity=quantity,
            lines=[{"product": parts["leg"].pk, "quantity": 1}],
        )
    assert not BillOfMaterials.objects.exists()


def test_bom_needs_components_and_permission(ops, sales, parts):
    from samspill.platform.errors import PermissionDenied

    with pytest.raises(ValidationFailed):
        services.create_bom(actor=ops, product=parts["table"], lines=[])
    with pytest.raises(PermissionDenied):
        services.create_bom(
            actor=sales, product=parts["table"], lines=[{"product": parts["leg"].pk, "quantity": 1}]
        )
    assert not BillOfMaterials.objects.exists()


# --- Production orders ---------------------------------------------------------------------


def test_production_order_flow_reserves_consumes_and_produces(ops, bom, stocked, stock, emitted):
    order = services.create_production(actor=ops, bom=bom, quantity=3)
    assert order.number == f"WH/MO/{order.pk:05d}"
    assert order.state == ProductionOrder.State.DRAFT
    assert [(line.product.sku, line.quantity) for line in order.lines.all()] == [
        ("LEG", Decimal("12.000")),
        ("TOP", Decimal("3.000")),
        ("SCREW", Decimal("24.000")),
    ]
    order = services.confirm_production(actor=ops, order=order)
    assert order.state == ProductionOrder.State.CONFIRMED
    assert level(stocked["leg"], stock).reserved == Decimal("12.000")
    assert level(stocked["screw"], stock).reserved == Decimal("24.000")
    assert queries.reserved_from_deliveries()[(stocked["leg"].pk, stock.pk)] == Decimal("12.000")

    order = services.finish_production(actor=ops, order=order)
    assert order.state == ProductionOrder.State.DONE
    assert level(stocked["leg"], stock).on_hand == Decimal("28.000")
    assert level(stocked["leg"], stock).reserved == Decimal("0.000")
    assert level(stocked["top"], stock).on_hand == Decimal("7.000")
    assert level(stocked["screw"], stock).on_hand == Decimal("76.000")
    assert level(stocked["table"], stock).on_hand == Decimal("3.000")
    moves = StockMove.objects.filter(production=order)
    assert moves.count() == 4
    assert set(moves.values_list("reason", flat=True)) == {StockMove.Reason.PRODUCTION}
    types = [t for t, _p in emitted()]
    assert types == ["inventory.production.confirmed", "inventory.production.done"]
    done = emitted()[-1][1]
    assert done["number"] == order.number
    assert done["quantity"] == "3.000"
    assert len(done["components"]) == 3


def test_cost_roll_up_is_exact_and_feeds_the_moving_average(ops, bom, stocked, stock):
    # components: 12 × 10.00 + 3 × 33.33 + 24 × 0.37 = 120.00 + 99.99 + 8.88 = 228.87
    order = services.create_production(actor=ops, bom=bom, quantity=3)
    services.confirm_production(actor=ops, order=order)
    order = services.finish_production(actor=ops, order=order)
    assert order.value == Decimal("228.87")
    assert order.unit_cost == Decimal("76.2900")
    out = StockMove.objects.get(production=order, product=stocked["table"])
    assert out.value == Decimal("228.87")
    consumed = StockMove.objects.filter(production=order).exclude(product=stocked["table"])
    assert consumed.aggregate(total=Sum("value"))["total"] == Decimal("228.87")
    assert ProductCost.objects.get(product=stocked["table"]).average_cost == Decimal("76.2900")

    # a second run of 7 at the same component costs: average stays exact over 10 tables
    second = services.create_production(actor=ops, bom=bom, quantity=2)
    services.confirm_production(actor=ops, order=second)
    second = services.finish_production(actor=ops, order=second)
    assert second.value == Decimal("152.58")
    assert ProductCost.objects.get(product=stocked["table"]).average_cost == Decimal("76.2900")


def test_cost_roll_up_with_an_uneven_division(ops, parts, put):
    put(parts["top"], 10)
    bom = services.create_bom(
        actor=ops,
        product=parts["table"],
        quantity=3,
        lines=[{"product": parts["top"].pk, "quantity": 1}],
    )
    order = services.create_production(actor=ops, bom=bom, quantity=3)
    services.confirm_production(actor=ops, order=order)
    order = services.finish_production(actor=ops, order=order)
    assert order.value == Decimal("33.33")  # exactly what was consumed, no rounding loss
    assert order.unit_cost == Decimal("11.1100")


def test_shortage_is_refused_and_writes_nothing(ops, bom, parts, put, stock, emitted):
    put(parts["leg"], 40)
    put(parts["top"], 1)  # 3 needed
    put(parts["screw"], 100)
    order = services.create_production(actor=ops, bom=bom, quantity=3)
    services.confirm_production(actor=ops, order=order)
    assert level(parts["top"], stock).reserved == Decimal("1.000")  # what stock allows
    moves_before = StockMove.objects.count()
    events_before = len(emitted())
    with pytest.raises(services.InsufficientStock) as error:
        services.finish_production(actor=ops, order=order)
    assert str(error.value) == "There is not enough TOP at HOVED/LAGER: 2.000 pcs missing."
    assert StockMove.objects.count() == moves_before
    assert len(emitted()) == events_before
    order.refresh_from_db()
    assert order.state == ProductionOrder.State.CONFIRMED
    assert level(parts["top"], stock).on_hand == Decimal("1.000")
    assert level(parts["top"], stock).reserved == Decimal("1.000")
    assert not StockLevel.objects.filter(product=parts["table"], on_hand__gt=0).exists()


def test_shortage_is_allowed_where_negative_stock_is(ops, bom, parts, stock):
    stock.allow_negative = True
    stock.save()
    order = services.create_production(actor=ops, bom=bom, quantity=1)
    services.confirm_production(actor=ops, order=order)
    services.finish_production(actor=ops, order=order)
    assert level(parts["leg"], stock).on_hand == Decimal("-4.000")
    assert level(parts["table"], stock).on_hand == Decimal("1.000")


def test_cancel_releases_reservations(ops, bom, stocked, stock, emitted):
    order = services.create_production(actor=ops, bom=bom, quantity=2)
    services.confirm_production(actor=ops, order=order)
    order = services.cancel_production(actor=ops, order=order)
    assert order.state == ProductionOrder.State.CANCELLED
    assert level(stocked["leg"], stock).reserved == Decimal("0.000")
    assert emitted()[-1][0] == "inventory.production.cancelled"
    with pytest.raises(Conflict):
        services.cancel_production(actor=ops, order=order)
    with pytest.raises(Conflict):
        services.finish_production(actor=ops, order=order)


def test_draft_cannot_be_done(ops, bom, stocked):
    order = services.create_production(actor=ops, bom=bom, quantity=1)
    with pytest.raises(Conflict) as error:
        services.finish_production(actor=ops, order=order)
    assert str(error.value) == "Only a confirmed production order can be done."


def test_ledger_nets_to_zero_within_stock(ops, bom, stocked):
    from samspill.accounting import services as accounting

    accounting.load_chart(actor=None)
    accounting.open_fiscal_year(actor=None, start=date(timezone.localdate().year, 1, 1))
    entries = JournalEntry.objects.count()
    stock_before = balance("1460")
    order = services.create_production(actor=ops, bom=bom, quantity=3)
    services.confirm_production(actor=ops, order=order)
    services.finish_production(actor=ops, order=order)
    assert JournalEntry.objects.count() == entries  # 1460 out and in: nothing to book
    assert balance("1460") == stock_before
    assert balance("4300") == Decimal(0)


# --- API ------------------------------------------------------------------------------------


def test_production_over_the_api(api, ops, sales, parts, stocked, stock):
    client = api(ops)
    created = client.post(
        "/api/v1/inventory/boms",
        {
            "product_id": parts["table"].pk,
            "quantity": "1",
            "lines": [
                {"product_id": parts["leg"].pk, "quantity": "4"},
                {"product_id": parts["top"].pk, "quantity": "1", "unit": "pcs"},
            ],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    bom_id = created.json()["id"]
    assert [line["sku"] for line in created.json()["lines"]] == ["LEG", "TOP"]
    order = client.post(
        "/api/v1/inventory/productions",
        {"bom_id": bom_id, "quantity": "2"},
        content_type="application/json",
    )
    assert order.status_code == 201, order.content
    body = order.json()
    assert body["state"] == "draft" and body["number"] == f"WH/MO/{body['id']:05d}"
    confirmed = client.post(f"/api/v1/inventory/productions/{body['id']}/confirm").json()
    assert confirmed["state"] == "confirmed"
    assert [Decimal(line["reserved"]) for line in confirmed["lines"]] == [8, 2]
    forbidden = api(sales).post(f"/api/v1/inventory/productions/{body['id']}/done")
    assert forbidden.status_code == 403
    done = client.post(f"/api/v1/inventory/productions/{body['id']}/done").json()
    assert done["state"] == "done"
    assert Decimal(done["value"]) == Decimal("146.66")  # 8 × 10.00 + 2 × 33.33
    listing = client.get("/api/v1/inventory/productions?state=done").json()
    assert listing["count"] == 1 and listing["items"][0]["sku"] == "TABLE"
    assert client.get("/api/v1/inventory/boms").json()["count"] == 1


def test_api_bad_bom_is_422_and_shortage_409_writing_nothing(api, ops, parts, bom, stock):
    client = api(ops)
    bad = client.post(
        "/api/v1/inventory/boms",
        {"product_id": parts["leg"].pk, "lines": [{"product_id": parts["leg"].pk, "quantity": 1}]},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad["Content-Type"].startswith("application/problem+json")
    assert bad.json()["errors"] == {
        "lines.0.product": ["A product cannot be a component of itself."]
    }
    assert BillOfMaterials.objects.count() == 1
    order = services.create_production(actor=ops, bom=bom, quantity=1)
    services.confirm_production(actor=ops, order=order)
    short = client.post(f"/api/v1/inventory/productions/{order.pk}/done")
    assert short.status_code == 409
    assert short.json()["code"] == "insufficient_stock"
    assert not StockMove.objects.filter(production=order).exists()
    assert client.get("/api/v1/inventory/productions/999999").status_code == 404


# --- Pages ----------------------------------------------------------------------------------


def test_bom_form_and_list(login, ops, parts):
    from django.urls import reverse

    client = login(ops)
    assert client.get(reverse("inventory:bom_create")).status_code == 200
    bad = client.post(
        reverse("inventory:bom_create"),
        {"sku": "TABLE", "quantity": "1", "sku_0": "TABLE", "qty_0": "1"},
    )
    assert bad.status_code == 422
    assert "A product cannot be a component of itself." in bad.text
    assert not BillOfMaterials.objects.exists()
    response = client.post(
        reverse("inventory:bom_create"),
        {"sku": "TABLE", "quantity": "1", "sku_0": "LEG", "qty_0": "4", "unit_0": "pcs"},
    )
    assert response.status_code == 302
    page = client.get(reverse("inventory:bom_list"))
    assert "LEG × 4 pcs" in page.text
    export = client.get(reverse("inventory:bom_list") + "?_export=csv")
    assert "TABLE" in export.content.decode()


def test_production_pages_confirm_done_and_shortage(login, ops, sales, bom, parts, put, stock):
    from django.urls import reverse

    client = login(ops)
    assert (
        bom.product.sku
        in client.get(reverse("inventory:production_create") + f"?bom={bom.pk}").text
    )
    created = client.post(
        reverse("inventory:production_create"),
        {"bom": bom.pk, "quantity": "1", "warehouse": "HOVED"},
    )
    assert created.status_code == 302
    order = ProductionOrder.objects.get()
    url = reverse("inventory:production_detail", args=[order.pk])
    assert created.url == url
    assert client.post(url, {"action": "confirm"}).status_code == 302
    short = client.post(url, {"action": "done"})
    assert short.status_code == 422
    assert "There is not enough LEG at HOVED/LAGER: 4.000 pcs missing." in short.text
    assert not StockMove.objects.filter(production=order).exists()
    put(parts["leg"], 4)
    put(parts["top"], 1)
    put(parts["screw"], 8)
    assert client.post(url, {"action": "done"}).status_code == 302
    order.refresh_from_db()
    assert order.state == ProductionOrder.State.DONE
    assert login(sales).post(url, {"action": "cancel"}).status_code == 403
    listing = client.get(reverse("inventory:production_list") + "?state=done")
    assert order.number in listing.text


def test_production_list_has_a_fixed_number_of_queries(
    login, ops, bom, stocked, django_assert_max_num_queries
):
    from django.urls import reverse

    for quantity in (1, 2, 3):
        order = services.create_production(actor=ops, bom=bom, quantity=quantity)
        services.confirm_production(actor=ops, order=order)
    client = login(ops)
    client.get(reverse("inventory:production_list"))
    with django_assert_max_num_queries(12) as captured:
        client.get(reverse("inventory:production_list"))
    few = len(captured)
    for quantity in (4, 5, 6, 7):
        services.create_production(actor=ops, bom=bom, quantity=quantity)
    with django_assert_max_num_queries(few):
        response = client.get(reverse("inventory:production_list"))
    assert response.text.count("WH/MO/") >= 7
    client.get(reverse("inventory:bom_list"))
    with django_assert_max_num_queries(12):
        client.get(reverse("inventory:bom_list"))


def test_global_search_finds_production_orders(ops, sales, bom):
    from samspill.inventory.search import search_hits

    order = services.create_production(actor=ops, bom=bom, quantity=1)
    hits = search_hits(ops, order.number, 10)
    assert [(hit.title, hit.url) for hit in hits] == [(order.number, order.get_absolute_url())]
    assert order.number in [hit.title for hit in search_hits(sales, "WH/MO", 10)]


def test_norwegian_messages(ops, parts):
    from django.utils import translation

    with translation.override("nb"), pytest.raises(ValidationFailed) as error:
        services.create_bom(
            actor=ops, product=parts["table"], lines=[{"product": parts["table"].pk, "quantity": 1}]
        )
    assert str(error.value.message) == "En vare kan ikke være komponent i seg selv."
