from datetime import time
from decimal import Decimal

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def emitted(db):
    """emitted() -> [(type, payload)] of the events published since the fixture was made."""
    from samspill.platform.models import OutboxEvent

    before = set(OutboxEvent.objects.values_list("pk", flat=True))

    def read():
        rows = OutboxEvent.objects.exclude(pk__in=before).order_by("occurred_at", "id")
        return [(row.type, row.payload) for row in rows]

    return read


@pytest.fixture
def agent(make_user):
    return make_user("service", first_name="Siri", last_name="Service")


@pytest.fixture
def queue(db):
    from samspill.helpdesk.models import Queue

    return Queue.objects.create(
        name="Support",
        email="support@firma.no",
        opens_at=time(8, 0),
        closes_at=time(16, 0),
        is_default=True,
    )


@pytest.fixture
def policy(queue):
    from samspill.helpdesk.models import SlaPolicy

    return SlaPolicy.objects.create(
        name="Standard", first_response_hours=Decimal("4"), resolution_hours=Decimal("16")
    )


@pytest.fixture
def customer(db):
    from samspill.parties.tests.factories import ContactPointFactory, OrganizationFactory

    party = OrganizationFactory(name="Fjordkaffe AS", is_customer=True)
    ContactPointFactory(
        party=party, value="post@fjordkaffe.no", normalized="post@fjordkaffe.no", is_primary=True
    )
    return party


@pytest.fixture
def ticket(queue, policy, customer, agent):
    from samspill.helpdesk import services

    return services.open_ticket(
        actor=agent,
        subject="The espresso machine leaks",
        body="Water on the floor every morning.",
        channel="phone",
        party=customer,
    )
