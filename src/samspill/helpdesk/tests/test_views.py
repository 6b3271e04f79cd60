"""The inbox page (filters, export, fixed number of queries), the ticket page with the
customer summary, replies with the collision warning, notes, actions; party 360 and search."""

import pytest

from samspill.helpdesk import services
from samspill.helpdesk.models import Message, Ticket


@pytest.fixture
def many(ticket, agent, customer):
    for i in range(15):
        services.open_ticket(actor=agent, subject=f"Case {i}", body="b", party=customer)
    return Ticket.objects.count()


def test_inbox_fixed_queries_filters_and_export(
    login, agent, ticket, many, django_assert_max_num_queries
):
    client = login(agent)
    with django_assert_max_num_queries(8):
        response = client.get("/helpdesk/")
    assert response.status_code == 200
    assert response.content.count(b"data-ticket=") == many
    with django_assert_max_num_queries(8):
        client.get("/helpdesk/?per_page=5")
    services.close_ticket(ticket, actor=agent)
    assert client.get("/helpdesk/").content.count(b"data-ticket=") == many - 1
    assert client.get("/helpdesk/?view=all").content.count(b"data-ticket=") == many
    mine = client.get("/helpdesk/?view=mine")
    assert mine.content.count(b"data-ticket=") == 0
    csv = client.get("/helpdesk/?_export=csv")
    assert csv.status_code == 200
    lines = csv.content.decode().strip().splitlines()
    assert len(lines) == many  # header + the open ones
    assert lines[0].count(",") == 9  # ten columns
    assert not any(line.startswith(ticket.number + ",") for line in lines[1:])
    xlsx = client.get("/helpdesk/?_export=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_ticket_page_shows_conversation_notes_and_summary(login, agent, ticket):
    services.add_note(ticket, actor=agent, body="Secret internal remark")
    page = login(agent).get(f"/helpdesk/tickets/{ticket.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Water on the floor every morning." in html
    notes = html[html.index('id="notes"') :]
    assert "Secret internal remark" in notes
    conversation = html[html.index('id="conversation"') : html.index('id="notes"')]
    assert "Secret internal remark" not in conversation
    assert 'id="customer-summary"' in html and "Fjordkaffe AS" in html


def test_reply_from_the_page_and_collision_warning(login, agent, ticket, make_user):
    client = login(agent)
    seen = ticket.messages.get().pk
    services.reply_to_customer(ticket, actor=make_user("service"), body="Colleague was faster")
    response = client.post(
        f"/helpdesk/tickets/{ticket.pk}/reply/",
        {"body": "My answer", "status": "pending_customer", "last_seen": seen},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "etter at du åpnet den" in html  # the agent's language: Norwegian
    assert "My answer" in html  # the agent's text is kept
    assert not Message.objects.filter(body="My answer").exists()
    newest = ticket.messages.order_by("-id").first().pk
    ok = client.post(
        f"/helpdesk/tickets/{ticket.pk}/reply/",
        {"body": "My answer", "status": "resolved", "last_seen": newest},
    )
    assert ok.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == "resolved"


def test_actions_and_empty_note(login, agent, ticket):
    client = login(agent)
    client.post(f"/helpdesk/tickets/{ticket.pk}/action/", {"action": "assign_me"})
    client.post(f"/helpdesk/tickets/{ticket.pk}/action/", {"action": "close"})
    ticket.refresh_from_db()
    assert ticket.assignee == agent and ticket.status == "closed"
    response = client.post(f"/helpdesk/tickets/{ticket.pk}/note/", {"body": ""})
    assert response.status_code == 422
    assert ticket.messages.filter(kind="note").count() == 0


def test_create_page(login, agent, queue, customer):
    client = login(agent)
    assert client.get("/helpdesk/tickets/new/").status_code == 200
    bad = client.post(
        "/helpdesk/tickets/new/",
        {"subject": "Call", "body": "", "channel": "phone", "priority": "normal"},
    )
    assert bad.status_code == 422 and Ticket.objects.count() == 0
    ok = client.post(
        "/helpdesk/tickets/new/",
        {
            "subject": "Call",
            "body": "Phoned about delivery",
            "channel": "phone",
            "priority": "high",
            "party": customer.pk,
        },
    )
    assert ok.status_code == 302
    assert Ticket.objects.get().priority == "high"


def test_canned_response_filled(login, agent, ticket):
    from samspill.helpdesk.models import CannedResponse

    canned = CannedResponse.objects.create(
        title="Thanks", body="Hi {{ customer.name }} ({{ ticket.number }}) - {{ agent.name }}"
    )
    data = login(agent).get(f"/helpdesk/tickets/{ticket.pk}/canned/?id={canned.pk}").json()
    assert data["body"] == f"Hi Fjordkaffe AS ({ticket.number}) - Siri Service"
    client = login(agent)
    assert client.get(f"/helpdesk/tickets/{ticket.pk}/canned/?id=abc").status_code == 404
    assert client.get(f"/helpdesk/tickets/{ticket.pk}/canned/?id=999").status_code == 404


def test_party_page_search_and_permissions(login, agent, ticket, customer, make_user):
    client = login(agent)
    page = client.get(f"/parties/{customer.pk}/").content.decode()
    assert "Åpne saker" in page and ticket.number in page  # key figure and panel
    assert f"/helpdesk/?party={customer.pk}" in page
    from samspill.platform import registry

    hits = dict((p.key, h) for p, h in registry.search(agent, ticket.number))
    assert hits["helpdesk"][0].url == ticket.get_absolute_url()
    assert dict((p.key, h) for p, h in registry.search(agent, "espresso"))["helpdesk"]
    assert login(make_user("finance")).get("/helpdesk/").status_code == 403
