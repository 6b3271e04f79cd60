"""The shared pagination of every API list."""

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.urls("samspill.api.tests.urls")]


def test_default_page(api, admin_user, settings):
    settings.SAMSPILL = {**settings.SAMSPILL, "PAGE_SIZE": 50, "MAX_PAGE_SIZE": 100}
    body = api(admin_user).get("/api/test/numbers").json()
    assert set(body) == {"items", "count", "page", "page_size"}
    assert (body["count"], body["page"], body["page_size"]) == (123, 1, 50)
    assert [item["n"] for item in body["items"]] == list(range(1, 51))


def test_page_and_size(api, admin_user):
    body = api(admin_user).get("/api/test/numbers?page=3&page_size=20").json()
    assert (body["page"], body["page_size"]) == (3, 20)
    assert [item["n"] for item in body["items"]] == list(range(41, 61))


def test_page_size_is_capped(api, admin_user, settings):
    settings.SAMSPILL = {**settings.SAMSPILL, "MAX_PAGE_SIZE": 100}
    body = api(admin_user).get("/api/test/numbers?page_size=100000").json()
    assert body["page_size"] == 100
    assert len(body["items"]) == 100


def test_page_after_the_last_is_empty(api, admin_user):
    body = api(admin_user).get("/api/test/numbers?page=99").json()
    assert (body["items"], body["count"]) == ([], 123)


@pytest.mark.parametrize("query", ["page=0", "page_size=0", "page=x"])
def test_bad_page_parameters_are_a_problem(api, admin_user, query):
    response = api(admin_user).get(f"/api/test/numbers?{query}")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
