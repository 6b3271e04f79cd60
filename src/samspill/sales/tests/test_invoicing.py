"""Orders invoiced through accounting: on confirmation (policy "on order"), per delivery
(policy "on delivery"), by the "Create invoice" action, and left as a draft with a note when
posting is refused; payments allocated to the order's invoices count as paid on the order."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from samspill.accounting.models import Invoice
from samspill.sales import services
from samspill.sales.models import Order
from samspill.sales.tests.test_handlers import _emit

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def books(db):
    from samspill.accounting import services as accounting
    from samspill.localization.no import services as localization

    localization.load_vat_codes(actor=None)
    accounting.load_chart(actor=None)
    return accounting.open_fiscal_year(actor=None, start=date(timezone.localdate().year, 1, 1))


def test_order_policy_invoices_on_confirmation_and_payment_marks_it_paid(
    books, seller, customer, quote_lines, run_tasks
):
    from samspill.accounting import services as accounting

    order = services.create_order(actor=seller, party=customer, lines=quote_lines)
    services.confirm_order(order, actor=seller)
    run_tasks()
    invoice = Invoice.objects.get(order_id=order.pk)
    assert invoice.state == "posted" and invoice.order_number == order.number
    assert invoice.total == order.total
    assert sorted(invoice.lines.values_list("order_line_id", flat=True)) == sorted(
        order.lines.values_list("pk", flat=True)
    )
    order.refresh_from_db()
    assert (order.invoice_status, order.invoiced_amount) == ("full", order.total)
    assert services.invoiceable(order) == []
    accounting.register_payment(actor=None, party=customer, amount=order.total)
    run_tasks()
    order.refresh_from_db()
    assert (order.payment_status, order.paid_amount) == ("full", order.total)


def test_delivery_policy_invoices_what_was_delivered(
    books, seller, customer, quote_lines, run_tasks
):
    order = services.create_order(
        actor=seller, party=customer, lines=quote_lines, invoicing_policy="delivery"
    )
    services.confirm_order(order, actor=seller)
    run_tasks()
    assert not Invoice.objects.exists()
    mug, coffee, course = order.lines.order_by("position")
    _emit(
        "inventory.delivery.done",
        {"delivery_id": 1, "order_id": order.pk, "party_id": order.party_id,
         "lines": [{"order_line_id": mug.pk, "quantity": "2"}]},
    )  # fmt: skip
    run_tasks()
    first = Invoice.objects.get(order_id=order.pk)
    assert sorted((line.order_line_id, line.quantity) for line in first.lines.all()) == sorted(
        [(mug.pk, D("2.000")), (course.pk, D("1.000"))]
    )
    _emit(
        "inventory.delivery.done",
        {"delivery_id": 2, "order_id": order.pk, "party_id": order.party_id,
         "lines": [{"order_line_id": mug.pk, "quantity": "1"},
                   {"order_line_id": coffee.pk, "quantity": "2.5"}]},
    )  # fmt: skip
    run_tasks()
    second = Invoice.objects.filter(order_id=order.pk).exclude(pk=first.pk).get()
    assert sorted((line.order_line_id, line.quantity) for line in second.lines.all()) == sorted(
        [(mug.pk, D("1.000")), (coffee.pk, D("2.500"))]
    )
    order.refresh_from_db()
    assert order.invoice_status == "full"
    assert order.invoiced_amount == first.total + second.total == order.total


def test_refused_posting_leaves_a_draft_and_a_note(books, seller, customer, quote_lines, run_tasks):
    from samspill.accounting import services as accounting
    from samspill.accounting.models import Period

    period = Period.objects.get(start__lte=timezone.localdate(), end__gte=timezone.localdate())
    accounting.close_period(period, actor=None)
    order = services.create_order(actor=seller, party=customer, lines=quote_lines)
    services.confirm_order(order, actor=seller)
    run_tasks()
    invoice = Invoice.objects.get(order_id=order.pk)
    assert invoice.state == "draft" and invoice.number is None
    order.refresh_from_db()
    assert order.invoice_note.startswith("Invoice draft left unposted: Period ")
    assert order.invoice_status == "nothing"


def test_create_invoice_action(books, customer, quote_lines, login, make_user, run_tasks):
    manager = make_user("sales", "finance")
    order = services.create_order(
        actor=manager, party=customer, lines=quote_lines, invoicing_policy="delivery"
    )
    services.confirm_order(order, actor=manager)
    run_tasks()
    client = login(manager)
    page = client.get(order.get_absolute_url()).content.decode()
    action = f'action="/sales/orders/{order.pk}/invoice/"'
    assert action not in page  # nothing delivered yet
    Order.objects.filter(pk=order.pk).update(invoicing_policy="order")
    page = client.get(order.get_absolute_url()).content.decode()
    assert action in page
    response = client.post(f"/sales/orders/{order.pk}/invoice/")
    assert response.status_code == 302
    invoice = Invoice.objects.get(order_id=order.pk)
    assert invoice.state == "posted"
    seller_only = login(make_user("sales"))
    assert seller_only.post(f"/sales/orders/{order.pk}/invoice/").status_code == 403


def test_an_order_invoiced_in_full_elsewhere_is_not_invoiced_again(
    books, seller, customer, quote_lines, run_tasks
):
    order = services.create_order(actor=seller, party=customer, lines=quote_lines)
    services.record_invoice(order.pk, order.total)  # e.g. invoiced in the old system
    services.confirm_order(Order.objects.get(pk=order.pk), actor=seller)
    run_tasks()
    assert not Invoice.objects.exists()
    assert services.invoiceable(Order.objects.get(pk=order.pk)) == []
