"""The chatter: the panel, the bell and follower fan-out.

- GET of a party's chatter panel (htmx fragment) holding 1,000 comments with mentions and
  20 files (the latest 50 comments are shown): server time p50/p95 and queries;
- GET of the bell for a user with 5,000 notifications: server time and queries;
- delivering comment events to 20 followers each (the `platform.followers` subscriber plus
  every other subscriber of the event): events delivered per second.
"""

from __future__ import annotations

from support import Context, count_queries, timed

COMMENTS = 1_000
NOTIFICATIONS = 5_000
REQUESTS = 30
FANOUT_EVENTS = 200
FOLLOWERS = 20


def run(ctx: Context) -> list[dict]:
    import tempfile

    from django.test import override_settings

    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        return _run(ctx)


def _run(ctx: Context) -> list[dict]:
    from django.core.files.base import ContentFile
    from django.db import transaction

    from samspill.parties.models import Party
    from samspill.platform import chatter, delivery
    from samspill.platform.models import Comment, Follower, Notification, OutboxEvent

    scenario = "chatter"
    authors = [ctx.user("sales", username=f"bench-sales-{i}") for i in range(5)]
    reader = authors[0]
    party = Party.objects.create(kind=Party.Kind.ORGANIZATION, name="Benk AS")
    ref = f"parties.party:{party.pk}"
    with transaction.atomic():
        for i in range(COMMENTS):
            chatter.add_comment(ref, f"notat {i} @bench-sales-{(i + 1) % 5}", actor=authors[i % 5])
        for i in range(20):
            chatter.add_attachment(
                ref, ContentFile(b"navn;by\nKari;Bergen\n", name=f"liste{i}.csv"), actor=reader
            )
    client = ctx.client(reader)
    records = []

    def measure(label: str, url: str) -> None:
        def get() -> None:
            response = client.get(url, HTTP_HX_REQUEST="true")
            if response.status_code != 200:
                raise RuntimeError(f"GET {url} -> {response.status_code}")

        get()
        with count_queries() as captured:
            get()
        queries = len(captured)
        records.extend(ctx.latency_records(scenario, label, [timed(get) for _ in range(REQUESTS)]))
        records.append(ctx.record(scenario, f"{label} queries", queries, "queries", 1))

    measure(f"panel with {COMMENTS:,} comments", f"/platform/chatter/parties.party/{party.pk}/")
    Notification.objects.bulk_create(
        Notification(user=reader, kind="event", summary=f"endring {i}", record_repr="Benk AS")
        for i in range(NOTIFICATIONS)
    )
    measure(f"bell with {NOTIFICATIONS:,} notifications", "/platform/notifications/bell/")

    # Fan-out: FOLLOWERS users follow a party, FANOUT_EVENTS comments are delivered.
    followers = [ctx.user("sales", username=f"bench-follower-{i}") for i in range(FOLLOWERS)]
    target = Party.objects.create(kind=Party.Kind.ORGANIZATION, name="Fulgt AS")
    Follower.objects.bulk_create(
        Follower(
            content_type=chatter.records.content_type(target), object_id=str(target.pk), user=u
        )
        for u in followers
    )
    OutboxEvent.objects.update(status=OutboxEvent.Status.DELIVERED)
    for i in range(FANOUT_EVENTS):
        chatter.add_comment(f"parties.party:{target.pk}", f"hendelse {i}", actor=reader)
    pending = list(
        OutboxEvent.objects.filter(status=OutboxEvent.Status.PENDING).values_list("pk", flat=True)
    )
    started = timed(lambda: [delivery.deliver(pk) for pk in pending])
    made = Notification.objects.filter(user__in=followers).count()
    if made != FANOUT_EVENTS * FOLLOWERS:
        raise RuntimeError(f"expected {FANOUT_EVENTS * FOLLOWERS} notifications, got {made}")
    records.append(
        ctx.record(
            scenario,
            f"comment events delivered to {FOLLOWERS} followers",
            len(pending) / (started / 1000),
            "events/s",
            len(pending),
        )
    )
    assert Comment.objects.count() == COMMENTS + FANOUT_EVENTS
    return records
