"""Events published by the users app. Payloads never carry passwords or tokens."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from samspill.platform.events import Event


@dataclass(frozen=True, kw_only=True)
class UserCreated(Event):
    type = "users.user.created"
    description = _("A user account was created")
    subject_fields = {"user_id": "user"}

    user_id: int
    username: str
    roles: list[str] = field(default_factory=list)

    @classmethod
    def summarize(cls, payload):
        return gettext("User %(username)s was created") % {"username": payload["username"]}


@dataclass(frozen=True, kw_only=True)
class UserUpdated(Event):
    type = "users.user.updated"
    description = _("A user's profile was changed")
    subject_fields = {"user_id": "user"}

    user_id: int
    username: str
    changed: list[str] = field(default_factory=list)

    @classmethod
    def summarize(cls, payload):
        return gettext("Profile of %(username)s changed: %(fields)s") % {
            "username": payload["username"],
            "fields": ", ".join(payload.get("changed", [])),
        }


@dataclass(frozen=True, kw_only=True)
class UserRolesChanged(Event):
    type = "users.user.roles_changed"
    description = _("A user's roles were changed")
    subject_fields = {"user_id": "user"}

    user_id: int
    username: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @classmethod
    def summarize(cls, payload):
        return gettext("Roles of %(username)s changed (added: %(added)s; removed: %(removed)s)") % {
            "username": payload["username"],
            "added": ", ".join(payload.get("added", [])) or "–",
            "removed": ", ".join(payload.get("removed", [])) or "–",
        }


@dataclass(frozen=True, kw_only=True)
class UserDeactivated(Event):
    type = "users.user.deactivated"
    description = _("A user account was deactivated")
    subject_fields = {"user_id": "user"}

    user_id: int
    username: str
    tokens_revoked: int = 0

    @classmethod
    def summarize(cls, payload):
        return gettext("User %(username)s was deactivated") % {"username": payload["username"]}


@dataclass(frozen=True, kw_only=True)
class UserReactivated(Event):
    type = "users.user.reactivated"
    description = _("A user account was reactivated")
    subject_fields = {"user_id": "user"}

    user_id: int
    username: str

    @classmethod
    def summarize(cls, payload):
        return gettext("User %(username)s was reactivated") % {"username": payload["username"]}


@dataclass(frozen=True, kw_only=True)
class PasswordChanged(Event):
    type = "users.user.password_changed"
    description = _("A user's password was changed")
    subject_fields = {"user_id": "user"}

    user_id: int
    username: str
    by_reset: bool = False

    @classmethod
    def summarize(cls, payload):
        if payload.get("by_reset"):
            return gettext("Password of %(username)s was reset by e-mail") % payload
        return gettext("Password of %(username)s was changed") % payload


@dataclass(frozen=True, kw_only=True)
class AccessTokenCreated(Event):
    type = "users.token.created"
    description = _("A personal access token was created")
    subject_fields = {"user_id": "user"}

    token_id: int
    user_id: int
    name: str
    prefix: str
    expires_at: str | None = None

    @classmethod
    def summarize(cls, payload):
        return gettext("Access token “%(name)s” (%(prefix)s…) was created") % payload


@dataclass(frozen=True, kw_only=True)
class AccessTokenRevoked(Event):
    type = "users.token.revoked"
    description = _("A personal access token was revoked")
    subject_fields = {"user_id": "user"}

    token_id: int
    user_id: int
    name: str
    prefix: str

    @classmethod
    def summarize(cls, payload):
        return gettext("Access token “%(name)s” (%(prefix)s…) was revoked") % payload
