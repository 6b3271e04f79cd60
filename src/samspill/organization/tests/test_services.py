import pytest

from samspill.organization import services
from samspill.organization.models import Company, Department, Membership, Team
from samspill.organization.tests.factories import (
    CompanyFactory,
    DepartmentFactory,
    MembershipFactory,
    TeamFactory,
)
from samspill.platform.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from samspill.platform.models import AuditEntry, OutboxEvent

pytestmark = pytest.mark.django_db

VALID_COMPANY = {
    "legal_name": "Nordlys Handel AS",
    "org_number": "998 877 660",
    "mva_registered": True,
    "base_currency": "NOK",
    "fiscal_year_start_month": 1,
    "postal_code": "0102",
    "postal_city": "Oslo",
    "phone": "22 12 34 56",
    "iban": "NO71 1234 5678 903",
    "bank_account": "1234.56.78903",
}


def test_company_is_set_up_then_updated(admin_user, events, audit_entries):
    company = services.update_company(actor=admin_user, **VALID_COMPANY)
    assert company.pk == Company.SINGLETON_ID
    assert company.org_number == "998877660"
    assert company.org_number_display == "NO 998 877 660 MVA"
    assert company.phone == "+4722123456"
    assert events() == ["organization.company.created"]

    services.update_company(actor=admin_user, fiscal_year_start_month=7, phone="+47 22 12 34 56")
    company.refresh_from_db()
    assert company.fiscal_year_start_month == 7
    assert events() == ["organization.company.created", "organization.company.updated"]
    updated = OutboxEvent.objects.get(type="organization.company.updated")
    # The phone was typed differently but is the same number: not a change.
    assert updated.payload["changed"] == ["fiscal_year_start_month"]
    created, changed = audit_entries(company)
    assert created.action == "create" and created.changes["org_number"] == [None, "998877660"]
    assert changed.changes == {"fiscal_year_start_month": [1, 7]}
    assert Company.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("org_number", "998877661"),
        ("org_number", "12345"),
        ("iban", "NO72 1234 5678 903"),
        ("bank_account", "1234.56.78904"),
        ("phone", "12"),
        ("base_currency", "XYZ"),
        ("fiscal_year_start_month", 13),
        ("postal_code", "12345"),
        ("email", "nope"),
        ("website", "not a url"),
    ],
)
def test_bad_company_input_writes_nothing(admin_user, field, value):
    with pytest.raises(ValidationFailed) as excinfo:
        services.update_company(actor=admin_user, **{**VALID_COMPANY, field: value})
    assert field in excinfo.value.errors
    assert not Company.objects.exists()
    assert not OutboxEvent.objects.exists()
    assert not AuditEntry.objects.exists()


def test_bad_update_leaves_the_company_as_it_was(admin_user):
    CompanyFactory()
    with pytest.raises(ValidationFailed):
        services.update_company(actor=admin_user, legal_name="Nytt navn", iban="NO00")
    company = Company.objects.get()
    assert company.legal_name == "Fjordtest AS"
    assert not OutboxEvent.objects.exists()


def test_unknown_company_field_is_refused(admin_user):
    with pytest.raises(ValidationFailed):
        services.update_company(actor=admin_user, **VALID_COMPANY, secret="x")
    assert not Company.objects.exists()


def test_company_needs_permission(make_user):
    with pytest.raises(PermissionDenied):
        services.update_company(actor=make_user("sales"), **VALID_COMPANY)
    services.update_company(actor=make_user("management"), **VALID_COMPANY)
    assert Company.objects.exists()


def test_department_lifecycle(make_user, events, audit_entries):
    boss = make_user("management")
    department = services.create_department(
        actor=boss, name="Kundeservice", code="kunde", function="customer_service"
    )
    assert department.code == "KUNDE"
    assert department.office == Department.Office.FRONT  # from the function
    finance = services.create_department(actor=boss, name="Økonomi", code="OKO", function="finance")
    assert finance.office == Department.Office.BACK

    services.update_department(department, actor=boss, name="Kundesenter")
    department.refresh_from_db()
    assert department.name == "Kundesenter"
    services.delete_department(finance, actor=boss)
    assert not Department.objects.filter(pk=finance.pk).exists()
    assert events() == [
        "organization.department.created",
        "organization.department.created",
        "organization.department.updated",
        "organization.department.deleted",
    ]
    assert [e.action for e in audit_entries(department)] == ["create", "update"]


@pytest.mark.parametrize(
    "fields",
    [
        {"name": "", "code": "X", "function": "sales"},
        {"name": "A", "code": "bad code!", "function": "sales"},
        {"name": "A", "code": "A", "function": "astrology"},
        {"name": "A", "code": "A", "function": "sales", "office": "middle"},
    ],
)
def test_bad_department_writes_nothing(admin_user, fields):
    with pytest.raises(ValidationFailed):
        services.create_department(actor=admin_user, **fields)
    assert not Department.objects.exists()
    assert not OutboxEvent.objects.exists()


def test_department_name_and_code_are_unique(admin_user):
    DepartmentFactory(name="Salg", code="SALG")
    with pytest.raises(ValidationFailed) as excinfo:
        services.create_department(actor=admin_user, name="Salg", code="salg", function="sales")
    assert set(excinfo.value.errors) == {"name", "code"}


def test_department_with_teams_cannot_be_deleted(admin_user):
    team = TeamFactory()
    with pytest.raises(Conflict):
        services.delete_department(team.department, actor=admin_user)
    assert Department.objects.filter(pk=team.department_id).exists()
    assert not OutboxEvent.objects.exists()


def test_sales_cannot_change_departments(make_user):
    department = DepartmentFactory()
    with pytest.raises(PermissionDenied):
        services.update_department(department, actor=make_user("sales"), name="X")


def test_team_with_lead_makes_the_lead_a_lead_member(admin_user, make_user, events):
    lead = make_user("sales")
    department = DepartmentFactory()
    team = services.create_team(actor=admin_user, name="Salg Øst", department=department, lead=lead)
    membership = Membership.objects.get(team=team)
    assert membership.user == lead
    assert membership.role == Membership.Role.LEAD
    assert events() == ["organization.team.created", "organization.team.member_added"]
    created = OutboxEvent.objects.get(type="organization.team.created")
    assert created.subjects == {
        "team": [str(team.pk)],
        "department": [str(department.pk)],
        "user": [str(lead.pk)],
    }


def test_changing_the_lead_keeps_the_previous_lead_as_member(admin_user, make_user, events):
    first, second = make_user(), make_user()
    team = services.create_team(
        actor=admin_user, name="T", department=DepartmentFactory(), lead=first
    )
    services.update_team(team, actor=admin_user, lead=second.pk)
    roles = dict(Membership.objects.filter(team=team).values_list("user__username", "role"))
    assert roles == {first.username: "member", second.username: "lead"}
    team.refresh_from_db()
    assert team.lead == second
    assert events()[-3:] == [
        "organization.team.updated",
        "organization.team.member_role_changed",
        "organization.team.member_added",
    ]


def test_team_name_is_unique_within_its_department(admin_user):
    team = TeamFactory(name="Drift")
    with pytest.raises(ValidationFailed):
        services.create_team(actor=admin_user, name="Drift", department=team.department)
    other = services.create_team(actor=admin_user, name="Drift", department=DepartmentFactory())
    assert other.pk


def test_team_with_unknown_department_or_inactive_lead_writes_nothing(admin_user, make_user):
    with pytest.raises(ValidationFailed) as excinfo:
        services.create_team(actor=admin_user, name="T", department=999999)
    assert "department" in excinfo.value.errors
    gone = make_user(is_active=False)
    with pytest.raises(ValidationFailed) as excinfo:
        services.create_team(actor=admin_user, name="T", department=DepartmentFactory(), lead=gone)
    assert "lead" in excinfo.value.errors
    assert not Team.objects.exists()


def test_memberships(admin_user, make_user, events, audit_entries):
    team = TeamFactory()
    user = make_user("sales")
    membership = services.add_member(team, user, actor=admin_user)
    assert membership.role == "member"
    with pytest.raises(Conflict):
        services.add_member(team, user, actor=admin_user)

    services.change_member_role(team, user, actor=admin_user, role="lead")
    team.refresh_from_db()
    assert team.lead == user
    services.remove_member(team, user, actor=admin_user)
    team.refresh_from_db()
    assert team.lead is None
    assert not Membership.objects.exists()
    assert events() == [
        "organization.team.member_added",
        "organization.team.member_role_changed",
        "organization.team.updated",
        "organization.team.updated",
        "organization.team.member_removed",
    ]
    assert [e.action for e in audit_entries(membership)] == ["create", "update", "delete"]
    removed = OutboxEvent.objects.get(type="organization.team.member_removed")
    assert removed.subjects == {"team": [str(team.pk)], "user": [str(user.pk)]}


def test_a_user_may_be_in_several_teams(admin_user, make_user):
    user = make_user()
    services.add_member(TeamFactory(), user, actor=admin_user)
    services.add_member(TeamFactory(), user, actor=admin_user, role="lead")
    assert Membership.objects.filter(user=user).count() == 2


def test_joining_as_lead_demotes_the_previous_lead(admin_user, make_user):
    a, b = make_user(), make_user()
    team = TeamFactory()
    services.add_member(team, a, actor=admin_user, role="lead")
    services.add_member(team, b, actor=admin_user, role="lead")
    roles = dict(Membership.objects.filter(team=team).values_list("user_id", "role"))
    assert roles == {a.pk: "member", b.pk: "lead"}
    team.refresh_from_db()
    assert team.lead == b


def test_bad_membership_input(admin_user, make_user):
    team = TeamFactory()
    with pytest.raises(ValidationFailed):
        services.add_member(team, make_user(), actor=admin_user, role="captain")
    with pytest.raises(ValidationFailed):
        services.add_member(team, 999999, actor=admin_user)
    with pytest.raises(NotFound):
        services.remove_member(team, make_user(), actor=admin_user)
    assert not Membership.objects.exists()
    assert not OutboxEvent.objects.exists()


def test_memberships_need_permission(make_user):
    team = TeamFactory()
    with pytest.raises(PermissionDenied):
        services.add_member(team, make_user(), actor=make_user("sales"))


def test_delete_team_removes_memberships(admin_user):
    membership = MembershipFactory()
    team = membership.team
    services.delete_team(team, actor=admin_user)
    assert not Team.objects.exists()
    assert not Membership.objects.exists()
    deleted = OutboxEvent.objects.get(type="organization.team.deleted")
    assert deleted.payload["member_ids"] == [membership.user_id]
    assert AuditEntry.objects.filter(action="delete").count() == 2
