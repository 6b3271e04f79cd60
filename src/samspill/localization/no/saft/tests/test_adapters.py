"""The SAF-T export through its adapters: the API, the page and the command line."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from lxml import etree

from samspill.localization.no.saft.exporter import NS
from samspill.localization.no.saft.tests.conftest import validate

URL = "/api/v1/accounting/saft"


def body(response) -> bytes:
    return b"".join(response.streaming_content)


# --- API -----------------------------------------------------------------------------------


def test_api_returns_the_file(ledger, api, make_user, tmp_path):
    client = api(make_user("finance"))
    response = client.get(URL, {"from": "2026-01-01", "to": "2026-03-31"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="SAF-T Financial_998877660_')
    path = tmp_path / "api.xml"
    path.write_bytes(body(response))
    assert validate(path).returncode == 0
    root = etree.fromstring(path.read_bytes())
    assert root.findtext(f"{{{NS}}}GeneralLedgerEntries/{{{NS}}}NumberOfEntries") == "7"


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"from": "2026-03-01", "to": "2026-02-01"}, "range_reversed"),
        ({"from": "2025-12-01", "to": "2026-01-31"}, "range_across_fiscal_years"),
        ({"from": "2030-01-01", "to": "2030-01-31"}, "no_fiscal_year"),
    ],
)
def test_api_bad_ranges_are_problem_json(ledger, api, make_user, params, code):
    from samspill.platform.models import AuditEntry

    response = api(make_user("finance")).get(URL, params)
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["code"] == code
    assert not AuditEntry.objects.filter(action="export").exists()


def test_api_bad_dates_and_missing_parameters(ledger, api, make_user):
    client = api(make_user("finance"))
    for params in ({"from": "2026-13-01", "to": "2026-12-31"}, {"from": "2026-01-01"}):
        response = client.get(URL, params)
        assert response.status_code == 422
        assert response["Content-Type"].startswith("application/problem+json")


def test_api_refuses_other_roles(ledger, api, make_user):
    response = api(make_user("sales")).get(URL, {"from": "2026-01-01", "to": "2026-01-31"})
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/problem+json")


# --- Page ----------------------------------------------------------------------------------


def page_url():
    return reverse("saft:export")


def test_page_previews_and_downloads(ledger, login, make_user):
    from samspill.accounting.models import FiscalYear

    client = login(make_user("management"))
    year = FiscalYear.objects.get(name="2026")
    response = client.get(page_url())
    assert response.status_code == 200
    assert "SAF-T" in response.text
    preview = client.get(page_url(), {"fiscal_year": year.pk, "period_from": 1, "period_to": 2})
    assert preview.status_code == 200
    totals = preview.context["totals"]
    assert (totals.entries, totals.lines) == (
        6,
        23,
    )  # 13 lines entered, 7 VAT lines, 3 in the reversal
    assert [j.code for j in totals.journals] == ["BNK", "PUR", "SAL"]
    download = client.post(page_url(), {"fiscal_year": year.pk, "period_from": 1, "period_to": 2})
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="SAF-T Financial_')
    root = etree.fromstring(body(download))
    criteria = [c.text for c in root.find(f"{{{NS}}}Header/{{{NS}}}SelectionCriteria")]
    assert criteria == ["1", "2026", "2", "2026"]


def test_page_shows_errors_for_a_reversed_range(ledger, login, make_user):
    from samspill.accounting.models import FiscalYear
    from samspill.platform.models import AuditEntry

    client = login(make_user("finance"))
    year = FiscalYear.objects.get(name="2026")
    response = client.post(page_url(), {"fiscal_year": year.pk, "period_from": 5, "period_to": 2})
    assert response.status_code == 422
    assert response.context["form"].errors["period_to"]
    response = client.get(page_url(), {"fiscal_year": "nope", "period_from": 1, "period_to": 2})
    assert response.status_code == 422
    assert not AuditEntry.objects.filter(action="export").exists()


def test_page_without_company_says_so(db, login, make_user):
    from samspill.accounting import services as accounting

    year = accounting.open_fiscal_year(actor=None, start=date(2026, 1, 1))
    client = login(make_user("finance"))
    response = client.post(page_url(), {"fiscal_year": year.pk, "period_from": 1, "period_to": 12})
    assert response.status_code == 422
    [error] = response.context["form"].non_field_errors()
    assert "SAF-T" in error
    assert error in response.text


def test_page_is_for_finance_and_management_only(ledger, login, make_user):
    assert login(make_user("sales")).get(page_url()).status_code == 403


def test_empty_state_without_fiscal_years(db, login, make_user):
    response = login(make_user("finance")).get(page_url())
    assert response.status_code == 200
    assert response.context["has_years"] is False


def test_nav_entry_for_finance(ledger, login, make_user):
    response = login(make_user("finance")).get(page_url())
    assert page_url() in response.text


# --- Command line --------------------------------------------------------------------------


def test_command_writes_the_file(ledger, tmp_path, make_user):
    make_user("finance", username="frida")
    target = tmp_path / "out.xml"
    out = StringIO()
    call_command(
        "export-saft", "--from", "2026-01-01", "--to", "2026-12-31", "--output", str(target),
        "--user", "frida", stdout=out, verbosity=0,
    )  # fmt: skip
    assert "7 vouchers" in out.getvalue()
    assert validate(target).returncode == 0
    assert not list(tmp_path.glob("*.part"))


def test_command_into_a_directory_uses_the_recommended_name(ledger, tmp_path):
    call_command(
        "export-saft", "--from", "2026-01-01", "--to", "2026-01-31", "--output", str(tmp_path),
        stdout=StringIO(), verbosity=0,
    )  # fmt: skip
    [written] = tmp_path.iterdir()
    assert written.name.startswith("SAF-T Financial_998877660_")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2026-03-01", "--to", "2026-01-01"], "start date is after"),
        (["--from", "2026-01-01", "--to", "2027-01-31"], "one fiscal year"),
        (["--from", "yesterday", "--to", "2026-01-31"], "not a date"),
        (["--from", "2026-01-01", "--to", "2026-01-31", "--user", "ghost"], "No active user"),
    ],
)
def test_command_bad_input(ledger, tmp_path, args, message):
    from django.utils import translation

    target = tmp_path / "x.xml"
    with translation.override("en"), pytest.raises(CommandError, match=message):
        call_command("export-saft", *args, "--output", str(target), stdout=StringIO(), verbosity=0)
    assert not target.exists()


def test_page_and_errors_speak_norwegian(ledger, login, make_user):
    from django.utils import translation

    from samspill.accounting.models import FiscalYear
    from samspill.localization.no.saft import selection
    from samspill.platform.errors import ValidationFailed

    client = login(make_user("finance"))
    year = FiscalYear.objects.get(name="2026")
    response = client.get(
        page_url(),
        {"fiscal_year": year.pk, "period_from": 1, "period_to": 3},
        HTTP_ACCEPT_LANGUAGE="nb",
    )
    assert "Last ned SAF-T-fil" in response.text
    with translation.override("nb"), pytest.raises(ValidationFailed) as caught:
        selection.resolve(date(2026, 2, 1), date(2026, 1, 1))
    assert str(caught.value) == "Startdatoen er etter sluttdatoen."


def test_preview_page_has_a_fixed_query_budget(
    ledger, login, make_user, django_assert_max_num_queries
):
    from samspill.accounting.models import FiscalYear

    client = login(make_user("finance"))
    year = FiscalYear.objects.get(name="2026")
    with django_assert_max_num_queries(16):
        response = client.get(
            page_url(), {"fiscal_year": year.pk, "period_from": 1, "period_to": 12}
        )
    assert response.status_code == 200


def test_command_without_user_names_the_finance_lead_as_contact(ledger, tmp_path, make_user):
    from samspill.organization import services as organization

    lead = make_user("finance", first_name="Randi", last_name="Regnskap")
    organization.create_team(
        actor=None, name="Regnskap", department=ledger["department"], lead=None
    )
    finance = organization.create_department(
        actor=None, name="Økonomi", code="OKO", function="finance"
    )
    organization.create_team(actor=None, name="Bokføring", department=finance, lead=lead)
    target = tmp_path / "out.xml"
    call_command(
        "export-saft", "--from", "2026-01-01", "--to", "2026-01-31", "--output", str(target),
        stdout=StringIO(), verbosity=0,
    )  # fmt: skip
    person = (
        etree.parse(str(target))
        .getroot()
        .find(f"{{{NS}}}Header/{{{NS}}}Company/{{{NS}}}Contact/{{{NS}}}ContactPerson")
    )
    assert [child.text for child in person] == ["Randi", "Regnskap"]
