"""The API twin of the inbox and the ticket commands: problem+json on bad input, 409 on a
reply collision, nothing written on failure, a fixed number of queries per page."""

import json

from samspill.helpdesk.models import Message, Ticket


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_create_list_and_filter(api, agent, queue, policy, customer, django_assert_max_num_queries):
    client = api(agent)
    response = post(
        client,
        "/api/v1/helpdesk/tickets",
        {"subject": "Leak", "body": "Water", "party_id": customer.pk, "tags": ["Leak"]},
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["number"].startswith("T-") and data["tags"] == ["leak"]
    assert data["party_name"] == "Fjordkaffe AS"
    for i in range(5):
        post(
            client,
            "/api/v1/helpdesk/tickets",
            {"subject": f"S{i}", "body": "b", "party_id": customer.pk},
        )
    with django_assert_max_num_queries(8):
        listed = client.get("/api/v1/helpdesk/tickets?page_size=3")
    assert listed.json()["count"] == 6 and len(listed.json()["items"]) == 3
    assert client.get("/api/v1/helpdesk/tickets?view=unassigned").json()["count"] == 6
    assert client.get("/api/v1/helpdesk/tickets?view=mine").json()["count"] == 0
    assert client.get("/api/v1/helpdesk/tickets?tag=leak").json()["count"] == 1
    assert client.get("/api/v1/helpdesk/tickets?q=S3").json()["count"] == 1


def test_bad_input_is_problem_json(api, agent, queue):
    client = api(agent)
    response = post(
        client, "/api/v1/helpdesk/tickets", {"subject": "x", "body": " ", "email": "nope"}
    )
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert set(body["errors"]) == {"body", "email"}
    assert Ticket.objects.count() == 0


def test_reply_collision_is_409(api, agent, ticket, make_user):
    client = api(agent)
    seen = ticket.messages.get().pk
    url = f"/api/v1/helpdesk/tickets/{ticket.pk}/reply"
    assert post(client, url, {"body": "First", "last_seen_message_id": seen}).status_code == 201
    other = api(make_user("service"))
    response = post(other, url, {"body": "Second", "last_seen_message_id": seen})
    assert response.status_code == 409
    assert response.json()["code"] == "reply_collision"
    assert Message.objects.filter(body="Second").count() == 0


def test_workflow_notes_and_permissions(api, agent, ticket, make_user):
    client = api(agent)
    base = f"/api/v1/helpdesk/tickets/{ticket.pk}"
    assert client.post(base + "/resolve").json()["status"] == "resolved"
    response = client.post(base + "/wait-customer")
    assert response.status_code == 409 and response.json()["code"] == "wrong_state"
    assert client.post(base + "/reopen").json()["status"] == "open"
    note = post(client, base + "/notes", {"body": "internal"})
    assert note.status_code == 201 and note.json()["kind"] == "note"
    messages = client.get(base + "/messages?kind=note").json()
    assert [m["body"] for m in messages["items"]] == ["internal"]
    assign = post(client, base + "/assign", {"assignee_id": agent.pk})
    assert assign.json()["assignee_id"] == agent.pk
    seller = api(make_user("sales"))
    assert seller.get(base).status_code == 200
    assert post(seller, base + "/notes", {"body": "x"}).status_code == 403
    assert api(make_user("finance")).get(base).status_code == 403


def test_merge_split_link_canned(api, agent, ticket, customer):
    from samspill.helpdesk.models import CannedResponse

    client = api(agent)
    other = post(
        client, "/api/v1/helpdesk/tickets", {"subject": "B", "body": "b", "party_id": customer.pk}
    ).json()
    merged = post(client, f"/api/v1/helpdesk/tickets/{other['id']}/merge", {"into_id": ticket.pk})
    assert merged.status_code == 200 and merged.json()["id"] == ticket.pk
    moved = Message.objects.get(body="b")
    split = post(
        client,
        f"/api/v1/helpdesk/tickets/{ticket.pk}/messages/{moved.pk}/split",
        {"subject": "Own"},
    )
    assert split.status_code == 201 and split.json()["subject"] == "Own"
    link = post(
        client,
        f"/api/v1/helpdesk/tickets/{ticket.pk}/links",
        {"record": f"parties.party:{customer.pk}"},
    )
    assert link.status_code == 201
    bad = post(client, f"/api/v1/helpdesk/tickets/{ticket.pk}/links", {"record": "nonsense"})
    assert bad.status_code == 422 and bad.json()["code"] == "bad_record_reference"
    CannedResponse.objects.create(
        title="Hello", body="Hei {{ customer.name }}, sak {{ ticket.number }}"
    )
    canned = client.get(f"/api/v1/helpdesk/canned-responses?ticket={ticket.pk}").json()
    assert canned["items"][0]["body"] == f"Hei Fjordkaffe AS, sak {ticket.number}"
    assert client.get("/api/v1/helpdesk/tickets/999999").status_code == 404
