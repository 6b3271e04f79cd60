"""The CRM's lead and activity lists at 100,000 rows each: server time (ms, p50/p95) and
queries per request, for the list pages (first page, sorted, filtered, searched) and the API.

100,000 leads (all sources and statuses, scored) and 100,000 activities (over 10 owners, a
third done, some overdue) are bulk-inserted; requests go in-process through Django's test
Client as a signed-in sales user.
"""

from __future__ import annotations

from datetime import timedelta

from support import Context, count_queries, timed

ROWS = 100_000
REQUESTS = 20


def _seed(ctx: Context, seller) -> None:
    from django.utils import timezone

    from samspill.crm.models import Activity, Lead
    from samspill.parties.models import Party
    from samspill.platform import dbstats

    ctx.bulk_parties(5_000)
    parties = list(Party.objects.values_list("pk", flat=True))
    owners = [seller] + [ctx.user("sales", username=f"bench-seller-{i}") for i in range(9)]
    rng = ctx.rng
    sources = [value for value, _label in Lead.Source.choices]
    statuses = ["new", "new", "qualified", "converted"]
    now = timezone.now()
    for start in range(0, ROWS, 10_000):
        Lead.objects.bulk_create(
            [
                Lead(
                    name=f"Lead {i}",
                    company_name=ctx.organization_name(i),
                    email=f"lead{i}@bench.example",
                    source=sources[i % len(sources)],
                    status=statuses[i % len(statuses)],
                    score=rng.randrange(-20, 80),
                    owner=owners[i % len(owners)],
                    created_at=now - timedelta(minutes=i),
                )
                for i in range(start, start + 10_000)
            ],
            batch_size=2_000,
        )
        Activity.objects.bulk_create(
            [
                Activity(
                    kind=("call", "meeting", "email", "task")[i % 4],
                    subject=f"Oppfølging {i}",
                    due_at=now + timedelta(hours=rng.randrange(-24 * 60, 24 * 120)),
                    owner=owners[i % len(owners)],
                    party_id=parties[i % len(parties)],
                    completed_at=now if i % 3 == 0 else None,
                )
                for i in range(start, start + 10_000)
            ],
            batch_size=2_000,
        )
    dbstats.refresh()


def run(ctx: Context) -> list[dict]:
    seller = ctx.user("sales")
    _seed(ctx, seller)
    client = ctx.client(seller)
    pages = {
        "lead list": "/crm/leads/",
        "lead list, by score": "/crm/leads/?sort=-score",
        "lead list, status new": "/crm/leads/?status=new",
        "lead list, search": "/crm/leads/?q=lead123",
        "lead API": "/api/v1/crm/leads?page=3",
        "activity list": "/crm/activities/",
        "activity list, overdue": "/crm/activities/?state=overdue",
        "my activities": "/crm/activities/mine/",
        "activity API, mine open": "/api/v1/crm/activities?mine=true&state=open",
    }
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
        records += ctx.latency_records("crm_lists", f"{label} at {ROWS:,}", samples)
        records.append(ctx.record("crm_lists", f"{label} queries", queries, "queries", 1))
    return records
