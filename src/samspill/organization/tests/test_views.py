import pytest
from django.utils import translation

from samspill.organization.models import Company, Department, Membership, Team
from samspill.organization.tests.factories import (
    CompanyFactory,
    DepartmentFactory,
    MembershipFactory,
    TeamFactory,
)
from samspill.platform.models import OutboxEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def norwegian():
    with translation.override("nb"):
        yield


COMPANY_FORM = {
    "legal_name": "Nordlys Handel AS",
    "org_number": "998 877 660",
    "mva_registered": "on",
    "base_currency": "NOK",
    "fiscal_year_start_month": "1",
    "email": "post@example.no",
    "phone": "22 12 34 56",
    "website": "https://example.no",
    "postal_street": "Postboks 1",
    "postal_code": "0102",
    "postal_city": "Oslo",
    "postal_country": "NO",
    "visiting_street": "",
    "visiting_code": "",
    "visiting_city": "",
    "visiting_country": "NO",
    "iban": "NO71 1234 5678 903",
    "bank_account": "1234.56.78903",
}


@pytest.mark.parametrize(
    "url",
    [
        "/organization/company/",
        "/organization/departments/new/",
        "/organization/departments/{d}/edit/",
        "/organization/departments/{d}/delete/",
        "/organization/teams/new/",
        "/organization/teams/{t}/edit/",
        "/organization/teams/{t}/delete/",
        "/organization/teams/{t}/members/{u}/remove/",
    ],
)
def test_admin_pages_are_forbidden_for_non_admins(make_user, login, url):
    membership = MembershipFactory()
    client = login(make_user("sales"))
    target = url.format(d=membership.team.department_id, t=membership.team_id, u=membership.user_id)
    assert client.get(target).status_code == 403


@pytest.mark.parametrize("role", ["sales", "finance", "it"])
def test_everyone_signed_in_sees_the_organisation_read_only(make_user, login, role):
    CompanyFactory()
    membership = MembershipFactory()
    client = login(make_user(role))
    page = client.get("/organization/").content.decode()
    assert "NO 987 654 325 MVA" in page
    assert "/organization/company/" not in page
    for url in (
        "/organization/departments/",
        f"/organization/departments/{membership.team.department_id}/",
        "/organization/teams/",
        f"/organization/teams/{membership.team_id}/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "/edit/" not in response.content.decode()


def test_anonymous_is_sent_to_login(client):
    response = client.get("/organization/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_company_settings_saved_through_the_service(admin_user, login):
    client = login(admin_user)
    assert client.get("/organization/company/").status_code == 200
    response = client.post("/organization/company/", COMPANY_FORM)
    assert response.status_code == 302
    company = Company.objects.get()
    assert company.org_number == "998877660"
    assert company.phone == "+4722123456"
    assert OutboxEvent.objects.filter(type="organization.company.created").count() == 1
    page = client.get("/organization/").content.decode()
    assert "NO 998 877 660 MVA" in page
    assert "NO71 1234 5678 903" in page

    # The form shows identifiers formatted; saving them unchanged changes nothing.
    form = client.get("/organization/company/").context["form"]
    assert form.initial["org_number"] == "998 877 660"
    assert form.initial["phone"] == "+47 22 12 34 56"
    client.post("/organization/company/", {**COMPANY_FORM, "phone": "+47 22 12 34 56"})
    assert not OutboxEvent.objects.filter(type="organization.company.updated").exists()


def test_company_form_keeps_input_and_shows_field_errors(admin_user, login):
    client = login(admin_user)
    response = client.post(
        "/organization/company/", {**COMPANY_FORM, "org_number": "998877661", "iban": "NO00"}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'value="998877661"' in page
    assert 'value="Nordlys Handel AS"' in page
    assert page.count("invalid-feedback") >= 2
    assert not Company.objects.exists()


def test_management_edits_company(make_user, login):
    response = login(make_user("management")).post("/organization/company/", COMPANY_FORM)
    assert response.status_code == 302


def test_department_create_edit_delete(admin_user, login):
    client = login(admin_user)
    response = client.post(
        "/organization/departments/new/",
        {"name": "Økonomi", "code": "oko", "function": "finance", "office": "", "description": ""},
    )
    department = Department.objects.get()
    assert response["Location"] == f"/organization/departments/{department.pk}/"
    assert (department.code, department.office) == ("OKO", "back")

    response = client.post(
        f"/organization/departments/{department.pk}/edit/",
        {"name": "Økonomi og regnskap", "code": "OKO", "function": "finance", "office": "back"},
    )
    assert response.status_code == 302
    page = client.get(f"/organization/departments/{department.pk}/").content.decode()
    assert "Økonomi og regnskap" in page
    assert 'data-event-type="organization.department.updated"' in page

    assert client.get(f"/organization/departments/{department.pk}/delete/").status_code == 200
    assert Department.objects.exists()  # asking is not deleting
    client.post(f"/organization/departments/{department.pk}/delete/")
    assert not Department.objects.exists()


def test_deleting_a_department_with_teams_is_a_message(admin_user, login):
    team = TeamFactory()
    response = login(admin_user).post(
        f"/organization/departments/{team.department_id}/delete/", follow=True
    )
    assert response.status_code == 200
    assert any(m.level_tag == "error" for m in response.context["messages"])
    assert Department.objects.exists()


def test_department_form_error_keeps_input(admin_user, login):
    DepartmentFactory(code="SALG")
    response = login(admin_user).post(
        "/organization/departments/new/",
        {"name": "Nytt salg", "code": "SALG", "function": "sales"},
    )
    assert response.status_code == 422
    assert 'value="Nytt salg"' in response.content.decode()
    assert Department.objects.count() == 1


def test_team_pages_and_members(admin_user, make_user, login):
    department = DepartmentFactory()
    kari = make_user("sales", first_name="Kari", last_name="Nordmann")
    client = login(admin_user)
    assert client.get(f"/organization/teams/new/?department={department.pk}").status_code == 200
    response = client.post(
        "/organization/teams/new/",
        {"name": "Salg Øst", "department": department.pk, "lead": "", "description": ""},
    )
    team = Team.objects.get()
    assert response["Location"] == f"/organization/teams/{team.pk}/"

    response = client.post(
        f"/organization/teams/{team.pk}/members/", {"user": kari.pk, "role": "member"}
    )
    assert response.status_code == 302
    assert Membership.objects.get().user == kari

    page = client.get(f"/organization/teams/{team.pk}/").content.decode()
    assert "Kari Nordmann" in page

    # Adding the same person again: the form says why, nothing is written.
    response = client.post(
        f"/organization/teams/{team.pk}/members/", {"user": kari.pk, "role": "member"}
    )
    assert response.status_code == 422
    assert Membership.objects.count() == 1

    client.post(f"/organization/teams/{team.pk}/members/{kari.pk}/role/", {"role": "lead"})
    team.refresh_from_db()
    assert team.lead == kari

    assert client.get(f"/organization/teams/{team.pk}/members/{kari.pk}/remove/").status_code == 200
    assert Membership.objects.exists()
    client.post(f"/organization/teams/{team.pk}/members/{kari.pk}/remove/")
    assert not Membership.objects.exists()

    client.post(f"/organization/teams/{team.pk}/delete/")
    assert not Team.objects.exists()


def test_lists_export_and_have_bounded_queries(admin_user, login, django_assert_max_num_queries):
    for _ in range(12):
        MembershipFactory()
    client = login(admin_user)
    with django_assert_max_num_queries(12):
        response = client.get("/organization/teams/?per_page=100")
    assert response.status_code == 200
    with django_assert_max_num_queries(12):
        response = client.get("/organization/departments/?per_page=100")
    assert response.status_code == 200
    csv = client.get("/organization/teams/?_export=csv")
    assert csv.status_code == 200
    assert csv.content.decode().count("\n") >= 13
    assert client.get("/organization/departments/?_export=xlsx").status_code == 200


def test_empty_lists_say_what_to_do(admin_user, login):
    page = login(admin_user).get("/organization/teams/").content.decode()
    assert "empty-state" in page


def test_team_filter_by_office(admin_user, login):
    TeamFactory(name="Foran", department=DepartmentFactory(office="front"))
    TeamFactory(name="Bak", department=DepartmentFactory(office="back", function="finance"))
    page = login(admin_user).get("/organization/teams/?office=back").content.decode()
    assert "Bak" in page and "Foran" not in page


def test_profile_shows_own_teams(make_user, login):
    user = make_user("sales")
    MembershipFactory(user=user, team=TeamFactory(name="Kampanjeteamet"), role="lead")
    page = login(user).get("/profile/").content.decode()
    assert "Kampanjeteamet" in page


def test_admin_sees_a_users_teams_on_the_user_page(admin_user, make_user, login):
    user = make_user("sales")
    MembershipFactory(user=user, team=TeamFactory(name="Lager og frakt"))
    page = login(admin_user).get(f"/users/{user.pk}/").content.decode()
    assert "Lager og frakt" in page


def test_missing_team_is_404(admin_user, login):
    assert login(admin_user).get("/organization/teams/424242/").status_code == 404
