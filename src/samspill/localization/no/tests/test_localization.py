import csv
from decimal import Decimal
from pathlib import Path

import pytest

from samspill.localization.no import queries, services
from samspill.localization.no.chart import CHART
from samspill.localization.no.models import VatCategory, VatCode
from samspill.localization.no.vat import VAT_CATEGORIES, VAT_CODES
from samspill.platform.errors import PermissionDenied, ValidationFailed
from samspill.platform.models import OutboxEvent

SAFT = Path(__file__).resolve().parents[5] / ".." / "shared" / "data" / "saft"
needs_saft = pytest.mark.skipif(
    not SAFT.is_dir(), reason="../shared/data/saft (the official SAF-T code lists) is absent"
)


def _rows(path: Path, encoding: str):
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


@needs_saft
def test_every_vat_code_is_an_official_saft_standard_tax_code():
    rows = _rows(SAFT / "Standard Tax Codes" / "CSV" / "Standard_Tax_Codes.csv", "utf-8-sig")
    official = {row["Code"] for row in rows}
    assert {spec.standard_code for spec in VAT_CODES} <= official
    assert {spec.code for spec in VAT_CODES} == {spec.standard_code for spec in VAT_CODES}
    rates = {spec.rate for spec in VAT_CODES}
    assert {Decimal("25"), Decimal("15"), Decimal("12"), Decimal("0")} <= rates
    treatments = {spec.treatment for spec in VAT_CODES}
    assert {"standard", "zero", "exempt", "reverse_charge", "import"} <= treatments


@needs_saft
def test_every_account_maps_to_an_official_standard_account_and_grouping_code():
    standard = _rows(
        SAFT
        / "General Ledger Standard Accounts"
        / "CSV"
        / "General_Ledger_Standard_Accounts_4_character.csv",
        "latin-1",
    )
    accounts = {row["AccountID"] for row in standard}
    grouping = _rows(
        SAFT
        / "SAF-T_Financial_1.3"
        / "Grouping Category Code"
        / "CSV"
        / "naeringsspesifikasjon.csv",
        "utf-8-sig",
    )
    pairs = {(row["GroupingCategory"], row["GroupingCode"]) for row in grouping}
    for spec in CHART:
        assert spec.standard_account in accounts, spec.number
        assert (spec.grouping_category, spec.grouping_code) in pairs, spec.number
    numbers = [spec.number for spec in CHART]
    assert len(numbers) == len(set(numbers))
    assert {n[0] for n in numbers} == set("12345678")
    codes = {spec.code for spec in VAT_CODES}
    vat_accounts = {n for spec in VAT_CODES for n in (spec.account, spec.deduction_account) if n}
    assert vat_accounts <= set(numbers)
    assert {spec.vat_code for spec in CHART if spec.vat_code} <= codes


def test_category_map_uses_exactly_the_catalog_keys_and_right_rates():
    assert set(VAT_CATEGORIES) == {"standard", "food", "low", "zero", "exempt"}
    by_code = {spec.code: spec for spec in VAT_CODES}
    rates = {key: by_code[sales].rate for key, (sales, _purchase) in VAT_CATEGORIES.items()}
    assert rates == {
        "standard": Decimal("25"),
        "food": Decimal("15"),
        "low": Decimal("12"),
        "zero": Decimal("0"),
        "exempt": Decimal("0"),
    }
    assert by_code[VAT_CATEGORIES["exempt"][0]].treatment == "exempt"
    assert by_code[VAT_CATEGORIES["zero"][0]].treatment == "zero"


@pytest.mark.django_db
def test_loader_is_idempotent_and_keeps_user_edits():
    created = services.load_vat_codes(actor=None)
    assert len(created) == len(VAT_CODES)
    assert VatCategory.objects.count() == 5
    services.update_vat_code(VatCode.objects.get(code="3"), actor=None, name="Høy sats")
    assert services.load_vat_codes(actor=None) == []
    assert VatCode.objects.get(code="3").name == "Høy sats"
    assert OutboxEvent.objects.filter(type="localization.vat_codes.loaded").count() == 1
    assert queries.vat_code_for_category("food").code == "31"
    assert queries.vat_code_for_category("food", "purchase").code == "11"


@pytest.mark.django_db
def test_bad_changes_are_refused(make_user):
    services.load_vat_codes(actor=None)
    code = VatCode.objects.get(code="3")
    with pytest.raises(ValidationFailed) as exc:
        services.update_vat_code(code, actor=None, account="")
    assert "account" in exc.value.errors
    with pytest.raises(ValidationFailed):
        services.update_vat_code(code, actor=None, code="99")
    with pytest.raises(ValidationFailed):
        services.map_vat_category("food", actor=None, sales_code="1", purchase_code="11")
    with pytest.raises(PermissionDenied):
        services.update_vat_code(code, actor=make_user("sales"), name="x")
    code.refresh_from_db()
    assert code.account == "2700"


@pytest.mark.django_db
def test_api_and_pages(api, login, make_user):
    finance = make_user("finance")
    services.load_vat_codes(actor=None)
    client = api(finance)
    listing = client.get("/api/v1/localization/no/vat-codes?direction=sales").json()
    assert {row["code"] for row in listing["items"]} == {"3", "31", "33", "5", "51", "52", "6", "7"}
    response = client.patch(
        "/api/v1/localization/no/vat-codes/3", {"rate": "-1"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    response = client.put(
        "/api/v1/localization/no/vat-categories/low",
        {"sales_code": "3", "purchase_code": "1"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["sales_code"] == "3"

    web = login(finance)
    assert web.get("/localization/no/vat-codes/").status_code == 200
    page = web.post("/localization/no/vat-codes/31/", {"name": "", "rate": "15"})
    assert page.status_code == 422
    page = web.post(
        "/localization/no/vat-codes/31/",
        {"name": "Mat", "rate": "15", "account": "2701", "active": "on"},
    )
    assert page.status_code == 302
    assert VatCode.objects.get(code="31").name == "Mat"
    assert login(make_user("sales")).get("/localization/no/vat-codes/31/").status_code == 403
