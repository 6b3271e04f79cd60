"""Personal access tokens: created, used via Bearer, expired and revoked refused, hash only."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from samspill.users import services
from samspill.users.models import AccessToken, hash_token

pytestmark = pytest.mark.django_db


def bearer(raw: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_token_lifecycle(make_user, events):
    user = make_user("sales", username="ingrid")
    token, raw = services.create_access_token(user, actor=user, name="export", days=30)

    # Only the hash is stored: the raw token appears in no column.
    row = AccessToken.objects.values().get(pk=token.pk)
    assert raw not in [str(v) for v in row.values()]
    assert row["token_hash"] == hash_token(raw)
    assert row["prefix"] == raw[:12]
    assert raw.startswith("sams_")
    assert token.expires_at - timezone.now() > timedelta(days=29)

    # Used via Bearer in the API, which records when it was last used.
    response = bearer(raw).get("/api/v1/users/me")
    assert response.status_code == 200
    assert response.json()["username"] == "ingrid"
    token.refresh_from_db()
    assert token.last_used_at is not None

    # Revoked: refused at once.
    services.revoke_token(token, actor=user)
    response = bearer(raw).get("/api/v1/users/me")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "not_authenticated"
    assert events() == ["users.token.created", "users.token.revoked"]


def test_expired_token_is_refused(make_user):
    user = make_user()
    token, raw = services.create_access_token(user, actor=user, name="old", days=1)
    AccessToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert bearer(raw).get("/api/v1/users/me").status_code == 401


def test_token_of_deactivated_user_is_refused(admin_user, make_user):
    user = make_user()
    _, raw = services.create_access_token(user, actor=user, name="x")
    services.deactivate_user(user, actor=admin_user)
    assert bearer(raw).get("/api/v1/users/me").status_code == 401


def test_wrong_token_is_refused(make_user):
    make_user()
    assert bearer("sams_not-a-real-token").get("/api/v1/users/me").status_code == 401


def test_tokens_via_the_api(make_user, api):
    user = make_user("sales")
    client = api(user)  # has one token already ("tests")
    response = client.post(
        "/api/v1/users/me/tokens", {"name": "ci", "days": 7}, content_type="application/json"
    )
    assert response.status_code == 201
    body = response.json()
    raw = body["token"]
    assert body["status"] == "active"
    assert body["prefix"] == raw[:12]

    listed = client.get("/api/v1/users/me/tokens").json()
    assert listed["count"] == 2
    assert all("token" not in item for item in listed["items"])
    assert {item["name"] for item in listed["items"]} == {"ci", "tests"}

    assert bearer(raw).get("/api/v1/users/me").status_code == 200
    response = client.delete(f"/api/v1/users/me/tokens/{body['id']}")
    assert response.status_code == 204
    assert bearer(raw).get("/api/v1/users/me").status_code == 401


def test_api_token_validation_is_problem_json(make_user, api):
    user = make_user()
    response = api(user).post(
        "/api/v1/users/me/tokens", {"name": "", "days": 9999}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "validation_failed"
    assert set(body["errors"]) == {"name", "days"}
    assert AccessToken.objects.filter(user=user).count() == 1  # only the fixture's


def test_cannot_revoke_someone_elses_token_via_me(make_user, api):
    a, b = make_user(), make_user()
    token, _ = services.create_access_token(a, actor=a, name="a's")
    response = api(b).delete(f"/api/v1/users/me/tokens/{token.pk}")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_profile_page_creates_shows_once_and_revokes(make_user, login):
    user = make_user()
    client = login(user)
    response = client.post("/profile/tokens/", {"name": "laptop", "days": "30"})
    assert response.status_code == 201
    assert response["Cache-Control"] == "no-store"
    token = AccessToken.objects.get(user=user)
    raw = response.context["raw"]
    assert hash_token(raw) == token.token_hash
    assert raw in response.content.decode()
    assert 'data-copy-target="raw-token"' in response.content.decode()

    # The list shows the name and prefix, never the token again.
    page = client.get("/profile/").content.decode()
    assert "laptop" in page and token.prefix in page
    assert raw not in page

    # Revoking asks for confirmation first.
    confirm = client.get(f"/profile/tokens/{token.pk}/revoke/")
    assert confirm.status_code == 200
    token.refresh_from_db()
    assert token.revoked_at is None
    response = client.post(f"/profile/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_profile_token_form_keeps_input_on_error(make_user, login):
    user = make_user()
    response = login(user).post("/profile/tokens/", {"name": "keep-me", "days": "0"})
    assert response.status_code == 422
    assert 'value="keep-me"' in response.content.decode()
    assert not AccessToken.objects.exists()


def test_a_program_gets_answers_in_the_token_owners_language_unless_it_asks(make_user):
    user = make_user("sales", username="kari")
    user.language = "nb"
    user.save(update_fields=["language"])
    _, raw = services.create_access_token(user, actor=user, name="integrasjon", days=30)

    missing = "/api/v1/parties/999999"
    assert bearer(raw).get(missing).json()["title"] == "Ikke funnet"
    english = bearer(raw).get(missing, HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["title"] == "Not found"

    user.language = "en"
    user.save(update_fields=["language"])
    assert bearer(raw).get(missing).json()["title"] == "Not found"
