"""The shell: home, search, the list page templates and the error pages."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from samspill.platform import registry
from samspill.platform.registry import SearchHit, SearchProvider

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider():
    def find(user, query, limit):
        names = ["Fjord AS", "Fjell AS", "Bygd AS"]
        return [
            SearchHit(kind="Organisation", title=n, url=f"/x/{i}/", subtitle="AS")
            for i, n in enumerate(names)
            if query.lower() in n.lower()
        ][:limit]

    saved = dict(registry._search)
    registry.register_search(
        SearchProvider(
            key="test", label="Test records", permission="platform.view_auditentry", search=find
        )
    )
    yield
    registry._search.clear()
    registry._search.update(saved)


def test_home_needs_login(client):
    response = client.get(reverse("web:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("users:login"))


def test_home_shows_the_areas_the_user_may_open(login, admin_user):
    response = login(admin_user).get(reverse("web:home"))
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("platform:events") in page
    assert reverse("platform:audit") in page


def test_home_of_a_user_without_roles_says_what_to_do(login, make_user):
    response = login(make_user(language="en")).get(reverse("web:home"))
    assert "Ask an administrator" in response.content.decode()
    assert reverse("platform:events") not in response.content.decode()


def test_home_is_translated(login, make_user):
    user = make_user("management", language="nb")
    page = login(user).get(reverse("web:home")).content.decode()
    assert "Velkommen" in page
    assert "Revisjonslogg" in page  # the audit log's nav label


def test_search_dropdown_is_a_fragment_with_a_link_to_all_results(login, make_user, provider):
    client = login(make_user("management"))
    response = client.get(reverse("web:search") + "?q=fj", HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "<html" not in page
    assert page.count('role="option"') == 3  # two hits and "all results"
    assert "Fjord AS" in page and "Fjell AS" in page
    assert reverse("web:search") + "?q=fj" in page


def test_search_dropdown_is_empty_for_short_queries(login, admin_user, provider):
    response = login(admin_user).get(reverse("web:search") + "?q=f", HTTP_HX_REQUEST="true")
    assert response.content.decode().strip() == ""


def test_search_page(login, make_user, provider):
    client = login(make_user("management"))
    page = client.get(reverse("web:search") + "?q=as").content.decode()
    assert "<html" in page
    assert page.count('role="option"') == 3  # no "all results" link on the page itself
    with translation.override("en"):
        empty = client.get(reverse("web:search") + "?q=zz").content.decode()
    assert "Nothing found for" in empty or "Fant ingenting" in empty


def test_search_hides_providers_the_user_may_not_use(login, make_user, provider):
    page = login(make_user("sales")).get(reverse("web:search") + "?q=fj").content.decode()
    assert "Fjord AS" not in page


def test_base_layout_has_search_menu_and_skip_link(login, admin_user):
    page = login(admin_user).get(reverse("web:home")).content.decode()
    assert 'id="global-search"' in page
    assert 'role="combobox"' in page
    assert 'href="#main"' in page
    assert 'id="sidebar"' in page


@pytest.mark.parametrize("language", ["en", "nb"])
def test_404_page_is_translated_and_in_the_shell(login, make_user, language):
    client = login(make_user("sales", language=language))
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert 'id="global-search"' in page  # the signed-in shell
    assert ("Page not found" if language == "en" else "Fant ikke siden") in page


def test_404_for_anonymous_visitors(client):
    response = client.get("/no/such/page/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_403_page(login, make_user):
    response = login(make_user("sales", language="en")).get(reverse("platform:audit"))
    assert response.status_code == 403
    assert "No access" in response.content.decode()


@override_settings(ROOT_URLCONF="samspill.web.tests.urls")
def test_500_page_renders_without_a_request_context():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_csrf_failure_page(admin_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    response = client.post(reverse("users:logout"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")


def test_the_site_icon_is_served_and_linked(client, login, admin_user):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("web/favicon.svg")
    page = login(admin_user).get("/")
    assert 'rel="icon"' in page.content.decode()
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert b"<svg" in b"".join(icon.streaming_content)


@pytest.mark.parametrize("path", ["/accounting/reports/trial-balance/", "/accounting/"])
def test_one_menu_entry_is_current_even_when_entry_urls_nest(login, admin_user, path):
    """Vouchers live at /accounting/, the trial balance below: only the closest is current."""
    page = login(admin_user).get(path).content.decode()
    nav = page[page.index('id="sidebar"') : page.index("<main")]
    assert nav.count('aria-current="page"') == 1
