"""Inventory: stock moves per second and the on-hand query time.

Sizes are configurable (the issue's target size is 10,000 products x 20 locations with
1,000,000 moves on PostgreSQL): INVENTORY_BENCH_PRODUCTS (default 2,000),
INVENTORY_BENCH_LOCATIONS (default 20) and INVENTORY_BENCH_MOVES (default 50,000).
Measured:
- services.apply_moves() in batches of 1,000 moves (stock levels kept in the same
  transaction): moves per second;
- services.adjust_stock(): one move per transaction with its audit entry and event:
  moves per second;
- one product's on hand / reserved / available across all locations from the stock levels
  (queries.availability and queries.product_stock): p50/p95;
- the same figure recomputed exactly from the moves alone (SUM over the moves of the
  product, both directions): p50/p95;
- GET /inventory/stock/ (first page) and GET /api/v1/inventory/stock: p50/p95.
"""

from __future__ import annotations

import contextlib
import os
import time
from decimal import Decimal

from support import timed

PRODUCTS = int(os.environ.get("INVENTORY_BENCH_PRODUCTS", "2000"))
LOCATIONS = int(os.environ.get("INVENTORY_BENCH_LOCATIONS", "20"))
MOVES = int(os.environ.get("INVENTORY_BENCH_MOVES", "50000"))
BATCH = 1_000
SINGLE = 300
SAMPLES = 200
REQUESTS = 30


def _setup():
    from samspill.catalog.models import Product, Unit
    from samspill.inventory.models import Location
    from samspill.inventory.services import ensure_setup

    warehouse = ensure_setup()
    pcs = Unit.objects.get(code="pcs")
    Product.objects.bulk_create(
        [
            Product(
                sku=f"BENCH-{i:06d}", name_nb=f"Benkvare {i}", name_en=f"Bench item {i}", unit=pcs
            )
            for i in range(PRODUCTS)
        ],
        batch_size=5_000,
    )
    stock = warehouse.stock_location
    Location.objects.bulk_create(
        [
            Location(
                name=f"B-{i:02d}",
                code=f"{stock.code}/B-{i:02d}",
                kind=Location.Kind.INTERNAL,
                parent=stock,
                warehouse=warehouse,
            )
            for i in range(LOCATIONS - 1)
        ]
    )
    locations = [stock, *Location.objects.filter(parent=stock).order_by("code")]
    products = list(Product.objects.filter(sku__startswith="BENCH-").values_list("pk", flat=True))
    return products, locations


def run(ctx) -> list[dict]:
    from django.db import connection, transaction
    from django.db.models import Q, Sum

    from samspill.inventory import queries, services
    from samspill.inventory.models import Location, StockMove
    from samspill.inventory.services.common import virtual

    rng = ctx.rng
    products, locations = _setup()
    loss = virtual(Location.Kind.LOSS)
    records = [
        ctx.record("inventory", "products", len(products), "rows", len(products)),
        ctx.record("inventory", "internal locations", len(locations), "rows", len(locations)),
    ]

    # Opening stock for every product at every location, then transfers between locations.
    opening = [(p, loc) for p in products for loc in locations]
    written = 0
    started = time.perf_counter()
    while written < MOVES:
        batch = []
        for _ in range(min(BATCH, MOVES - written)):
            if written < len(opening):
                product, location = opening[written]
                batch.append(
                    StockMove(
                        product_id=product,
                        from_location=loss,
                        to_location=location,
                        quantity=Decimal(100),
                        reason=StockMove.Reason.ADJUSTMENT,
                        reference="bench",
                    )
                )
            else:
                a, b = rng.sample(locations, 2)
                batch.append(
                    StockMove(
                        product_id=rng.choice(products),
                        from_location=a,
                        to_location=b,
                        quantity=Decimal(1),
                        reason=StockMove.Reason.TRANSFER,
                        reference="bench",
                    )
                )
            written += 1
        # A random transfer that runs a bin dry is refused with its batch, as it should be.
        with contextlib.suppress(services.InsufficientStock), transaction.atomic():
            services.apply_moves(batch)
    elapsed = time.perf_counter() - started
    total = StockMove.objects.count()
    records.append(ctx.record("inventory", "moves in the table", total, "rows", total))
    if connection.vendor == "postgresql":
        # What autovacuum does a moment after bulk writes: statistics and the visibility
        # map (the stock page's count is an index-only scan then, not a heap scan).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    records.append(
        ctx.record(
            "inventory", "apply_moves, batches of 1,000", written / elapsed, "moves/s", written
        )
    )

    actor = ctx.user("operations", username="bench-inventory")
    started = time.perf_counter()
    for _ in range(SINGLE):
        services.adjust_stock(
            actor=actor,
            product=rng.choice(products),
            location=rng.choice(locations),
            quantity=1,
            reason="bench",
        )
    elapsed = time.perf_counter() - started
    records.append(
        ctx.record(
            "inventory", "adjust_stock, one per transaction", SINGLE / elapsed, "moves/s", SINGLE
        )
    )

    def from_levels() -> None:
        pk = rng.choice(products)
        queries.availability([pk])
        queries.product_stock(pk)

    def from_moves() -> None:
        pk = rng.choice(products)
        done = StockMove.objects.filter(product_id=pk, state=StockMove.State.DONE)
        ins = dict(
            done.filter(Q(to_location__kind="internal"))
            .values_list("to_location_id")
            .annotate(Sum("quantity"))
        )
        outs = dict(
            done.filter(Q(from_location__kind="internal"))
            .values_list("from_location_id")
            .annotate(Sum("quantity"))
        )
        {loc: ins.get(loc, 0) - outs.get(loc, 0) for loc in ins.keys() | outs.keys()}

    for label, fn in (
        ("one product across all locations (stock levels)", from_levels),
        ("one product across all locations (from the moves)", from_moves),
    ):
        fn()
        records += ctx.latency_records("inventory", label, [timed(fn) for _ in range(SAMPLES)])

    user = ctx.user("operations", username="bench-inventory")
    client, api = ctx.client(user), ctx.api_client(user)
    for label, target, url in (
        ("GET /inventory/stock/", client, "/inventory/stock/"),
        ("GET /api/v1/inventory/stock", api, "/api/v1/inventory/stock?page=1"),
    ):

        def get(target=target, url=url) -> None:
            response = target.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"GET {url} -> {response.status_code}")

        get()
        records += ctx.latency_records("inventory", label, [timed(get) for _ in range(REQUESTS)])
    return records
