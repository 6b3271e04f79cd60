"""The yes/no filter every list shares: All / Yes / No, and it filters."""

import pytest
from django.utils import translation

from samspill.platform.filters import YesNoAll

pytestmark = pytest.mark.django_db


def test_yes_no_filter_offers_all_yes_no_and_filters(login, make_user):
    with translation.override("en"):
        assert [str(label) for _value, label in YesNoAll().choices] == ["All", "Yes", "No"]
    admin = make_user("admin")
    make_user("sales", is_active=False)
    client = login(admin)
    page = client.get("/users/?is_active=false")
    assert page.status_code == 200
    assert {u.is_active for u in page.context["table"].data} == {False}
    assert '<option value="unknown"' in client.get("/users/").content.decode()
