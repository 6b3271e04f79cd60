import pytest
from django.db import transaction
from django.utils import translation

from samspill.automation import webhooks
from samspill.automation.tests.factories import Notes, order_events, testing_actions
from samspill.platform.events import publish


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English, the source language."""
    with translation.override("en"):
        yield


@pytest.fixture
def events():
    """(OrderPlaced, OrderShipped): throw-away event types."""
    with order_events() as classes:
        yield classes


@pytest.fixture
def notes(events):
    """The test actions (testing.*) are registered; `notes` records what they did."""
    record = Notes()
    with testing_actions(record):
        yield record


@pytest.fixture
def emit():
    """emit(event, actor=None) -> the outbox row, published in its own transaction."""

    def do(event, actor=None):
        with transaction.atomic():
            return publish(event, actor=actor)

    return do


@pytest.fixture
def settle(run_tasks):
    """Deliver every event and every webhook delivery that is due, until nothing is left
    (a test transaction never commits, so on-commit hand-offs are swept instead)."""

    def do():
        for _ in range(10):
            run_tasks()
            if not webhooks.sweep():
                return

    return do


@pytest.fixture
def staff(make_user):
    """An administrator (every permission)."""
    return make_user("admin", username="automator", email="automator@example.no", language="en")
