"""Invoices through the API and the pages: create and post, problem+json on bad input,
PDF content, the list's filters, exports and query budget, payments."""

from decimal import Decimal

import pytest

from samspill.accounting import services
from samspill.accounting.models import Invoice, JournalEntry

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def company(db):
    from samspill.organization import services as organization
    from samspill.organization.demo import COMPANY

    return organization.update_company(actor=None, **COMPANY)


LINES = [
    {"description": "Konsulenttimer", "quantity": "2", "unit": "h", "unit_price": "1000"},
    {"description": "Kaffe", "quantity": "1", "unit_price": "100", "vat_code": "31"},
]


def test_api_creates_posts_credits_and_pays(ledger, customer, company, finance, api):
    client = api(finance)
    response = client.post(
        "/api/v1/accounting/invoices",
        {"party_id": customer.pk, "invoice_date": "2026-03-10", "lines": LINES, "post": True},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["number"], body["state"], body["total"], body["open_amount"]) == (
        "202600001",
        "posted",
        "2615.00",
        "2615.00",
    )
    assert [line["account"] for line in body["lines"]] == ["3000", "3030"]
    paid = client.post(
        "/api/v1/accounting/payments",
        {
            "party_id": customer.pk,
            "date": "2026-03-20",
            "amount": "615",
            "allocations": [{"invoice_id": body["id"], "amount": "615"}],
        },
        content_type="application/json",
    )
    assert paid.status_code == 201, paid.content
    assert paid.json()["allocations"] == [
        {"invoice_id": body["id"], "number": "202600001", "amount": "615.00"}
    ]
    listing = client.get("/api/v1/accounting/invoices?state=partly_paid").json()
    assert [(row["number"], row["open_amount"]) for row in listing["items"]] == [
        ("202600001", "2000.00")
    ]
    credit = client.post(
        f"/api/v1/accounting/invoices/{body['id']}/credit-note",
        {"invoice_date": "2026-03-21", "post": True,
         "lines": [{"description": "Rabatt", "quantity": "1", "unit_price": "1600"}]},
        content_type="application/json",
    )  # fmt: skip
    assert credit.status_code == 201, credit.content
    assert credit.json()["kind"] == "credit_note"
    again = client.get(f"/api/v1/accounting/invoices/{body['id']}").json()
    assert (again["state"], again["open_amount"]) == ("paid", "0.00")
    ehf = client.get(f"/api/v1/accounting/invoices/{body['id']}/ehf")
    assert ehf.status_code == 422  # the customer has no organisation number
    assert ehf.json()["detail"] == (
        "EHF needs the customer's organisation number; Fjord Kaffe AS has none."
    )
    customer.orgnr = "923609016"
    customer.save()
    ehf = client.get(f"/api/v1/accounting/invoices/{body['id']}/ehf")
    assert ehf.status_code == 200 and b"<cbc:ID>202600001</cbc:ID>" in ehf.content


def test_api_bad_input_is_a_problem_and_writes_nothing(ledger, customer, company, finance, api):
    client = api(finance)
    response = client.post(
        "/api/v1/accounting/invoices",
        {"party_id": customer.pk, "lines": [{"description": "X", "quantity": "0"}]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["errors"] == {
        "lines.0.quantity": ["The quantity must be a number greater than zero."],
        "lines.0.unit_price": ["Enter a unit price."],
    }
    assert not Invoice.objects.exists()
    invoice = services.create_invoice(
        actor=None, party=customer, lines=LINES, invoice_date="2026-03-10", post=True
    )
    over = client.post(
        "/api/v1/accounting/payments",
        {"party_id": customer.pk, "date": "2026-03-20", "amount": "9999"},
        content_type="application/json",
    )
    assert over.status_code == 409 and over.json()["code"] == "overpayment"
    assert JournalEntry.objects.count() == 1
    twice = client.post(f"/api/v1/accounting/invoices/{invoice.pk}/post")
    assert twice.status_code == 409


def test_api_needs_the_permission(ledger, customer, company, api, make_user):
    response = api(make_user("sales")).get("/api/v1/accounting/invoices")
    assert response.status_code == 403


def test_pdf_has_the_legal_content(ledger, customer, company, finance, login):
    invoice = services.create_invoice(
        actor=None, party=customer, lines=LINES, invoice_date="2026-03-10", post=True
    )
    client = login(finance)
    response = client.get(f"/accounting/invoices/{invoice.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    # What WeasyPrint lays out: the invoice's HTML in the customer's language.
    text = services.invoices.invoice_html(invoice)
    for expected in (
        "Faktura 202600001",
        "NO 998 877 660 MVA",
        "Foretaksregisteret",
        "Forfallsdato",
        invoice.kid,
        "2\xa0615,00",
        "500,00",  # VAT 25 % of 2 000
        "15,00",  # VAT 15 % of 100
    ):
        assert expected in text, (expected, text)
    customer.language = "en"
    customer.save()
    english = services.create_invoice(
        actor=None, party=customer, lines=LINES, invoice_date="2026-03-11", post=True
    )
    text = services.invoices.invoice_html(english)
    assert "Invoice 202600002" in text and "Due date" in text


def test_list_filters_exports_and_query_budget(
    ledger, customer, company, finance, login, django_assert_max_num_queries
):
    for day in ("2026-01-05", "2026-02-05", "2026-03-05"):
        services.create_invoice(
            actor=None, party=customer, lines=LINES, invoice_date=day, post=True
        )
    services.create_invoice(actor=None, party=customer, lines=LINES, invoice_date="2026-03-06")
    client = login(finance)
    with django_assert_max_num_queries(12):
        page = client.get("/accounting/invoices/")
    assert page.status_code == 200
    assert page.content.decode().count("/accounting/invoices/") >= 4
    with django_assert_max_num_queries(12):
        drafts = client.get("/accounting/invoices/?state=draft")
    assert drafts.content.decode().count('href="/accounting/invoices/') >= 1
    csv = client.get("/accounting/invoices/?overdue=true&_export=csv")
    assert csv.status_code == 200
    rows = csv.content.decode().strip().splitlines()
    assert len(rows) == 4  # header and three overdue invoices
    xlsx = client.get("/accounting/invoices/?_export=xlsx")
    assert xlsx.status_code == 200


def test_detail_page_registers_a_payment(ledger, customer, company, finance, login):
    invoice = services.create_invoice(
        actor=None, party=customer, lines=LINES, invoice_date="2026-03-10", post=True
    )
    client = login(finance)
    page = client.get(f"/accounting/invoices/{invoice.pk}/")
    assert page.status_code == 200 and invoice.kid in page.content.decode()
    response = client.post(
        f"/accounting/invoices/{invoice.pk}/pay/",
        {"date": "2026-03-15", "amount": "2615.00", "reference": "Bank"},
    )
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.state == "paid"


def test_create_page_posts_an_invoice(ledger, customer, company, finance, login):
    client = login(finance)
    assert client.get("/accounting/invoices/new/").status_code == 200
    data = {
        "party": customer.pk,
        "invoice_date": "2026-03-10",
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-0-description": "Rådgivning",
        "lines-0-quantity": "1",
        "lines-0-unit_price": "800",
        "post": "1",
    }
    response = client.post("/accounting/invoices/new/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    invoice = Invoice.objects.get()
    assert (invoice.number, invoice.total) == ("202600001", D("1000.00"))
    bad = client.post("/accounting/invoices/new/", {**data, "lines-0-unit_price": "-5"})
    assert bad.status_code == 422
    assert Invoice.objects.count() == 1


def test_party_page_shows_invoices_key_figures_and_timeline(
    ledger, customer, company, finance, login
):
    invoice = services.create_invoice(
        actor=None, party=customer, lines=LINES, invoice_date="2026-01-05", post=True
    )
    page = login(finance).get(f"/parties/{customer.pk}/").content.decode()
    assert invoice.get_absolute_url() in page
    assert page.count("2\xa0615,00") >= 3  # unpaid, overdue, and the panel's open amount


def test_list_and_api_query_counts_do_not_grow_with_rows(
    ledger, customer, company, finance, login, api
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def counts():
        client, token = login(finance), api(finance)
        client.get("/accounting/invoices/")  # warm the session and permission caches
        with CaptureQueriesContext(connection) as page:
            client.get("/accounting/invoices/")
        with CaptureQueriesContext(connection) as listing:
            token.get("/api/v1/accounting/invoices")
        return len(page), len(listing)

    services.create_invoice(actor=None, party=customer, lines=LINES, invoice_date="2026-03-01")
    few = counts()
    for day in range(2, 12):
        invoice = services.create_invoice(
            actor=None, party=customer, lines=LINES, invoice_date=f"2026-03-{day:02d}", post=True
        )
    services.create_credit_note(invoice, actor=None, post=True, invoice_date="2026-03-20")
    assert counts() == few


def test_edit_page_changes_a_draft(ledger, customer, company, finance, login):
    invoice = services.create_invoice(
        actor=None, party=customer, lines=LINES, invoice_date="2026-03-10"
    )
    client = login(finance)
    page = client.get(f"/accounting/invoices/{invoice.pk}/edit/")
    assert page.status_code == 200 and "Konsulenttimer" in page.content.decode()
    data = {
        "party": customer.pk,
        "invoice_date": "2026-03-12",
        "payment_days": "30",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-0-description": "Rådgivning",
        "lines-0-quantity": "2",
        "lines-0-unit_price": "500",
    }
    response = client.post(f"/accounting/invoices/{invoice.pk}/edit/", data)
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert (invoice.total, str(invoice.due_date), invoice.state) == (
        D("1250.00"),
        "2026-04-11",
        "draft",
    )
    services.post_invoice(invoice, actor=None)
    assert client.get(f"/accounting/invoices/{invoice.pk}/edit/").status_code == 302
