"""Commands on users, their roles and their access tokens. The only code that writes these
tables. Every command is one transaction, checks the actor's permission when an actor is
given (`actor=None` means the system: commands, demo data, migrations), validates before it
writes, records the audit trail and publishes its event."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.platform import audit
from samspill.platform.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from samspill.platform.events import publish
from samspill.platform.permissions import ROLES, require
from samspill.users import events
from samspill.users.models import AccessToken, User, hash_token

PROFILE_FIELDS = ("first_name", "last_name", "email", "language", "time_zone")
MAX_TOKEN_DAYS = 366 * 2
AUDIT_EXCLUDE = ("password", "last_login")


def _snapshot(user: User) -> dict:
    return audit.snapshot(user, exclude=AUDIT_EXCLUDE)


def _check_roles(roles) -> list[str]:
    roles = sorted(set(roles or []))
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise ValidationFailed(
            _("Unknown role: %(roles)s. Known roles: %(known)s.")
            % {"roles": ", ".join(unknown), "known": ", ".join(ROLES)},
            errors={"roles": [_("Unknown role: %(roles)s.") % {"roles": ", ".join(unknown)}]},
        )
    return roles


def _role_groups(roles: list[str]) -> list[Group]:
    groups = {g.name: g for g in Group.objects.filter(name__in=roles)}
    missing = [r for r in roles if r not in groups]
    if missing:
        # The groups are created by `samspill syncroles` (after every migrate).
        from samspill.users.roles import sync_roles

        sync_roles()
        groups = {g.name: g for g in Group.objects.filter(name__in=roles)}
    return [groups[r] for r in roles]


def _validate_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed(exc.messages[0], errors={"password": list(exc.messages)}) from exc


def _full_clean(user: User, exclude=None) -> None:
    try:
        user.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise ValidationFailed.from_django(exc) from exc


def _active_admins():
    return User.objects.filter(is_active=True, groups__name="admin").distinct()


def _ensure_not_last_admin(user: User) -> None:
    if not _active_admins().exclude(pk=user.pk).exists():
        raise Conflict(
            _(
                "%(user)s is the last active administrator. Make someone else an administrator "
                "first."
            )
            % {"user": user.get_username()},
            code="last_admin",
        )


# --- Users -----------------------------------------------------------------------------------


@transaction.atomic
def create_user(
    *,
    actor,
    username: str,
    password: str | None = None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    language: str = "nb",
    time_zone: str = "Europe/Oslo",
    roles=(),
    is_staff: bool = False,
    is_superuser: bool = False,
    validate_password_strength: bool = True,
) -> User:
    """Create a user with roles. Without a password the account cannot sign in until the
    person sets one through "Forgot your password?"."""
    if actor is not None:
        require(actor, "users.add_user")
        if is_superuser and not actor.is_superuser:
            raise ValidationFailed(
                _("Only a superuser can create another superuser."),
                errors={"is_superuser": [_("Only a superuser can create another superuser.")]},
            )
    roles = _check_roles(roles)
    username = (username or "").strip()
    user = User(
        username=User.normalize_username(username),
        email=User.objects.normalize_email((email or "").strip()),
        first_name=(first_name or "").strip(),
        last_name=(last_name or "").strip(),
        language=language,
        time_zone=time_zone,
        is_staff=is_staff or is_superuser,
        is_superuser=is_superuser,
    )
    _full_clean(user, exclude=["password"])
    if password:
        if validate_password_strength:
            _validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    user.groups.set(_role_groups(roles))
    after = _snapshot(user)
    changes = audit.diff({}, after)
    changes["roles"] = [[], roles]
    audit.record("create", user, actor=actor, changes=changes)
    publish(events.UserCreated(user_id=user.pk, username=user.username, roles=roles), actor=actor)
    return user


@transaction.atomic
def update_profile(user: User, *, actor, **changes) -> User:
    """Change a user's name, e-mail, language or time zone. A user may always change their
    own profile; changing someone else's takes users.change_user."""
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationFailed(
            _("These fields cannot be changed here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))},
            errors={f: [_("This field cannot be changed here.")] for f in sorted(unknown)},
        )
    if actor is not None and actor.pk != user.pk:
        require(actor, "users.change_user")
    user = User.objects.select_for_update().get(pk=user.pk)
    before = _snapshot(user)
    for name, value in changes.items():
        if isinstance(value, str):
            value = value.strip()
        if name == "email":
            value = User.objects.normalize_email(value or "")
        setattr(user, name, value)
    _full_clean(user, exclude=["password"])
    after = _snapshot(user)
    diff = audit.diff(before, after)
    if not diff:
        return user
    user.save(update_fields=list(diff))
    audit.record("update", user, actor=actor, changes=diff)
    publish(
        events.UserUpdated(user_id=user.pk, username=user.username, changed=sorted(diff)),
        actor=actor,
    )
    return user


@transaction.atomic
def set_roles(user: User, roles, *, actor) -> User:
    """Give a user exactly these roles (names from platform.permissions.ROLES)."""
    if actor is not None:
        require(actor, "users.change_user")
    roles = _check_roles(roles)
    user = User.objects.select_for_update().get(pk=user.pk)
    current = sorted(user.groups.values_list("name", flat=True))
    if current == roles:
        return user
    if "admin" in current and "admin" not in roles and user.is_active:
        _ensure_not_last_admin(user)
    user.groups.set(_role_groups(roles))
    added = sorted(set(roles) - set(current))
    removed = sorted(set(current) - set(roles))
    audit.record("update", user, actor=actor, changes={"roles": [current, roles]})
    publish(
        events.UserRolesChanged(
            user_id=user.pk, username=user.username, added=added, removed=removed
        ),
        actor=actor,
    )
    return user


@transaction.atomic
def update_user(user: User, *, actor, roles=None, **profile) -> User:
    """An administrator's edit of a user: profile fields and roles, all or nothing."""
    if actor is not None:
        require(actor, "users.change_user")
    user = update_profile(user, actor=actor, **profile)
    if roles is not None:
        user = set_roles(user, roles, actor=actor)
    return user


@transaction.atomic
def deactivate_user(user: User, *, actor) -> User:
    """Stop a user from signing in and revoke their access tokens. Nothing is deleted: the
    user's name stays on everything they did."""
    if actor is not None:
        require(actor, "users.change_user")
        if actor.pk == user.pk:
            raise Conflict(_("You cannot deactivate your own account."), code="deactivate_self")
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        raise Conflict(_("This user is already deactivated."), code="already_inactive")
    if user.groups.filter(name="admin").exists():
        _ensure_not_last_admin(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    now = timezone.now()
    revoked = AccessToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    audit.record("update", user, actor=actor, changes={"is_active": [True, False]})
    publish(
        events.UserDeactivated(user_id=user.pk, username=user.username, tokens_revoked=revoked),
        actor=actor,
    )
    return user


@transaction.atomic
def reactivate_user(user: User, *, actor) -> User:
    if actor is not None:
        require(actor, "users.change_user")
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        raise Conflict(_("This user is already active."), code="already_active")
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit.record("update", user, actor=actor, changes={"is_active": [False, True]})
    publish(events.UserReactivated(user_id=user.pk, username=user.username), actor=actor)
    return user


@transaction.atomic
def change_password(user: User, new_password: str, *, actor, by_reset: bool = False) -> User:
    """Set a new password (the password change and reset pages call this after checking
    the old password or the reset link). The password itself is never audited."""
    if actor is not None and actor.is_authenticated and actor.pk != user.pk:
        require(actor, "users.change_user")
    user = User.objects.select_for_update().get(pk=user.pk)
    _validate_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit.record("update", user, actor=actor, changes={"password": ["***", "***"]})
    publish(
        events.PasswordChanged(user_id=user.pk, username=user.username, by_reset=by_reset),
        actor=actor,
    )
    return user


# --- Personal access tokens ------------------------------------------------------------------


@transaction.atomic
def create_access_token(user, *, actor, name: str, days: int | None = None):
    """Create a personal access token. Returns (row, raw token); the raw token is never
    stored and cannot be shown again. A user creates tokens for themselves only."""
    if actor is not None and actor.pk != user.pk:
        raise PermissionDenied(
            _("Access tokens can only be created by their owner."), code="token_owner_only"
        )
    if not user.is_active:
        raise Conflict(_("A deactivated user cannot have access tokens."), code="user_inactive")
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Give the token a name, so you recognise it later.")]
    elif len(name) > 100:
        errors["name"] = [_("The name can be at most 100 characters.")]
    lifetime = settings.SAMSPILL["TOKEN_DEFAULT_DAYS"] if days is None else days
    if not isinstance(lifetime, int) or lifetime < 1 or lifetime > MAX_TOKEN_DAYS:
        errors["days"] = [
            _("The token must expire in 1 to %(max)d days.") % {"max": MAX_TOKEN_DAYS}
        ]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], errors=errors)
    raw = AccessToken.generate()
    expires_at = timezone.now() + timedelta(days=lifetime)
    row = AccessToken.objects.create(
        user=user,
        name=name,
        prefix=raw[:12],
        token_hash=hash_token(raw),
        expires_at=expires_at,
    )
    audit.record(
        "create",
        row,
        actor=actor,
        changes={"name": [None, name], "expires_at": [None, expires_at.isoformat()]},
    )
    publish(
        events.AccessTokenCreated(
            token_id=row.pk,
            user_id=user.pk,
            name=name,
            prefix=row.prefix,
            expires_at=expires_at.isoformat(),
        ),
        actor=actor,
    )
    return row, raw


@transaction.atomic
def revoke_token(token: AccessToken | int, *, actor) -> AccessToken:
    """Revoke a token at once. Owners revoke their own; others need users.revoke_accesstoken."""
    token_id = token.pk if isinstance(token, AccessToken) else token
    row = AccessToken.objects.select_for_update().filter(pk=token_id).first()
    if row is None:
        raise NotFound(_("No such access token."))
    if actor is not None and actor.pk != row.user_id:
        require(actor, "users.revoke_accesstoken")
    if row.revoked_at is not None:
        raise Conflict(_("This token is already revoked."), code="already_revoked")
    row.revoked_at = timezone.now()
    row.save(update_fields=["revoked_at"])
    audit.record(
        "update", row, actor=actor, changes={"revoked_at": [None, row.revoked_at.isoformat()]}
    )
    publish(
        events.AccessTokenRevoked(
            token_id=row.pk, user_id=row.user_id, name=row.name, prefix=row.prefix
        ),
        actor=actor,
    )
    return row
