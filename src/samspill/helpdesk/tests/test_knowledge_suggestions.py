"""Beside the reply form: knowledge articles found from the ticket's subject and the
customer's last message, and from what the agent types; public ones with a button that
inserts their help-centre link into the reply."""

import pytest

from samspill.helpdesk import services
from samspill.knowledge import services as knowledge

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles(agent):
    public = knowledge.create_article(
        actor=agent,
        title="How to stop a leaking espresso machine",
        body="Check the water tank seal and the drip tray.",
        language="en",
        visibility="public",
        publish_now=True,
    )
    internal = knowledge.create_article(
        actor=agent,
        title="Invoice corrections",
        body="Credit note first, then a new invoice.",
        language="en",
        publish_now=True,
    )
    draft = knowledge.create_article(
        actor=agent, title="Espresso machine recall", body="Not yet.", language="en"
    )
    return public, internal, draft


def test_ticket_page_asks_for_suggestions(login, agent, ticket, articles):
    html = login(agent).get(f"/helpdesk/tickets/{ticket.pk}/").content.decode()
    assert 'id="kb-suggestions"' in html
    assert f'hx-get="/helpdesk/tickets/{ticket.pk}/suggestions/"' in html
    assert 'hx-include="#reply-body"' in html


def test_suggestions_from_the_ticket_and_from_the_reply(login, agent, ticket, articles):
    public, internal, draft = articles
    client = login(agent)
    html = client.get(f"/helpdesk/tickets/{ticket.pk}/suggestions/").content.decode()
    assert public.title in html and draft.title not in html
    link = "http://testserver/help/articles/how-to-stop-a-leaking-espresso-machine/"
    assert f'data-link="{link}"' in html
    assert "kb-insert" in html
    services.add_customer_message(ticket, actor=None, body="Also, the invoice is wrong.")
    typed = client.get(
        f"/helpdesk/tickets/{ticket.pk}/suggestions/", {"body": "about the invoice correction"}
    ).content.decode()
    assert internal.title in typed
    # Internal articles are for the agent: no link for the customer.
    block = typed[typed.index(internal.title) :]
    assert "kb-insert" not in block.split("</li>")[0]
