"""The party timeline with 10,000 events about one party: server time (ms, p50/p95) and
queries of the party page, the timeline fragment (filtered by domain) and the timeline API.

One organisation gets 10,000 events (changes, consents, automation runs, in that order of
frequency) and 2,000 other parties share 40,000 more, bulk-inserted with their subject rows
as the outbox writes them, then ANALYZE. Requested in-process with Django's test Client as
a sales user. The query count must not grow with the number of events.
"""

from __future__ import annotations

from datetime import timedelta

from support import Context, count_queries, timed

EVENTS = 10_000
OTHER_EVENTS = 40_000
OTHER_PARTIES = 2_000
REQUESTS = 30
BATCH = 2_000

FIELDS = (["email"], ["name", "is_customer"], ["owner"], ["tags"], ["addresses"])


def _event(i: int, party_id: int, rule_id: int):
    """(type, payload, extra subjects) of the i-th generated event about party_id."""
    kind = i % 10
    if kind < 6:
        return "parties.party.updated", {"party_id": party_id, "fields": FIELDS[i % 5]}, {}
    if kind < 8:
        return (
            "parties.consent.recorded",
            {
                "party_id": party_id,
                "consent_id": i,
                "channel": "email",
                "granted": bool(i % 3),
                "source": "web form",
            },
            {},
        )
    return (
        "automation.rule.fired",
        {
            "rule_id": rule_id,
            "rule_name": "Welcome new customers",
            "run_id": i,
            "event_id": "00000000-0000-0000-0000-000000000000",
            "event_type": "parties.party.updated",
            "event_subjects": {"party": [str(party_id)]},
            "actions": ["add_tag"],
        },
        {"automation_rule": [str(rule_id)]},
    )


def bulk_events(party_ids: list[int], total: int, now, actor) -> None:
    from samspill.platform.models import EventSubject, OutboxEvent

    done = 0
    while done < total:
        size = min(BATCH, total - done)
        events = []
        for j in range(size):
            i = done + j
            party_id = party_ids[i % len(party_ids)]
            type_, payload, extra = _event(i, party_id, rule_id=7)
            events.append(
                OutboxEvent(
                    type=type_,
                    occurred_at=now - timedelta(minutes=total - i),
                    actor=actor,
                    channel="ui",
                    subjects={"party": [str(party_id)], **extra},
                    payload=payload,
                    status=OutboxEvent.Status.DELIVERED,
                    delivered_at=now,
                )
            )
        OutboxEvent.objects.bulk_create(events)
        EventSubject.objects.bulk_create(
            [
                EventSubject(event=e, kind=kind, object_id=oid, occurred_at=e.occurred_at)
                for e in events
                for kind, ids in e.subjects.items()
                for oid in ids
            ],
            batch_size=BATCH,
        )
        done += size


def run(ctx: Context) -> list[dict]:
    from django.utils import timezone

    from samspill.parties import services
    from samspill.parties.models import Party

    user = ctx.user("sales")
    party = services.create_organization(
        actor=user, name="Fjordline Handel AS", orgnr="974760673", roles=["customer"]
    )
    ctx.bulk_parties(OTHER_PARTIES + 1)
    others = list(Party.objects.exclude(pk=party.pk).values_list("pk", flat=True)[:OTHER_PARTIES])
    now = timezone.now()
    bulk_events(others, OTHER_EVENTS, now - timedelta(seconds=1), user)
    bulk_events([party.pk], EVENTS, now, user)
    # Fresh planner statistics, as autovacuum (PostgreSQL) would gather after a bulk load.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    client = ctx.client(user)
    pages = {
        "party page": (f"/parties/{party.pk}/", {}),
        "timeline fragment, domain automation": (
            f"/parties/{party.pk}/timeline/?domain=automation",
            {"HTTP_HX_REQUEST": "true"},
        ),
        "timeline API (50)": (f"/api/v1/parties/{party.pk}/timeline", {}),
        "timeline API, domain parties (200)": (
            f"/api/v1/parties/{party.pk}/timeline?domain=parties&limit=200",
            {},
        ),
    }
    api = ctx.api_client(user)
    records = []
    for label, (url, headers) in pages.items():
        http = api if "API" in label else client

        def get(url: str = url, headers: dict = headers, http=http) -> None:
            response = http.get(url, **headers)
            if response.status_code != 200:
                raise RuntimeError(f"GET {url} -> {response.status_code}")

        get()  # warm-up: templates, connection
        with count_queries() as captured:
            get()
        queries = len(captured)
        samples = [timed(get) for _ in range(REQUESTS)]
        records += ctx.latency_records("party_timeline", f"{label} at {EVENTS:,} events", samples)
        records.append(ctx.record("party_timeline", f"{label} queries", queries, "queries", 1))
    return records
