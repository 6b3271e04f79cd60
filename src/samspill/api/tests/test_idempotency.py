"""Idempotency-Key on API POSTs: a retry replays the first response and changes nothing."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from samspill.api.tests import urls as test_urls
from samspill.platform import idempotency
from samspill.platform.models import AuditEntry, IdempotencyRecord

pytestmark = [pytest.mark.django_db, pytest.mark.urls("samspill.api.tests.urls")]


@pytest.fixture(autouse=True)
def calls():
    test_urls.CALLS.clear()
    yield test_urls.CALLS
    test_urls.CALLS.clear()


def notes_written() -> int:
    """Audit entries written by the notes endpoint (the api fixture audits its token)."""
    return AuditEntry.objects.filter(changes__has_key="note").count()


def post(client, path="/api/test/notes", body=None, key="key-1"):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(
        path, json.dumps(body or {"text": "hello"}), content_type="application/json", **headers
    )


def test_retry_replays_the_first_response_and_writes_once(api, admin_user, calls):
    client = api(admin_user)
    first = post(client)
    assert first.status_code == 201
    assert "Idempotent-Replayed" not in first
    second = post(client)
    assert second.status_code == 201
    assert second["Idempotent-Replayed"] == "true"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert len(calls) == 1
    assert notes_written() == 1
    record = IdempotencyRecord.objects.get()
    assert (record.key, record.user, record.status_code) == ("key-1", admin_user, 201)


def test_same_key_with_another_body_is_refused(api, admin_user, calls):
    client = api(admin_user)
    post(client, body={"text": "hello"})
    response = post(client, body={"text": "goodbye"})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "idempotency_key_reused"
    assert len(calls) == 1
    assert notes_written() == 1


def test_same_key_on_another_path_is_refused(api, admin_user, calls):
    client = api(admin_user)
    post(client)
    response = post(client, path="/api/test/crash")
    assert response.json()["code"] == "idempotency_key_reused"
    assert len(calls) == 1


def test_duplicate_while_the_first_is_in_flight_is_a_conflict(api, admin_user, calls):
    body = json.dumps({"text": "hello"}).encode()
    IdempotencyRecord.objects.create(
        user=admin_user,
        key="key-1",
        method="POST",
        path="/api/test/notes",
        fingerprint=idempotency.fingerprint("POST", "/api/test/notes", body),
    )
    response = post(api(admin_user))
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_request_in_progress"
    assert response["Retry-After"] == "1"
    assert calls == []


def test_abandoned_in_flight_key_is_taken_over(api, admin_user, calls):
    """The first request's process died: after IN_FLIGHT_TIMEOUT the key works again."""
    body = json.dumps({"text": "hello"}).encode()
    IdempotencyRecord.objects.create(
        user=admin_user,
        key="key-1",
        method="POST",
        path="/api/test/notes",
        fingerprint=idempotency.fingerprint("POST", "/api/test/notes", body),
        created_at=timezone.now() - idempotency.IN_FLIGHT_TIMEOUT - timedelta(seconds=1),
    )
    response = post(api(admin_user))
    assert response.status_code == 201
    assert len(calls) == 1
    assert IdempotencyRecord.objects.get().status_code == 201


def test_keys_are_per_user(api, make_user, calls):
    post(api(make_user("admin")))
    response = post(api(make_user("admin")))
    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert len(calls) == 2
    assert IdempotencyRecord.objects.count() == 2


def test_without_key_every_post_runs(api, admin_user, calls):
    client = api(admin_user)
    post(client, key=None)
    post(client, key=None)
    assert len(calls) == 2
    assert IdempotencyRecord.objects.count() == 0


def test_expired_key_runs_again(api, admin_user, calls):
    client = api(admin_user)
    post(client)
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=25))
    response = post(client)
    assert "Idempotent-Replayed" not in response
    assert len(calls) == 2
    assert IdempotencyRecord.objects.get().created_at > timezone.now() - timedelta(minutes=1)


def test_server_error_releases_the_key(api, admin_user, calls):
    client = api(admin_user)
    assert post(client, path="/api/test/crash", body={}).status_code == 500
    assert IdempotencyRecord.objects.count() == 0
    assert post(client, path="/api/test/crash", body={}).status_code == 500
    assert len(calls) == 2


def test_validation_error_is_stored_and_replayed(api, admin_user, calls):
    client = api(admin_user)
    first = post(client, body={"wrong": 1})
    second = post(client, body={"wrong": 1})
    assert first.status_code == second.status_code == 422
    assert second["Idempotent-Replayed"] == "true"
    assert calls == []


def test_invalid_key_is_a_problem(api, admin_user, calls):
    response = post(api(admin_user), key="x" * 201)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_idempotency_key"
    assert calls == []


def test_anonymous_post_with_key_stores_nothing(client, calls):
    response = post(client)
    assert response.status_code == 401
    assert IdempotencyRecord.objects.count() == 0


def test_session_user_is_recognised(admin_user, client, calls):
    client.force_login(admin_user)
    post(client)
    assert post(client)["Idempotent-Replayed"] == "true"
    assert len(calls) == 1


def test_get_requests_ignore_the_key(api, admin_user):
    response = api(admin_user).get("/api/test/numbers", HTTP_IDEMPOTENCY_KEY="k")
    assert response.status_code == 200
    assert IdempotencyRecord.objects.count() == 0


def test_prune_deletes_only_expired_keys(make_user):
    user = make_user("admin")
    now = timezone.now()
    for key, age in (("old", 25), ("edge", 24), ("young", 23)):
        IdempotencyRecord.objects.create(
            user=user,
            key=key,
            method="POST",
            path="/",
            fingerprint="f",
            created_at=now - timedelta(hours=age),
        )
    assert idempotency.prune(now=now) == 2
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["young"]
