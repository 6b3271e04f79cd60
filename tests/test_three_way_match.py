"""Across purchasing, inventory and accounting: a supplier bill for a purchase order.
Goods ordered and partly received; "Register supplier bill" prefills what was received and
not billed; approving it clears 2985 (goods received not invoiced) without booking the cost
of goods twice; purchasing counts the billed quantities; a bill beyond what was received or
at another price than ordered is refused unless approved with a reason."""

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone, translation

pytestmark = pytest.mark.django_db
D = Decimal


def _balance(number: str) -> Decimal:
    from samspill.accounting.models import JournalLine

    row = JournalLine.objects.filter(account__number=number).aggregate(
        debit=Sum("debit"), credit=Sum("credit")
    )
    return (row["debit"] or D(0)) - (row["credit"] or D(0))


@pytest.fixture(autouse=True)
def english(settings):
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def received_order(make_user, run_tasks):
    from samspill.accounting import services as accounting
    from samspill.catalog.tests.factories import ProductFactory
    from samspill.inventory import queries as inventory_queries
    from samspill.inventory import services as inventory
    from samspill.localization.no import services as localization
    from samspill.parties.tests.factories import OrganizationFactory
    from samspill.purchasing import services as purchasing

    localization.load_vat_codes(actor=None)
    accounting.load_chart(actor=None)
    accounting.open_fiscal_year(actor=None, start=date(timezone.localdate().year, 1, 1))
    inventory.ensure_setup()
    buyer = make_user("operations")
    supplier = OrganizationFactory(name="Grossist AS", is_supplier=True)
    lamp = ProductFactory(sku="LAMP-1", sales_price=D("199.00"), cost_price=D("80"))
    order = purchasing.create_order(
        actor=buyer,
        party=supplier,
        lines=[{"product_id": lamp.pk, "quantity": "10", "unit_price": "80"}],
    )
    purchasing.confirm_order(order, actor=buyer)
    receipt = inventory_queries.receipts_for_order(order.pk)[0]
    line = receipt.lines.get()
    inventory.receive(actor=buyer, receipt=receipt, lines=[{"line_id": line.pk, "quantity": "6"}])
    run_tasks()
    return order


def test_bill_from_purchase_order_clears_goods_received(
    received_order, make_user, login, run_tasks
):
    from samspill.accounting.services import bills
    from samspill.platform.errors import Conflict

    order = received_order
    assert _balance("2985") == D("-480.00")
    clerk, boss = make_user("finance"), make_user("management")
    # The purchase order page offers to register the bill; the form is prefilled.
    client = login(clerk)
    page = client.get(f"/purchasing/orders/{order.pk}/").content.decode()
    assert f"/accounting/bills/new/?purchase_order={order.pk}" in page
    form = client.get(f"/accounting/bills/new/?purchase_order={order.pk}").content.decode()
    assert order.number in form
    translation.activate("en")  # the pages spoke the user's Norwegian
    header, lines = bills.lines_from_purchase_order(order.pk)
    assert header["party"] == order.party_id
    assert [(line["quantity"], line["unit_price"]) for line in lines] == [(D("6.000"), D("80.00"))]

    bill = bills.create_bill(
        actor=clerk, lines=lines, supplier_number="G-500", submit=True, **header
    )
    assert bill.lines.get().account.number == "2985"
    [row] = bills.three_way_match(bill)
    assert (row["ordered"], row["received"], row["billed"], row["problems"]) == (
        D("10.000"),
        D("6.000"),
        D("6.000"),
        [],
    )
    bills.approve_bill(bill, actor=boss)
    run_tasks()
    assert _balance("2985") == D("0.00")
    assert _balance("4300") == D("0.00")  # the cost of goods comes with the delivery only
    assert _balance("2710") == D("120.00")
    assert _balance("2400") == D("-600.00")
    order.lines.get().refresh_from_db()
    assert order.lines.get().billed_quantity == D("6.000")
    assert bills.lines_from_purchase_order(order.pk)[1] == []

    # Billing more than received, or at another price: refused without a reason.
    more = bills.create_bill(
        actor=clerk,
        lines=[{**lines[0], "quantity": "2"}],
        supplier_number="G-501",
        submit=True,
        **header,
    )
    with pytest.raises(Conflict) as exc:
        bills.approve_bill(more, actor=boss)
    assert "more than received" in str(exc.value.message)
    dearer = bills.create_bill(
        actor=clerk,
        lines=[{**lines[0], "quantity": "1", "unit_price": "90"}],
        supplier_number="G-502",
        submit=True,
        **header,
    )
    with pytest.raises(Conflict) as exc:
        bills.approve_bill(dearer, actor=boss)
    assert "differs from the order's 80.00" in str(exc.value.message)
    # Approved with a reason: the price difference stays on 4300, 2985 at the order price.
    bills.approve_bill(dearer, actor=boss, override_reason="Fraktkostnad avtalt på telefon")
    dearer.refresh_from_db()
    assert dearer.override_reason.startswith("Fraktkostnad")
    assert _balance("2985") == D("80.00")  # one lamp billed that has not arrived yet
    assert _balance("4300") == D("10.00")
    run_tasks()
    assert order.lines.get().billed_quantity == D("7.000")
    detail = client.get(f"/accounting/bills/{more.pk}/").content.decode()
    assert "three-way-match" in detail and "mer enn mottatt" in detail  # nb user
