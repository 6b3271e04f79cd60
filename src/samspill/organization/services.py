"""Commands on the company, its departments, teams and memberships: the only code that
writes these tables. One transaction per command; permission checked when an actor is
given; validated before anything is written; audited; an event published."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samspill.organization import events
from samspill.organization.models import Company, Department, Membership, Team
from samspill.platform import audit
from samspill.platform.errors import Conflict, NotFound, ValidationFailed
from samspill.platform.events import publish
from samspill.platform.permissions import require

COMPANY_FIELDS = (
    "legal_name",
    "org_number",
    "mva_registered",
    "kid_method",
    "invoice_payment_days",
    "reminder_fee",
    "reminder_days",
    "base_currency",
    "fiscal_year_start_month",
    "postal_street",
    "postal_code",
    "postal_city",
    "postal_country",
    "visiting_street",
    "visiting_code",
    "visiting_city",
    "visiting_country",
    "email",
    "phone",
    "website",
    "iban",
    "bank_account",
)
DEPARTMENT_FIELDS = ("name", "code", "office", "function", "description")
TEAM_FIELDS = ("name", "department", "lead", "description")


def _reject_unknown(changes: dict, allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise ValidationFailed(
            _("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(unknown)},
            errors={f: [_("This field cannot be changed.")] for f in unknown},
        )


def _clean(instance, exclude=None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise ValidationFailed.from_django(exc) from exc


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _resolve_department(value) -> Department:
    if isinstance(value, Department):
        return value
    department = Department.objects.filter(pk=value).first() if value is not None else None
    if department is None:
        raise ValidationFailed(
            _("Choose an existing department."),
            errors={"department": [_("Choose an existing department.")]},
        )
    return department


def _resolve_user(value, field: str):
    User = get_user_model()
    if value is None or isinstance(value, User):
        user = value
    else:
        user = User.objects.filter(pk=value).first()
        if user is None:
            raise ValidationFailed(
                _("Choose an existing user."), errors={field: [_("Choose an existing user.")]}
            )
    if user is not None and not user.is_active:
        raise ValidationFailed(
            _("%(user)s is deactivated.") % {"user": user},
            errors={field: [_("%(user)s is deactivated.") % {"user": user}]},
        )
    return user


# --- Company ---------------------------------------------------------------------------------


@transaction.atomic
def update_company(*, actor, **changes) -> Company:
    """Set up the company (first call) or change its settings. Identifiers are normalised
    and checked: organisation number (mod 11), IBAN, Norwegian account number, phone."""
    if actor is not None:
        require(actor, "organization.change_company")
    _reject_unknown(changes, COMPANY_FIELDS)
    existing = Company.objects.select_for_update().filter(pk=Company.SINGLETON_ID).first()
    creating = existing is None
    company = Company(pk=Company.SINGLETON_ID) if existing is None else existing
    before = {} if existing is None else audit.snapshot(existing, exclude=("updated_at",))
    for name, value in changes.items():
        if value is None and name not in (
            "fiscal_year_start_month",
            "mva_registered",
            "invoice_payment_days",
            "reminder_fee",
            "reminder_days",
        ):
            value = ""
        setattr(company, name, _strip(value))
    _clean(company)
    after = audit.snapshot(company, exclude=("updated_at",))
    diff = audit.diff(before, after)
    if not diff:
        return company
    company.save()
    audit.record("create" if creating else "update", company, actor=actor, changes=diff)
    event: events.CompanyCreated | events.CompanyUpdated
    if creating:
        event = events.CompanyCreated(
            company_id=company.pk,
            legal_name=company.legal_name,
            org_number=company.org_number,
            base_currency=company.base_currency,
        )
    else:
        event = events.CompanyUpdated(
            company_id=company.pk, legal_name=company.legal_name, changed=sorted(diff)
        )
    publish(event, actor=actor)
    return company


# --- Departments -----------------------------------------------------------------------------


@transaction.atomic
def create_department(
    *,
    actor,
    name: str,
    code: str,
    function: str,
    office: str | None = None,
    description: str = "",
) -> Department:
    """A new department. Without an office, sales, marketing and customer service go to the
    front office and every other function to the back office."""
    if actor is not None:
        require(actor, "organization.add_department")
    department = Department(
        name=_strip(name) or "",
        code=(_strip(code) or "").upper(),
        function=function or "",
        office=office or (Department.office_for(function) if function else ""),
        description=_strip(description) or "",
    )
    _clean(department)
    department.save()
    audit.record(
        "create",
        department,
        actor=actor,
        changes=audit.diff({}, audit.snapshot(department, exclude=("created_at", "updated_at"))),
    )
    publish(
        events.DepartmentCreated(
            department_id=department.pk,
            name=department.name,
            code=department.code,
            office=department.office,
            function=department.function,
        ),
        actor=actor,
    )
    return department


@transaction.atomic
def update_department(department: Department, *, actor, **changes) -> Department:
    if actor is not None:
        require(actor, "organization.change_department")
    _reject_unknown(changes, DEPARTMENT_FIELDS)
    department = Department.objects.select_for_update().get(pk=department.pk)
    exclude = ("created_at", "updated_at")
    before = audit.snapshot(department, exclude=exclude)
    for name, value in changes.items():
        value = _strip(value)
        if name == "code" and isinstance(value, str):
            value = value.upper()
        setattr(department, name, "" if value is None else value)
    _clean(department)
    diff = audit.diff(before, audit.snapshot(department, exclude=exclude))
    if not diff:
        return department
    department.save()
    audit.record("update", department, actor=actor, changes=diff)
    publish(
        events.DepartmentUpdated(
            department_id=department.pk, name=department.name, changed=sorted(diff)
        ),
        actor=actor,
    )
    return department


@transaction.atomic
def delete_department(department: Department, *, actor) -> None:
    """Delete a department that has no teams left."""
    if actor is not None:
        require(actor, "organization.delete_department")
    department = Department.objects.select_for_update().get(pk=department.pk)
    teams = department.teams.count()
    if teams:
        raise Conflict(
            ngettext(
                "%(name)s still has %(count)d team. Move or delete it first.",
                "%(name)s still has %(count)d teams. Move or delete them first.",
                teams,
            )
            % {"name": department.name, "count": teams},
            code="department_has_teams",
        )
    pk, name, code = department.pk, department.name, department.code
    audit.record(
        "delete",
        department,
        actor=actor,
        changes=audit.diff(audit.snapshot(department, exclude=("created_at", "updated_at")), {}),
    )
    department.delete()
    publish(events.DepartmentDeleted(department_id=pk, name=name, code=code), actor=actor)


# --- Teams -----------------------------------------------------------------------------------


def _team_snapshot(team: Team) -> dict:
    return audit.snapshot(team, exclude=("created_at", "updated_at"))


def _make_lead(team: Team, user, *, actor) -> None:
    """Make `user` the team's lead member (joining them if needed); the previous lead stays
    in the team as a member."""
    memberships = (
        Membership.objects.select_for_update().select_related("team", "user").filter(team=team)
    )
    for membership in memberships.filter(role=Membership.Role.LEAD).exclude(user=user):
        _set_role(membership, Membership.Role.MEMBER, actor=actor)
    if user is None:
        return
    current = memberships.filter(user=user).first()
    if current is None:
        _join(team, user, Membership.Role.LEAD, actor=actor)
    elif current.role != Membership.Role.LEAD:
        _set_role(current, Membership.Role.LEAD, actor=actor)


@transaction.atomic
def create_team(*, actor, name: str, department, lead=None, description: str = "") -> Team:
    if actor is not None:
        require(actor, "organization.add_team")
    team = Team(
        name=_strip(name) or "",
        department=_resolve_department(department),
        lead=_resolve_user(lead, "lead"),
        description=_strip(description) or "",
    )
    _clean(team)
    team.save()
    audit.record("create", team, actor=actor, changes=audit.diff({}, _team_snapshot(team)))
    publish(
        events.TeamCreated(
            team_id=team.pk,
            name=team.name,
            department_id=team.department_id,
            lead_id=team.lead_id,
        ),
        actor=actor,
    )
    if team.lead is not None:
        _make_lead(team, team.lead, actor=actor)
    return team


@transaction.atomic
def update_team(team: Team, *, actor, **changes) -> Team:
    """Rename a team, move it to another department, change its lead or description. A new
    lead joins the team as its lead; the previous lead stays as a member."""
    if actor is not None:
        require(actor, "organization.change_team")
    _reject_unknown(changes, TEAM_FIELDS)
    team = Team.objects.select_for_update().get(pk=team.pk)
    before = _team_snapshot(team)
    for name, value in changes.items():
        if name == "department":
            team.department = _resolve_department(value)
        elif name == "lead":
            team.lead = _resolve_user(value, "lead")
        else:
            setattr(team, name, _strip(value) or "")
    _clean(team)
    diff = audit.diff(before, _team_snapshot(team))
    if not diff:
        return team
    team.save()
    audit.record("update", team, actor=actor, changes=diff)
    publish(
        events.TeamUpdated(
            team_id=team.pk,
            name=team.name,
            department_id=team.department_id,
            changed=sorted(diff),
        ),
        actor=actor,
    )
    if "lead" in diff:
        _make_lead(team, team.lead, actor=actor)
    return team


@transaction.atomic
def delete_team(team: Team, *, actor) -> None:
    """Delete a team and its memberships (each recorded in the audit trail)."""
    if actor is not None:
        require(actor, "organization.delete_team")
    team = Team.objects.select_for_update().get(pk=team.pk)
    memberships = list(team.memberships.select_related("user"))
    for membership in memberships:
        audit.record(
            "delete",
            membership,
            actor=actor,
            changes={"user": [membership.user_id, None], "role": [membership.role, None]},
        )
    audit.record("delete", team, actor=actor, changes=audit.diff(_team_snapshot(team), {}))
    pk, name, department_id = team.pk, team.name, team.department_id
    team.delete()
    publish(
        events.TeamDeleted(
            team_id=pk,
            name=name,
            department_id=department_id,
            member_ids=[m.user_id for m in memberships],
        ),
        actor=actor,
    )


# --- Memberships -----------------------------------------------------------------------------


def _join(team: Team, user, role: str, *, actor) -> Membership:
    membership = Membership(team=team, user=user, role=role)
    _clean(membership)
    membership.save()
    audit.record(
        "create",
        membership,
        actor=actor,
        changes={"team": [None, team.pk], "user": [None, user.pk], "role": [None, role]},
    )
    publish(
        events.TeamMemberAdded(
            team_id=team.pk,
            team_name=team.name,
            user_id=user.pk,
            username=user.get_username(),
            role=role,
        ),
        actor=actor,
    )
    return membership


def _set_role(membership: Membership, role: str, *, actor) -> Membership:
    old = membership.role
    membership.role = role
    _clean(membership)
    membership.save(update_fields=["role"])
    audit.record("update", membership, actor=actor, changes={"role": [old, role]})
    publish(
        events.TeamMemberRoleChanged(
            team_id=membership.team_id,
            team_name=membership.team.name,
            user_id=membership.user_id,
            username=membership.user.get_username(),
            old_role=old,
            role=role,
        ),
        actor=actor,
    )
    return membership


def _check_role(role: str) -> str:
    if role not in Membership.Role.values:
        raise ValidationFailed(
            _("Choose member or lead."), errors={"role": [_("Choose member or lead.")]}
        )
    return role


@transaction.atomic
def add_member(team: Team, user, *, actor, role: str = Membership.Role.MEMBER) -> Membership:
    """Put a user in a team. Joining as lead makes them the team's lead."""
    if actor is not None:
        require(actor, "organization.add_membership")
    role = _check_role(role)
    team = Team.objects.select_for_update().get(pk=team.pk)
    user = _resolve_user(user, "user")
    if user is None:
        raise ValidationFailed(
            _("Choose an existing user."), errors={"user": [_("Choose an existing user.")]}
        )
    if Membership.objects.filter(team=team, user=user).exists():
        raise Conflict(
            _("%(user)s is already in team %(team)s.") % {"user": user, "team": team},
            code="already_member",
        )
    membership = _join(team, user, role, actor=actor)
    if role == Membership.Role.LEAD:
        _set_team_lead(team, user, actor=actor)
    return membership


def _set_team_lead(team: Team, user, *, actor) -> None:
    """Point team.lead at `user`; the previous lead member becomes a member."""
    if team.lead_id == (user.pk if user else None):
        return
    before = _team_snapshot(team)
    team.lead = user
    team.save(update_fields=["lead", "updated_at"])
    diff = audit.diff(before, _team_snapshot(team))
    audit.record("update", team, actor=actor, changes=diff)
    publish(
        events.TeamUpdated(
            team_id=team.pk,
            name=team.name,
            department_id=team.department_id,
            changed=sorted(diff),
        ),
        actor=actor,
    )
    if user is not None:
        for other in (
            Membership.objects.select_related("team", "user")
            .filter(team=team, role=Membership.Role.LEAD)
            .exclude(user=user)
        ):
            _set_role(other, Membership.Role.MEMBER, actor=actor)


@transaction.atomic
def change_member_role(team: Team, user, *, actor, role: str) -> Membership:
    """Make a member the lead (the previous lead becomes a member) or a lead a member."""
    if actor is not None:
        require(actor, "organization.change_membership")
    role = _check_role(role)
    team = Team.objects.select_for_update().get(pk=team.pk)
    membership = (
        Membership.objects.select_for_update()
        .select_related("team", "user")
        .filter(team=team, user=user)
        .first()
    )
    if membership is None:
        raise NotFound(_("%(user)s is not in team %(team)s.") % {"user": user, "team": team})
    if membership.role == role:
        return membership
    _set_role(membership, role, actor=actor)
    if role == Membership.Role.LEAD:
        _set_team_lead(team, membership.user, actor=actor)
    elif team.lead_id == membership.user_id:
        _set_team_lead(team, None, actor=actor)
    return membership


@transaction.atomic
def remove_member(team: Team, user, *, actor) -> None:
    """Take a user out of a team. If they were its lead, the team has no lead until one is
    chosen."""
    if actor is not None:
        require(actor, "organization.delete_membership")
    team = Team.objects.select_for_update().get(pk=team.pk)
    membership = (
        Membership.objects.select_for_update()
        .select_related("user")
        .filter(team=team, user=user)
        .first()
    )
    if membership is None:
        raise NotFound(_("%(user)s is not in team %(team)s.") % {"user": user, "team": team})
    if team.lead_id == membership.user_id:
        _set_team_lead(team, None, actor=actor)
    audit.record(
        "delete",
        membership,
        actor=actor,
        changes={
            "team": [team.pk, None],
            "user": [membership.user_id, None],
            "role": [membership.role, None],
        },
    )
    username = membership.user.get_username()
    user_id = membership.user_id
    membership.delete()
    publish(
        events.TeamMemberRemoved(
            team_id=team.pk, team_name=team.name, user_id=user_id, username=username
        ),
        actor=actor,
    )
