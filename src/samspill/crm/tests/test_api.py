"""/api/v1/crm: problem+json errors, pagination, the public web lead endpoint."""

import json
import time
from datetime import timedelta

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from samspill.crm.models import Lead, Opportunity, Stage
from samspill.crm.services.leads import SIGNING_SALT
from samspill.crm.tests.factories import (
    ActivityFactory,
    LeadFactory,
    OpportunityFactory,
    WebFormFactory,
)
from samspill.parties.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_lead_crud_and_conversion(api, sales):
    client = api(sales)
    response = post(
        client,
        "/api/v1/crm/leads",
        {"name": "Kari Nordmann", "company_name": "Fjordlys AS", "email": "kari@fjordlys.example"},
    )
    assert response.status_code == 201, response.content
    lead_id = response.json()["id"]
    response = client.get("/api/v1/crm/leads?status=new")
    assert response.json()["count"] == 1
    response = client.patch(
        f"/api/v1/crm/leads/{lead_id}",
        json.dumps({"phone": "41234567"}),
        content_type="application/json",
    )
    assert response.json()["phone"] == "+4741234567"
    assert client.get(f"/api/v1/crm/leads/{lead_id}/duplicates").json() == []
    response = post(client, f"/api/v1/crm/leads/{lead_id}/convert", {"expected_revenue": "50000"})
    assert response.status_code == 201, response.content
    body = response.json()
    opportunity = client.get(f"/api/v1/crm/opportunities/{body['opportunity_id']}").json()
    assert (
        opportunity["party_id"] == body["party_id"]
        and opportunity["expected_revenue"] == "50000.00"
    )
    response = post(client, f"/api/v1/crm/leads/{lead_id}/convert", {})
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "lead_closed"


def test_bad_input_is_a_problem_not_a_500(api, sales):
    client = api(sales)
    response = post(client, "/api/v1/crm/leads", {"name": "X", "email": "nope", "orgnr": "1"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_failed" and {"email", "orgnr"} <= set(body["errors"])
    assert client.get("/api/v1/crm/leads/999999").status_code == 404
    response = post(
        client,
        "/api/v1/crm/opportunities",
        {"name": "X", "party_id": 99999, "close_date": "2027-01-01"},
    )
    assert response.status_code == 422
    assert Lead.objects.count() == 0 and Opportunity.objects.count() == 0


def test_marketing_may_not_open_opportunities(api, make_user):
    client = api(make_user("marketing"))
    party = OrganizationFactory()
    response = post(
        client,
        "/api/v1/crm/opportunities",
        {"name": "X", "party_id": party.pk, "close_date": "2027-01-01"},
    )
    assert response.status_code == 403
    assert client.get("/api/v1/crm/leads").status_code == 200


def test_move_win_and_lose_through_the_api(api, sales):
    client = api(sales)
    opportunity = OpportunityFactory()
    won = Stage.objects.get(is_won=True)
    response = post(
        client, f"/api/v1/crm/opportunities/{opportunity.pk}/move", {"stage_id": won.pk}
    )
    assert response.json()["status"] == "won"
    other = OpportunityFactory()
    response = post(client, f"/api/v1/crm/opportunities/{other.pk}/lost", {"reason": ""})
    assert response.status_code == 422 and response.json()["code"] == "reason_required"
    response = post(client, f"/api/v1/crm/opportunities/{other.pk}/lost", {"reason": "Pris"})
    assert response.json()["status"] == "lost"


def test_lists_have_a_fixed_number_of_queries(api, sales, django_assert_max_num_queries):
    client = api(sales)
    OpportunityFactory.create_batch(3)
    ActivityFactory.create_batch(3)
    client.get("/api/v1/crm/opportunities")
    with django_assert_max_num_queries(8):
        first = client.get("/api/v1/crm/opportunities")
    OpportunityFactory.create_batch(20)
    ActivityFactory.create_batch(20)
    with django_assert_max_num_queries(8):
        second = client.get("/api/v1/crm/opportunities")
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/crm/activities").json()["count"] == 23
    assert first.json()["count"] == 3 and second.json()["count"] == 23


def test_forecast_endpoint(api, sales):
    OpportunityFactory(expected_revenue="1000", close_date=timezone.localdate() + timedelta(days=3))
    rows = api(sales).get("/api/v1/crm/forecast?group=month").json()
    assert len(rows) == 1 and rows[0]["weighted"] == "100.00"
    assert api(sales).get("/api/v1/crm/forecast?group=colour").status_code == 422


def test_activities_api(api, sales):
    client = api(sales)
    party = OrganizationFactory()
    due = (timezone.now() - timedelta(hours=1)).isoformat()
    response = post(
        client,
        "/api/v1/crm/activities",
        {"subject": "Ring", "kind": "call", "due_at": due, "party_id": party.pk},
    )
    assert response.status_code == 201, response.content
    activity_id = response.json()["id"]
    assert response.json()["is_overdue"] is True
    assert client.get("/api/v1/crm/activities?mine=true&state=overdue").json()["count"] == 1
    response = post(client, f"/api/v1/crm/activities/{activity_id}/complete", {"outcome": "Ok"})
    assert response.json()["completed_at"]
    assert client.delete(f"/api/v1/crm/activities/{activity_id}").status_code == 204


# --- The public web lead endpoint -------------------------------------------------------------


def test_web_lead_endpoint_needs_no_login(settings):
    settings.SAMSPILL = {**settings.SAMSPILL, "CRM_WEB_FORM_MIN_SECONDS": 0}
    form = WebFormFactory(thank_you="Takk!")
    anonymous = Client()
    token = anonymous.get(f"/api/v1/crm/web-leads/token?form_key={form.key}").json()["token"]
    response = post(
        anonymous,
        "/api/v1/crm/web-leads",
        {
            "form_key": form.key,
            "token": token,
            "name": "Nett Kunde",
            "email": "nett@example.no",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["message"] == "Takk!"
    assert Lead.objects.get().source == "web_form"
    assert anonymous.get("/api/v1/crm/web-leads/token?form_key=wrong").status_code == 404


def test_web_lead_flood_gets_429_problem(settings):
    settings.SAMSPILL = {**settings.SAMSPILL, "CRM_WEB_LEADS_PER_WINDOW": 3}
    form = WebFormFactory()
    token = signing.dumps({"k": form.key, "t": time.time() - 30}, salt=SIGNING_SALT, compress=True)
    anonymous = Client(REMOTE_ADDR="192.0.2.7")
    statuses = [
        post(
            anonymous,
            "/api/v1/crm/web-leads",
            {"form_key": form.key, "token": token, "name": f"N{i}", "email": f"n{i}@example.no"},
        ).status_code
        for i in range(5)
    ]
    assert statuses == [201, 201, 201, 429, 429]
    response = post(
        anonymous,
        "/api/v1/crm/web-leads",
        {"form_key": form.key, "token": token, "name": "N", "email": "n@example.no"},
    )
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "rate_limited" and body["retry_after"] > 0
    assert Lead.objects.count() == 3


def test_web_lead_honeypot_and_speed(settings):
    form = WebFormFactory()
    anonymous = Client()
    token = anonymous.get(f"/api/v1/crm/web-leads/token?form_key={form.key}").json()["token"]
    response = post(
        anonymous,
        "/api/v1/crm/web-leads",
        {"form_key": form.key, "token": token, "name": "Rask", "email": "r@example.no"},
    )
    assert response.status_code == 422 and response.json()["code"] == "too_fast"
    old = signing.dumps({"k": form.key, "t": time.time() - 30}, salt=SIGNING_SALT, compress=True)
    response = post(
        anonymous,
        "/api/v1/crm/web-leads",
        {
            "form_key": form.key,
            "token": old,
            "name": "Bot",
            "email": "b@example.no",
            "website": "http://x",
        },
    )
    assert response.status_code == 422 and response.json()["code"] == "spam_suspected"
    assert Lead.objects.count() == 0


def test_import_through_the_api(api, sales):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "leads.csv", b"name,email\nKari,kari@example.no\nPer,ugyldig\n", "text/csv"
    )
    response = api(sales).post("/api/v1/crm/leads/import", {"file": upload})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["created"] == 1 and body["errors"][0]["row"] == 3
    LeadFactory()


def test_score_rules_and_web_forms_api(api, sales, make_user):
    client = api(sales)
    LeadFactory(company_name="Firma AS")
    response = post(
        client,
        "/api/v1/crm/score-rules",
        {"field": "company_name", "operator": "is_set", "points": 12},
    )
    assert response.status_code == 201
    assert Lead.objects.get().score == 12
    rule_id = response.json()["id"]
    response = client.patch(
        f"/api/v1/crm/score-rules/{rule_id}",
        json.dumps({"operator": "contains"}),
        content_type="application/json",
    )
    assert response.status_code == 422 and "value" in response.json()["errors"]
    assert client.delete(f"/api/v1/crm/score-rules/{rule_id}").status_code == 204
    assert Lead.objects.get().score == 0
    response = post(
        client, "/api/v1/crm/web-forms", {"name": "Kampanje", "default_owner_id": sales.pk}
    )
    assert response.status_code == 201 and len(response.json()["key"]) > 20
    assert client.get("/api/v1/crm/web-forms").json()["count"] == 1
    assert api(make_user("service")).get("/api/v1/crm/web-forms").status_code == 403


def test_web_lead_api_may_be_called_from_any_website(settings):
    """CORS for the public endpoints only: preflight, success and problem answers."""
    settings.SAMSPILL = {
        **settings.SAMSPILL,
        "CRM_WEB_LEADS_PER_WINDOW": 1,
        "CRM_WEB_FORM_MIN_SECONDS": 0,
    }
    form = WebFormFactory()
    browser = Client(HTTP_ORIGIN="https://www.kunde.example")
    preflight = browser.options(
        "/api/v1/crm/web-leads",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type",
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight["Access-Control-Allow-Methods"]
    token = browser.get(f"/api/v1/crm/web-leads/token?form_key={form.key}")
    assert token["Access-Control-Allow-Origin"] == "*"
    body = {
        "form_key": form.key,
        "token": token.json()["token"],
        "name": "Nett",
        "email": "n@example.no",
    }
    assert post(browser, "/api/v1/crm/web-leads", body)["Access-Control-Allow-Origin"] == "*"
    flooded = post(browser, "/api/v1/crm/web-leads", body)
    assert flooded.status_code == 429 and flooded["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in Client().get("/api/v1/crm/leads")
