"""The party timeline (360-degree view) on the page, in its htmx fragment and in the API:
a fixed number of queries however many events, keyset pages without gaps or repeats."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from samspill.parties import services
from samspill.parties.tests.factories import OrganizationFactory
from samspill.platform.models import EventSubject, OutboxEvent
from samspill.platform.timeline import timeline

pytestmark = pytest.mark.django_db


def add_events(party, n, *, start=None, same_time=False, kind="parties.party.updated"):
    """n delivered events about the party, one minute apart (or all at one moment)."""
    start = start or timezone.now() - timedelta(days=1)
    events = [
        OutboxEvent(
            type=kind,
            occurred_at=start if same_time else start + timedelta(minutes=i),
            subjects={"party": [str(party.pk)]},
            payload={"party_id": party.pk, "fields": ["email"]},
            status=OutboxEvent.Status.DELIVERED,
        )
        for i in range(n)
    ]
    OutboxEvent.objects.bulk_create(events)
    EventSubject.objects.bulk_create(
        EventSubject(event=e, kind="party", object_id=str(party.pk), occurred_at=e.occurred_at)
        for e in events
    )
    return events


@pytest.fixture
def ui(login, make_user):
    return login(make_user("sales", language="en"))


def count_queries(get, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = get(url)
    assert response.status_code == 200
    return len(captured), response


@pytest.mark.parametrize(
    "url",
    ["parties:detail", "parties:timeline"],
)
def test_page_and_fragment_queries_do_not_grow_with_the_events(
    ui, url, django_assert_max_num_queries
):
    party = OrganizationFactory()
    add_events(party, 3)
    path = reverse(url, args=[party.pk])
    ui.get(path)  # warm-up: content types, permissions
    few, _ = count_queries(ui.get, path)
    add_events(party, 120)  # more than a page
    add_events(OrganizationFactory(), 30)
    with django_assert_max_num_queries(few):
        response = ui.get(path)
    assert response.content.decode().count("data-event-type=") == 50
    assert "Show older events" in response.content.decode()


def test_api_queries_do_not_grow_with_the_events(api, make_user, django_assert_max_num_queries):
    client = api(make_user("sales"))
    party = OrganizationFactory()
    add_events(party, 3)
    path = f"/api/v1/parties/{party.pk}/timeline?limit=200"
    client.get(path)
    few, _ = count_queries(client.get, path)
    add_events(party, 250)
    with django_assert_max_num_queries(few):
        response = client.get(path)
    assert len(response.json()) == 200


def test_keyset_pages_have_no_gaps_or_repeats_even_at_one_moment(api, make_user):
    client = api(make_user("sales"))
    party = OrganizationFactory()
    events = add_events(party, 7) + add_events(party, 8, same_time=True)  # ties at a page edge
    expected = [
        str(e.pk)
        for e in OutboxEvent.objects.filter(pk__in=[e.pk for e in events]).order_by(
            "-occurred_at", "-id"
        )
    ]
    seen, before = [], ""
    for _ in range(10):
        query = f"?limit=4&before={before}" if before else "?limit=4"
        page = client.get(f"/api/v1/parties/{party.pk}/timeline{query}").json()
        if not page:
            break
        seen += [entry["id"] for entry in page]
        before = page[-1]["cursor"]
    assert seen == expected


def test_older_page_in_the_ui_continues_where_the_first_stopped(ui):
    party = OrganizationFactory()
    add_events(party, 60)
    first = timeline("party", party.pk, limit=50)
    response = ui.get(reverse("parties:timeline", args=[party.pk]), {"before": first[-1].cursor})
    html = response.content.decode()
    assert html.count("data-event-type=") == 10
    assert "Show older events" not in html
    last = ui.get(
        reverse("parties:timeline", args=[party.pk]),
        {"before": timeline("party", party.pk, limit=100)[-1].cursor},
    )
    assert "There are no older events." in last.content.decode()


def test_bad_cursor_is_a_clear_error_in_the_api_and_the_newest_page_in_the_ui(api, make_user, ui):
    party = OrganizationFactory()
    add_events(party, 2)
    response = api(make_user("sales")).get(f"/api/v1/parties/{party.pk}/timeline?before=yesterday")
    assert response.status_code == 422
    assert "before" in response.json()["errors"]
    page = ui.get(reverse("parties:timeline", args=[party.pk]), {"before": "yesterday"})
    assert page.status_code == 200
    assert page.content.decode().count("data-event-type=") == 2


def test_domain_filter_and_merged_parties(ui, make_user, api):
    boss = make_user("admin")
    survivor = OrganizationFactory(name="Nordlys AS")
    duplicate = OrganizationFactory(name="Nordlys A/S")
    add_events(duplicate, 2)
    add_events(survivor, 3, kind="automation.rule.fired")
    services.merge_parties(actor=boss, survivor=survivor, duplicate=duplicate)
    entries = timeline("party", survivor.pk, also=[duplicate.pk])
    assert len({e.event.pk for e in entries}) == len(entries) == 2 + 3 + 1  # merge event once
    only = ui.get(reverse("parties:timeline", args=[survivor.pk]), {"domain": "automation"})
    assert only.content.decode().count('data-event-type="automation.rule.fired"') == 3
    assert "parties.party" not in only.content.decode()
    everything = ui.get(reverse("parties:timeline", args=[survivor.pk]))
    assert everything.content.decode().count("data-event-type=") == 6
    in_api = api(boss).get(f"/api/v1/parties/{survivor.pk}/timeline").json()
    assert len(in_api) == 6  # the same timeline as the page, merged contacts included


def test_domain_badges_and_filter_options_are_translated(login, make_user):
    party = OrganizationFactory()
    add_events(party, 1)
    add_events(party, 1, kind="automation.rule.fired")
    ui = login(make_user("sales", language="nb"))
    fragment = ui.get(reverse("parties:timeline", args=[party.pk])).content.decode()
    assert 'data-domain="parties">Kontakter</span>' in fragment
    assert 'data-domain="automation">Automatisering</span>' in fragment
    page = ui.get(party.get_absolute_url()).content.decode()
    assert '<option value="parties">Kontakter</option>' in page
