import pytest
from django.contrib.auth.models import Group

from samspill.platform.errors import Conflict, PermissionDenied, ValidationFailed
from samspill.platform.models import AuditEntry, OutboxEvent
from samspill.users import services
from samspill.users.models import AccessToken, User
from samspill.users.roles import sync_roles

pytestmark = pytest.mark.django_db


def test_create_user_with_roles_audits_and_publishes(admin_user, events, audit_entries):
    user = services.create_user(
        actor=admin_user,
        username="kari",
        password="fjellet-er-blått-42",
        email="Kari@Example.NO",
        first_name=" Kari ",
        last_name="Nordmann",
        roles=["sales", "finance"],
    )
    user.refresh_from_db()
    assert user.first_name == "Kari"
    assert user.email == "Kari@example.no"
    assert user.role_names == ["finance", "sales"]
    assert user.check_password("fjellet-er-blått-42")
    assert events() == ["users.user.created"]
    event = OutboxEvent.objects.get()
    assert event.payload == {"user_id": user.pk, "username": "kari", "roles": ["finance", "sales"]}
    assert event.subjects == {"user": [str(user.pk)]}
    (entry,) = audit_entries(user)
    assert entry.action == "create"
    assert entry.actor == admin_user
    assert entry.changes["roles"] == [[], ["finance", "sales"]]
    assert "password" not in entry.changes


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"username": "bad name!"}, "username"),
        ({"username": "ok", "email": "not-an-email"}, "email"),
        ({"username": "ok", "roles": ["wizard"]}, "roles"),
        ({"username": "ok", "password": "123"}, "password"),
        ({"username": "ok", "time_zone": "Mars/Olympus"}, "time_zone"),
        ({"username": "ok", "language": "de"}, "language"),
    ],
)
def test_create_user_rejects_bad_input_and_writes_nothing(admin_user, fields, error_field):
    before = User.objects.count()
    with pytest.raises(ValidationFailed) as excinfo:
        services.create_user(actor=admin_user, **fields)
    assert error_field in excinfo.value.errors
    assert User.objects.count() == before
    assert not OutboxEvent.objects.exists()
    assert not AuditEntry.objects.exists()


def test_duplicate_username_is_a_field_error(admin_user):
    services.create_user(actor=None, username="ola")
    with pytest.raises(ValidationFailed) as excinfo:
        services.create_user(actor=admin_user, username="ola")
    assert "username" in excinfo.value.errors


def test_create_user_needs_permission(make_user):
    sales = make_user("sales")
    with pytest.raises(PermissionDenied):
        services.create_user(actor=sales, username="sneaky")
    assert not User.objects.filter(username="sneaky").exists()


def test_management_sees_users_but_cannot_create_them(make_user):
    boss = make_user("management")
    assert boss.has_perm("users.view_user")
    with pytest.raises(PermissionDenied):
        services.create_user(actor=boss, username="x")


def test_user_without_password_cannot_sign_in():
    user = services.create_user(actor=None, username="nopass")
    assert not user.has_usable_password()


def test_update_own_profile_records_only_changed_fields(make_user, events, audit_entries):
    user = make_user(first_name="Per", language="nb")
    services.update_profile(user, actor=user, first_name="Per", language="en")
    user.refresh_from_db()
    assert user.language == "en"
    assert events() == ["users.user.updated"]
    assert OutboxEvent.objects.get().payload["changed"] == ["language"]
    (entry,) = audit_entries(user)
    assert entry.changes == {"language": ["nb", "en"]}


def test_update_profile_without_changes_writes_nothing(make_user):
    user = make_user(first_name="Per")
    services.update_profile(user, actor=user, first_name="Per")
    assert not OutboxEvent.objects.exists()
    assert not AuditEntry.objects.exists()


def test_update_someone_elses_profile_needs_permission(make_user):
    a, b = make_user("sales"), make_user("sales")
    with pytest.raises(PermissionDenied):
        services.update_profile(b, actor=a, first_name="Hacked")
    b.refresh_from_db()
    assert b.first_name != "Hacked"


def test_update_profile_refuses_other_fields(make_user):
    user = make_user()
    with pytest.raises(ValidationFailed) as excinfo:
        services.update_profile(user, actor=user, is_superuser=True)
    assert "is_superuser" in excinfo.value.errors
    user.refresh_from_db()
    assert not user.is_superuser


def test_bad_time_zone_writes_nothing(make_user):
    user = make_user()
    with pytest.raises(ValidationFailed) as excinfo:
        services.update_profile(user, actor=user, time_zone="Nowhere/Town")
    assert "time_zone" in excinfo.value.errors
    user.refresh_from_db()
    assert user.time_zone == "Europe/Oslo"


def test_set_roles(admin_user, make_user, events, audit_entries):
    user = make_user("sales")
    services.set_roles(user, ["finance", "hr"], actor=admin_user)
    assert sorted(user.groups.values_list("name", flat=True)) == ["finance", "hr"]
    assert events() == ["users.user.roles_changed"]
    payload = OutboxEvent.objects.get().payload
    assert payload["added"] == ["finance", "hr"]
    assert payload["removed"] == ["sales"]
    assert audit_entries(user)[-1].changes == {"roles": [["sales"], ["finance", "hr"]]}


def test_set_unknown_role_writes_nothing(admin_user, make_user):
    user = make_user("sales")
    with pytest.raises(ValidationFailed):
        services.set_roles(user, ["sales", "pirate"], actor=admin_user)
    assert list(user.groups.values_list("name", flat=True)) == ["sales"]
    assert not OutboxEvent.objects.exists()


def test_last_administrator_keeps_the_role(admin_user):
    with pytest.raises(Conflict):
        services.set_roles(admin_user, ["sales"], actor=admin_user)
    assert admin_user.groups.filter(name="admin").exists()


def test_second_administrator_may_drop_the_role(admin_user, make_user):
    other = make_user("admin")
    services.set_roles(other, [], actor=admin_user)
    assert not other.groups.exists()


def test_deactivate_revokes_tokens_and_publishes(admin_user, make_user, events):
    user = make_user("sales")
    token, _ = services.create_access_token(user, actor=user, name="script")
    services.deactivate_user(user, actor=admin_user)
    user.refresh_from_db()
    token.refresh_from_db()
    assert not user.is_active
    assert token.revoked_at is not None
    assert events() == ["users.token.created", "users.user.deactivated"]
    assert OutboxEvent.objects.get(type="users.user.deactivated").payload["tokens_revoked"] == 1


def test_cannot_deactivate_yourself_or_twice(admin_user, make_user):
    with pytest.raises(Conflict):
        services.deactivate_user(admin_user, actor=admin_user)
    user = make_user()
    services.deactivate_user(user, actor=admin_user)
    with pytest.raises(Conflict):
        services.deactivate_user(user, actor=admin_user)


def test_cannot_deactivate_the_last_administrator_even_as_system(admin_user):
    with pytest.raises(Conflict):
        services.deactivate_user(admin_user, actor=None)


def test_reactivate(admin_user, make_user, events):
    user = make_user()
    services.deactivate_user(user, actor=admin_user)
    services.reactivate_user(user, actor=admin_user)
    user.refresh_from_db()
    assert user.is_active
    assert events() == ["users.user.deactivated", "users.user.reactivated"]


def test_change_password_is_audited_without_the_password(make_user, audit_entries, events):
    user = make_user()
    services.change_password(user, "ny-og-lang-passfrase", actor=user)
    user.refresh_from_db()
    assert user.check_password("ny-og-lang-passfrase")
    (entry,) = audit_entries(user)
    assert "ny-og-lang-passfrase" not in str(entry.changes)
    assert events() == ["users.user.password_changed"]


def test_weak_password_is_refused(make_user):
    user = make_user(password="correct horse battery")
    with pytest.raises(ValidationFailed) as excinfo:
        services.change_password(user, "12345678", actor=user)
    assert "password" in excinfo.value.errors
    user.refresh_from_db()
    assert user.check_password("correct horse battery")


def test_sync_roles_gives_admin_everything_and_management_view_user():
    counts = sync_roles()
    assert set(counts) == {
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
    admin = Group.objects.get(name="admin")
    assert admin.permissions.count() == counts["admin"]
    management = Group.objects.get(name="management")
    assert management.permissions.filter(codename="view_user").exists()
    assert not Group.objects.get(name="sales").permissions.filter(codename="view_user").exists()


def test_token_name_and_expiry_are_validated(make_user):
    user = make_user()
    with pytest.raises(ValidationFailed) as excinfo:
        services.create_access_token(user, actor=user, name="  ", days=0)
    assert set(excinfo.value.errors) == {"name", "days"}
    assert not AccessToken.objects.exists()


def test_only_the_owner_creates_tokens(admin_user, make_user):
    user = make_user()
    with pytest.raises(PermissionDenied):
        services.create_access_token(user, actor=admin_user, name="x")
    assert not AccessToken.objects.exists()


def test_revoking_someone_elses_token_needs_permission(admin_user, make_user):
    a, b = make_user("sales"), make_user("sales")
    token, _ = services.create_access_token(a, actor=a, name="mine")
    with pytest.raises(PermissionDenied):
        services.revoke_token(token, actor=b)
    services.revoke_token(token, actor=admin_user)
    token.refresh_from_db()
    assert token.revoked_at is not None
    with pytest.raises(Conflict):
        services.revoke_token(token, actor=a)
