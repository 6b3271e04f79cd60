"""Web chat: the widget's requests as a visitor's browser makes them, beside 2,000 earlier
chats (each a chat ticket with the visitor's message and an agent's reply).

In-process test Client, no login (the widget's public API under the channel's key, the
visitor's token in `X-Chat-Token`), server time p50/p95 per request of: the
widget's settings (GET config), the first message (POST conversations: a new chat ticket, the
customer found or created by e-mail, SLA, audit, events), a further message (POST messages),
the poll every 2-3 s with nothing new and with a new agent reply (GET messages?after=), and
the agent's ticket page part that polls for the visitor's messages (htmx, signed in as an
agent). Rate limits are lifted for the run.
"""

from __future__ import annotations

import json
import os
from datetime import time

from support import Context, timed

EARLIER_CHATS = int(os.environ.get("BENCH_CHAT_EARLIER", "2000"))  # fewer for a quick try
REQUESTS = 200


def _setup(ctx: Context):
    from django.conf import settings

    from samspill.helpdesk import services
    from samspill.helpdesk.models import Queue
    from samspill.helpdesk.services import chat

    big = (10**9, 60)
    settings.HELPDESK_CHAT_LIMITS = {"start": big, "message": big, "poll": big}
    queue = Queue.objects.create(
        name="Kundeservice", opens_at=time(0), closes_at=time(23, 59, 59), is_default=True
    )
    services.create_sla_policy(
        actor=None, name="Standard", first_response_hours=4, resolution_hours=16
    )
    channel = chat.create_chat_channel(
        actor=None,
        name="Nettbutikk",
        queue=queue,
        allowed_origins="https://www.bench.example",
        follow_opening_hours=False,
        agent_idle_minutes=0,
    )
    agent = ctx.user("service", username="bench-agent")
    for i in range(EARLIER_CHATS):
        started = chat.start_conversation(
            channel,
            message=f"Spørsmål nummer {i}",
            name=f"Kunde {i}",
            email=f"kunde{i}@bench.example",
            client=f"10.0.{i // 250}.{i % 250}",
        )
        services.reply_to_customer(
            started.conversation.ticket, actor=agent, body="Takk, vi ser på det."
        )
    return channel, agent


def _measure(ctx: Context, label: str, call) -> list[dict]:
    call()
    samples = [timed(call) for _ in range(REQUESTS)]
    return ctx.latency_records("helpdesk_chat", label, samples)


def run(ctx: Context) -> list[dict]:
    from django.test import Client

    from samspill.helpdesk import services
    from samspill.helpdesk.models import Ticket

    channel, agent = _setup(ctx)
    base = f"/api/v1/helpdesk/chat/{channel.key}"
    origin = {"HTTP_ORIGIN": "https://www.bench.example"}
    visitor = Client()
    counter = {"n": 0}

    def ok(response, status=200):
        if response.status_code != status:
            raise RuntimeError(f"{response.status_code}: {response.content[:300]!r}")
        return response

    def config():
        ok(visitor.get(f"{base}/config", **origin))

    def start():
        counter["n"] += 1
        body = {
            "message": "Hvor er pakken min?",
            "name": "Ola",
            "email": f"ny{counter['n']}@bench.example",
        }
        return ok(
            visitor.post(
                f"{base}/conversations", json.dumps(body), content_type="application/json", **origin
            ),
            201,
        ).json()

    records = _measure(ctx, "config", config)
    records += _measure(ctx, "first message (new chat ticket)", start)
    token = start()["token"]
    headers = {"HTTP_X_CHAT_TOKEN": token, **origin}

    def write():
        ok(
            visitor.post(
                f"{base}/messages",
                json.dumps({"message": "En melding til"}),
                content_type="application/json",
                **headers,
            ),
            201,
        )

    records += _measure(ctx, "further message", write)
    ticket = Ticket.objects.filter(chat__isnull=False).order_by("-id")[0]
    last = ticket.messages.order_by("-id").values_list("id", flat=True).first()

    def poll_nothing_new():
        ok(visitor.get(f"{base}/messages?after={last}", **headers))

    records += _measure(ctx, "poll, nothing new", poll_nothing_new)
    services.reply_to_customer(ticket, actor=agent, body="Svar fra kundeservice", status="open")

    def poll_new_reply():
        data = ok(visitor.get(f"{base}/messages?after={last}", **headers)).json()
        if not data["messages"]:
            raise RuntimeError("the reply is missing")

    records += _measure(ctx, "poll, a new reply", poll_new_reply)
    agent_client = ctx.client(agent)

    def agent_poll():
        ok(agent_client.get(f"/helpdesk/tickets/{ticket.pk}/chat/?after={last}"))

    records += _measure(ctx, "agent's ticket page poll", agent_poll)
    return records
