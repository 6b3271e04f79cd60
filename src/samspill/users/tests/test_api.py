import pytest

from samspill.platform.models import OutboxEvent
from samspill.users.models import User

pytestmark = pytest.mark.django_db


def test_me_and_patch_me(make_user, api):
    user = make_user("sales", username="ingrid", first_name="Ingrid")
    client = api(user)
    body = client.get("/api/v1/users/me").json()
    assert body["username"] == "ingrid"
    assert body["roles"] == ["sales"]
    response = client.patch(
        "/api/v1/users/me",
        {"language": "en", "last_name": "Berg"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["language"] == "en"
    assert response.json()["last_name"] == "Berg"
    assert OutboxEvent.objects.get(type="users.user.updated").channel == "api"


def test_patch_me_bad_time_zone_is_problem_json(make_user, api):
    user = make_user()
    response = api(user).patch(
        "/api/v1/users/me", {"time_zone": "Atlantis/Capital"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert "time_zone" in response.json()["errors"]
    user.refresh_from_db()
    assert user.time_zone == "Europe/Oslo"


def test_admin_lists_creates_sets_roles_and_deactivates(admin_user, make_user, api):
    client = api(admin_user)
    response = client.post(
        "/api/v1/users/",
        {
            "username": "ny",
            "email": "ny@example.no",
            "roles": ["it"],
            "password": "et-langt-passord",
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    new_id = response.json()["id"]
    assert response.json()["roles"] == ["it"]

    response = client.put(
        f"/api/v1/users/{new_id}/roles",
        {"roles": ["it", "legal"]},
        content_type="application/json",
    )
    assert response.json()["roles"] == ["it", "legal"]

    response = client.post(f"/api/v1/users/{new_id}/deactivate")
    assert response.status_code == 200
    assert response.json()["is_active"] is False

    listed = client.get("/api/v1/users/?is_active=false").json()
    assert [u["username"] for u in listed["items"]] == ["ny"]


def test_admin_user_list_has_a_bounded_query_count(
    admin_user, make_user, api, django_assert_max_num_queries
):
    client = api(admin_user)
    for n in range(20):
        make_user("sales", "hr", username=f"u{n:02}")
    with django_assert_max_num_queries(8):
        body = client.get("/api/v1/users/?page_size=100").json()
    assert body["count"] == 21
    assert all(u["roles"] for u in body["items"])


def test_page_size_is_capped(admin_user, api, settings):
    settings.SAMSPILL = {**settings.SAMSPILL, "MAX_PAGE_SIZE": 2}
    client = api(admin_user)
    for n in range(3):
        User.objects.create_user(username=f"cap{n}")
    body = client.get("/api/v1/users/?page_size=100").json()
    assert body["count"] == 4
    assert len(body["items"]) == 2


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("get", "/api/v1/users/", None),
        ("post", "/api/v1/users/", {"username": "x"}),
        ("put", "/api/v1/users/{pk}/roles", {"roles": ["admin"]}),
        ("post", "/api/v1/users/{pk}/deactivate", None),
    ],
)
def test_admin_endpoints_are_forbidden_for_others(make_user, api, method, url, body):
    sales = make_user("sales")
    client = api(sales)
    kwargs = {"content_type": "application/json", "data": body} if body else {}
    response = getattr(client, method)(url.format(pk=sales.pk), **kwargs)
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    sales.refresh_from_db()
    assert sales.is_active and sales.role_names == ["sales"]


def test_duplicate_username_via_api(admin_user, api):
    response = api(admin_user).post(
        "/api/v1/users/", {"username": "boss"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert "username" in response.json()["errors"]


def test_deactivating_the_last_admin_is_a_conflict(admin_user, make_user, api):
    other_admin_candidate = make_user("management")
    response = api(admin_user).post(f"/api/v1/users/{admin_user.pk}/deactivate")
    assert response.status_code == 409
    assert other_admin_candidate.is_active


def test_anonymous_is_401(client):
    response = client.get("/api/v1/users/me")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
