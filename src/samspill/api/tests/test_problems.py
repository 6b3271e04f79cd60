"""Every error under /api/ is an RFC 9457 problem+json body."""

import json

import pytest
from django.test import Client
from django.utils import translation

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def assert_problem(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"] == f"https://samspill.org/problems/{code}"
    assert body["title"]
    assert body["detail"]
    return body


@pytest.mark.parametrize(
    "path", ["/api/v1/no-such-thing", "/api/v1/no/such/thing/", "/api/v1/platform/nope"]
)
def test_unknown_api_path_is_a_problem_404(api, admin_user, path):
    body = assert_problem(api(admin_user).get(path), 404, "not_found")
    assert body["instance"] == path


def test_unknown_api_path_is_404_for_anonymous_and_post(client):
    assert_problem(client.get("/api/v1/nothing-here"), 404, "not_found")
    assert_problem(client.post("/api/v1/nothing-here", {}), 404, "not_found")


def test_unknown_path_outside_v1_is_a_problem_too(client):
    assert_problem(client.get("/api/v2/parties"), 404, "not_found")


def test_wrong_method_is_a_problem_405_with_allow(api, admin_user):
    response = api(admin_user).get(
        "/api/v1/platform/events/00000000-0000-0000-0000-000000000000/replay"
    )
    body = assert_problem(response, 405, "method_not_allowed")
    assert response["Allow"] == "POST"
    assert "GET" in body["detail"]


def test_missing_authentication_is_a_problem_401(client):
    response = client.get("/api/v1/platform/events")
    assert_problem(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == 'Bearer realm="samspill"'


def test_anonymous_post_is_401_not_a_csrf_failure():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/v1/platform/events/00000000-0000-0000-0000-000000000000/replay")
    assert_problem(response, 401, "not_authenticated")


def test_session_post_without_csrf_token_is_a_problem_403(admin_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    response = client.post("/api/v1/platform/events/00000000-0000-0000-0000-000000000000/replay")
    assert_problem(response, 403, "csrf_failed")


def test_session_post_with_csrf_token_passes(admin_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    client.get("/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/api/v1/platform/events/00000000-0000-0000-0000-000000000000/replay",
        HTTP_X_CSRFTOKEN=token,
    )
    assert_problem(response, 404, "not_found")  # past the CSRF check, to the service


def test_bearer_token_needs_no_csrf_token(api, admin_user):
    client = api(admin_user)
    client.handler.enforce_csrf_checks = True
    response = client.post("/api/v1/platform/events/00000000-0000-0000-0000-000000000000/replay")
    assert_problem(response, 404, "not_found")


def test_domain_error_is_a_problem_with_its_code(api, make_user):
    response = api(make_user("sales")).get("/api/v1/platform/events")
    assert_problem(response, 403, "permission_denied")


def test_invalid_parameters_are_a_problem_422(api, admin_user):
    response = api(admin_user).get("/api/v1/platform/events?status=lost")
    body = assert_problem(response, 422, "validation_failed")
    assert "status" in body["errors"]


def test_non_json_error_of_a_plain_api_view_becomes_a_problem(client, settings):
    settings.ROOT_URLCONF = "samspill.api.tests.urls"
    response = client.get("/api/plain/")
    assert_problem(response, 418, "http_error")


@pytest.mark.urls("samspill.api.tests.urls")
def test_unhandled_exception_is_a_problem_500(api, admin_user):
    response = api(admin_user).post("/api/test/crash")
    body = assert_problem(response, 500, "server_error")
    assert "boom" not in body["detail"]


def test_csrf_failure_outside_the_api_is_the_html_page(admin_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    response = client.post("/platform/events/00000000-0000-0000-0000-000000000000/retry/")
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
    assert b"CSRF" in response.content or b"csrf" in response.content.lower()


def test_openapi_schema_and_docs_are_served(client):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/platform/events" in paths
    assert "/api/v1/platform/events/{event_id}/replay" in paths
    assert "/api/v1/platform/audit" in paths


def handled(exc, path="/api/v1/things/7"):
    """The API's answer to `exc` raised by an endpoint, as a program would read it."""
    from django.test import RequestFactory

    from samspill.api.urls import api

    response = api.on_exception(RequestFactory().post(path), exc)
    assert response["Content-Type"] == PROBLEM
    return response.status_code, json.loads(response.content)


def test_domain_error_carries_its_field_errors_and_extension_members():
    from samspill.platform.errors import Conflict

    exc = Conflict(
        "The order has been invoiced.",
        code="order_invoiced",
        errors={"lines": ["Invoiced lines cannot change."]},
        extra={"invoice_id": 42, "status": 999, "code": "other", "type": "x"},
    )
    with translation.override("en"):
        status, body = handled(exc)
    assert status == 409
    assert body == {
        "type": "https://samspill.org/problems/order_invoiced",
        "title": "The record is in a state that does not allow this",
        "status": 409,
        "detail": "The order has been invoiced.",
        "instance": "/api/v1/things/7",
        "code": "order_invoiced",
        "errors": {"lines": ["Invoiced lines cannot change."]},
        "invoice_id": 42,
    }


def test_validation_failed_from_django_lists_every_field():
    from django.core.exceptions import ValidationError

    from samspill.platform.errors import ValidationFailed

    exc = ValidationFailed.from_django(
        ValidationError({"name": ["Required."], "orgnr": ["Not valid.", "Taken."]})
    )
    status, body = handled(exc)
    assert status == 422
    assert body["errors"] == {"name": ["Required."], "orgnr": ["Not valid.", "Taken."]}
    assert body["detail"] == "Required."


def test_domain_error_without_details_has_only_the_standard_members():
    from samspill.platform.errors import NotFound

    status, body = handled(NotFound())
    assert status == 404
    assert set(body) == {"type", "title", "status", "detail", "instance", "code"}


def test_duplicate_party_lists_its_candidates_through_the_generic_handler(db):
    from samspill.parties.services import DuplicateParty
    from samspill.parties.tests.factories import OrganizationFactory

    party = OrganizationFactory(name="Fjord Handel AS")
    status, body = handled(DuplicateParty([party]))
    assert status == 409 and body["code"] == "duplicate_party"
    assert [c["id"] for c in body["candidates"]] == [party.pk]
    assert body["candidates"][0]["name"] == "Fjord Handel AS"
