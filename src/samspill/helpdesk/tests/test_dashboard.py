"""The service dashboard: backlog, SLA attainment, response and resolution times, CSAT by
queue, created against resolved per day, aggregated in SQL with a fixed number of queries;
the page and its API twin."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from samspill.helpdesk import dashboard, services
from samspill.helpdesk.models import Queue, Ticket
from samspill.helpdesk.services import csat

pytestmark = pytest.mark.django_db


@pytest.fixture
def tickets(queue, policy, customer, agent):
    """Four tickets opened 10 days ago on a Monday-less clock (times set directly)."""
    other = Queue.objects.create(name="Faktura")
    now = timezone.now()
    opened = now - timedelta(days=3)
    rows = []
    for n, q in enumerate([queue, queue, queue, other]):
        rows.append(
            services.open_ticket(
                actor=agent, subject=f"Sak {n}", body="x", party=customer, queue=q, at=opened
            )
        )
    # 0: answered after 1 h (met), resolved after 2 h (met)
    # 1: answered after 10 h (late), still open
    # 2: not answered, due passed (late)
    # 3: other queue, no SLA (queue has its own: the default policy applies to all)
    Ticket.objects.filter(pk=rows[0].pk).update(
        first_response_at=opened + timedelta(hours=1),
        first_response_due=opened + timedelta(hours=4),
        resolved_at=opened + timedelta(hours=2),
        resolution_due=opened + timedelta(hours=16),
        status="resolved",
    )
    Ticket.objects.filter(pk=rows[1].pk).update(
        first_response_at=opened + timedelta(hours=10),
        first_response_due=opened + timedelta(hours=4),
        status="open",
        priority="high",
    )
    Ticket.objects.filter(pk=rows[2].pk).update(first_response_due=opened + timedelta(hours=4))
    Ticket.objects.filter(pk=rows[3].pk).update(first_response_due=None, resolution_due=None)
    csat.request_survey(rows[0].pk)
    csat.rate_ticket(rows[0], rating=4)
    # rated on the portal before any survey e-mail went out: counts as asked when rated
    Ticket.objects.filter(pk=rows[3].pk).update(status="closed")
    csat.rate_ticket(rows[3], rating=2)
    return rows


def test_figures(tickets, queue):
    today = timezone.localdate()
    figures = dashboard.dashboard(None, today - timedelta(days=6), today)
    assert figures["backlog"]["total"] == 2
    status = {r["status"]: r["count"] for r in figures["backlog"]["by_status"]}
    assert status["open"] == 1 and status["new"] == 1
    assert {r["priority"]: r["count"] for r in figures["backlog"]["by_priority"]}["high"] == 1
    sla = figures["sla"]
    assert sla["created"] == 4 and sla["resolved"] == 1
    assert sla["first_response"]["measured"] == 3 and sla["first_response"]["met"] == 1
    assert sla["first_response"]["percent"] == Decimal("33.3")
    assert sla["first_response"]["median_hours"] == Decimal("5.5")  # (1 + 10) / 2
    assert sla["first_response"]["average_hours"] == Decimal("5.5")
    assert sla["resolution"]["percent"] == Decimal("100.0")
    assert sla["resolution"]["median_hours"] == Decimal("2.0")
    assert figures["csat"] == {
        "requested": 2,
        "answers": 2,
        "average": Decimal("3.00"),
        "response_percent": Decimal("100.0"),
        "satisfied_percent": Decimal("50.0"),
    }
    support = next(q for q in figures["queues"] if q["queue_id"] == queue.pk)
    assert support["created"] == 3 and support["csat_average"] == Decimal("4.00")
    invoices = next(q for q in figures["queues"] if q["queue"] == "Faktura")
    assert (invoices["csat_answers"], invoices["csat_average"]) == (1, Decimal("2.00"))
    assert support["first_response_percent"] == Decimal("33.3")
    assert sum(d["created"] for d in figures["days"]) == 4
    assert len(figures["days"]) == 7


def test_fixed_number_of_queries(tickets, agent, client, django_assert_max_num_queries):
    client.force_login(agent)
    with django_assert_max_num_queries(20) as first:
        assert client.get("/helpdesk/dashboard/").status_code == 200
    for n in range(10):
        services.open_ticket(actor=agent, subject=f"Mer {n}", body="x", party=tickets[0].party)
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get("/helpdesk/dashboard/").status_code == 200


def test_page_links_to_the_filtered_inbox(tickets, agent, client, queue):
    client.force_login(agent)
    page = client.get("/helpdesk/dashboard/?preset=week").content.decode()
    assert "/helpdesk/?status=new" in page
    assert f"/helpdesk/?view=open&queue={queue.pk}" in page
    assert 'id="days-chart"' in page and 'id="dashboard-data"' in page
    bad = client.get("/helpdesk/dashboard/?date_from=2026-05-01&date_to=2026-04-01")
    assert bad.status_code == 200 and b"alert-warning" in bad.content


def test_api_twin(tickets, agent, api):
    client = api(agent)
    today = timezone.localdate()
    body = client.get(
        f"/api/v1/helpdesk/dashboard?date_from={today - timedelta(days=6)}&date_to={today}"
    ).json()
    assert body["backlog"]["total"] == 2 and body["csat"]["average"] == 3.0
    assert body["sla"]["first_response"]["percent"] == 33.3
    bad = client.get(
        f"/api/v1/helpdesk/dashboard?date_from={today}&date_to={today - timedelta(days=1)}"
    )
    assert bad.status_code == 422
    too_long = client.get(
        f"/api/v1/helpdesk/dashboard?date_from={today - timedelta(days=400)}&date_to={today}"
    )
    assert too_long.status_code == 422


def test_without_permission(make_user, client):
    client.force_login(make_user("finance"))
    assert client.get("/helpdesk/dashboard/").status_code == 403
