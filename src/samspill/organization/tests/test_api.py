import pytest

from samspill.organization.models import Company, Department, Membership, Team
from samspill.organization.tests.factories import (
    CompanyFactory,
    DepartmentFactory,
    MembershipFactory,
    TeamFactory,
)
from samspill.platform.models import OutboxEvent

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_company_get_and_patch(admin_user, api):
    client = api(admin_user)
    response = client.get("/api/v1/organization/company")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"

    response = client.patch(
        "/api/v1/organization/company",
        {"legal_name": "Nordlys Handel AS", "org_number": "998877660", "mva_registered": True},
        content_type=JSON,
    )
    assert response.status_code == 200
    assert response.json()["org_number_display"] == "NO 998 877 660 MVA"
    assert response.json()["base_currency"] == "NOK"
    assert OutboxEvent.objects.get(type="organization.company.created").channel == "api"

    response = client.patch(
        "/api/v1/organization/company", {"iban": "NO00 1234"}, content_type=JSON
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_failed"
    assert "iban" in body["errors"]
    assert Company.objects.get().iban == ""


def test_company_patch_forbidden_for_sales(make_user, api):
    CompanyFactory()
    client = api(make_user("sales"))
    assert client.get("/api/v1/organization/company").status_code == 200
    response = client.patch(
        "/api/v1/organization/company", {"legal_name": "Hacked"}, content_type=JSON
    )
    assert response.status_code == 403
    assert Company.objects.get().legal_name == "Fjordtest AS"


def test_departments_crud(admin_user, api):
    client = api(admin_user)
    response = client.post(
        "/api/v1/organization/departments",
        {"name": "Salg", "code": "salg", "function": "sales"},
        content_type=JSON,
    )
    assert response.status_code == 201
    department = response.json()
    assert department["code"] == "SALG" and department["office"] == "front"

    url = f"/api/v1/organization/departments/{department['id']}"
    assert (
        client.patch(url, {"name": "Salg Norge"}, content_type=JSON).json()["name"] == "Salg Norge"
    )
    assert client.get(url).json()["team_count"] == 0
    listed = client.get("/api/v1/organization/departments?office=front").json()
    assert [d["code"] for d in listed["items"]] == ["SALG"]
    assert client.delete(url).status_code == 204
    assert client.get(url).status_code == 404


def test_department_conflict_is_409(admin_user, api):
    team = TeamFactory()
    response = api(admin_user).delete(f"/api/v1/organization/departments/{team.department_id}")
    assert response.status_code == 409
    assert response.json()["code"] == "department_has_teams"


def test_teams_and_memberships(admin_user, make_user, api):
    department = DepartmentFactory()
    kari = make_user("sales")
    client = api(admin_user)
    response = client.post(
        "/api/v1/organization/teams",
        {"name": "Salg Øst", "department_id": department.pk, "lead_id": kari.pk},
        content_type=JSON,
    )
    assert response.status_code == 201
    team = response.json()
    assert team["lead_id"] == kari.pk and team["member_count"] == 1
    assert team["department_name"] == department.name

    ola = make_user("sales")
    members_url = f"/api/v1/organization/teams/{team['id']}/members"
    response = client.post(members_url, {"user_id": ola.pk}, content_type=JSON)
    assert response.status_code == 201
    assert response.json()["role"] == "member"
    response = client.post(members_url, {"user_id": ola.pk}, content_type=JSON)
    assert response.status_code == 409

    response = client.patch(f"{members_url}/{ola.pk}", {"role": "lead"}, content_type=JSON)
    assert response.json()["role"] == "lead"
    assert Team.objects.get().lead == ola

    listed = client.get(members_url).json()
    assert {m["user_id"]: m["role"] for m in listed["items"]} == {kari.pk: "member", ola.pk: "lead"}
    assert client.delete(f"{members_url}/{kari.pk}").status_code == 204
    assert client.delete(f"{members_url}/{kari.pk}").status_code == 404

    mine = client.get(f"/api/v1/organization/teams?member_id={ola.pk}").json()
    assert [t["name"] for t in mine["items"]] == ["Salg Øst"]
    assert (
        client.patch(
            f"/api/v1/organization/teams/{team['id']}", {"name": "Salg Vest"}, content_type=JSON
        ).json()["name"]
        == "Salg Vest"
    )
    assert client.delete(f"/api/v1/organization/teams/{team['id']}").status_code == 204
    assert not Membership.objects.exists()


def test_bad_team_input_is_problem_json(admin_user, api):
    response = api(admin_user).post(
        "/api/v1/organization/teams", {"name": "X", "department_id": 4242}, content_type=JSON
    )
    assert response.status_code == 422
    assert "department" in response.json()["errors"]
    assert not Team.objects.exists()


def test_lists_have_bounded_queries(admin_user, api, django_assert_max_num_queries):
    client = api(admin_user)
    for _ in range(15):
        MembershipFactory()
    with django_assert_max_num_queries(6):
        body = client.get("/api/v1/organization/teams?page_size=100").json()
    assert body["count"] == 15
    with django_assert_max_num_queries(6):
        body = client.get("/api/v1/organization/departments?page_size=100").json()
    assert body["count"] == 15
    team = Team.objects.first()
    for _ in range(5):
        MembershipFactory(team=team)
    with django_assert_max_num_queries(8):
        body = client.get(f"/api/v1/organization/teams/{team.pk}/members").json()
    assert body["count"] == 6


def test_everyone_reads_nobody_but_admin_and_management_writes(make_user, api):
    department = DepartmentFactory()
    client = api(make_user("hr"))
    assert client.get("/api/v1/organization/departments").status_code == 200
    assert client.get("/api/v1/organization/teams").status_code == 200
    response = client.post(
        "/api/v1/organization/teams",
        {"name": "X", "department_id": department.pk},
        content_type=JSON,
    )
    assert response.status_code == 403
    response = client.delete(f"/api/v1/organization/departments/{department.pk}")
    assert response.status_code == 403
    assert Department.objects.exists()
