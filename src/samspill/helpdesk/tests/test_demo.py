"""The demo: queues, SLA policies, canned responses and tickets in every state, through the
services, idempotent."""

import pytest

from samspill.helpdesk import demo
from samspill.helpdesk.models import (
    CallLog,
    CannedResponse,
    InboundEndpoint,
    Message,
    Queue,
    SlaPolicy,
    Ticket,
)

pytestmark = pytest.mark.django_db


def test_demo_covers_every_state_and_loads_once(make_user):
    from samspill.parties.tests.factories import OrganizationFactory

    OrganizationFactory.create_batch(10, is_customer=True)
    actor = make_user("admin")
    assert demo.load(actor=actor) == {"queues": 2, "tickets": 10}
    assert set(Ticket.objects.values_list("status", flat=True)) == set(Ticket.Status.values)
    assert Queue.objects.count() == 2 and SlaPolicy.objects.count() == 4
    assert CannedResponse.objects.count() == 3
    kinds = set(Message.objects.values_list("kind", flat=True))
    assert kinds == {"customer", "reply", "note"}
    assert Ticket.objects.exclude(first_response_due=None).count() == 10
    phone_tickets = Ticket.objects.filter(channel="phone").count()
    assert CallLog.objects.count() == phone_tickets > 0
    assert InboundEndpoint.objects.get().mapping["text"] == "text"
    assert demo.load(actor=actor) == {"queues": 0, "tickets": 0}
