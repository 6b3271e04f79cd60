from decimal import Decimal

import pytest
from django.core import mail
from django.test import override_settings

from samspill.inventory import queries as inventory_queries
from samspill.inventory import services as inventory
from samspill.inventory.models import Receipt, StockLevel, StockMove
from samspill.platform.errors import Conflict, PermissionDenied, ValidationFailed
from samspill.purchasing import queries, services
from samspill.purchasing.models import PurchaseOrder, PurchaseOrderLine

pytestmark = pytest.mark.django_db


def _receive(buyer, order, quantities, run_tasks, lots=None):
    """Receive {sku: quantity} against the order's receipt and deliver the events."""
    receipt = Receipt.objects.get(order_id=order.pk)
    lines = {line.product.sku: line for line in inventory_queries.receipt_lines(receipt)}
    inventory.receive(
        actor=buyer,
        receipt=receipt,
        lines=[
            {"line_id": lines[sku].pk, "quantity": qty, "lot": (lots or {}).get(sku, "")}
            for sku, qty in quantities.items()
        ],
    )
    run_tasks()
    return PurchaseOrder.objects.get(pk=order.pk)


def lines_description(order):
    return order.lines.order_by("position").first().description


def test_create_prices_lines_at_cost_with_vat_from_the_category(make_order, emitted):
    order = make_order()
    assert order.number.startswith("PO-") and order.number.endswith("-00001")
    assert order.status == "draft"
    lines = list(order.lines.order_by("position"))
    assert [(line.sku, line.unit_price, line.vat_rate, line.net_amount) for line in lines] == [
        ("MUG-1", Decimal("40.00"), Decimal("25.00"), Decimal("400.00")),
        ("COF-1", Decimal("75.50"), Decimal("15.00"), Decimal("302.00")),
    ]
    assert order.net_total == Decimal("702.00")
    assert order.vat_total == Decimal("145.30")  # 100.00 + 45.30
    assert order.total == Decimal("847.30")
    assert [t for t, _p in emitted()] == ["purchasing.order.created"]


def test_numbers_are_gapless_and_a_failed_create_takes_none(make_order, buyer, supplier):
    first = make_order()
    with pytest.raises(ValidationFailed) as exc:
        services.create_order(
            actor=buyer, party=supplier, lines=[{"product_id": 999999, "quantity": "1"}]
        )
    assert exc.value.errors == {"lines.0.product": ["Choose a product."]}
    second = make_order()
    assert int(second.number[-5:]) == int(first.number[-5:]) + 1


def test_a_party_that_is_not_a_supplier_is_refused_and_nothing_is_written(buyer, products):
    from samspill.parties.tests.factories import OrganizationFactory

    customer = OrganizationFactory(name="Bare Kunde AS", is_supplier=False)
    with pytest.raises(ValidationFailed) as exc:
        services.create_order(
            actor=buyer, party=customer, lines=[{"product_id": products["mug"].pk, "quantity": "1"}]
        )
    assert exc.value.errors["party"] == [
        "Bare Kunde AS is not a supplier. Give the party the supplier role first."
    ]
    assert PurchaseOrder.objects.count() == 0


def test_sales_may_not_create(make_user, supplier, products):
    with pytest.raises(PermissionDenied):
        services.create_order(
            actor=make_user("sales"),
            party=supplier,
            lines=[{"product_id": products["mug"].pk, "quantity": "1"}],
        )


def test_send_mails_the_pdf_in_the_suppliers_language(make_order, buyer, emitted):
    order = make_order(language="en")
    services.send_order(order, actor=buyer, message="Quick, please.")
    order.refresh_from_db()
    assert order.status == "sent"
    assert order.sent_to == "ordre@grossist.no"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == f"Request for quotation {order.number}"
    assert "Quick, please." in message.body
    name, content, mimetype = message.attachments[0]
    assert (name, mimetype) == (f"{order.number}.pdf", "application/pdf")
    assert content.startswith(b"%PDF")
    from lxml import html as lxml_html

    page = lxml_html.fromstring(services.order_html(order))
    assert page.findtext(".//h1").strip() == f"Request for quotation {order.number}"
    assert [td.text_content().strip() for td in page.xpath("//tbody/tr[1]/td")][:3] == [
        "MUG-1",
        lines_description(order),
        "10",
    ]
    assert page.xpath("//tr[@class='total']/td")[-1].text_content().strip() == "847.30"
    assert "purchasing.order.sent" in [t for t, _p in emitted()]


def test_the_pdf_is_norwegian_for_a_norwegian_supplier(make_order):
    order = make_order(language="nb")
    html = services.order_html(order)
    assert f"Forespørsel om tilbud {order.number}" in html


def test_confirm_creates_a_receipt_for_the_goods(make_order, buyer, emitted, products):
    order = make_order(
        lines=[
            {"product_id": products["mug"].pk, "quantity": "10"},
            {"product_id": products["freight"].pk, "quantity": "1"},
        ]
    )
    order = services.confirm_order(order, actor=buyer)
    assert order.status == "confirmed"
    receipt = Receipt.objects.get(order_id=order.pk)
    assert receipt.number == f"WH/IN/{receipt.pk:05d}"
    assert receipt.state == "expected"
    assert [(line.product_id, line.quantity) for line in receipt.lines.all()] == [
        (products["mug"].pk, Decimal("10.000"))
    ]
    types = [t for t, _p in emitted()]
    assert types[-2:] == ["inventory.receipt.created", "purchasing.order.confirmed"]
    with pytest.raises(Conflict):
        services.confirm_order(order, actor=buyer)
    with pytest.raises(Conflict):
        services.update_order(order, actor=buyer, notes="too late")


def test_partial_then_full_receipt_moves_stock_and_updates_the_order(
    make_order, buyer, run_tasks, warehouse, products, emitted
):
    order = make_order(confirm=True)
    order = _receive(buyer, order, {"MUG-1": "6"}, run_tasks)
    assert order.status == "partial"
    mug = PurchaseOrderLine.objects.get(order=order, sku="MUG-1")
    assert mug.received_quantity == Decimal("6.000")
    level = StockLevel.objects.get(product=products["mug"], location=warehouse.stock_location)
    assert level.on_hand == Decimal("6.000")
    move = StockMove.objects.get(product=products["mug"])
    assert (move.from_location.kind, move.reason, move.receipt.order_id) == (
        "supplier",
        "receipt",
        order.pk,
    )
    order = _receive(buyer, order, {"MUG-1": "4", "COF-1": "4"}, run_tasks)
    assert order.status == "received"
    assert Receipt.objects.get(order_id=order.pk).state == "done"
    received = [p for t, p in emitted() if t == "purchasing.order.received"]
    assert [p["status"] for p in received] == ["partial", "received"]
    assert queries.billing_lines(order.pk)[0]["received_quantity"] == Decimal("10.000")


def test_the_handler_runs_once_per_event(make_order, buyer, run_tasks):
    from samspill.platform.models import OutboxEvent

    order = make_order(confirm=True)
    order = _receive(buyer, order, {"MUG-1": "2"}, run_tasks)
    event = OutboxEvent.objects.get(type="inventory.receipt.done")
    OutboxEvent.objects.filter(pk=event.pk).update(status="pending", attempts=0)
    run_tasks()
    assert PurchaseOrderLine.objects.get(order=order, sku="MUG-1").received_quantity == Decimal(
        "2.000"
    )


def test_receiving_more_than_ordered_is_refused_and_nothing_moves(make_order, buyer, run_tasks):
    order = make_order(confirm=True)
    with pytest.raises(ValidationFailed) as exc:
        _receive(buyer, order, {"MUG-1": "11"}, run_tasks)
    assert exc.value.code == "over_receipt"
    assert exc.value.errors == {
        "lines.0.quantity": [
            "MUG-1: 10 pcs were ordered and 0 have arrived; 11 more is beyond "
            "what may be received (tolerance 0 %)."
        ]
    }
    assert StockMove.objects.count() == 0


@override_settings(
    SAMSPILL={"RECEIPT_TOLERANCE_PERCENT": 10, "PAGE_SIZE": 50, "MAX_PAGE_SIZE": 500}
)
def test_the_tolerance_allows_a_little_more(make_order, buyer, run_tasks):
    order = make_order(confirm=True)
    order = _receive(buyer, order, {"MUG-1": "11"}, run_tasks)
    assert PurchaseOrderLine.objects.get(order=order, sku="MUG-1").received_quantity == Decimal(
        "11"
    )


def test_receiving_against_a_closed_order_is_refused(make_order, buyer, run_tasks):
    order = make_order(confirm=True)
    order = _receive(buyer, order, {"MUG-1": "5"}, run_tasks)
    services.close_order(order, actor=buyer)
    receipt = Receipt.objects.get(order_id=order.pk)
    assert receipt.state == "done"
    with pytest.raises(Conflict) as exc:
        _receive(buyer, order, {"MUG-1": "1"}, run_tasks)
    assert exc.value.code == "receipt_closed"
    assert str(exc.value.message) == (
        f"Receipt {receipt.number} is received: nothing more can be received against "
        f"purchase order {order.number}."
    )


def test_cancel_cancels_the_receipt_and_refuses_once_goods_arrived(
    make_order, buyer, run_tasks, emitted
):
    order = make_order(confirm=True)
    services.cancel_order(order, actor=buyer)
    assert Receipt.objects.get(order_id=order.pk).state == "cancelled"
    assert [t for t, _p in emitted()][-2:] == [
        "inventory.receipt.cancelled",
        "purchasing.order.cancelled",
    ]
    with pytest.raises(Conflict) as exc:
        _receive(buyer, order, {"MUG-1": "1"}, run_tasks)
    assert exc.value.code == "receipt_closed"

    other = make_order(confirm=True)
    other = _receive(buyer, other, {"MUG-1": "1"}, run_tasks)
    with pytest.raises(Conflict) as exc:
        services.cancel_order(other, actor=buyer)
    assert "close it instead" in str(exc.value.message)


def test_tracked_products_need_a_lot_on_arrival(make_order, buyer, run_tasks, products):
    inventory.set_tracking(actor=buyer, product=products["mug"], tracking="lot")
    order = make_order(confirm=True)
    with pytest.raises(ValidationFailed) as exc:
        _receive(buyer, order, {"MUG-1": "3"}, run_tasks)
    assert exc.value.errors == {"lines.0.lot": ["Enter the lot of MUG-1."]}
    _receive(buyer, order, {"MUG-1": "3"}, run_tasks, lots={"MUG-1": "L-2026-01"})
    assert StockMove.objects.get(product=products["mug"]).lot.name == "L-2026-01"


def test_arrival_reserves_stock_for_waiting_deliveries(make_order, buyer, run_tasks, products):
    from samspill.parties.tests.factories import OrganizationFactory

    customer = OrganizationFactory(name="Kunde AS")
    delivery = inventory.create_delivery_for_order(
        {
            "order_id": 77,
            "number": "SO-2026-00077",
            "party_id": customer.pk,
            "lines": [
                {
                    "line_id": 1,
                    "product_id": products["mug"].pk,
                    "quantity": "5",
                    "unit": "pcs",
                    "product_type": "goods",
                }
            ],
        },
        actor=buyer,
    )
    assert delivery.state == "waiting"
    order = make_order(confirm=True)
    _receive(buyer, order, {"MUG-1": "8"}, run_tasks)
    delivery.refresh_from_db()
    assert delivery.state == "ready"
    assert delivery.lines.get().reserved == Decimal("5.000")


def test_history_and_figures(make_order, buyer, supplier, products):
    make_order(confirm=True)
    make_order()
    rows = queries.line_list(buyer).filter(product=products["mug"])
    assert rows.count() == 2
    figures = queries.party_figures(supplier)
    assert figures["open_orders"] == 2
    assert figures["orders_this_year"] == 1
    assert figures["orders_this_year_value"] == Decimal("702.00")
    assert queries.outstanding([products["mug"].pk]) == {products["mug"].pk: Decimal("10.000")}
