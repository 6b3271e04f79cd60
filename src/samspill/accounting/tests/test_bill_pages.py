"""Supplier bills through the pages and the API: manual entry with lines, the list's filters,
exports and query budget, approval and rejection buttons, payment, the party page, search,
and problem+json on bad input."""

from decimal import Decimal

import pytest
from django.urls import reverse

from samspill.accounting.models import JournalLine, SupplierBill
from samspill.accounting.services import bills as services

pytestmark = pytest.mark.django_db
D = Decimal
LINES = [
    {"description": "Rekvisita", "quantity": "2", "unit_price": "500", "account": "6800"},
    {"description": "Reise", "quantity": "1", "unit_price": "100", "account": "7140",
     "vat_code": "13"},
]  # fmt: skip


@pytest.fixture
def supplier(db):
    from samspill.parties.services import create_organization

    return create_organization(actor=None, name="Kontorland AS", roles=["supplier"])


@pytest.fixture
def clerk(make_user):
    return make_user("finance")


@pytest.fixture
def boss(make_user):
    return make_user("management")


def form_data(supplier, **extra):
    data = {
        "party": supplier.pk,
        "supplier_number": "A-77",
        "bill_date": "2026-03-10",
        "due_date": "2026-03-30",
        "kid": "",
        "bank_account": "1503 12 34567",
        "currency": "",
        "exchange_rate": "",
        "notes": "",
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "100",
        "lines-0-description": "Rekvisita",
        "lines-0-account": "6800",
        "lines-0-quantity": "2",
        "lines-0-unit_price": "500",
        "lines-0-vat_code": "1",
        "lines-1-description": "Kaffe",
        "lines-1-quantity": "1",
        "lines-1-unit_price": "100",
        "lines-1-vat_code": "11",
        "lines-1-account": "7798",
    }
    data.update(extra)
    return data


def test_entry_page_approval_and_payment(ledger, supplier, clerk, boss, login):
    client = login(clerk)
    assert client.get("/accounting/bills/new/").status_code == 200
    response = client.post("/accounting/bills/new/", {**form_data(supplier), "submit": "1"})
    assert response.status_code == 302, response.content.decode()[:2000]
    bill = SupplierBill.objects.get()
    assert (bill.state, bill.total, bill.bank_account) == (
        "awaiting_approval",
        D("1365.00"),
        "15031234567",
    )
    page = client.get(response["Location"]).content.decode()
    assert "Du registrerte denne fakturaen; en annen må godkjenne den." in page  # nb user
    # Same number again: the error on the form, nothing written.
    again = client.post("/accounting/bills/new/", form_data(supplier))
    assert again.status_code == 422
    assert "allerede registrert" in again.content.decode()
    assert SupplierBill.objects.count() == 1
    from django.test import Client

    boss_client = Client()
    boss_client.force_login(boss)
    rejected = boss_client.post(f"/accounting/bills/{bill.pk}/reject/", {"reason": "Feil"})
    assert rejected.status_code == 302
    bill.refresh_from_db()
    assert (bill.state, bill.rejection_reason) == ("draft", "Feil")
    edit = client.get(f"/accounting/bills/{bill.pk}/edit/")
    assert edit.status_code == 200 and "Avvist:" in edit.content.decode()
    client.post(f"/accounting/bills/{bill.pk}/submit/")
    boss_client.post(f"/accounting/bills/{bill.pk}/approve/")
    bill.refresh_from_db()
    assert bill.state == "approved" and bill.entry_id
    detail = boss_client.get(f"/accounting/bills/{bill.pk}/").content.decode()
    assert reverse("accounting:entry_detail", args=[bill.entry_id]) in detail
    client.post(
        f"/accounting/bills/{bill.pk}/pay/",
        {"date": "2026-03-25", "amount": "365", "reference": "Nettbank"},
    )
    bill.refresh_from_db()
    assert bill.state == "partly_paid"
    # More than is open: refused unless kept as the supplier's prepayment.
    rest = bill.total - Decimal("365")
    client.post(
        f"/accounting/bills/{bill.pk}/pay/",
        {"date": "2026-03-26", "amount": str(rest + 10), "reference": "Nettbank"},
    )
    bill.refresh_from_db()
    assert bill.state == "partly_paid"
    client.post(
        f"/accounting/bills/{bill.pk}/pay/",
        {"date": "2026-03-26", "amount": str(rest + 10), "allow_prepayment": "on"},
    )
    bill.refresh_from_db()
    assert bill.state == "paid"
    assert JournalLine.objects.filter(
        account__number="2400", party=supplier, match__isnull=True, debit=Decimal("10.00")
    ).exists()
    party_page = client.get(reverse("parties:detail", args=[supplier.pk])).content.decode()
    assert bill.number in party_page and "Skyldig leverandøren" in party_page
    found = client.get("/search/?q=A-77")
    assert found.status_code == 200 and bill.number in found.content.decode()
    assert client.get("/accounting/supplier-payments/").status_code == 200


def test_list_filters_exports_and_query_budget(
    ledger, supplier, clerk, login, django_assert_max_num_queries
):
    for n in range(6):
        bill = services.create_bill(
            actor=None,
            party=supplier,
            lines=LINES,
            supplier_number=f"N-{n}",
            bill_date="2026-01-05",
            submit=n < 4,
        )
        if n < 2:
            services.approve_bill(bill, actor=None)
    client = login(clerk)
    with django_assert_max_num_queries(12):
        page = client.get("/accounting/bills/")
    assert page.status_code == 200
    assert page.content.decode().count('href="/accounting/bills/') >= 6
    with django_assert_max_num_queries(12):
        waiting = client.get("/accounting/bills/?state=awaiting_approval")
    assert waiting.content.decode().count("N-") == 2
    csv = client.get("/accounting/bills/?overdue=true&_export=csv")
    rows = csv.content.decode().strip().splitlines()
    assert len(rows) == 3  # header and two approved, overdue bills
    assert client.get("/accounting/bills/?_export=xlsx").status_code == 200


def test_api_create_approve_pay_and_errors(ledger, supplier, clerk, boss, api):
    client = api(clerk)
    body = {
        "party_id": supplier.pk,
        "supplier_number": "API-1",
        "bill_date": "2026-03-10",
        "lines": LINES,
        "submit": True,
    }
    response = client.post("/api/v1/accounting/bills", body, content_type="application/json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["state"], created["total"], [line["account"] for line in created["lines"]]) == (
        "awaiting_approval",
        "1362.00",
        ["6800", "7140"],
    )
    duplicate = client.post("/api/v1/accounting/bills", body, content_type="application/json")
    assert duplicate.status_code == 409
    assert duplicate["Content-Type"].startswith("application/problem+json")
    bad = client.post(
        "/api/v1/accounting/bills",
        {**body, "supplier_number": "API-2", "lines": [{**LINES[0], "quantity": "-1"}]},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "lines.0.quantity" in bad.json()["errors"]
    own = client.post(
        f"/api/v1/accounting/bills/{created['id']}/approve", {}, content_type="application/json"
    )
    assert own.status_code == 403
    approved = api(boss).post(
        f"/api/v1/accounting/bills/{created['id']}/approve", {}, content_type="application/json"
    )
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    assert approved.json()["entry_id"]
    paid = client.post(
        "/api/v1/accounting/supplier-payments",
        {
            "party_id": supplier.pk,
            "date": "2026-03-20",
            "allocations": [{"bill_id": created["id"]}],
        },
        content_type="application/json",
    )
    assert paid.status_code == 201, paid.content
    assert paid.json()["amount"] == "1362.00"
    listing = client.get("/api/v1/accounting/bills?state=paid").json()
    assert [row["supplier_number"] for row in listing["items"]] == ["API-1"]
    assert client.get(f"/api/v1/accounting/bills/{created['id']}/match").json() == []
