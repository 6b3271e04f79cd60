from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from samspill.platform.models import OutboxEvent
from samspill.users.models import User

pytestmark = pytest.mark.django_db


def run(*args, **kwargs):
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO(), **kwargs)
    return out.getvalue()


def test_createuser_with_roles(monkeypatch):
    monkeypatch.delenv("SAMSPILL_PASSWORD", raising=False)
    output = run(
        "createuser",
        "kari",
        "--email",
        "kari@example.no",
        "--role",
        "sales",
        "--role",
        "finance",
        "--password",
        "et-langt-passord",
        "--first-name",
        "Kari",
        "--last-name",
        "Nordmann",
    )
    user = User.objects.get(username="kari")
    assert user.role_names == ["finance", "sales"]
    assert user.get_full_name() == "Kari Nordmann"
    assert user.check_password("et-langt-passord")
    assert not user.is_superuser
    assert "kari" in output
    event = OutboxEvent.objects.get(type="users.user.created")
    assert event.channel == "system"


def test_createuser_superuser_from_environment(monkeypatch):
    monkeypatch.setenv("SAMSPILL_PASSWORD", "passord-fra-miljoet")
    run("createuser", "root", "--superuser", "--role", "admin", "--no-input")
    user = User.objects.get(username="root")
    assert user.is_superuser and user.is_staff
    assert user.check_password("passord-fra-miljoet")


def test_createuser_prompts_for_the_password(monkeypatch):
    monkeypatch.delenv("SAMSPILL_PASSWORD", raising=False)
    answers = iter(["hemmelig-passord-3", "hemmelig-passord-3"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    run("createuser", "ola")
    assert User.objects.get(username="ola").check_password("hemmelig-passord-3")


def test_createuser_unknown_role_is_a_clear_error():
    with pytest.raises(CommandError, match="wizard"):
        run("createuser", "x", "--role", "wizard", "--password", "et-langt-passord")
    assert not User.objects.filter(username="x").exists()


def test_createuser_duplicate_username_is_a_clear_error():
    run("createuser", "per", "--password", "et-langt-passord")
    with pytest.raises(CommandError, match=r"already exists|allerede"):
        run("createuser", "per", "--password", "et-langt-passord")
    assert User.objects.filter(username="per").count() == 1


def test_createuser_weak_password_is_refused():
    with pytest.raises(CommandError):
        run("createuser", "svak", "--password", "123")
    assert not User.objects.filter(username="svak").exists()


def test_createuser_without_password_and_input_fails(monkeypatch):
    monkeypatch.delenv("SAMSPILL_PASSWORD", raising=False)
    with pytest.raises(CommandError):
        run("createuser", "x", "--no-input")


def test_syncroles_prints_each_role_and_its_permission_count():
    output = run("syncroles")
    lines = {line.split()[0]: line.split()[1] for line in output.splitlines()[:-1]}
    assert set(lines) == {
        "sales",
        "service",
        "marketing",
        "finance",
        "hr",
        "it",
        "operations",
        "legal",
        "management",
        "admin",
    }
    assert int(lines["admin"]) > int(lines["management"]) > 0
