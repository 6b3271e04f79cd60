"""Every navigation entry works for an administrator: a broken nav link fails the suite."""

import pytest
from django.urls import reverse

from samspill.platform.registry import NAV_GROUPS, _nav, nav_for

pytestmark = pytest.mark.django_db


def test_navigation_has_entries():
    assert {item.url_name for item in _nav} >= {"platform:events", "platform:audit"}
    assert all(item.group in NAV_GROUPS for item in _nav)


@pytest.mark.parametrize("url_name", sorted({item.url_name for item in _nav}))
def test_every_nav_link_opens_for_admin(login, admin_user, url_name):
    client = login(admin_user)
    shown = {item.url_name for items in nav_for(admin_user).values() for item in items}
    assert url_name in shown, "an administrator should see every navigation entry"
    response = client.get(reverse(url_name))
    assert response.status_code == 200, f"{url_name} answered {response.status_code}"


def test_nav_hides_what_the_user_may_not_open(make_user):
    shown = {item.url_name for items in nav_for(make_user("sales")).values() for item in items}
    assert "platform:events" not in shown
    assert "platform:audit" not in shown
    management = {
        item.url_name for items in nav_for(make_user("management")).values() for item in items
    }
    assert "platform:audit" in management
