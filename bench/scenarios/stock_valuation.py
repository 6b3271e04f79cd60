"""Stock valuation at size: 10,000 products x 20 internal locations and 1,000,000 valued
moves, written with bulk inserts (moves with unit cost and value, and the stock levels they
sum to; sizes via VALUATION_BENCH_PRODUCTS, VALUATION_BENCH_LOCATIONS,
VALUATION_BENCH_MOVES). Measured:
- receipts through inventory.services.receive() (moves valued at the purchase price, the
  average cost updated, one per transaction): moves per second;
- services.apply_moves() in batches of 1,000 valued moves: moves per second;
- one product's availability across all locations (queries.availability +
  queries.product_stock, from the stock levels): p50/p95 (target < 200 ms);
- the same from the moves alone (SUM over the product's moves): p50/p95;
- rebuilding the monthly stock value summary from all the moves (rebuild-stock-value):
  seconds;
- the stock value report (queries.stock_value, every product: the monthly summary before
  the day's month plus that month's moves) at the end of today and 180 days ago, the same
  as one aggregate over all the moves (the way it was before the summary), its first API
  page, the total value: p50/p95.
"""

from __future__ import annotations

import contextlib
import os
import time
from datetime import timedelta
from decimal import Decimal
from typing import Any

from support import timed

PRODUCTS = int(os.environ.get("VALUATION_BENCH_PRODUCTS", "10000"))
LOCATIONS = int(os.environ.get("VALUATION_BENCH_LOCATIONS", "20"))
MOVES = int(os.environ.get("VALUATION_BENCH_MOVES", "1000000"))
CHUNK = 20_000
BATCH = 1_000
RECEIPTS = 200
SAMPLES = 100
REPORTS = 10


def _setup():
    from samspill.catalog.models import Product, Unit
    from samspill.inventory.models import Location
    from samspill.inventory.services import ensure_setup

    warehouse = ensure_setup()
    pcs = Unit.objects.get(code="pcs")
    Product.objects.bulk_create(
        [
            Product(
                sku=f"VAL-{i:06d}",
                name_nb=f"Vare {i}",
                name_en=f"Item {i}",
                unit=pcs,
                cost_price=Decimal(10 + i % 90),
            )
            for i in range(PRODUCTS)
        ],
        batch_size=5_000,
    )
    stock = warehouse.stock_location
    Location.objects.bulk_create(
        [
            Location(
                name=f"V-{i:02d}",
                code=f"{stock.code}/V-{i:02d}",
                kind=Location.Kind.INTERNAL,
                parent=stock,
                warehouse=warehouse,
            )
            for i in range(LOCATIONS - 1)
        ]
    )
    locations = [stock.pk, *Location.objects.filter(parent=stock).values_list("pk", flat=True)]
    products = list(Product.objects.filter(sku__startswith="VAL-").values_list("pk", flat=True))
    return warehouse, products, locations


def _bulk_moves(rng, products, locations, supplier_id, customer_id) -> int:
    """MOVES valued moves with bulk inserts: first a receipt of every product at every
    location, then random receipts, shipments and transfers between the locations over the
    past year; the stock levels are written once, as the sums of the moves."""
    from django.db import transaction
    from django.utils import timezone

    from samspill.inventory.models import StockLevel, StockMove

    now = timezone.now()
    on_hand: dict[tuple[int, int], int] = {}
    opening = [(p, loc) for p in products for loc in locations]
    written = 0
    while written < MOVES:
        rows = []
        for _ in range(min(CHUNK, MOVES - written)):
            when = now - timedelta(minutes=(MOVES - written))
            if written < len(opening):
                product, location = opening[written]
                rows.append((product, supplier_id, location, 50, "receipt", when))
            else:
                product = rng.choice(products)
                a, b = rng.sample(locations, 2)
                kind = rng.random()
                if kind < 0.3:
                    rows.append((product, supplier_id, a, 10, "receipt", when))
                elif kind < 0.7 and on_hand.get((product, a), 0) >= 2:
                    rows.append((product, a, customer_id, 2, "delivery", when))
                elif on_hand.get((product, a), 0) >= 1:
                    rows.append((product, a, b, 1, "transfer", when))
                else:
                    rows.append((product, supplier_id, a, 10, "receipt", when))
            product, src, dst, quantity, _reason, _when = rows[-1]
            if src in location_set:
                on_hand[(product, src)] = on_hand.get((product, src), 0) - quantity
            if dst in location_set:
                on_hand[(product, dst)] = on_hand.get((product, dst), 0) + quantity
            written += 1
        with transaction.atomic():
            StockMove.objects.bulk_create(
                [
                    StockMove(
                        product_id=product,
                        from_location_id=src,
                        to_location_id=dst,
                        quantity=Decimal(quantity),
                        unit_cost=Decimal("25.0000"),
                        value=Decimal(quantity * 25),
                        reason=reason,
                        reference="bench",
                        done_at=when,
                    )
                    for product, src, dst, quantity, reason, when in rows
                ],
                batch_size=5_000,
            )
    StockLevel.objects.bulk_create(
        [
            StockLevel(product_id=p, location_id=loc, on_hand=Decimal(q))
            for (p, loc), q in on_hand.items()
        ],
        batch_size=5_000,
    )
    return written


location_set: set[int] = set()


def run(ctx) -> list[dict]:
    from django.db import connection, transaction
    from django.utils import timezone

    from samspill.inventory import queries, services
    from samspill.inventory.models import Location, Receipt, StockMove
    from samspill.inventory.services.common import virtual

    rng = ctx.rng
    _warehouse, products, locations = _setup()
    location_set.update(locations)
    supplier = virtual(Location.Kind.SUPPLIER)
    customer = virtual(Location.Kind.CUSTOMER)
    records = [
        ctx.record("stock_valuation", "products", len(products), "rows", len(products)),
        ctx.record("stock_valuation", "internal locations", len(locations), "rows", len(locations)),
    ]
    started = time.perf_counter()
    written = _bulk_moves(rng, products, locations, supplier.pk, customer.pk)
    elapsed = time.perf_counter() - started
    records.append(
        ctx.record(
            "stock_valuation", "bulk insert of valued moves", written / elapsed, "moves/s", written
        )
    )
    # The moves were bulk inserted behind the stock engine's back (like an import): the
    # monthly stock value summary is rebuilt from them once.
    from samspill.inventory.services import value_months

    started = time.perf_counter()
    months = value_months.rebuild()
    records.append(
        ctx.record(
            "stock_valuation",
            "rebuild-stock-value (monthly summary from all moves)",
            time.perf_counter() - started,
            "s",
            months,
        )
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    # Receipts through the service: valued at the purchase price, average cost updated.
    from samspill.parties.tests.factories import OrganizationFactory

    party: Any = OrganizationFactory(name="Bench Leverandør AS", is_supplier=True)
    actor = ctx.user("operations", username="bench-valuation")
    receipts = []
    for i in range(RECEIPTS):
        receipt = services.create_receipt(
            actor=actor,
            party_id=party.pk,
            order_id=None,
            lines=[{"product_id": rng.choice(products), "quantity": 5, "unit_cost": 20 + i % 7}],
        )
        assert receipt is not None
        receipts.append(receipt.lines.get().pk)
    started = time.perf_counter()
    for receipt_id, line_id in zip(
        Receipt.objects.order_by("pk").values_list("pk", flat=True), receipts, strict=True
    ):
        services.receive(
            actor=actor, receipt=receipt_id, lines=[{"line_id": line_id, "quantity": 5}]
        )
    elapsed = time.perf_counter() - started
    records.append(
        ctx.record(
            "stock_valuation",
            "receive(), one receipt per transaction",
            RECEIPTS / elapsed,
            "moves/s",
            RECEIPTS,
        )
    )

    batches = 20
    started = time.perf_counter()
    for _ in range(batches):
        batch = []
        for _ in range(BATCH):
            a, b = rng.sample(locations, 2)
            batch.append(
                StockMove(
                    product_id=rng.choice(products),
                    from_location_id=a,
                    to_location_id=b,
                    quantity=Decimal(1),
                    reason=StockMove.Reason.TRANSFER,
                    reference="bench",
                )
            )
        with contextlib.suppress(services.InsufficientStock), transaction.atomic():
            services.apply_moves(batch)
    elapsed = time.perf_counter() - started
    records.append(
        ctx.record(
            "stock_valuation",
            "apply_moves, batches of 1,000 (valued)",
            batches * BATCH / elapsed,
            "moves/s",
            batches * BATCH,
        )
    )
    total = StockMove.objects.count()
    records.append(ctx.record("stock_valuation", "moves in the table", total, "rows", total))

    def availability() -> None:
        pk = rng.choice(products)
        queries.availability([pk])
        queries.product_stock(pk)

    def from_moves() -> None:
        from django.db.models import Sum

        pk = rng.choice(products)
        done = StockMove.objects.filter(product_id=pk, state=StockMove.State.DONE)
        ins = dict(
            done.filter(to_location_id__in=locations)
            .values_list("to_location_id")
            .annotate(Sum("quantity"))
        )
        outs = dict(
            done.filter(from_location_id__in=locations)
            .values_list("from_location_id")
            .annotate(Sum("quantity"))
        )
        {loc: ins.get(loc, 0) - outs.get(loc, 0) for loc in ins.keys() | outs.keys()}

    for label, fn in (
        ("one product's availability, all locations (stock levels)", availability),
        ("one product's on hand, all locations (from the moves)", from_moves),
    ):
        fn()
        records += ctx.latency_records(
            "stock_valuation", label, [timed(fn) for _ in range(SAMPLES)]
        )

    def report() -> None:
        rows = list(queries.stock_value())
        if not rows:
            raise RuntimeError("empty stock value report")

    half_year_ago = timezone.localdate() - timedelta(days=180)

    def report_earlier() -> None:
        if not queries.stock_value(half_year_ago):
            raise RuntimeError("empty stock value report")

    def report_from_moves() -> None:
        if not list(queries.stock_value_from_moves()):
            raise RuntimeError("empty stock value report")

    def total_value() -> None:
        queries.stock_value_total()

    api = ctx.api_client(ctx.user("operations", username="bench-valuation"))

    def api_page() -> None:
        response = api.get("/api/v1/inventory/stock-value?page=1")
        if response.status_code != 200:
            raise RuntimeError(f"stock-value API -> {response.status_code}")

    for label, fn in (
        ("stock value report, every product, today (monthly summary + month's moves)", report),
        ("stock value report, every product, 180 days ago", report_earlier),
        (
            "stock value report, every product (before: one aggregate over all moves)",
            report_from_moves,
        ),
        ("stock value total (monthly summary + month's moves)", total_value),
        ("GET /api/v1/inventory/stock-value (first page)", api_page),
    ):
        fn()
        records += ctx.latency_records(
            "stock_valuation", label, [timed(fn) for _ in range(REPORTS)]
        )
    return records
