"""Demo customer service: two queues (customer service on the Kundeservice team's hours and
technical support), SLA policies by priority and for one key customer, canned responses in
Norwegian, a web chat for the website, tickets in every state with conversations (customer
messages, answers and internal notes), the calls of the phone tickets and an SMS webhook
endpoint. Everything goes through the services; running it again adds nothing."""

from __future__ import annotations

from datetime import time, timedelta

from django.utils import timezone

from samspill.helpdesk import services
from samspill.helpdesk.models import InboundEndpoint, Queue, Ticket
from samspill.organization import queries as organization
from samspill.parties import queries as parties

CANNED = [
    (
        "Takk for henvendelsen",
        "Hei {{ contact.name }},\n\ntakk for at du tok kontakt. Vi ser på saken "
        "{{ ticket.number }} og kommer tilbake til deg så snart vi kan.\n\n"
        "Vennlig hilsen\n{{ agent.name }}",
    ),
    (
        "Saken er løst",
        "Hei {{ contact.name }},\n\nvi har nå løst saken {{ ticket.number }}. Svar på denne "
        "e-posten hvis noe fortsatt ikke er i orden.\n\nVennlig hilsen\n{{ agent.name }}",
    ),
    (
        "Trenger mer informasjon",
        "Hei {{ contact.name }},\n\nfor å hjelpe deg med {{ ticket.subject }} trenger vi "
        "ordrenummer og gjerne et bilde av problemet.\n\nVennlig hilsen\n{{ agent.name }}",
    ),
]

# subject, first message, channel, priority, what happens next
STORIES = [
    ("Kaffemaskinen lekker", "Det renner vann under maskinen hver morgen.", "email", "high", "new"),
    (
        "Feil på faktura",
        "Fakturaen har feil beløp, vi bestilte 4 kartonger.",
        "email",
        "normal",
        "open",
    ),
    (
        "Levering mangler",
        "Vi har ikke fått leveransen som var lovet i går.",
        "phone",
        "urgent",
        "pending_customer",
    ),
    (
        "Bytte av kvern",
        "Kan vi bytte kvernen på maskinen i kantina?",
        "chat",
        "normal",
        "pending_internal",
    ),
    ("Passord til portalen", "Jeg får ikke logget inn.", "web_form", "low", "resolved"),
    ("Takk for hjelpen", "Alt fungerer nå, takk!", "phone", "low", "closed"),
    (
        "Tilbud på service",
        "Hva koster en serviceavtale for tre maskiner?",
        "email",
        "normal",
        "open",
    ),
    (
        "Skadet vare",
        "En av kartongene var knust ved levering.",
        "phone",
        "high",
        "pending_customer",
    ),
    ("Endre leveringsadresse", "Vi har flyttet til Storgata 5.", "email", "normal", "new"),
    ("Bestilling av filter", "Vi trenger 20 filtre til neste uke.", "chat", "normal", "resolved"),
]


def load(*, actor) -> dict[str, int]:
    if Queue.objects.exists():
        return {"queues": 0, "tickets": 0}
    team = organization.teams().filter(department__code="KUNDE").order_by("pk").first()
    support = services.create_queue(
        actor=actor,
        name="Kundeservice",
        email="kundeservice@samspill.example",
        team=team,
        opens_at=time(8, 0),
        closes_at=time(16, 0),
        is_default=True,
    )
    technical = services.create_queue(
        actor=actor,
        name="Teknisk støtte",
        email="support@samspill.example",
        team=team,
        opens_at=time(7, 0),
        closes_at=time(19, 0),
        workdays="123456",
    )
    services.create_sla_policy(
        actor=actor, name="Standard", first_response_hours=8, resolution_hours=40
    )
    services.create_sla_policy(
        actor=actor,
        name="Høy prioritet",
        priority="high",
        first_response_hours=2,
        resolution_hours=16,
    )
    services.create_sla_policy(
        actor=actor, name="Haster", priority="urgent", first_response_hours=1, resolution_hours=8
    )
    for title, body in CANNED:
        services.create_canned_response(actor=actor, title=title, body=body)
    services.create_chat_channel(
        actor=actor,
        name="Nettsiden",
        queue=support,
        allowed_origins="https://www.samspill.example",
        greeting="Hei! Skriv til oss, så svarer kundeservice her i chatten.",
        offline_message=(
            "Vi er ikke på jobb nå. Legg igjen e-postadressen din, så svarer vi i morgen."
        ),
    )
    customers = list(
        parties.visible_parties(None)
        .filter(is_customer=True, kind="organization")
        .order_by("id")[:10]
    )
    if not customers:
        return {"queues": 2, "tickets": 0}
    services.create_sla_policy(
        actor=actor,
        name=f"Gullavtale {customers[0].display_name}",
        party=customers[0],
        first_response_hours=1,
        resolution_hours=8,
    )
    now = timezone.now()
    count = 0
    for index, (subject, body, channel, priority, state) in enumerate(STORIES):
        customer = customers[index % len(customers)]
        ticket = services.open_ticket(
            actor=actor,
            subject=subject,
            body=body,
            channel=channel,
            party=customer,
            priority=priority,
            queue=technical if index % 3 == 1 else support,
            tags=["demo"] + (["faktura"] if "aktura" in subject else []),
            at=now - timedelta(hours=6 * (len(STORIES) - index)),
        )
        count += 1
        if channel == "phone":  # the call the ticket came from
            services.log_call(
                actor=actor,
                ticket=ticket,
                phone="+47 22 33 44 55",
                direction="inbound",
                outcome="answered",
                duration_seconds=60 * (index + 2),
                notes=body,
                started_at=ticket.created_at,
            )
        _play(ticket, state, actor, answer=channel != "email")
    services.create_setting(
        InboundEndpoint,
        actor=actor,
        name="SMS-leverandør (demo)",
        slug="sms-demo",
        signature_header="X-Signature",
        mapping={"phone": "from", "text": "text", "external_id": "id"},
        channel="sms",
        queue=support,
    )
    return {"queues": 2, "tickets": count}


def _play(ticket: Ticket, state: str, actor, *, answer: bool) -> None:
    """Bring a ticket to `state` the way agents do. E-mail tickets get notes rather than
    answers, so that the demo sends no e-mail."""
    if state == "new":
        return
    services.assign_ticket(ticket, actor=actor, assignee=actor)
    services.start_ticket(ticket, actor=actor)
    services.add_note(ticket, actor=actor, body="Sjekket ordrehistorikken; kunden har avtale.")
    if answer:
        services.reply_to_customer(
            ticket,
            actor=actor,
            body="Takk for beskjed! Kan du sende oss ordrenummeret?",
            status=Ticket.Status.OPEN,
        )
        services.add_customer_message(
            ticket, actor=None, body="Ordrenummeret er SO-2026-00003.", channel=ticket.channel
        )
    if state == "pending_customer":
        services.wait_for_customer(ticket, actor=actor)
    elif state == "pending_internal":
        services.wait_internally(ticket, actor=actor)
    elif state == "resolved":
        services.resolve_ticket(ticket, actor=actor)
    elif state == "closed":
        services.resolve_ticket(ticket, actor=actor)
        services.close_ticket(ticket, actor=actor)
