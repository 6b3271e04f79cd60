"""The History and Timeline panels of a party in headless Chromium: readable, in Norwegian,
and not wider than a phone's screen (375 px)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from samspill.parties import services
from samspill.parties.models import Party

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def party(make_user):
    owner = make_user("sales", first_name="Kari", last_name="Nordmann")
    actor = make_user("sales", username="ola")
    party = services.create_organization(
        actor=actor,
        name="Fjordlys Sjømat AS",
        orgnr="923609016",
        contact_points=[{"kind": "email", "value": "post@fjordlys.example"}],
    )
    services.update_party(
        actor=actor,
        party=party,
        name="Fjordlys Sjømat og Havbruk Nord-Norge AS",
        language=Party.Language.EN,
        owner=owner,
        website="https://www.fjordlys-sjomat-og-havbruk-nord-norge.example/om-oss/kontakt",
        notes="Ring innkjøpsansvarlig før levering, helst mellom 08 og 10 på hverdager.",
        roles=["customer", "supplier"],
    )
    return party


def overflow(page, selector: str) -> int:
    """How many pixels the element (or the page) is wider than what is visible."""
    return page.evaluate(
        "(s) => { const e = s ? document.querySelector(s) : document.documentElement;"
        " return e.scrollWidth - e.clientWidth; }",
        selector,
    )


@pytest.mark.parametrize("width", [375, 1280])
def test_history_and_timeline_read_well_in_norwegian(
    page, make_user, sign_in, screenshot, party, width
):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, make_user("sales", language="nb"))
    page.goto(party.get_absolute_url())
    history = page.locator("#history")
    expect(history).to_contain_text("Opprettet")
    expect(history).to_contain_text("Endret")
    expect(history).to_contain_text("Kari Nordmann (var tom)")
    expect(history).to_contain_text("Engelsk")
    expect(history).not_to_contain_text("— →")
    timeline = page.locator("#timeline")
    expect(timeline.locator("[data-domain=parties]").first).to_have_text("Kontakter")
    screenshot(page, f"{width}px-page")
    # The panel alone, at the same path scheme (written over the viewport shot).
    history.screenshot(path=str(screenshot(page, f"{width}px-history", full_page=False)))
    assert overflow(page, "") <= 0, "the page scrolls sideways"
    assert overflow(page, "#history") <= 0, "the History panel is wider than the screen"
    assert overflow(page, "#timeline") <= 0, "the Timeline panel is wider than the screen"


def test_show_older_events_loads_the_next_page_of_the_timeline(
    page, make_user, sign_in, screenshot, party
):
    from datetime import timedelta

    from django.utils import timezone

    from samspill.platform.models import EventSubject, OutboxEvent

    start = timezone.now() - timedelta(days=2)
    events = OutboxEvent.objects.bulk_create(
        OutboxEvent(
            type="parties.party.updated",
            occurred_at=start + timedelta(minutes=i),
            subjects={"party": [str(party.pk)]},
            payload={"party_id": party.pk, "fields": ["notes"]},
            status=OutboxEvent.Status.DELIVERED,
        )
        for i in range(60)
    )
    EventSubject.objects.bulk_create(
        EventSubject(event=e, kind="party", object_id=str(party.pk), occurred_at=e.occurred_at)
        for e in events
    )
    total = OutboxEvent.objects.filter(subject_rows__object_id=str(party.pk)).count()
    sign_in(page, make_user("sales", language="nb"))
    page.goto(party.get_absolute_url())
    entries = page.locator("#timeline-entries li[data-event-type]")
    expect(entries).to_have_count(50)
    page.get_by_role("button", name="Vis eldre hendelser").click()
    expect(entries).to_have_count(total)
    expect(page.get_by_role("button", name="Vis eldre hendelser")).to_have_count(0)
    screenshot(page, "older-events")
