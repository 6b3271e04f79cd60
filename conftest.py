"""Shared test fixtures. Tests live beside their code in src/samspill/<app>/tests/ and in
tests/ for cross-domain scenarios and browser tests."""

import pytest


@pytest.fixture
def make_user(db):
    """make_user("sales", "finance", username=...) -> a user holding those roles."""
    from django.contrib.auth.models import Group

    from samspill.users.models import User
    from samspill.users.roles import sync_roles

    counter = {"n": 0}

    def make(*roles, username=None, password="correct horse battery", **fields):
        sync_roles()
        counter["n"] += 1
        user = User.objects.create_user(
            username=username or f"user{counter['n']}-{'-'.join(roles) or 'none'}",
            password=password,
            email=fields.pop("email", f"user{counter['n']}@example.no"),
            **fields,
        )
        if roles:
            user.groups.set(Group.objects.filter(name__in=roles))
        return user

    return make


@pytest.fixture
def admin_user(make_user):
    return make_user("admin", username="boss", is_staff=True)


@pytest.fixture
def login(client):
    """login(user) -> the Django test client, signed in as that user."""

    def do(user):
        client.force_login(user)
        return client

    return do


@pytest.fixture
def api(db):
    """api(user) -> a client whose requests carry a fresh personal access token of user and
    ask for English answers (without Accept-Language a program gets the token owner's
    language; users/tests/test_tokens.py tests that)."""
    from django.test import Client

    from samspill.users.services import create_access_token

    def make(user):
        _, raw = create_access_token(user, actor=user, name="tests")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="en")

    return make


@pytest.fixture
def run_tasks():
    """Run every queued background task now, on whichever task backend is configured."""
    from samspill.platform.tasks import run_pending

    return run_pending


@pytest.fixture(autouse=True)
def _fresh_automation_interest():
    """Automation keeps, per process, which event types its rules and webhooks want; a test's
    rolled-back rules must not make the next test's events look wanted."""
    from samspill.automation import interest

    interest.forget()
    yield
