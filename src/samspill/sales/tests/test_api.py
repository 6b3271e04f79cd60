from decimal import Decimal

import pytest
from django.core import mail

from samspill.sales.models import Order, Quote

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(api, seller):
    return api(seller)


def _post(client, path, body=None):
    return client.post(path, body or {}, content_type="application/json")


def _quote(client, customer, quote_lines):
    response = _post(
        client, "/api/v1/sales/quotes", {"party_id": customer.pk, "lines": quote_lines}
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_create_send_and_accept_by_token(client, customer, quote_lines, db):
    from django.test import Client

    quote = _quote(client, customer, quote_lines)
    assert quote["status"] == "draft"
    assert Decimal(quote["total"]) == Decimal("1803.01")
    assert [line["sku"] for line in quote["lines"]] == ["MUG-1", "COF-1", "EDU-1"]

    sent = _post(client, f"/api/v1/sales/quotes/{quote['id']}/send", {"message": "Hei"})
    assert sent.status_code == 200 and sent.json()["status"] == "sent"
    assert len(mail.outbox) == 1

    link = client.get(f"/api/v1/sales/quotes/{quote['id']}/link").json()
    anonymous = Client()
    accepted = _post(anonymous, "/api/v1/sales/public/quotes/accept", {"token": link["token"]})
    assert accepted.status_code == 201, accepted.content
    assert accepted.json()["status"] == "confirmed"
    again = _post(anonymous, "/api/v1/sales/public/quotes/accept", {"token": link["token"]})
    assert again.status_code == 409
    assert again["Content-Type"].startswith("application/problem+json")
    assert again.json()["code"] == "already_answered"
    detail = client.get(f"/api/v1/sales/quotes/{quote['id']}").json()
    assert detail["status"] == "accepted" and detail["order_id"]


def test_tampered_token_is_a_problem(client, db):
    from django.test import Client

    response = _post(Client(), "/api/v1/sales/public/quotes/accept", {"token": "x:y:z"})
    assert response.status_code == 400
    assert response.json()["code"] == "bad_link"


def test_bad_input_is_a_problem_and_writes_nothing(client, customer, products):
    response = _post(
        client,
        "/api/v1/sales/quotes",
        {"party_id": customer.pk, "lines": [{"product_id": 999999, "quantity": "1"}]},
    )
    assert response.status_code == 422
    assert "lines.0.product" in response.json()["errors"]
    response = _post(client, "/api/v1/sales/quotes", {"party_id": customer.pk, "lines": []})
    assert response.status_code == 422
    assert not Quote.objects.exists()


def test_order_confirm_cancel_and_list(client, customer, quote_lines):
    created = _post(
        client,
        "/api/v1/sales/orders",
        {"party_id": customer.pk, "lines": quote_lines, "invoicing_policy": "delivery"},
    )
    assert created.status_code == 201, created.content
    order = created.json()
    assert order["status"] == "draft" and order["invoicing_policy"] == "delivery"
    confirmed = _post(client, f"/api/v1/sales/orders/{order['id']}/confirm")
    assert confirmed.json()["status"] == "confirmed"
    again = _post(client, f"/api/v1/sales/orders/{order['id']}/confirm")
    assert again.status_code == 409
    listed = client.get("/api/v1/sales/orders?status=confirmed").json()
    assert listed["count"] == 1 and listed["items"][0]["number"] == order["number"]
    assert client.get("/api/v1/sales/orders?status=draft").json()["count"] == 0
    cancelled = _post(client, f"/api/v1/sales/orders/{order['id']}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    assert Order.objects.get().status == "cancelled"


def test_list_quotes_filters_and_query_budget(
    client, customer, quote_lines, django_assert_max_num_queries
):
    for _ in range(3):
        _quote(client, customer, quote_lines)
    with django_assert_max_num_queries(8):
        response = client.get(f"/api/v1/sales/quotes?party={customer.pk}&open=true")
    assert response.json()["count"] == 3
    assert client.get("/api/v1/sales/quotes?status=accepted").json()["count"] == 0


def test_permissions(api, make_user, customer, quote_lines):
    outsider = api(make_user("hr"))
    assert outsider.get("/api/v1/sales/quotes").status_code == 403
    response = _post(
        outsider, "/api/v1/sales/quotes", {"party_id": customer.pk, "lines": quote_lines}
    )
    assert response.status_code == 403
    assert not Quote.objects.exists()


def test_patch_mark_sent_and_decline(client, customer, quote_lines, products):
    quote = _quote(client, customer, quote_lines)
    url = f"/api/v1/sales/quotes/{quote['id']}"
    patched = client.patch(
        url,
        {"terms": "Netto 10", "lines": [{"product_id": products["mug"].pk, "quantity": "2"}]},
        content_type="application/json",
    )
    assert patched.status_code == 200, patched.content
    assert (patched.json()["terms"], patched.json()["total"]) == ("Netto 10", "249.75")
    assert _post(client, f"{url}/mark-sent").json()["status"] == "sent"
    refused = client.patch(url, {"terms": "x"}, content_type="application/json")
    assert refused.status_code == 409 and refused.json()["code"] == "wrong_state"
    declined = _post(client, f"{url}/decline", {"reason": "Pris"})
    assert declined.json()["status"] == "declined"
    assert Quote.objects.get().decline_reason == "Pris"


def test_public_decline_with_token(client, customer, quote_lines, db):
    from django.test import Client

    quote = _quote(client, customer, quote_lines)
    _post(client, f"/api/v1/sales/quotes/{quote['id']}/mark-sent")
    token = client.get(f"/api/v1/sales/quotes/{quote['id']}/link").json()["token"]
    response = _post(
        Client(), "/api/v1/sales/public/quotes/decline", {"token": token, "reason": "Senere"}
    )
    assert response.json() == {"quote_number": quote["number"], "status": "declined"}
