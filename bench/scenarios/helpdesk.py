"""Customer service: inbound e-mails processed per second, the inbox and the service dashboard
at 100,000 tickets.

Inbound: raw RFC 5322 messages handed to `helpdesk.services.receive_email` one by one (each
its own transaction: parse, sanitise, thread, find or create the customer, ticket or message,
SLA due times, audit and events). Half are new conversations from known customers, a quarter
answers that thread by In-Reply-To into an existing ticket, a quarter come from unknown
senders (a new person is created through the parties services).

Inbox: 100,000 tickets over 2,000 customers are bulk-inserted as a year of history looks:
85 % closed, 5 % resolved, 10 % still open (new, open, pending customer, pending internal),
every priority and channel, with due times. GET /helpdesk/ (the open tickets, first page),
the "breaching soon" and "mine" views, all 100,000 tickets, a search by ticket number, and
GET /api/v1/helpdesk/tickets: server time (p50/p95, in-process test Client, signed in as an
agent) and queries per request.
"""

from __future__ import annotations

import time as clock
from datetime import date, time, timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from support import Context, count_queries, timed

MAILS = 400
TICKETS = 100_000
CUSTOMERS = 2_000
REQUESTS = 30


def _mail(subject: str, sender: str, in_reply_to: str = "") -> tuple[bytes, str]:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "support@bench.example"
    msg["Subject"] = subject
    message_id = make_msgid(domain="kunde.example")
    msg["Message-ID"] = message_id
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
        msg["References"] = in_reply_to
    msg.set_content("Hei,\n\nmaskinen lekker fortsatt. Kan dere sende en tekniker?\n\nHilsen\n")
    msg.add_alternative("<p>Hei,</p><p>maskinen <b>lekker</b> fortsatt.</p>", subtype="html")
    return msg.as_bytes(), message_id


def _setup(ctx: Context):
    from samspill.helpdesk import services

    admin = ctx.user("management")
    queue = services.create_queue(
        actor=admin,
        name="Support",
        email="support@bench.example",
        opens_at=time(8),
        closes_at=time(16),
        is_default=True,
    )
    services.create_sla_policy(
        actor=admin, name="Standard", first_response_hours=8, resolution_hours=40
    )
    return queue


def inbound(ctx: Context) -> list[dict]:
    from samspill.helpdesk.services import receive_email
    from samspill.parties.models import ContactPoint

    known = [
        address
        for address in ContactPoint.objects.filter(kind="email").values_list("value", flat=True)[
            :MAILS
        ]
        if address.isascii()  # Django's validator refuses non-ASCII local parts
    ][: MAILS // 2]
    mails: list[bytes] = []
    originals: list[str] = []
    for i in range(MAILS):
        if i % 4 in (0, 1):
            raw, mid = _mail(f"Lekkasje {i}", known[i % len(known)])
            originals.append(mid)
        elif i % 4 == 2 and originals:
            raw, _mid = _mail(f"Re: Lekkasje {i}", known[(i - 2) % len(known)], originals[-1])
        else:
            raw, _mid = _mail(f"Spørsmål {i}", f"Ny Kunde {i} <ny{i}@privat.example>")
        mails.append(raw)
    receive_email(_mail("warm-up", "warm@privat.example")[0])
    started = clock.perf_counter()
    for raw in mails:
        receive_email(raw)
    elapsed = clock.perf_counter() - started
    return [ctx.record("helpdesk", "inbound e-mails processed", MAILS / elapsed, "mails/s", MAILS)]


def bulk_tickets(ctx: Context, queue, agent) -> None:
    from django.utils import timezone

    from samspill.helpdesk.models import Channel, Priority, Ticket
    from samspill.parties.models import Party
    from samspill.platform import dbstats
    from samspill.platform.models import NumberSeries

    party_ids = list(Party.objects.order_by("id").values_list("id", flat=True)[:CUSTOMERS])
    statuses = ["closed"] * 85 + ["resolved"] * 5 + ["new", "open", "pending_customer"] * 3
    statuses.append("pending_internal")
    priorities = [p for p, _l in Priority.choices]
    channels = [c for c, _l in Channel.choices]
    now = timezone.now()
    rng = ctx.rng
    year = timezone.localtime(now).year
    start = (
        NumberSeries.objects.filter(series="helpdesk.ticket", year=year)
        .values_list("last", flat=True)
        .first()
        or 0
    )
    batch: list[Ticket] = []
    for n in range(1, TICKETS + 1):
        status = statuses[rng.randrange(len(statuses))]
        created = now - timedelta(minutes=rng.randrange(0, 60 * 24 * 365))
        is_open = status not in ("resolved", "closed")
        due = created + timedelta(hours=rng.randrange(1, 80))
        batch.append(
            Ticket(
                number=f"T-{year}-{start + n:05d}",
                subject=f"Sak {n}: {rng.choice(['lekkasje', 'faktura', 'levering', 'kvern'])}",
                channel=channels[n % len(channels)],
                party_id=party_ids[n % len(party_ids)],
                customer_email=f"kunde{n % len(party_ids)}@bench.example",
                priority=priorities[rng.randrange(len(priorities))],
                status=status,
                queue=queue,
                assignee=agent if n % 7 == 0 else None,
                tags=["bench"],
                first_response_due=due,
                resolution_due=due + timedelta(hours=32),
                next_due=due if is_open else None,
                created_at=created,
                last_message_at=created,
            )
        )
        if len(batch) == 5_000:
            Ticket.objects.bulk_create(batch)
            batch = []
    if batch:
        Ticket.objects.bulk_create(batch)
    NumberSeries.objects.update_or_create(
        series="helpdesk.ticket", year=year, defaults={"last": start + TICKETS}
    )
    dbstats.refresh()


def inbox(ctx: Context, queue) -> list[dict]:
    agent = ctx.user("service", username="bench-agent")
    bulk_tickets(ctx, queue, agent)
    from samspill.helpdesk.models import Ticket

    sample_number = Ticket.objects.order_by("-id").values_list("number", flat=True)[500]
    pages = {
        "inbox page": "/helpdesk/",
        "inbox page, breaching soon": "/helpdesk/?view=breaching",
        "inbox page, mine": "/helpdesk/?view=mine",
        "inbox page, all tickets": "/helpdesk/?view=all",
        "inbox page, search by number": f"/helpdesk/?q={sample_number}",
        "inbox API list": "/api/v1/helpdesk/tickets?page=1",
        "service dashboard, 30 days": "/helpdesk/dashboard/",
        "service dashboard, 366 days": "/helpdesk/dashboard/?date_from="
        f"{date.today() - timedelta(days=365)}&date_to={date.today()}",
    }
    client = ctx.client(agent)
    records = []
    for label, url in pages.items():

        def get(url: str = url) -> None:
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"GET {url} -> {response.status_code}")

        get()
        with count_queries() as captured:
            get()
        queries = len(captured)
        samples = [timed(get) for _ in range(REQUESTS)]
        records += ctx.latency_records("helpdesk", f"{label} at {TICKETS:,} tickets", samples)
        records.append(ctx.record("helpdesk", f"{label} queries", queries, "queries", 1))
    return records


def run(ctx: Context) -> list[dict]:
    ctx.bulk_parties(CUSTOMERS)
    queue = _setup(ctx)
    return inbound(ctx) + inbox(ctx, queue)
