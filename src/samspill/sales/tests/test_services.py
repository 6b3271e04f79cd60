from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from samspill.catalog.tests.factories import PriceListFactory, PriceListItemFactory
from samspill.platform.errors import PermissionDenied, ValidationFailed
from samspill.sales import services
from samspill.sales.models import Order, OrderLine, Quote, QuoteLine

pytestmark = pytest.mark.django_db


def test_create_quote_prices_lines_and_totals(seller, customer, quote_lines, emitted):
    quote = services.create_quote(actor=seller, party=customer, lines=quote_lines)

    assert quote.number == f"Q-{timezone.localdate().year}-00001"
    assert quote.status == Quote.Status.DRAFT
    lines = list(quote.lines.order_by("position"))
    assert [(line.sku, line.unit_price, line.net_amount, line.vat_amount) for line in lines] == [
        ("MUG-1", Decimal("99.90"), Decimal("299.70"), Decimal("74.93")),
        ("COF-1", Decimal("149.00"), Decimal("372.50"), Decimal("55.88")),
        ("EDU-1", Decimal("1000.00"), Decimal("1000.00"), Decimal("0.00")),
    ]
    assert lines[2].vat_rate is None
    assert quote.net_total == Decimal("1672.20")
    # VAT per rate: 299.70 × 25 % = 74.925 -> 74.93; 372.50 × 15 % = 55.875 -> 55.88
    assert quote.vat_total == Decimal("130.81")
    assert quote.total == Decimal("1803.01")
    assert quote.valid_until == quote.issue_date + timedelta(days=30)
    assert [t for t, _ in emitted()] == ["sales.quote.created"]


def test_vat_is_rounded_per_rate_not_summed_from_lines(seller, customer, products):
    # two lines of 0.10 at 25 %: each line's VAT rounds to 0.03, the rate's VAT is 0.05
    products["mug"].sales_price = Decimal("0.10")
    products["mug"].save()
    quote = services.create_quote(
        actor=seller,
        party=customer,
        lines=[{"product_id": products["mug"].pk, "quantity": "1"}] * 2,
    )
    assert [line.vat_amount for line in quote.lines.all()] == [Decimal("0.03")] * 2
    assert quote.vat_total == Decimal("0.05")
    assert quote.total == Decimal("0.25")


def test_price_list_quantity_break_applies(seller, customer, products):
    price_list = PriceListFactory()
    PriceListItemFactory(
        price_list=price_list,
        product=products["mug"],
        min_quantity=Decimal("10"),
        unit_price=Decimal("80.00"),
    )
    quote = services.create_quote(
        actor=seller,
        party=customer,
        price_list=price_list,
        lines=[
            {"product_id": products["mug"].pk, "quantity": "12"},
            {"product_id": products["mug"].pk, "quantity": "2"},
        ],
    )
    assert [line.unit_price for line in quote.lines.order_by("position")] == [
        Decimal("80.00"),
        Decimal("99.90"),
    ]


def test_people_without_a_sales_role_cannot_make_quotes(make_user, customer, products):
    clerk = make_user("service")  # may view, not sell
    with pytest.raises(PermissionDenied):
        services.create_quote(
            actor=clerk, party=customer, lines=[{"product_id": products["mug"].pk, "quantity": 1}]
        )
    assert not Quote.objects.exists()


def test_price_and_discount_need_the_price_permission(make_user, customer, products):
    from django.contrib.auth.models import Group, Permission

    junior = make_user()
    group = Group.objects.create(name="junior sales")
    group.permissions.set(Permission.objects.filter(codename__in=["add_quote", "view_quote"]))
    junior.groups.add(group)
    with pytest.raises(ValidationFailed) as caught:
        services.create_quote(
            actor=junior,
            party=customer,
            lines=[
                {"product_id": products["mug"].pk, "quantity": "1", "unit_price": "50"},
                {"product_id": products["mug"].pk, "quantity": "1", "discount_percent": "10"},
            ],
        )
    assert set(caught.value.errors) == {"lines.0.unit_price", "lines.1.discount_percent"}
    quote = services.create_quote(
        actor=junior,
        party=customer,
        lines=[{"product_id": products["mug"].pk, "quantity": "1", "unit_price": "99.90"}],
    )
    assert quote.lines.get().unit_price == Decimal("99.90")  # the catalog price is fine


def test_discount_is_applied_before_vat(seller, customer, products):
    quote = services.create_quote(
        actor=seller,
        party=customer,
        lines=[
            {
                "product_id": products["mug"].pk,
                "quantity": "1",
                "unit_price": "200",
                "discount_percent": "12.5",
            }
        ],
    )
    line = quote.lines.get()
    assert line.net_amount == Decimal("175.00")
    assert line.vat_amount == Decimal("43.75")


def test_bad_lines_write_nothing_and_name_each_field(seller, customer, products, emitted):
    with pytest.raises(ValidationFailed) as caught:
        services.create_quote(
            actor=seller,
            party=customer,
            lines=[
                {"product_id": 999999, "quantity": "1"},
                {"product_id": products["mug"].pk, "quantity": "-2"},
                {"product_id": products["mug"].pk, "quantity": "1", "discount_percent": "120"},
            ],
        )
    assert set(caught.value.errors) == {
        "lines.0.product",
        "lines.1.quantity",
        "lines.2.discount_percent",
    }
    assert not Quote.objects.exists() and not QuoteLine.objects.exists()
    assert emitted() == []


def test_no_lines_and_no_customer_are_refused(seller):
    with pytest.raises(ValidationFailed) as caught:
        services.create_quote(actor=seller, party=None, lines=[])
    assert set(caught.value.errors) == {"party", "lines"}


def test_numbers_are_gapless_per_year(seller, customer, quote_lines):
    first = services.create_quote(actor=seller, party=customer, lines=quote_lines)
    with pytest.raises(ValidationFailed):
        services.create_quote(actor=seller, party=customer, lines=[])
    second = services.create_quote(actor=seller, party=customer, lines=quote_lines)
    last_year = services.create_quote(
        actor=seller,
        party=customer,
        lines=quote_lines,
        issue_date=timezone.localdate().replace(year=2025, month=6, day=1),
        valid_until=timezone.localdate().replace(year=2025, month=7, day=1),
    )
    year = timezone.localdate().year
    assert [first.number, second.number, last_year.number] == [
        f"Q-{year}-00001",
        f"Q-{year}-00002",
        "Q-2025-00001",
    ]


def test_update_quote_replaces_lines_only_while_draft(seller, customer, quote_lines, products):
    quote = services.create_quote(actor=seller, party=customer, lines=quote_lines)
    quote = services.update_quote(
        quote,
        actor=seller,
        terms="Netto 14 dager",
        lines=[{"product_id": products["mug"].pk, "quantity": "1"}],
    )
    assert quote.terms == "Netto 14 dager"
    assert quote.lines.count() == 1
    assert quote.total == Decimal("124.88")
    services.send_quote(quote, actor=seller)
    with pytest.raises(services.WrongState):
        services.update_quote(quote, actor=seller, terms="x")


def test_send_quote_mails_pdf_and_link(seller, customer, quote_lines, emitted):
    quote = services.create_quote(actor=seller, party=customer, lines=quote_lines)
    quote = services.send_quote(quote, actor=seller, message="Hei!")

    assert quote.status == Quote.Status.SENT
    assert quote.sent_to == "innkjop@fjordkaffe.no"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["innkjop@fjordkaffe.no"]
    assert quote.number in message.subject
    name, content, mimetype = message.attachments[0]
    assert (name, mimetype) == (f"{quote.number}.pdf", "application/pdf")
    assert content.startswith(b"%PDF")
    assert services.quote_token(quote) in message.body
    assert "Hei!" in message.body
    assert [t for t, _ in emitted()][-1] == "sales.quote.sent"


def test_send_without_email_address_is_refused(seller, products):
    from samspill.parties.tests.factories import OrganizationFactory

    party = OrganizationFactory()
    quote = services.create_quote(
        actor=seller, party=party, lines=[{"product_id": products["mug"].pk, "quantity": 1}]
    )
    with pytest.raises(ValidationFailed) as caught:
        services.send_quote(quote, actor=seller)
    assert "to" in caught.value.errors
    quote.refresh_from_db()
    assert quote.status == Quote.Status.DRAFT
    assert mail.outbox == []


def test_quote_document_is_in_the_customers_language(seller, customer, quote_lines):
    norwegian = services.create_quote(actor=seller, party=customer, lines=quote_lines)
    customer.language = "en"
    customer.save()
    english = services.create_quote(actor=seller, party=customer, lines=quote_lines)
    assert (norwegian.language, english.language) == ("nb", "en")
    assert f"Tilbud {norwegian.number}" in services.quote_html(norwegian)
    assert f"Quote {english.number}" in services.quote_html(english)
    assert "3 stykk" in services.quote_html(norwegian)  # units in the customer's language
    assert "3 piece" in services.quote_html(english)
    assert services.render_pdf(english).startswith(b"%PDF")


def _sent(seller, customer, lines):
    quote = services.create_quote(actor=seller, party=customer, lines=lines)
    return services.send_quote(quote, actor=seller)


def test_accept_by_token_creates_confirmed_order(seller, customer, quote_lines, emitted):
    quote = _sent(seller, customer, quote_lines)
    order = services.accept_by_token(services.quote_token(quote))

    quote.refresh_from_db()
    assert quote.status == Quote.Status.ACCEPTED
    assert order.quote_id == quote.pk
    assert order.status == Order.Status.CONFIRMED
    assert order.total == quote.total
    assert order.lines.count() == 3
    events = emitted()
    assert [t for t, _ in events][-3:] == [
        "sales.quote.sent",
        "sales.quote.accepted",
        "sales.order.confirmed",
    ]
    confirmed = events[-1][1]
    assert [line["line_id"] for line in confirmed["lines"]] == list(
        order.lines.order_by("position").values_list("pk", flat=True)
    )
    assert confirmed["number"] == order.number


def test_accepting_twice_is_refused(seller, customer, quote_lines):
    quote = _sent(seller, customer, quote_lines)
    token = services.quote_token(quote)
    services.accept_by_token(token)
    with pytest.raises(services.AlreadyAnswered):
        services.accept_by_token(token)
    with pytest.raises(services.AlreadyAnswered):
        services.decline_by_token(token)
    assert Order.objects.count() == 1


def test_tampered_token_is_refused(seller, customer, quote_lines):
    quote = _sent(seller, customer, quote_lines)
    token = services.quote_token(quote)
    with pytest.raises(services.BadLink):
        services.accept_by_token(token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    with pytest.raises(services.BadLink):
        services.accept_by_token("nonsense")
    quote.refresh_from_db()
    assert quote.status == Quote.Status.SENT


def test_old_link_is_refused(seller, customer, quote_lines, monkeypatch):
    quote = _sent(seller, customer, quote_lines)
    token = services.quote_token(quote)
    import time

    later = time.time() + services.quotes.LINK_MAX_AGE.total_seconds() + 60
    monkeypatch.setattr(time, "time", lambda: later)
    with pytest.raises(services.BadLink) as caught:
        services.accept_by_token(token)
    assert "expired" in str(caught.value.message)


def test_expired_quote_cannot_be_accepted(seller, customer, quote_lines, emitted):
    quote = _sent(seller, customer, quote_lines)
    tomorrow = timezone.localdate() + timedelta(days=31)
    assert services.expire_quotes(today=tomorrow) == 1
    quote.refresh_from_db()
    assert quote.status == Quote.Status.EXPIRED
    assert emitted()[-1][0] == "sales.quote.expired"
    with pytest.raises(services.QuoteExpired):
        services.accept_by_token(services.quote_token(quote))


def test_decline_records_reason(seller, customer, quote_lines, emitted):
    quote = _sent(seller, customer, quote_lines)
    services.decline_by_token(services.quote_token(quote), reason="For dyrt")
    quote.refresh_from_db()
    assert (quote.status, quote.decline_reason) == (Quote.Status.DECLINED, "For dyrt")
    assert emitted()[-1] == (
        "sales.quote.declined",
        {
            "quote_id": quote.pk,
            "number": quote.number,
            "party_id": customer.pk,
            "total": str(quote.total),
            "currency": "NOK",
            "reason": "For dyrt",
        },
    )


# --- Orders ----------------------------------------------------------------------------------


def test_confirm_order_publishes_contract_payload(seller, customer, quote_lines, emitted):
    order = services.create_order(
        actor=seller, party=customer, lines=quote_lines, invoicing_policy="delivery"
    )
    assert order.number == f"SO-{timezone.localdate().year}-00001"
    services.confirm_order(order, actor=seller)
    lines = list(order.lines.order_by("position"))
    event_type, payload = emitted()[-1]
    assert event_type == "sales.order.confirmed"
    assert payload == {
        "order_id": order.pk,
        "number": order.number,
        "party_id": customer.pk,
        "currency": "NOK",
        "invoicing_policy": "delivery",
        "warehouse_code": "",
        "lines": [
            {
                "line_id": lines[0].pk,
                "product_id": lines[0].product_id,
                "sku": "MUG-1",
                "quantity": "3.000",
                "unit": "pcs",
                "product_type": "stockable",
            },
            {
                "line_id": lines[1].pk,
                "product_id": lines[1].product_id,
                "sku": "COF-1",
                "quantity": "2.500",
                "unit": "pcs",
                "product_type": "consumable",
            },
            {
                "line_id": lines[2].pk,
                "product_id": lines[2].product_id,
                "sku": "EDU-1",
                "quantity": "1.000",
                "unit": "pcs",
                "product_type": "service",
            },
        ],
    }
    from samspill.platform.models import OutboxEvent

    row = OutboxEvent.objects.filter(type="sales.order.confirmed").get()
    assert row.subjects == {"party": [str(customer.pk)], "order": [str(order.pk)]}
    with pytest.raises(services.WrongState):
        services.confirm_order(order, actor=seller)


def test_cancel_confirmed_order_without_deliveries(seller, customer, quote_lines, emitted):
    order = services.create_order(actor=seller, party=customer, lines=quote_lines)
    services.confirm_order(order, actor=seller)
    order = services.cancel_order(order, actor=seller)
    assert order.status == Order.Status.CANCELLED
    assert emitted()[-1] == (
        "sales.order.cancelled",
        {"order_id": order.pk, "number": order.number, "party_id": customer.pk},
    )


def _confirmed(seller, customer, lines):
    order = services.create_order(actor=seller, party=customer, lines=lines)
    return services.confirm_order(order, actor=seller)


def test_cancel_after_shipping_is_refused(seller, customer, quote_lines):
    order = _confirmed(seller, customer, quote_lines)
    line = order.lines.order_by("position").first()
    services.record_delivery(order.pk, [{"order_line_id": line.pk, "quantity": "1.000"}])
    with pytest.raises(services.CannotCancel) as caught:
        services.cancel_order(order, actor=seller)
    assert "return" in str(caught.value.message)
    order.refresh_from_db()
    assert order.status == Order.Status.CONFIRMED


def test_cancel_after_invoice_is_refused(seller, customer, quote_lines):
    order = _confirmed(seller, customer, quote_lines)
    services.record_invoice(order.pk, "100.00")
    with pytest.raises(services.CannotCancel) as caught:
        services.cancel_order(order, actor=seller)
    assert "credit note" in str(caught.value.message)


def test_deliveries_move_the_order_to_partial_then_full(seller, customer, quote_lines, emitted):
    order = _confirmed(seller, customer, quote_lines)
    mug, coffee, _course = order.lines.order_by("position")
    services.record_delivery(
        order.pk,
        [{"order_line_id": mug.pk, "product_id": mug.product_id, "quantity": "2"}],
        delivery_id=7,
    )
    order.refresh_from_db()
    assert order.delivery_status == Order.DeliveryStatus.PARTIAL
    assert emitted()[-1][1]["delivery_status"] == "partial"
    services.record_delivery(
        order.pk,
        [
            {"order_line_id": mug.pk, "quantity": "1"},
            {"order_line_id": coffee.pk, "quantity": "2.5"},
            {"order_line_id": None, "product_id": 1, "quantity": "5"},
        ],
    )
    order.refresh_from_db()
    # the service line needs no delivery
    assert order.delivery_status == Order.DeliveryStatus.FULL
    assert OrderLine.objects.get(pk=mug.pk).delivered_quantity == Decimal("3.000")
    assert emitted()[-1][0] == "sales.order.delivered"


def test_invoices_and_payments_update_progress(seller, customer, quote_lines):
    order = _confirmed(seller, customer, quote_lines)
    services.record_invoice(order.pk, "1000")
    order.refresh_from_db()
    assert (order.invoice_status, order.invoiced_amount) == ("partial", Decimal("1000.00"))
    services.record_invoice(order.pk, str(order.total - Decimal("1000")))
    services.record_payment(order.pk, str(order.total))
    order.refresh_from_db()
    assert (order.invoice_status, order.payment_status) == ("full", "full")


def test_progress_for_unknown_order_is_ignored(db):
    assert services.record_delivery(123456, []) is None
    assert services.record_invoice(None, "1") is None
    assert services.record_payment("x", "1") is None


def test_quote_given_by_hand_is_sent_without_mail(seller, customer, quote_lines, emitted):
    quote = services.create_quote(actor=seller, party=customer, lines=quote_lines)
    quote = services.mark_quote_sent(quote, actor=seller)
    assert (quote.status, quote.sent_to) == (Quote.Status.SENT, "")
    assert mail.outbox == []
    assert emitted()[-1][0] == "sales.quote.sent"
    order = services.accept_quote(quote, actor=seller)
    assert order.status == Order.Status.CONFIRMED
    with pytest.raises(services.WrongState):
        services.mark_quote_sent(quote, actor=seller)


def test_merging_customers_moves_quotes_and_orders(seller, customer, quote_lines, make_user):
    from samspill.parties import services as parties
    from samspill.parties.tests.factories import OrganizationFactory

    duplicate = OrganizationFactory(name="Fjordkaffe A/S", is_customer=True)
    quote = services.create_quote(actor=seller, party=duplicate, lines=quote_lines)
    order = services.create_order(actor=seller, party=duplicate, lines=quote_lines)
    parties.merge_parties(actor=make_user("management"), survivor=customer, duplicate=duplicate)
    quote.refresh_from_db()
    order.refresh_from_db()
    assert quote.party_id == order.party_id == customer.pk


def test_erasing_a_person_removes_copies_of_their_data(seller, products, make_user):
    from samspill.parties import services as parties
    from samspill.parties.tests.factories import ContactPointFactory, PersonFactory

    person = PersonFactory(is_customer=True)
    ContactPointFactory(party=person, value="kari@example.no", normalized="kari@example.no")
    quote = services.create_quote(
        actor=seller, party=person, lines=[{"product_id": products["mug"].pk, "quantity": 1}]
    )
    services.send_quote(quote, actor=seller)
    services.decline_quote(quote, actor=None, reason="Kari trenger ikke kopper")
    exported = parties.export_personal_data(actor=make_user("legal"), party=person)
    assert exported["sales"]["quotes"][0]["sent_to"] == "kari@example.no"
    parties.erase_person(actor=make_user("legal"), party=person)
    quote.refresh_from_db()
    assert (quote.sent_to, quote.decline_reason) == ("", "")
    assert quote.status == Quote.Status.DECLINED
