from datetime import date

import pytest

from samspill.accounting import services
from samspill.accounting.models import JournalEntry, Period

pytestmark = pytest.mark.django_db


def _sale(customer, day="2026-03-10"):
    return {
        "journal": "SAL",
        "date": day,
        "description": "Sale",
        "lines": [
            {"account": "1500", "debit": "1250", "party_id": customer.pk},
            {"account": "3000", "credit": "1000", "vat_code": "3"},
        ],
    }


def test_api_records_posts_reverses_and_reports(ledger, customer, finance, api):
    client = api(finance)
    response = client.post(
        "/api/v1/accounting/entries",
        {**_sale(customer), "post": True},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["voucher"] == "SAL 2026-1" and body["state"] == "posted"
    assert [(line["account"], line["vat_of_line"]) for line in body["lines"]] == [
        ("1500", None),
        ("3000", None),
        ("2700", 2),
    ]
    reversal = client.post(
        f"/api/v1/accounting/entries/{body['id']}/reverse", {}, content_type="application/json"
    )
    assert reversal.status_code == 201 and reversal.json()["reversal_of_id"] == body["id"]
    again = client.post(
        f"/api/v1/accounting/entries/{body['id']}/reverse", {}, content_type="application/json"
    )
    assert again.status_code == 409
    assert again["Content-Type"].startswith("application/problem+json")

    report = client.get(
        "/api/v1/accounting/reports/trial-balance?date_from=2026-01-01&date_to=2026-12-31"
    ).json()
    assert report["total_debit"] == report["total_credit"] == "2500.00"
    assert report["total_closing"] == "0.00"
    listing = client.get(f"/api/v1/accounting/entries?party_id={customer.pk}").json()
    assert listing["count"] == 2


def test_api_bad_input_is_a_problem_and_writes_nothing(ledger, customer, finance, api, make_user):
    client = api(finance)
    bad = _sale(customer)
    bad["lines"][0]["debit"] = "1249"
    response = client.post(
        "/api/v1/accounting/entries", {**bad, "post": True}, content_type="application/json"
    )
    assert response.status_code == 422
    assert "does not balance" in response.json()["detail"]
    assert not JournalEntry.objects.exists()
    response = client.post(
        "/api/v1/accounting/entries",
        {"journal": "XXX", "date": "2026-01-01", "lines": []},
        content_type="application/json",
    )
    assert response.status_code == 422
    forbidden = api(make_user("sales")).post(
        "/api/v1/accounting/entries", _sale(customer), content_type="application/json"
    )
    assert forbidden.status_code == 403
    management = api(make_user("management"))
    assert management.get("/api/v1/accounting/accounts").status_code == 200
    period = Period.objects.get(fiscal_year=ledger, number=1)
    assert management.post(f"/api/v1/accounting/periods/{period.pk}/close").status_code == 403
    closed = client.post(f"/api/v1/accounting/periods/{period.pk}/close")
    assert closed.status_code == 200 and closed.json()["closed"] is True


def test_api_account_patch(ledger, finance, api):
    client = api(finance)
    response = client.patch(
        "/api/v1/accounting/accounts/3000",
        {"name": "Salg", "default_vat_code": "1"},
        content_type="application/json",
    )
    assert response.status_code == 422
    response = client.patch(
        "/api/v1/accounting/accounts/3000", {"name": "Salg"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["name"] == "Salg"


def test_entry_form_posts_and_shows_errors_inline(ledger, customer, finance, login):
    client = login(finance)
    assert client.get("/accounting/entries/new/").status_code == 200
    data = {
        "journal": "SAL",
        "date": "2026-03-10",
        "description": "Kontantsalg",
        "lines-TOTAL_FORMS": "4",
        "lines-INITIAL_FORMS": "0",
        "lines-0-account": "1500",
        "lines-0-debit": "1250",
        "lines-0-party": str(customer.pk),
        "lines-1-account": "3000",
        "lines-1-credit": "1000",
        "lines-1-vat_code": "3",
        "post": "1",
    }
    bad = {**data, "lines-0-debit": "1000"}
    response = client.post("/accounting/entries/new/", bad)
    assert response.status_code == 422
    assert "går ikke i balanse" in response.content.decode()  # the user speaks nb
    assert JournalEntry.objects.filter(state="posted").count() == 0
    response = client.post("/accounting/entries/new/", data)
    assert response.status_code == 302
    entry = JournalEntry.objects.get(state="posted")
    detail = client.get(response["Location"])
    assert detail.status_code == 200 and entry.voucher in detail.content.decode()


def test_pages_have_a_fixed_number_of_queries(
    ledger, customer, finance, login, django_assert_max_num_queries
):
    from samspill.accounting.tests.test_services import sale

    client = login(finance)
    receivables = services.setup.Account.objects.get(number="1500")
    services.post_entries(
        [sale(customer, day=date(2026, 1, 1 + n % 28)) for n in range(60)], actor=None
    )
    for url in (
        "/accounting/",
        "/accounting/?per_page=50",
        "/accounting/accounts/",
        "/accounting/reports/trial-balance/?date_from=2026-01-01&date_to=2026-12-31",
        f"/accounting/accounts/{receivables.pk}/?date_from=2026-01-01&date_to=2026-12-31",
        "/accounting/periods/",
    ):
        with django_assert_max_num_queries(16):
            response = client.get(url)
        assert response.status_code == 200, url
    csv = client.get(
        "/accounting/reports/trial-balance/?date_from=2026-01-01&date_to=2026-12-31&_export=csv"
    )
    assert csv.status_code == 200 and "1500" in csv.content.decode()
    xlsx = client.get("/accounting/?_export=xlsx")
    assert xlsx.status_code == 200


def test_period_and_year_pages(ledger, finance, login, make_user):
    client = login(finance)
    period = Period.objects.get(fiscal_year=ledger, number=2)
    assert client.post(f"/accounting/periods/{period.pk}/close/").status_code == 302
    period.refresh_from_db()
    assert period.closed
    assert client.post(f"/accounting/years/{ledger.pk}/close/").status_code == 302
    ledger.refresh_from_db()
    assert ledger.closed
    viewer = login(make_user("management"))
    assert viewer.get("/accounting/periods/").status_code == 200
    assert viewer.post(f"/accounting/periods/{period.pk}/reopen/").status_code == 403


def test_chart_loads_from_the_accounts_page_and_only_once(db, finance, login, make_user):
    from samspill.accounting.models import Account
    from samspill.localization.no.chart import CHART

    refused = login(make_user("management")).post("/accounting/accounts/", follow=True)
    assert refused.status_code == 200 and not Account.objects.exists()
    client = login(finance)
    assert client.post("/accounting/accounts/").status_code == 302
    assert Account.objects.count() == len(CHART)
    assert client.post("/accounting/accounts/").status_code == 302
    assert Account.objects.count() == len(CHART)


def test_report_pages_and_api(ledger, customer, finance, login, api):
    from samspill.accounting.tests.test_services import sale

    services.post_entries([sale(customer)], actor=None)
    client = login(finance)
    query = "?date_from=2026-01-01&date_to=2026-12-31"
    for url in ("/accounting/reports/profit-and-loss/", "/accounting/reports/balance-sheet/"):
        response = client.get(url + query)
        assert response.status_code == 200
        assert "1\xa0000,00" in response.content.decode()  # nb: 1 000,00
    assert (
        client.get(
            "/accounting/reports/profit-and-loss/?date_from=2026-12-01&date_to=2026-01-01"
        ).status_code
        == 200
    )
    body = api(finance).get("/api/v1/accounting/reports/profit-and-loss" + query).json()
    assert body["result"] == "1000.00"
    body = api(finance).get("/api/v1/accounting/reports/balance-sheet?at=2026-12-31").json()
    assert body["total_assets"] == body["total_equity_and_liabilities"] == "1250.00"


def test_projects_and_dimensions_on_lines(ledger, finance, login, api):
    from samspill.accounting.models import JournalLine
    from samspill.organization.services import create_department

    client = login(finance)
    assert client.post("/accounting/projects/", {"code": "", "name": "x"}).status_code == 422
    assert (
        client.post("/accounting/projects/", {"code": "p-1", "name": "Nytt lager"}).status_code
        == 302
    )
    duplicate = api(finance).post(
        "/api/v1/accounting/projects",
        {"code": "P-1", "name": "Again"},
        content_type="application/json",
    )
    assert duplicate.status_code == 422
    department = create_department(actor=None, name="Salg", code="SALG", function="sales")
    response = api(finance).post(
        "/api/v1/accounting/entries",
        {
            "journal": "GEN",
            "date": "2026-02-02",
            "post": True,
            "lines": [
                {
                    "account": "6800",
                    "debit": "100",
                    "vat_code": "1",
                    "project": "P-1",
                    "department_id": department.pk,
                },
                {"account": "1920", "credit": "125"},
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    vat_line = JournalLine.objects.get(account__number="2710")
    assert vat_line.project.code == "P-1" and vat_line.department_id == department.pk
    assert api(finance).get("/api/v1/accounting/projects").json()["count"] == 1


def test_party_360_shows_the_ledger_balance_and_the_posting(
    ledger, customer, finance, login, run_tasks
):
    from django.urls import reverse

    from samspill.accounting.tests.test_services import sale

    services.post_entries([sale(customer)], actor=None)
    run_tasks()
    page = login(finance).get(reverse("parties:detail", args=[customer.pk])).content.decode()
    assert "Saldo i regnskapet" in page  # the key figure, in the user's Norwegian
    assert "1\xa0250,00" in page
    assert "SAL 2026-1" in page  # the posting on the party's timeline


def test_api_draft_can_be_changed_until_posted(ledger, customer, finance, api):
    client = api(finance)
    draft = client.post(
        "/api/v1/accounting/entries", _sale(customer), content_type="application/json"
    ).json()
    assert draft["state"] == "draft" and draft["voucher"] == ""
    changed = client.patch(
        f"/api/v1/accounting/entries/{draft['id']}",
        {
            "date": "2026-04-02",
            "lines": [{"account": "1920", "debit": "10"}, {"account": "2050", "credit": "10"}],
        },
        content_type="application/json",
    )
    assert changed.status_code == 200
    assert changed.json()["date"] == "2026-04-02" and len(changed.json()["lines"]) == 2
    assert (
        client.post(f"/api/v1/accounting/entries/{draft['id']}/post").json()["voucher"]
        == "SAL 2026-1"
    )
    refused = client.patch(
        f"/api/v1/accounting/entries/{draft['id']}",
        {"description": "x"},
        content_type="application/json",
    )
    assert refused.status_code == 409
    assert client.delete(f"/api/v1/accounting/entries/{draft['id']}").status_code == 409


def test_account_statement_pages_with_a_running_balance(ledger, customer, finance, login):
    from samspill.accounting.models import Account
    from samspill.accounting.tests.test_services import sale

    services.post_entries(
        [sale(customer, day=date(2026, 1, 1 + n % 28)) for n in range(120)], actor=None
    )
    account = Account.objects.get(number="1500")
    client = login(finance)
    url = f"/accounting/accounts/{account.pk}/?date_from=2026-01-01&date_to=2026-12-31"
    last = client.get(url + "&page=2&per_page=100000")
    assert last.status_code == 200
    assert "150\xa0000,00" in last.content.decode()  # 120 x 1 250 at the end
    assert client.get(url + "&page=99").status_code == 200
    export = client.get(url + "&_export=csv").content.decode()
    assert export.count("\n") == 121  # header and every line, not only a page


def test_search_finds_accounts_and_vouchers(ledger, customer, finance):
    from samspill.accounting.tests.test_services import sale
    from samspill.platform import registry

    services.post_entries([sale(customer)], actor=None)
    found = {p.key: [h.title for h in hits] for p, hits in registry.search(finance, "SAL 2026-1")}
    assert found["accounting"] == ["SAL 2026-1"]
    found = {p.key: [h.title for h in hits] for p, hits in registry.search(finance, "1500")}
    assert found["accounting"] == ["1500 Kunder"]


def test_voucher_form_preview_shows_vat_lines_and_the_difference(ledger, finance, login):
    from samspill.accounting.models import JournalEntry

    client = login(finance)
    data = {
        "journal": "GEN",
        "date": "2026-03-10",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-0-account": "6800",
        "lines-0-debit": "100",
        "lines-0-vat_code": "1",
        "lines-1-account": "1920",
        "lines-1-credit": "100",
    }
    page = client.post(
        "/accounting/entries/preview/", data, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "2710" in page and "25,00" in page  # the VAT line, in the user's Norwegian
    assert "25,00." in page  # not balanced by the VAT amount
    balanced = client.post(
        "/accounting/entries/preview/", {**data, "lines-1-credit": "125"}
    ).content.decode()
    assert "I balanse" in balanced
    unknown = client.post(
        "/accounting/entries/preview/", {**data, "lines-0-account": "9999"}
    ).content.decode()
    assert "konto som finnes" in unknown
    assert not JournalEntry.objects.exists()


def test_new_accounts_from_the_page_and_the_api(ledger, finance, login, api):
    from samspill.accounting.models import Account

    client = login(finance)
    assert client.get("/accounting/accounts/new/").status_code == 200
    bad = client.post("/accounting/accounts/new/", {"number": "12", "name": "x", "kind": "asset"})
    assert bad.status_code == 422 and not Account.objects.filter(number="12").exists()
    made = client.post(
        "/accounting/accounts/new/",
        {
            "number": "1921",
            "name": "Sparekonto",
            "kind": "asset",
            "active": "on",
            "reconcilable": "on",
        },
    )
    assert made.status_code == 302
    account = Account.objects.get(number="1921")
    assert account.normal_side == "debit" and account.reconcilable and account.vat_usage == "none"
    response = api(finance).post(
        "/api/v1/accounting/accounts",
        {"number": "3060", "name": "Uttak", "kind": "income", "default_vat_code": "3"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["normal_side"] == "credit" and response.json()["vat_usage"] == "sales"
    again = api(finance).post(
        "/api/v1/accounting/accounts",
        {"number": "3060", "name": "Uttak", "kind": "income"},
        content_type="application/json",
    )
    assert again.status_code == 422
    wrong_vat = api(finance).post(
        "/api/v1/accounting/accounts",
        {"number": "1922", "name": "Bank", "kind": "asset", "default_vat_code": "3"},
        content_type="application/json",
    )
    assert wrong_vat.status_code == 422 and not Account.objects.filter(number="1922").exists()
