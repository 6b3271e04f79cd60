"""The phone channel: a call opens a phone ticket (the caller matched by number) or is
logged on a ticket; it shows in the conversation and on the customer's timeline; the API
for telephony systems creates or updates."""

import json

import pytest

from samspill.helpdesk import services
from samspill.helpdesk.models import CallLog, Ticket
from samspill.platform.errors import ValidationFailed

S = Ticket.Status


@pytest.fixture
def caller(customer):
    from samspill.parties.tests.factories import ContactPointFactory

    ContactPointFactory(
        party=customer, kind="phone", value="+47 22 33 44 55", normalized="+4722334455"
    )
    return customer


def test_a_call_opens_a_phone_ticket_for_the_caller(queue, policy, caller, agent, emitted):
    call = services.log_call(
        actor=agent,
        phone="22 33 44 55",
        direction="inbound",
        outcome="answered",
        duration_seconds=185,
        notes="The espresso machine leaks again.",
    )
    ticket = call.ticket
    assert ticket.channel == "phone" and ticket.party == caller
    assert call.party == caller and call.phone == "+4722334455" and call.agent == agent
    assert ticket.messages.get().body == "The espresso machine leaks again."
    assert call.message == ticket.messages.get()
    assert call.duration_display == "3:05"
    types = [t for t, _p in emitted()]
    assert types[-1] == "helpdesk.call.logged" and "helpdesk.ticket.opened" in types
    payload = emitted()[-1][1]
    assert payload["party_id"] == caller.pk and payload["outcome"] == "answered"


def test_an_unknown_number_becomes_a_new_person(queue, agent):
    call = services.log_call(actor=agent, phone="+47 41234567", name="Ola Nordmann")
    assert call.ticket.party.display_name == "Ola Nordmann"
    assert call.party == call.ticket.party  # registered with the number


def test_calls_on_a_ticket_reopen_and_count_as_first_response(ticket, agent, emitted):
    services.wait_for_customer(ticket, actor=agent)
    services.log_call(actor=agent, ticket=ticket, phone="41234567", outcome="answered")
    ticket.refresh_from_db()
    assert ticket.status == S.OPEN  # the customer called back
    assert ticket.first_response_at is None
    services.log_call(
        actor=agent, ticket=ticket, phone="41234567", direction="outbound", outcome="answered"
    )
    ticket.refresh_from_db()
    assert ticket.first_response_at is not None
    missed = services.log_call(
        actor=agent, ticket=ticket, phone="41234567", direction="outbound", outcome="missed"
    )
    assert missed.outcome == "missed" and ticket.calls.count() == 3


def test_bad_call_input_writes_nothing(ticket, agent):
    with pytest.raises(ValidationFailed) as caught:
        services.log_call(
            actor=agent,
            ticket=ticket,
            phone="not a number",
            direction="sideways",
            outcome="answered",
            duration_seconds=-3,
        )
    assert set(caught.value.errors) == {"phone", "direction", "duration_seconds"}
    assert CallLog.objects.count() == 0
    services.close_ticket(ticket, actor=agent)
    with pytest.raises(services.WrongState):
        services.log_call(actor=agent, ticket=ticket, phone="41234567")


def test_sales_may_not_log_calls(ticket, make_user):
    from samspill.platform.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.log_call(actor=make_user("sales"), ticket=ticket, phone="41234567")


def test_ticket_page_shows_calls_and_logs_one(login, ticket, agent):
    client = login(agent)
    response = client.post(
        f"/helpdesk/tickets/{ticket.pk}/calls/",
        {
            "phone": "412 34 567",
            "direction": "outbound",
            "outcome": "voicemail",
            "duration_minutes": "1.5",
            "notes": "Left a message about the seal.",
        },
    )
    assert response.status_code == 302
    call = ticket.calls.get()
    assert call.duration_seconds == 90 and call.outcome == "voicemail"
    page = client.get(f"/helpdesk/tickets/{ticket.pk}/").content.decode()
    assert f'id="call-{call.pk}"' in page and "Left a message about the seal." in page
    assert 'id="call-log"' in page
    bad = client.post(f"/helpdesk/tickets/{ticket.pk}/calls/", {"phone": "x"}, follow=True)
    assert ticket.calls.count() == 1 and "alert" in bad.content.decode()


def test_new_call_page_opens_a_ticket(login, queue, agent):
    client = login(agent)
    assert client.get("/helpdesk/calls/new/").status_code == 200
    response = client.post(
        "/helpdesk/calls/new/",
        {
            "phone": "+4741234567",
            "direction": "inbound",
            "outcome": "callback",
            "duration_minutes": "0",
            "subject": "Wants a call about the invoice",
        },
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == ticket.get_absolute_url()
    assert ticket.subject == "Wants a call about the invoice" and ticket.channel == "phone"
    bad = client.post("/helpdesk/calls/new/", {"phone": "", "direction": "inbound"})
    assert bad.status_code == 422 and Ticket.objects.count() == 1


def test_call_shows_on_the_party_timeline(ticket, agent):
    from samspill.platform.timeline import timeline

    services.log_call(actor=agent, ticket=ticket, phone="41234567")
    entries = timeline("party", ticket.party_id, limit=20)
    assert any("phone call" in str(getattr(e, "summary", e)).lower() for e in entries)


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_api_call_list_has_a_fixed_number_of_queries(
    api, ticket, agent, django_assert_max_num_queries
):
    for i in range(6):
        services.log_call(actor=agent, ticket=ticket, phone=f"4123456{i}")
    client = api(agent)
    with django_assert_max_num_queries(8):
        listed = client.get("/api/v1/helpdesk/calls?page_size=5")
    assert listed.json()["count"] == 6 and len(listed.json()["items"]) == 5


def test_api_posts_and_updates_a_call(api, queue, caller, agent):
    client = api(agent)
    body = {
        "phone": "+4722334455",
        "direction": "inbound",
        "outcome": "answered",
        "external_id": "pbx-1001",
        "notes": "Asked about delivery",
    }
    created = post(client, "/api/v1/helpdesk/calls", body)
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["ticket_number"].startswith("T-") and data["party_id"] == caller.pk
    again = post(client, "/api/v1/helpdesk/calls", {**body, "duration_seconds": 240})
    assert again.status_code == 200 and again.json()["id"] == data["id"]
    assert CallLog.objects.get().duration_seconds == 240 and Ticket.objects.count() == 1
    on_ticket = post(
        client,
        "/api/v1/helpdesk/calls",
        {"phone": "+4722334455", "ticket_id": data["ticket_id"], "direction": "outbound"},
    )
    assert on_ticket.status_code == 201 and on_ticket.json()["ticket_id"] == data["ticket_id"]
    listed = client.get(f"/api/v1/helpdesk/calls?ticket={data['ticket_id']}").json()
    assert listed["count"] == 2
    bad = post(client, "/api/v1/helpdesk/calls", {"phone": "nope"})
    assert bad.status_code == 422 and bad.json()["errors"]["phone"]
    assert CallLog.objects.count() == 2
