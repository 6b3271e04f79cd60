"""Report pages, their CSV/XLSX/PDF exports, the matching screen and the report API."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from samspill.accounting import services
from samspill.accounting.models import Account, JournalLine
from samspill.localization.no.models import VatCode

pytestmark = pytest.mark.django_db
D = Decimal
YEAR = "date_from=2026-01-01&date_to=2026-12-31"


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def books(ledger, customer):
    """A sale with VAT, a part payment and a purchase, in March 2026."""
    sale = services.create_entry(
        actor=None,
        journal="SAL",
        date=date(2026, 3, 10),
        description="Coffee machine",
        lines=[
            {"account": "1500", "debit": D("1250"), "party": customer.pk, "due_date": "2026-03-24"},
            {"account": "3000", "credit": D("1000"), "vat_code": "3"},
        ],
        post=True,
    )
    payment = services.create_entry(
        actor=None,
        journal="BNK",
        date=date(2026, 3, 20),
        description="Payment",
        lines=[
            {"account": "1920", "debit": D("1250")},
            {"account": "1500", "credit": D("1250"), "party": customer.pk},
        ],
        post=True,
    )
    services.create_entry(
        actor=None,
        journal="GEN",
        date=date(2026, 3, 12),
        description="Office supplies",
        lines=[
            {"account": "6800", "debit": D("400"), "vat_code": "1"},
            {"account": "1920", "credit": D("500")},
        ],
        post=True,
    )
    return sale, payment


def line_on(entry, number):
    return entry.lines.get(account__number=number)


def test_reports_index_and_navigation(login, finance, books):
    client = login(finance)
    page = client.get(reverse("accounting:reports"))
    assert page.status_code == 200
    for name in ("trial_balance", "general_ledger", "vat_report", "open_items"):
        assert reverse(f"accounting:{name}") in page.content.decode()
    home = client.get("/").content.decode()
    assert reverse("accounting:reports") in home


@pytest.mark.parametrize(
    ("name", "query", "expected"),
    [
        ("trial_balance", YEAR, ["1500", "1920", "3000"]),
        ("general_ledger", YEAR, ["Coffee machine", "Office supplies"]),
        ("profit_and_loss", YEAR, ["3000", "6800"]),
        ("balance_sheet", YEAR, ["1920", "2700"]),
        ("vat_report", "date_from=2026-03-01&date_to=2026-04-30", ["Salg, alminnelig sats"]),
        ("open_items", "account=1500&at=2026-03-15", ["Fjord Kaffe AS"]),
    ],
)
def test_report_pages_and_exports(login, finance, books, name, query, expected):
    client = login(finance)
    url = f"{reverse(f'accounting:{name}')}?{query}"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    for text in expected:
        assert text in html
    assert "_export=pdf" in html
    csv_response = client.get(url + "&_export=csv")
    assert csv_response.status_code == 200
    body = csv_response.content.decode()
    for text in expected:
        assert text in body
    xlsx = client.get(url + "&_export=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    pdf = client.get(url + "&_export=pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    for snippet in expected:
        assert snippet in text
    assert "Side 1 / 1" in text  # the user speaks nb


def test_account_statement_pdf(login, finance, books):
    account = Account.objects.get(number="1920")
    url = reverse("accounting:account_statement", args=[account.pk]) + f"?{YEAR}&_export=pdf"
    text = pdf_text(login(finance).get(url).content)
    assert "Konto 1920" in text and "Office supplies" in text and "750,00" in text


def test_vat_report_shows_standard_codes_terms_and_drills_down(login, finance, books):
    client = login(finance)
    html = client.get(
        reverse("accounting:vat_report") + "?date_from=2026-03-01&date_to=2026-04-30"
    ).content.decode()
    assert "Termin 2" in html and "Å betale" in html and "150,00" in html
    code = VatCode.objects.get(code="3")
    drill = reverse("accounting:vat_code_lines", args=[code.pk])
    assert drill in html
    lines = client.get(drill + "?date_from=2026-03-01&date_to=2026-04-30").content.decode()
    assert "Coffee machine" in lines and "2700" in lines
    rows = list(
        csv.reader(io.StringIO(client.get(drill + f"?{YEAR}&_export=csv").content.decode()))
    )
    assert [row[2] for row in rows[1:]] == ["3000", "2700"]


def test_general_ledger_page_has_a_fixed_number_of_queries(
    login, finance, books, django_assert_max_num_queries
):
    client = login(finance)
    url = reverse("accounting:general_ledger") + f"?{YEAR}"
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    numbers = ["6300", "6800", "7000", "7770", "4000", "5000"]
    for i in range(30):
        services.create_entry(
            actor=None,
            journal="GEN",
            date=date(2026, 4, 1 + i % 28),
            lines=[
                {"account": numbers[i % 6], "debit": "1"},
                {"account": "1920", "credit": "1", "party": None},
            ],
            post=True,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert page.status_code == 200
    filtered = client.get(url + "&journal=BNK&account_from=1900&account_to=1999").content.decode()
    assert "Payment" in filtered and "Coffee machine" not in filtered


def test_bad_dates_are_a_clear_message(login, finance, books):
    page = login(finance).get(
        reverse("accounting:general_ledger") + "?date_from=2026-05-01&date_to=2026-01-01"
    )
    assert "Startdatoen er etter sluttdatoen." in page.content.decode()


def test_matching_screen_matches_and_unmatches(login, finance, books, customer):
    sale, payment = books
    account = Account.objects.get(number="1500")
    url = reverse("accounting:party_open_items", args=[account.pk, customer.pk])
    client = login(finance)
    page = client.get(url + "?at=2026-03-31").content.decode()
    assert "Coffee machine" in page and "Payment" in page and "Avstem automatisk" in page
    lines = [line_on(sale, "1500").pk, line_on(payment, "1500").pk]
    response = client.post(url, {"action": "match", "lines": lines, "at": "2026-03-31"})
    assert response.status_code == 302
    assert set(JournalLine.objects.filter(pk__in=lines).values_list("match", flat=True)) == {
        lines[0]
    }
    assert "Ingen åpne poster." in client.get(url + "?at=2026-03-31").content.decode()
    client.post(url, {"action": "unmatch", "match": lines[0]})
    assert not JournalLine.objects.filter(match__isnull=False).exists()
    client.post(url, {"action": "auto"})
    assert JournalLine.objects.filter(match=lines[0]).count() == 2


def test_matching_screen_refuses_other_lines_and_bad_selections(
    login, finance, books, customer, make_user
):
    sale, _payment = books
    account = Account.objects.get(number="1500")
    url = reverse("accounting:party_open_items", args=[account.pk, customer.pk])
    client = login(finance)
    foreign = line_on(sale, "3000").pk
    response = client.post(url, {"action": "match", "lines": [line_on(sale, "1500").pk, foreign]})
    assert response.status_code == 404
    response = client.post(url, {"action": "match", "lines": [line_on(sale, "1500").pk]})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Velg minst to linjer å avstemme." in page
    assert not JournalLine.objects.filter(match__isnull=False).exists()
    viewer = login(make_user("management"))
    assert viewer.get(url).status_code == 200
    assert viewer.post(url, {"action": "auto"}).status_code == 403
    assert not JournalLine.objects.filter(match__isnull=False).exists()


def test_api_reports(api, finance, books, customer):
    client = api(finance)
    vat = client.get("/api/v1/accounting/reports/vat?year=2026&term=2").json()
    assert [(r["code"], r["standard_code"], r["basis"]) for r in vat["rows"]] == [
        ("3", "3", "1000.00"),
        ("1", "1", "400.00"),
    ]
    assert (vat["output_vat"], vat["input_vat"], vat["to_pay"]) == ("250.00", "100.00", "150.00")
    lines = client.get("/api/v1/accounting/reports/vat/3/lines?year=2026&term=2").json()
    assert lines["count"] == 2 and lines["items"][1]["account"] == "2700"
    ledger = client.get(
        f"/api/v1/accounting/reports/general-ledger?{YEAR}&account_from=1920&account_to=1920"
    ).json()
    (bank,) = ledger["accounts"]
    assert (bank["number"], bank["opening"], bank["closing"], ledger["count"]) == (
        "1920",
        "0.00",
        "750.00",
        2,
    )
    assert [line["balance"] for line in bank["lines"]] == ["-500.00", "750.00"]
    ageing = client.get("/api/v1/accounting/reports/open-items?account=1500&at=2026-03-15").json()
    assert ageing["parties"][0]["not_due"] == "1250.00" and ageing["totals"]["total"] == "1250.00"
    items = client.get(
        f"/api/v1/accounting/reports/open-items/1500/{customer.pk}?at=2026-03-31"
    ).json()
    assert [(i["amount"], i["bucket"], len(i["lines"])) for i in items] == [
        ("-1250.00", "days_1_30", 1),  # the payment, due on its date (20 March)
        ("1250.00", "days_1_30", 1),  # the invoice, due 24 March
    ]


def test_api_matching(api, finance, books, customer, make_user):
    sale, payment = books
    client = api(finance)
    ids = [line_on(sale, "1500").pk, line_on(payment, "1500").pk]
    response = client.post(
        "/api/v1/accounting/open-items/match", {"lines": ids}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json() == {"match": ids[0]}
    response = client.post(f"/api/v1/accounting/open-items/{ids[0]}/unmatch")
    assert response.json() == {"released": 2}
    response = client.post(
        "/api/v1/accounting/open-items/auto-match",
        {"account": "1500", "party_id": customer.pk},
        content_type="application/json",
    )
    assert response.json() == {"matches": [ids[0]]}


def test_api_report_bad_input_is_a_problem(api, finance, books, make_user):
    client = api(finance)
    response = client.get("/api/v1/accounting/reports/vat?year=2026&term=7")
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["errors"] == {"term": ["Give a year and a term from 1 to 6."]}
    response = client.get("/api/v1/accounting/reports/vat")
    assert response.status_code == 422
    response = client.get("/api/v1/accounting/reports/open-items?account=3000")
    assert response.status_code == 404
    response = client.get(
        "/api/v1/accounting/reports/general-ledger?date_from=2026-02-01&date_to=2026-01-01"
    )
    assert response.status_code == 422
    response = client.post(
        "/api/v1/accounting/open-items/match", {"lines": [1]}, content_type="application/json"
    )
    assert response.status_code == 422
    assert not JournalLine.objects.filter(match__isnull=False).exists()
    sales = api(make_user("sales"))
    assert sales.get("/api/v1/accounting/reports/vat?year=2026&term=2").status_code == 403
    response = sales.post(
        "/api/v1/accounting/open-items/auto-match", {}, content_type="application/json"
    )
    assert response.status_code == 403
    assert not JournalLine.objects.filter(match__isnull=False).exists()


def test_api_account_statement(api, finance, books):
    client = api(finance)
    body = client.get(
        f"/api/v1/accounting/reports/account-statement/1920?{YEAR}&page_size=1&page=2"
    ).json()
    assert (body["account"], body["opening"], body["count"], body["page"]) == (
        "1920",
        "0.00",
        2,
        2,
    )
    assert [(x["description"], x["balance"]) for x in body["lines"]] == [("", "750.00")]
    missing = client.get(f"/api/v1/accounting/reports/account-statement/9999?{YEAR}")
    assert missing.status_code == 404


def test_report_pages_keep_their_query_count_as_the_ledger_grows(
    login, finance, books, customer, django_assert_max_num_queries
):
    account = Account.objects.get(number="1500")
    urls = [
        reverse("accounting:vat_report") + f"?{YEAR}",
        reverse("accounting:open_items") + "?account=1500&at=2026-12-31",
        reverse("accounting:party_open_items", args=[account.pk, customer.pk]) + "?at=2026-12-31",
        reverse("accounting:profit_and_loss") + f"?{YEAR}",
    ]
    client = login(finance)
    counts = []
    for url in urls:
        client.get(url)
        with django_assert_max_num_queries(30) as captured:
            client.get(url)
        counts.append(len(captured.captured_queries))
    services.post_entries(
        [
            {
                "journal": "SAL",
                "date": date(2026, 4, 1 + n % 28),
                "lines": [
                    {"account": "1500", "debit": "125", "party": customer.pk},
                    {"account": "3000", "credit": "100", "vat_code": "3"},
                ],
            }
            for n in range(40)
        ],
        actor=None,
    )
    for url, count in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200
