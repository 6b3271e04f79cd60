import pytest
from django.utils import translation

from samspill.platform.models import OutboxEvent
from samspill.platform.permissions import ROLES
from samspill.users.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def norwegian():
    with translation.override("nb"):
        yield


@pytest.mark.parametrize(
    "url",
    ["/users/", "/users/new/", "/users/{pk}/", "/users/{pk}/edit/", "/users/{pk}/deactivate/"],
)
def test_user_admin_pages_are_forbidden_for_non_admins(make_user, login, url):
    other = make_user("sales")
    client = login(make_user("sales", "finance"))
    assert client.get(url.format(pk=other.pk)).status_code == 403


def test_user_admin_pages_send_anonymous_visitors_to_login(client, make_user):
    response = client.get("/users/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_management_may_list_users_but_not_change_them(make_user, login):
    client = login(make_user("management"))
    assert client.get("/users/").status_code == 200
    assert client.get("/users/new/").status_code == 403


def test_user_list_shows_roles_with_bounded_queries(
    admin_user, make_user, login, django_assert_max_num_queries
):
    for n in range(15):
        make_user("sales", "finance", username=f"person{n:02}")
    client = login(admin_user)
    with django_assert_max_num_queries(12):
        response = client.get("/users/?per_page=100")
    assert response.status_code == 200
    page = response.content.decode()
    assert "person14" in page
    assert str(ROLES["finance"]) in page


def test_user_list_filters_and_exports(admin_user, make_user, login):
    make_user("finance", username="kari")
    make_user("sales", username="ola")
    client = login(admin_user)
    response = client.get("/users/?role=finance")
    assert "kari" in response.content.decode()
    assert "ola" not in response.content.decode()
    export = client.get("/users/?role=finance&_export=csv")
    assert export.status_code == 200
    text = export.content.decode()
    assert "kari" in text and "finance" in text and "ola" not in text
    xlsx = client.get("/users/?_export=xlsx")
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_user_list_htmx_returns_the_fragment(admin_user, login):
    response = login(admin_user).get("/users/?q=boss", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in response.content.decode()


def test_admin_creates_a_user(admin_user, login):
    client = login(admin_user)
    response = client.post(
        "/users/new/",
        {
            "username": "marte",
            "first_name": "Marte",
            "last_name": "Larsen",
            "email": "marte@example.no",
            "language": "nb",
            "time_zone": "Europe/Oslo",
            "roles": ["hr"],
            "password1": "sterkt-passord-77",
            "password2": "sterkt-passord-77",
        },
    )
    user = User.objects.get(username="marte")
    assert response.status_code == 302
    assert response["Location"] == f"/users/{user.pk}/"
    assert user.role_names == ["hr"]
    assert user.check_password("sterkt-passord-77")


def test_create_user_form_keeps_input_and_shows_duplicate_username(admin_user, login):
    client = login(admin_user)
    response = client.post(
        "/users/new/",
        {"username": "boss", "first_name": "Dobbel", "language": "nb", "time_zone": "Europe/Oslo"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'value="Dobbel"' in page
    assert "invalid-feedback" in page
    assert User.objects.filter(username="boss").count() == 1


def test_admin_edits_roles_and_deactivates_with_confirmation(admin_user, make_user, login):
    user = make_user("sales")
    client = login(admin_user)
    response = client.post(
        f"/users/{user.pk}/edit/",
        {
            "first_name": "Nytt",
            "last_name": "Navn",
            "email": "",
            "language": "en",
            "time_zone": "Europe/Oslo",
            "roles": ["service", "it"],
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.first_name == "Nytt"
    assert user.role_names == ["it", "service"]

    confirm = client.get(f"/users/{user.pk}/deactivate/")
    assert confirm.status_code == 200
    user.refresh_from_db()
    assert user.is_active
    client.post(f"/users/{user.pk}/deactivate/")
    user.refresh_from_db()
    assert not user.is_active

    client.post(f"/users/{user.pk}/reactivate/")
    user.refresh_from_db()
    assert user.is_active


def test_deactivating_yourself_is_a_message_not_an_error(admin_user, login):
    client = login(admin_user)
    response = client.post(f"/users/{admin_user.pk}/deactivate/", follow=True)
    assert response.status_code == 200
    assert any(m.level_tag == "error" for m in response.context["messages"])
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_user_detail_shows_history_and_timeline(admin_user, make_user, login):
    user = make_user("sales")
    client = login(admin_user)
    client.post(f"/users/{user.pk}/deactivate/")
    response = client.get(f"/users/{user.pk}/")
    assert response.status_code == 200
    assert 'data-event-type="users.user.deactivated"' in response.content.decode()


def test_missing_user_is_404(admin_user, login):
    assert login(admin_user).get("/users/999999/").status_code == 404


def test_profile_change_of_language_switches_the_ui_to_english(make_user, login):
    user = make_user(language="nb")
    client = login(user)
    assert "Lagre" in client.get("/profile/").content.decode()
    response = client.post(
        "/profile/",
        {
            "first_name": "Per",
            "last_name": "Haugen",
            "email": "per@example.no",
            "language": "en",
            "time_zone": "Europe/London",
        },
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="en"' in page
    assert "Your profile was saved." in page
    assert "Save" in page and "Lagre" not in page
    user.refresh_from_db()
    assert (user.language, user.time_zone) == ("en", "Europe/London")
    assert OutboxEvent.objects.filter(type="users.user.updated").count() == 1


def test_profile_shows_roles_and_teams_panel(make_user, login):
    user = make_user("finance")
    page = login(user).get("/profile/").content.decode()
    assert str(ROLES["finance"]) in page
    assert "Ikke med i noe team ennå." in page


def test_profile_form_keeps_input_on_error(make_user, login):
    user = make_user()
    response = login(user).post(
        "/profile/",
        {
            "first_name": "Behold",
            "email": "ikke-en-adresse",
            "language": "nb",
            "time_zone": "Europe/Oslo",
        },
    )
    assert response.status_code == 422
    assert 'value="Behold"' in response.content.decode()
    user.refresh_from_db()
    assert user.first_name != "Behold"


def test_password_change_goes_through_the_service(make_user, login):
    user = make_user(password="gammelt-passord-1")
    client = login(user)
    response = client.post(
        "/password/change/",
        {
            "old_password": "gammelt-passord-1",
            "new_password1": "nytt-langt-passord-2",
            "new_password2": "nytt-langt-passord-2",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("nytt-langt-passord-2")
    assert OutboxEvent.objects.filter(type="users.user.password_changed").count() == 1
    # Still signed in after the change.
    assert client.get("/profile/").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/login/",
        "/password/reset/",
        "/password/reset/sent/",
        "/password/reset/complete/",
        "/password/reset/MQ/bad-token/",
    ],
)
def test_public_pages_render_in_norwegian(client, url):
    response = client.get(url, follow=True)
    assert response.status_code == 200
    assert '<html lang="nb"' in response.content.decode()


@pytest.mark.parametrize("url", ["/password/change/", "/password/change/done/"])
def test_password_change_pages_render(make_user, login, url):
    assert login(make_user()).get(url).status_code == 200


def test_login_and_logout(make_user, client):
    make_user(username="per", password="riktig-passord-9")
    response = client.post("/login/", {"username": "per", "password": "riktig-passord-9"})
    assert response.status_code == 302
    assert client.get("/profile/").status_code == 200
    response = client.post("/logout/")
    assert response.status_code == 302
    assert client.get("/profile/").status_code == 302


def test_wrong_password_shows_a_translated_error(make_user, client):
    make_user(username="per", password="riktig-passord-9")
    response = client.post("/login/", {"username": "per", "password": "feil"})
    assert response.status_code == 200
    assert 'value="per"' in response.content.decode()
    assert "alert-danger" in response.content.decode()
