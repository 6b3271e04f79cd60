"""The generic ListPage every domain uses (here through the events page)."""

import pytest
from django.urls import reverse

from samspill.platform.tests.factories import OutboxEventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_with_events(login, admin_user):
    OutboxEventFactory.create_batch(12)
    return login(admin_user)


@pytest.mark.parametrize(
    ("per_page", "expected"),
    [("5", 5), ("0", 50), ("-3", 50), ("abc", 50), ("100000", 10)],
)
def test_page_size_is_sane_and_capped(client_with_events, settings, per_page, expected):
    settings.SAMSPILL = {**settings.SAMSPILL, "PAGE_SIZE": 50, "MAX_PAGE_SIZE": 10}
    response = client_with_events.get(reverse("platform:events") + f"?per_page={per_page}")
    assert response.status_code == 200
    assert response.context["table"].paginator.per_page == min(expected, 10)


def test_sort_links_keep_filters_and_drop_the_page(client_with_events):
    response = client_with_events.get(reverse("platform:events") + "?status=delivered&page=2")
    page = response.content.decode()
    assert "sort=type" in page
    link = next(part for part in page.split('"') if "sort=type" in part)
    assert "status=delivered" in link
    assert "page=" not in link


def test_pagination_links_are_htmx(client_with_events):
    response = client_with_events.get(reverse("platform:events") + "?per_page=5")
    page = response.content.decode()
    assert 'hx-get="?per_page=5&amp;page=2"' in page
    assert "1–5" in page  # "1–5 av 12"


def test_export_ignores_the_page_and_keeps_filters(client_with_events):
    OutboxEventFactory(status="dead", last_error="boom")
    response = client_with_events.get(
        reverse("platform:events") + "?status=dead&page=3&per_page=1&_export=csv"
    )
    lines = response.content.decode().strip().splitlines()
    assert len(lines) == 2  # the header and the one dead event


def test_filter_form_has_labels_and_bootstrap_classes(client_with_events):
    response = client_with_events.get(reverse("platform:events"))
    form = response.context["filterset"].form
    for field in form:
        assert f'for="{field.id_for_label}"' in response.content.decode()
    assert form.fields["status"].widget.attrs["class"].startswith("form-select")
    assert form.fields["subject"].widget.attrs["class"].startswith("form-control")


def test_export_links_do_not_repeat_the_export_parameter(client_with_events):
    response = client_with_events.get(reverse("platform:events") + "?status=dead")
    assert response.context["export_query"] == "status=dead"
