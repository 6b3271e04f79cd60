"""/api/v1/organization: the company, departments, teams and memberships. Thin: every write
goes through organization.services, every read through organization.queries."""

from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from samspill.organization import queries, services
from samspill.platform.errors import NotFound
from samspill.platform.permissions import require

router = Router(tags=["organization"])


class Pagination(PageNumberPagination):
    """Page numbers with the page size and its cap taken from settings.SAMSPILL."""

    def _get_page_size(self, requested_page_size):
        size = requested_page_size or settings.SAMSPILL["PAGE_SIZE"]
        return min(size, settings.SAMSPILL["MAX_PAGE_SIZE"])


# --- Schemas ---------------------------------------------------------------------------------


class CompanyOut(Schema):
    legal_name: str
    org_number: str
    org_number_display: str = Field(..., description='e.g. "NO 923 609 016 MVA"')
    mva_registered: bool
    base_currency: str
    fiscal_year_start_month: int
    postal_street: str
    postal_code: str
    postal_city: str
    postal_country: str
    visiting_street: str
    visiting_code: str
    visiting_city: str
    visiting_country: str
    email: str
    phone: str = Field(..., description="E.164, e.g. +4722123456")
    website: str
    iban: str
    bank_account: str
    reminder_fee: Decimal = Field(..., description="Fee on a reminder (purregebyr), NOK")
    reminder_days: int = Field(..., description="Days to pay a reminder (at least 14)")
    updated_at: datetime


class CompanyPatch(Schema):
    legal_name: str | None = None
    org_number: str | None = None
    mva_registered: bool | None = None
    base_currency: str | None = None
    fiscal_year_start_month: int | None = None
    postal_street: str | None = None
    postal_code: str | None = None
    postal_city: str | None = None
    postal_country: str | None = None
    visiting_street: str | None = None
    visiting_code: str | None = None
    visiting_city: str | None = None
    visiting_country: str | None = None
    email: str | None = None
    phone: str | None = None
    website: str | None = None
    iban: str | None = None
    bank_account: str | None = None
    reminder_fee: Decimal | None = None
    reminder_days: int | None = None


class DepartmentOut(Schema):
    id: int
    name: str
    code: str
    office: str
    function: str
    description: str
    team_count: int
    member_count: int


class DepartmentIn(Schema):
    name: str
    code: str
    function: str
    office: str | None = None
    description: str = ""


class DepartmentPatch(Schema):
    name: str | None = None
    code: str | None = None
    function: str | None = None
    office: str | None = None
    description: str | None = None


class DepartmentFilters(Schema):
    q: str | None = None
    office: str | None = None
    function: str | None = None


class TeamOut(Schema):
    id: int
    name: str
    department_id: int
    department_name: str = Field(..., alias="department.name")
    lead_id: int | None
    description: str
    member_count: int


class TeamIn(Schema):
    name: str
    department_id: int
    lead_id: int | None = None
    description: str = ""


class TeamPatch(Schema):
    name: str | None = None
    department_id: int | None = None
    lead_id: int | None = None
    description: str | None = None


class TeamFilters(Schema):
    q: str | None = None
    department_id: int | None = None
    office: str | None = None
    member_id: int | None = Field(None, description="Only teams this user is in")


class MemberOut(Schema):
    user_id: int
    username: str = Field(..., alias="user.username")
    name: str
    role: str
    joined_at: datetime

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.user.get_full_name()


class MemberIn(Schema):
    user_id: int
    role: str = "member"


class MemberPatch(Schema):
    role: str


# --- Company ---------------------------------------------------------------------------------


@router.get("/company", response=CompanyOut, summary="The company")
def get_company(request):
    require(request.user, "organization.view_company")
    company = queries.company()
    if company is None:
        raise NotFound(_("The company has not been set up yet."))
    return company


@router.patch("/company", response=CompanyOut, summary="Set up or change the company")
def patch_company(request, payload: CompanyPatch):
    return services.update_company(actor=request.user, **payload.model_dump(exclude_unset=True))


# --- Departments -----------------------------------------------------------------------------


@router.get("/departments", response=list[DepartmentOut], summary="List departments")
@paginate(Pagination)
def list_departments(request, filters: Query[DepartmentFilters]):
    require(request.user, "organization.view_department")
    rows = queries.departments(request.user)
    if filters.q:
        rows = rows.filter(Q(name__icontains=filters.q) | Q(code__icontains=filters.q))
    if filters.office:
        rows = rows.filter(office=filters.office)
    if filters.function:
        rows = rows.filter(function=filters.function)
    return rows


@router.post("/departments", response={201: DepartmentOut}, summary="Create a department")
def create_department(request, payload: DepartmentIn):
    department = services.create_department(actor=request.user, **payload.model_dump())
    return Status(201, queries.department(department.pk))


@router.get("/departments/{department_id}", response=DepartmentOut, summary="One department")
def get_department(request, department_id: int):
    require(request.user, "organization.view_department")
    return queries.department(department_id, request.user)


@router.patch("/departments/{department_id}", response=DepartmentOut, summary="Change a department")
def patch_department(request, department_id: int, payload: DepartmentPatch):
    require(request.user, "organization.change_department")
    department = queries.department(department_id)
    services.update_department(
        department, actor=request.user, **payload.model_dump(exclude_unset=True)
    )
    return queries.department(department_id)


@router.delete(
    "/departments/{department_id}",
    response={204: None},
    summary="Delete a department without teams",
)
def delete_department(request, department_id: int):
    require(request.user, "organization.delete_department")
    services.delete_department(queries.department(department_id), actor=request.user)
    return Status(204, None)


# --- Teams -----------------------------------------------------------------------------------


def _team_changes(payload: TeamPatch | TeamIn, exclude_unset: bool) -> dict:
    data = payload.model_dump(exclude_unset=exclude_unset)
    renames = {"department_id": "department", "lead_id": "lead"}
    return {renames.get(key, key): value for key, value in data.items()}


@router.get("/teams", response=list[TeamOut], summary="List teams")
@paginate(Pagination)
def list_teams(request, filters: Query[TeamFilters]):
    require(request.user, "organization.view_team")
    rows = queries.teams(request.user)
    if filters.q:
        rows = rows.filter(name__icontains=filters.q)
    if filters.department_id:
        rows = rows.filter(department_id=filters.department_id)
    if filters.office:
        rows = rows.filter(department__office=filters.office)
    if filters.member_id:
        rows = rows.filter(memberships__user_id=filters.member_id)
    return rows


@router.post("/teams", response={201: TeamOut}, summary="Create a team")
def create_team(request, payload: TeamIn):
    team = services.create_team(actor=request.user, **_team_changes(payload, False))
    return Status(201, queries.team(team.pk))


@router.get("/teams/{team_id}", response=TeamOut, summary="One team")
def get_team(request, team_id: int):
    require(request.user, "organization.view_team")
    return queries.team(team_id, request.user)


@router.patch("/teams/{team_id}", response=TeamOut, summary="Change a team")
def patch_team(request, team_id: int, payload: TeamPatch):
    require(request.user, "organization.change_team")
    team = queries.team(team_id)
    services.update_team(team, actor=request.user, **_team_changes(payload, True))
    return queries.team(team_id)


@router.delete("/teams/{team_id}", response={204: None}, summary="Delete a team")
def delete_team(request, team_id: int):
    require(request.user, "organization.delete_team")
    services.delete_team(queries.team(team_id), actor=request.user)
    return Status(204, None)


# --- Memberships -----------------------------------------------------------------------------


@router.get("/teams/{team_id}/members", response=list[MemberOut], summary="A team's members")
@paginate(Pagination)
def list_members(request, team_id: int):
    require(request.user, "organization.view_membership")
    return queries.members(queries.team(team_id, request.user), request.user)


@router.post("/teams/{team_id}/members", response={201: MemberOut}, summary="Add a member")
def add_member(request, team_id: int, payload: MemberIn):
    require(request.user, "organization.add_membership")
    team = queries.team(team_id)
    services.add_member(team, payload.user_id, actor=request.user, role=payload.role)
    return Status(201, queries.membership(team, payload.user_id))


@router.patch(
    "/teams/{team_id}/members/{user_id}",
    response=MemberOut,
    summary="Change a member's role (member or lead)",
)
def patch_member(request, team_id: int, user_id: int, payload: MemberPatch):
    require(request.user, "organization.change_membership")
    team = queries.team(team_id)
    services.change_member_role(team, user_id, actor=request.user, role=payload.role)
    return queries.membership(team, user_id)


@router.delete(
    "/teams/{team_id}/members/{user_id}", response={204: None}, summary="Remove a member"
)
def remove_member(request, team_id: int, user_id: int):
    require(request.user, "organization.delete_membership")
    services.remove_member(queries.team(team_id), user_id, actor=request.user)
    return Status(204, None)
