"""Login throttling (django-axes): 5 failures per username+IP lock sign-in for 15 minutes."""

import pytest
from django.conf import settings
from django.utils import translation

pytestmark = pytest.mark.django_db


def attempt(client, password, username="kari"):
    return client.post("/login/", {"username": username, "password": password})


def test_sixth_attempt_is_refused_even_with_the_right_password(make_user, client):
    make_user(username="kari", password="riktig-passord-1")
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        response = attempt(client, "feil-passord")
        assert response.status_code == 200  # the login form again, with an error
    fifth = attempt(client, "feil-passord")
    assert fifth.status_code == 429

    with translation.override("nb"):
        sixth = attempt(client, "riktig-passord-1")
    assert sixth.status_code == 429
    assert "users/locked_out.html" in [t.name for t in sixth.templates]
    page = sixth.content.decode()
    assert "Innlogging sperret" in page
    assert "15 minutter" in page
    assert "_auth_user_id" not in client.session


def test_lock_is_per_username(make_user, client):
    make_user(username="kari", password="riktig-passord-1")
    make_user(username="ola", password="riktig-passord-2")
    for _ in range(5):
        attempt(client, "feil", username="kari")
    response = attempt(client, "riktig-passord-2", username="ola")
    assert response.status_code == 302


def test_success_before_the_limit_resets_the_count(make_user, client):
    make_user(username="kari", password="riktig-passord-1")
    for _ in range(4):
        attempt(client, "feil")
    assert attempt(client, "riktig-passord-1").status_code == 302
    client.post("/logout/")
    for _ in range(4):
        assert attempt(client, "feil").status_code == 200
    assert attempt(client, "riktig-passord-1").status_code == 302
