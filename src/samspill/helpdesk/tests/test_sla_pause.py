"""SLA pause: while a ticket waits for the customer the resolution clock stands still; when
it moves on, the resolution target moves out by the business time it waited (opening hours
and Norwegian public holidays respected)."""

from datetime import UTC, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from samspill.helpdesk.businesshours import OpeningHours, business_seconds_between
from samspill.helpdesk.models import Queue, SlaPolicy, Ticket
from samspill.helpdesk.services.common import apply_sla, refresh_next_due, track_pause

OSLO = ZoneInfo("Europe/Oslo")
S = Ticket.Status


def oslo(*args) -> datetime:
    return datetime(*args, tzinfo=OSLO)


@pytest.fixture
def setup(db):
    queue = Queue(name="Q", opens_at=time(8), closes_at=time(16), workdays="12345")
    policy = SlaPolicy(
        name="P",
        first_response_hours=Decimal("4"),
        resolution_hours=Decimal("16"),
        warning_percent=80,
    )
    return queue, policy


def make_ticket(queue, policy, created):
    ticket = Ticket(
        number="T-1",
        subject="s",
        channel="email",
        queue=queue,
        created_at=created,
        status=S.OPEN,
        first_response_at=created,
    )
    apply_sla(ticket, policy)
    return ticket


def test_business_seconds_skip_nights_weekends_and_holidays():
    hours = OpeningHours(time(8), time(16))
    # Friday 15:00 to Tuesday 09:00: 1 h Friday + 8 h Monday + 1 h Tuesday
    assert (
        business_seconds_between(oslo(2026, 11, 20, 15), oslo(2026, 11, 24, 9), hours) == 10 * 3600
    )
    # Wednesday 13 May 2026 15:00 to Friday 10:00: Ascension Day (14 May) is closed
    assert business_seconds_between(oslo(2026, 5, 13, 15), oslo(2026, 5, 15, 10), hours) == 3 * 3600


def test_waiting_stops_the_clock_and_moves_the_target_out(setup):
    queue, policy = setup
    ticket = make_ticket(queue, policy, oslo(2026, 11, 23, 8))  # Monday 08:00
    assert ticket.resolution_due == oslo(2026, 11, 24, 16).astimezone(UTC)  # 16 business hours
    # Monday 12:00: waiting for the customer
    ticket.status = S.PENDING_CUSTOMER
    track_pause(ticket, oslo(2026, 11, 23, 12))
    refresh_next_due(ticket)
    assert ticket.sla_paused_at is not None and ticket.next_due is None and ticket.warn_at is None
    # the customer answers Wednesday 10:00: 4 h Monday + 8 h Tuesday + 2 h Wednesday waited
    ticket.status = S.OPEN
    track_pause(ticket, oslo(2026, 11, 25, 10))
    refresh_next_due(ticket)
    assert ticket.sla_paused_at is None and ticket.sla_paused_seconds == 14 * 3600
    # 16 + 14 = 30 business hours from Monday 08:00: Monday, Tuesday, Wednesday (24) + 6 h Thursday
    assert ticket.resolution_due == oslo(2026, 11, 26, 14).astimezone(UTC)
    assert ticket.next_due == ticket.resolution_due
    # warning at 80 % of the target, also moved out: 12.8 + 14 = 26.8 h -> Thursday 10:48
    assert ticket.warn_at == oslo(2026, 11, 26, 10, 48).astimezone(UTC)


def test_a_wait_over_christmas_counts_no_holidays(setup):
    queue, policy = setup
    ticket = make_ticket(queue, policy, oslo(2026, 12, 23, 8))  # Wednesday 23 Dec
    ticket.status = S.PENDING_CUSTOMER
    track_pause(ticket, oslo(2026, 12, 23, 14))
    ticket.status = S.OPEN
    # 24 Dec is a workday in the holidays calendar? No: only 25 and 26 Dec are public holidays
    track_pause(ticket, oslo(2026, 12, 28, 9))
    # 2 h on 23 Dec + 8 h on 24 Dec (Thursday) + 1 h on Monday 28 Dec
    assert ticket.sla_paused_seconds == 11 * 3600
    # a second wait adds up
    ticket.status = S.PENDING_CUSTOMER
    track_pause(ticket, oslo(2026, 12, 28, 10))
    ticket.status = S.OPEN
    track_pause(ticket, oslo(2026, 12, 28, 11))
    assert ticket.sla_paused_seconds == 12 * 3600


def test_service_flow_pauses_and_resumes(ticket, agent):
    from samspill.helpdesk import services

    services.reply_to_customer(ticket, actor=agent, body="Is the seal dry now?")
    ticket.refresh_from_db()
    assert ticket.status == S.PENDING_CUSTOMER and ticket.sla_paused_at is not None
    due_before = ticket.resolution_due
    services.add_customer_message(ticket, actor=None, body="No, still wet.")
    ticket.refresh_from_db()
    assert ticket.status == S.OPEN and ticket.sla_paused_at is None
    assert ticket.resolution_due >= due_before and ticket.next_due == ticket.resolution_due
