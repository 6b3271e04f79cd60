"""Satisfaction survey (CSAT): asked by e-mail when a ticket is resolved, answered with one
click on a signed link (and an optional comment), one answer per ticket that may be changed
for a few days; the event shows on the ticket and the customer's timeline."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail

from samspill.helpdesk import services
from samspill.helpdesk.models import Satisfaction
from samspill.helpdesk.services import csat
from samspill.platform.errors import ValidationFailed

pytestmark = pytest.mark.django_db


@pytest.fixture
def resolved(queue, policy, customer, agent):
    ticket = services.open_ticket(
        actor=agent,
        subject="Kaffemaskinen lekker",
        body="Vann på gulvet.",
        channel="email",
        email="kari@fjordkaffe.no",
        party=customer,
    )
    services.reply_to_customer(ticket, actor=agent, body="Fikset.", status="resolved")
    mail.outbox.clear()
    ticket.refresh_from_db()
    return ticket


def _link(rating: int) -> str:
    line = next(li for li in mail.outbox[-1].body.splitlines() if li.startswith(f"{rating}: "))
    return line.split(": ", 1)[1].replace("http://testserver", "")


def test_resolving_asks_once_by_email_with_five_signed_links(
    resolved, django_capture_on_commit_callbacks
):
    row = csat.request_survey(resolved.pk)
    assert row.requested_at is not None and row.rating is None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kari@fjordkaffe.no"] and resolved.number in message.subject
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert all(f"{n}: " in message.body for n in range(1, 6))
    csat.request_survey(resolved.pk)  # asked once
    assert len(mail.outbox) == 1


def test_the_handler_asks_after_the_resolution(queue, policy, customer, agent):
    from samspill.helpdesk.handlers import ticket_resolved

    ticket = services.open_ticket(
        actor=agent, subject="S", body="B", channel="email", email="ola@kunde.no", party=customer
    )

    class Event:
        payload = {"ticket_id": ticket.pk}

    ticket_resolved(Event())  # not resolved yet: nothing
    assert not Satisfaction.objects.exists()
    services.resolve_ticket(ticket, actor=agent)
    ticket_resolved(Event())
    assert Satisfaction.objects.get().requested_at is not None
    assert mail.outbox[-1].to == ["ola@kunde.no"]


def test_one_click_page_then_answer_and_event(resolved, client, emitted):
    csat.request_survey(resolved.pk)
    url = _link(4)
    page = client.get(url)
    assert page.status_code == 200
    assert b'value="4" checked' in page.content
    assert not Satisfaction.objects.filter(rating__isnull=False).exists()  # a GET never rates
    response = client.post(url.split("?")[0], {"rating": "4", "comment": "Rask hjelp"})
    assert response.status_code == 200 and b'data-testid="done"' in response.content
    row = Satisfaction.objects.get()
    assert (row.rating, row.comment) == (4, "Rask hjelp") and row.rated_at
    rated = [p for t, p in emitted() if t == "helpdesk.satisfaction.rated"]
    assert rated == [
        {
            "ticket_id": resolved.pk,
            "number": resolved.number,
            "party_id": resolved.party_id,
            "rating": 4,
            "previous_rating": None,
            "queue_id": resolved.queue_id,
            "has_comment": True,
        }
    ]


def test_the_answer_shows_on_the_ticket_and_the_timeline(resolved, agent, client):
    from samspill.platform.timeline import timeline

    csat.rate_ticket(resolved, rating=2, comment="Treg")
    client.force_login(agent)
    page = client.get(f"/helpdesk/tickets/{resolved.pk}/")
    assert b'data-testid="satisfaction"' in page.content and b"2/5" in page.content
    entries = timeline("party", resolved.party_id, limit=50)
    rated = [e for e in entries if e.event.type == "helpdesk.satisfaction.rated"]
    assert len(rated) == 1 and "2" in rated[0].summary


def test_changeable_within_the_days_then_locked(resolved):
    csat.rate_ticket(resolved, rating=2)
    row = csat.rate_ticket(resolved, rating=5, comment="Likevel bra")
    assert row.rating == 5 and row.changed_at is not None
    later = row.rated_at + timedelta(days=csat.CHANGE_DAYS, minutes=1)
    with pytest.raises(csat.WrongState):
        csat.rate_ticket(resolved, rating=1, at=later)
    assert Satisfaction.objects.get().rating == 5


def test_bad_input_writes_nothing(resolved, queue, customer, agent, client):
    for rating in ("0", "6", "x", None):
        with pytest.raises(ValidationFailed):
            csat.rate_ticket(resolved, rating=rating)
    with pytest.raises(ValidationFailed):
        csat.rate_ticket(resolved, rating=3, comment="x" * 2001)
    open_ticket = services.open_ticket(actor=agent, subject="S", body="B", party=customer)
    with pytest.raises(csat.WrongState):
        csat.rate_ticket(open_ticket, rating=5)
    assert not Satisfaction.objects.filter(rating__isnull=False).exists()
    tampered = csat.survey_token(resolved)[:-2] + "xx"
    assert client.get(f"/helpdesk/survey/{tampered}/").status_code == 404
    assert client.post(f"/helpdesk/survey/{tampered}/", {"rating": "5"}).status_code == 404
    token = csat.survey_token(resolved)
    assert client.post(f"/helpdesk/survey/{token}/", {"rating": "9"}).status_code == 422


def test_api_shows_the_rating(resolved, agent, api):
    client = api(agent)
    assert client.get(f"/api/v1/helpdesk/satisfaction/{resolved.pk}").status_code == 404
    csat.rate_ticket(resolved, rating=5)
    body = client.get(f"/api/v1/helpdesk/satisfaction/{resolved.pk}").json()
    assert body["rating"] == 5 and body["ticket_id"] == resolved.pk
