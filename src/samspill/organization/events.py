"""Events published by the organisation: the company's settings, departments, teams and who
is in them."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from samspill.platform.events import Event

ROLE_LABELS = {"member": _("member"), "lead": _("lead")}


@dataclass(frozen=True, kw_only=True)
class CompanyCreated(Event):
    type = "organization.company.created"
    description = _("The company was set up")
    subject_fields = {"company_id": "company"}

    company_id: int
    legal_name: str
    org_number: str
    base_currency: str

    @classmethod
    def summarize(cls, payload):
        return gettext("Company %(legal_name)s was set up") % payload


@dataclass(frozen=True, kw_only=True)
class CompanyUpdated(Event):
    type = "organization.company.updated"
    description = _("The company's settings were changed")
    subject_fields = {"company_id": "company"}

    company_id: int
    legal_name: str
    changed: list[str] = field(default_factory=list)

    @classmethod
    def summarize(cls, payload):
        return gettext("Company settings changed: %(fields)s") % {
            "fields": ", ".join(payload.get("changed", []))
        }


@dataclass(frozen=True, kw_only=True)
class DepartmentCreated(Event):
    type = "organization.department.created"
    description = _("A department was created")
    subject_fields = {"department_id": "department"}

    department_id: int
    name: str
    code: str
    office: str
    function: str

    @classmethod
    def summarize(cls, payload):
        return gettext("Department %(name)s (%(code)s) was created") % payload


@dataclass(frozen=True, kw_only=True)
class DepartmentUpdated(Event):
    type = "organization.department.updated"
    description = _("A department was changed")
    subject_fields = {"department_id": "department"}

    department_id: int
    name: str
    changed: list[str] = field(default_factory=list)

    @classmethod
    def summarize(cls, payload):
        return gettext("Department %(name)s changed: %(fields)s") % {
            "name": payload["name"],
            "fields": ", ".join(payload.get("changed", [])),
        }


@dataclass(frozen=True, kw_only=True)
class DepartmentDeleted(Event):
    type = "organization.department.deleted"
    description = _("A department was deleted")
    subject_fields = {"department_id": "department"}

    department_id: int
    name: str
    code: str

    @classmethod
    def summarize(cls, payload):
        return gettext("Department %(name)s was deleted") % payload


@dataclass(frozen=True, kw_only=True)
class TeamCreated(Event):
    type = "organization.team.created"
    description = _("A team was created")
    subject_fields = {"team_id": "team", "department_id": "department", "lead_id": "user"}

    team_id: int
    name: str
    department_id: int
    lead_id: int | None = None

    @classmethod
    def summarize(cls, payload):
        return gettext("Team %(name)s was created") % payload


@dataclass(frozen=True, kw_only=True)
class TeamUpdated(Event):
    type = "organization.team.updated"
    description = _("A team was changed")
    subject_fields = {"team_id": "team", "department_id": "department"}

    team_id: int
    name: str
    department_id: int
    changed: list[str] = field(default_factory=list)

    @classmethod
    def summarize(cls, payload):
        return gettext("Team %(name)s changed: %(fields)s") % {
            "name": payload["name"],
            "fields": ", ".join(payload.get("changed", [])),
        }


@dataclass(frozen=True, kw_only=True)
class TeamDeleted(Event):
    type = "organization.team.deleted"
    description = _("A team was deleted")
    subject_fields = {"team_id": "team", "department_id": "department"}

    team_id: int
    name: str
    department_id: int
    member_ids: list[int] = field(default_factory=list)

    @classmethod
    def summarize(cls, payload):
        return gettext("Team %(name)s was deleted") % payload


@dataclass(frozen=True, kw_only=True)
class TeamMemberAdded(Event):
    type = "organization.team.member_added"
    description = _("Someone joined a team")
    subject_fields = {"team_id": "team", "user_id": "user"}

    team_id: int
    team_name: str
    user_id: int
    username: str
    role: str

    @classmethod
    def summarize(cls, payload):
        return gettext("%(username)s joined team %(team_name)s") % payload


@dataclass(frozen=True, kw_only=True)
class TeamMemberRoleChanged(Event):
    type = "organization.team.member_role_changed"
    description = _("A team member's role was changed")
    subject_fields = {"team_id": "team", "user_id": "user"}

    team_id: int
    team_name: str
    user_id: int
    username: str
    old_role: str
    role: str

    @classmethod
    def summarize(cls, payload):
        role = payload["role"]
        return gettext("%(username)s is now %(role)s in team %(team_name)s") % {
            **payload,
            "role": ROLE_LABELS.get(role, role),
        }


@dataclass(frozen=True, kw_only=True)
class TeamMemberRemoved(Event):
    type = "organization.team.member_removed"
    description = _("Someone left a team")
    subject_fields = {"team_id": "team", "user_id": "user"}

    team_id: int
    team_name: str
    user_id: int
    username: str

    @classmethod
    def summarize(cls, payload):
        return gettext("%(username)s left team %(team_name)s") % payload
