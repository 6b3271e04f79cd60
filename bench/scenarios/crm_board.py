"""The CRM pipeline board, list and forecast at 20,000 open opportunities: server time
(ms, p50/p95) and queries per request, and moving a card (ms per move).

GET /crm/pipeline/ (all stages, first 50 cards per stage, counts and sums), the same
filtered by owner, the htmx move of a card to the next stage (POST, the board re-rendered),
GET /crm/forecast/ by month and by owner, and GET /api/v1/crm/opportunities — each requested
in-process with Django's test Client as a signed-in sales user. 2,000 organisations and the
20,000 opportunities (spread over the open stages, 10 owners, 3 teams) are bulk-inserted.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta
from decimal import Decimal

from support import Context, count_queries, timed

OPEN = 20_000
REQUESTS = 20
MOVES = 50


def _seed(ctx: Context, seller) -> None:
    from samspill.crm import services
    from samspill.crm.models import Opportunity, Stage
    from samspill.organization.models import Department, Team
    from samspill.parties.models import Party
    from samspill.platform import dbstats

    services.ensure_default_stages()  # every scenario starts from an emptied database
    ctx.bulk_parties(2_000)
    parties = list(Party.objects.filter(kind="organization").values_list("pk", flat=True))
    owners = [seller] + [ctx.user("sales", username=f"bench-seller-{i}") for i in range(9)]
    department = Department.objects.create(
        name="Salg", code="SALG", function="sales", office="front"
    )
    teams = [Team.objects.create(name=f"Team {i}", department=department) for i in range(3)]
    stages = list(Stage.objects.filter(is_won=False, is_lost=False).order_by("position"))
    rng = ctx.rng
    today = date.today()
    rows = [
        Opportunity(
            name=f"Mulighet {i}",
            party_id=parties[i % len(parties)],
            stage=stages[i % len(stages)],
            expected_revenue=Decimal(rng.randrange(1_000, 2_000_000)),
            close_date=today + timedelta(days=rng.randrange(-30, 365)),
            owner=owners[i % len(owners)],
            team=teams[i % len(teams)],
        )
        for i in range(OPEN)
    ]
    Opportunity.objects.bulk_create(rows, batch_size=2_000)
    dbstats.refresh()


def run(ctx: Context) -> list[dict]:
    from samspill.crm.models import Opportunity, Stage

    seller = ctx.user("sales")
    _seed(ctx, seller)
    client = ctx.client(seller)
    pages = {
        "board": "/crm/pipeline/",
        "board, one owner": f"/crm/pipeline/?owner={seller.pk}",
        "forecast by month": "/crm/forecast/",
        "forecast by owner": "/crm/forecast/?group=owner",
        "API list": "/api/v1/crm/opportunities?page=1",
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
        records += ctx.latency_records("crm_board", f"{label} at {OPEN:,} open", samples)
        records.append(ctx.record("crm_board", f"{label} queries", queries, "queries", 1))

    stages = list(Stage.objects.filter(is_won=False, is_lost=False).order_by("position"))
    movable = list(Opportunity.objects.filter(stage=stages[0]).values_list("pk", flat=True)[:MOVES])

    def move(pk: int) -> None:
        response = client.post(
            f"/crm/pipeline/{pk}/move/", {"stage": stages[1].pk}, HTTP_HX_REQUEST="true"
        )
        if response.status_code != 200:
            raise RuntimeError(f"move {pk} -> {response.status_code}")

    with count_queries() as captured:
        move(movable[0])
    queries = len(captured)
    samples = [timed(functools.partial(move, pk)) for pk in movable[1:]]
    records += ctx.latency_records("crm_board", "drag a card (move + board re-rendered)", samples)
    records.append(ctx.record("crm_board", "drag a card queries", queries, "queries", 1))
    return records
