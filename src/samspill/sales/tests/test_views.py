from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from samspill.sales import services
from samspill.sales.models import Order, Quote

pytestmark = pytest.mark.django_db

# Pages are shown in the user's language (nb by default): these tests read the Norwegian.


def _form(customer, rows, **extra):
    data = {
        "party": customer.pk,
        "currency": "NOK",
        "line-sku": [r[0] for r in rows],
        "line-quantity": [r[1] for r in rows],
        "line-unit_price": ["" for _ in rows],
        "line-discount_percent": ["" for _ in rows],
        "line-description": ["" for _ in rows],
    }
    data.update(extra)
    return data


def test_create_quote_through_the_form(login, seller, customer, products):
    client = login(seller)
    assert client.get(reverse("sales:quote_create")).status_code == 200
    response = client.post(
        reverse("sales:quote_create"), _form(customer, [("mug-1", "2"), ("EDU-1", "1")])
    )
    quote = Quote.objects.get()
    assert response.status_code == 302 and response["Location"] == quote.get_absolute_url()
    assert quote.total == Decimal("1249.75")
    page = client.get(quote.get_absolute_url())
    assert page.status_code == 200
    assert quote.number in page.content.decode()


def test_form_errors_are_shown_on_their_rows_and_nothing_is_saved(
    login, seller, customer, products
):
    client = login(seller)
    response = client.post(
        reverse("sales:quote_create"), _form(customer, [("NOPE", "1"), ("MUG-1", "abc")])
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Det finnes ikke noe produkt med varenummer NOPE." in body
    assert not Quote.objects.exists()


def test_line_editor_shows_live_totals(login, seller, customer, products):
    client = login(seller)
    response = client.post(
        reverse("sales:line_editor"),
        _form(customer, [("MUG-1", "3"), ("COF-1", "2,5")]),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="total"' in body
    assert "803.01" in body or "803,01" in body  # 672.20 + 74.93 + 55.88


def test_product_options(login, seller, products):
    response = login(seller).get(reverse("sales:product_options"), {"line-sku": "MUG"})
    assert 'value="MUG-1"' in response.content.decode()


def test_send_and_public_accept_and_order_page(login, seller, customer, quote_lines, client):
    quote = services.create_quote(actor=seller, party=customer, lines=quote_lines)
    staff = login(seller)
    response = staff.post(reverse("sales:quote_send", args=[quote.pk]), {"to": "", "message": ""})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    staff.logout()

    url = reverse("sales:public_quote", args=[services.quote_token(quote)])
    page = client.get(url)
    assert page.status_code == 200
    assert "Aksepter tilbudet" in page.content.decode()
    done = client.post(url, {"answer": "accept"})
    assert done.status_code == 200
    order = Order.objects.get()
    assert order.number in done.content.decode()
    again = client.post(url, {"answer": "accept"})
    assert again.status_code == 409
    assert "allerede" in again.content.decode()
    bad = client.get(reverse("sales:public_quote", args=["tampered:token"]))
    assert bad.status_code == 400
    assert "ikke gyldig" in bad.content.decode()

    staff = login(seller)
    order_page = staff.get(order.get_absolute_url())
    assert order_page.status_code == 200
    assert "Bekreftet" in order_page.content.decode()
    assert "Linjer" in order_page.content.decode()  # the audit key, translated in history


def test_cancel_refused_shows_message(login, seller, customer, quote_lines):
    order = services.create_order(actor=seller, party=customer, lines=quote_lines)
    services.confirm_order(order, actor=seller)
    services.record_invoice(order.pk, "10")
    client = login(seller)
    response = client.post(reverse("sales:order_cancel", args=[order.pk]), follow=True)
    assert "kreditnota" in response.content.decode()
    order.refresh_from_db()
    assert order.status == Order.Status.CONFIRMED


def test_pdf_download(login, seller, customer, quote_lines):
    quote = services.create_quote(actor=seller, party=customer, lines=quote_lines)
    response = login(seller).get(reverse("sales:quote_pdf", args=[quote.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize("name", ["sales:quote_list", "sales:order_list"])
def test_list_pages_have_a_fixed_query_count(
    name, login, seller, customer, quote_lines, django_assert_max_num_queries
):
    for _ in range(2):
        quote = services.create_quote(actor=seller, party=customer, lines=quote_lines)
        services.send_quote(quote, actor=seller)
        services.accept_quote(quote, actor=seller)
    client = login(seller)
    client.get(reverse(name))  # warm caches (session, permissions)
    with django_assert_max_num_queries(14) as small:
        client.get(reverse(name))
    for _ in range(6):
        quote = services.create_quote(actor=seller, party=customer, lines=quote_lines)
        services.send_quote(quote, actor=seller)
        services.accept_quote(quote, actor=seller)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse(name))
    assert response.status_code == 200
    export = client.get(reverse(name), {"_export": "csv"})
    assert export.status_code == 200


def test_party_page_shows_sales_key_figures(login, seller, customer, quote_lines):
    services.create_quote(actor=seller, party=customer, lines=quote_lines)
    page = login(seller).get(reverse("parties:detail", args=[customer.pk]))
    body = page.content.decode()
    assert "Åpne tilbud" in body and "Ordrer i år" in body
    assert 'id="panel-sales-orders"' in body and "Ingen salgsordrer ennå." in body
    order = services.create_order(actor=seller, party=customer, lines=quote_lines)
    body = login(seller).get(reverse("parties:detail", args=[customer.pk])).content.decode()
    assert order.get_absolute_url() in body


def test_party_page_hides_orders_from_people_without_access(login, make_user, customer):
    body = (
        login(make_user("hr")).get(reverse("parties:detail", args=[customer.pk])).content.decode()
    )
    assert 'id="panel-sales-orders"' not in body


def test_search_finds_numbers(login, seller, customer, quote_lines):
    quote = services.create_quote(actor=seller, party=customer, lines=quote_lines)
    from samspill.platform.registry import search

    results = dict((p.key, hits) for p, hits in search(seller, quote.number))
    assert [h.title for h in results["sales"]] == [quote.number]


def test_people_without_sales_roles_are_refused(login, make_user):
    client = login(make_user("hr"))
    assert client.get(reverse("sales:quote_list")).status_code == 403
    assert client.get(reverse("sales:quote_create")).status_code == 403


def test_edit_a_draft_quote_and_refuse_editing_a_sent_one(login, seller, customer, quote_lines):
    quote = services.create_quote(actor=seller, party=customer, lines=quote_lines)
    client = login(seller)
    url = reverse("sales:quote_edit", args=[quote.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'value="MUG-1"' in page.content.decode()
    response = client.post(url, _form(customer, [("MUG-1", "10")], terms="Netto 30"))
    assert response.status_code == 302
    quote.refresh_from_db()
    assert (quote.terms, quote.net_total) == ("Netto 30", Decimal("999.00"))
    services.mark_quote_sent(quote, actor=seller)
    assert client.get(url).status_code == 302  # back to the quote: only drafts are edited


def test_enter_and_confirm_an_order_through_the_pages(login, seller, customer, products):
    client = login(seller)
    response = client.post(
        reverse("sales:order_create"),
        _form(customer, [("COF-1", "4")], invoicing_policy="delivery", warehouse_code="OSL"),
    )
    order = Order.objects.get()
    assert response.status_code == 302
    assert (order.invoicing_policy, order.warehouse_code, order.status) == (
        "delivery",
        "OSL",
        "draft",
    )
    client.post(reverse("sales:order_confirm", args=[order.pk]))
    order.refresh_from_db()
    assert order.status == Order.Status.CONFIRMED


def test_line_editor_without_javascript_adds_a_row(login, seller, customer, products):
    response = login(seller).post(
        reverse("sales:quote_create"), _form(customer, [("MUG-1", "1")], add="1")
    )
    assert response.status_code == 200
    assert response.content.decode().count('name="line-sku"') == 2
    assert not Quote.objects.exists()


def test_record_answers_on_the_quote_page(login, seller, customer, quote_lines):
    first = services.create_quote(actor=seller, party=customer, lines=quote_lines)
    second = services.create_quote(actor=seller, party=customer, lines=quote_lines)
    client = login(seller)
    for quote in (first, second):
        client.post(reverse("sales:quote_mark_sent", args=[quote.pk]))
    response = client.post(reverse("sales:quote_accept", args=[first.pk]))
    order = Order.objects.get()
    assert response["Location"] == order.get_absolute_url()
    client.post(reverse("sales:quote_decline", args=[second.pk]), {"reason": "Budsjett"})
    second.refresh_from_db()
    assert (second.status, second.decline_reason) == ("declined", "Budsjett")
    again = client.post(reverse("sales:quote_accept", args=[second.pk]), follow=True)
    assert "allerede" in again.content.decode()
