"""The catalog at ~50,000 products: price lookups per second and the product list page.

The demo catalogue of Nordlys Handel AS is loaded with generated office articles up to
50,000 products, and the "Forhandler" price list gets three quantity breaks (1, 10, 50) for
every product (~150,000 prices). Measured:
- catalog.queries.price_for(product, quantity, price_list=Forhandler): lookups per second
  (one query each), for random products and quantities 1-120;
- price_for in EUR without a price list (searches the valid EUR lists): lookups per second;
- prices_for() of a 10-line order in one query: orders per second;
- GET /api/v1/catalog/price (HTTP, token auth): p50/p95;
- GET /catalog/products/ (first page, sorted by price, searched, filtered) and GET
  /api/v1/catalog/products: server time p50/p95 and query count.
"""

from __future__ import annotations

import time
from decimal import Decimal

from support import Context, count_queries, timed

PRODUCTS = 50_000
LOOKUPS = 3_000
ORDERS = 500
REQUESTS = 30
PAGES = {
    "list page": "/catalog/products/",
    "list page, sorted by price desc": "/catalog/products/?sort=-sales_price",
    "list page, search 'artikkel 4711'": "/catalog/products/?q=artikkel+4711",
    "list page, food only": "/catalog/products/?vat_category=food",
    "list page, htmx fragment page 2": "/catalog/products/?page=2",
    "API list": "/api/v1/catalog/products?page=1",
}


def _load() -> None:
    from samspill.catalog import demo
    from samspill.catalog.models import PriceList, PriceListItem, Product

    demo.load(extra=PRODUCTS - len(demo.plan()))
    dealer = PriceList.objects.get(name="Forhandler")
    have = set(PriceListItem.objects.filter(price_list=dealer).values_list("product_id", flat=True))
    rows = []
    for pk, price in Product.objects.values_list("pk", "sales_price").iterator():
        if pk in have:
            continue
        for quantity, share in (("1", "0.85"), ("10", "0.80"), ("50", "0.75")):
            rows.append(
                PriceListItem(
                    price_list=dealer,
                    product_id=pk,
                    min_quantity=Decimal(quantity),
                    unit_price=(price * Decimal(share)).quantize(Decimal("0.01")),
                )
            )
    PriceListItem.objects.bulk_create(rows, batch_size=5_000)


def _rate(label: str, ctx: Context, fn, n: int, unit: str) -> dict:
    fn()  # warm-up
    started = time.perf_counter()
    for _ in range(n):
        fn()
    elapsed = time.perf_counter() - started
    return ctx.record("catalog", label, n / elapsed, unit, n)


def run(ctx: Context) -> list[dict]:
    from samspill.catalog.models import PriceList, Product
    from samspill.catalog.queries import price_for, prices_for

    _load()
    rng = ctx.rng
    dealer = PriceList.objects.get(name="Forhandler")
    products = list(Product.objects.all()[:PRODUCTS])
    exportable = list(Product.objects.filter(sku__startswith="TELT"))
    records = [ctx.record("catalog", "products", len(products), "rows", len(products))]

    def lookup() -> None:
        price_for(rng.choice(products), rng.randint(1, 120), price_list=dealer)

    def lookup_eur() -> None:
        price_for(rng.choice(exportable), rng.randint(1, 40), currency="EUR")

    def order() -> None:
        lines = [(rng.choice(products), rng.randint(1, 60)) for _ in range(10)]
        prices_for(lines, price_list=dealer)

    with count_queries() as captured:
        lookup()
    records.append(ctx.record("catalog", "price_for queries", len(captured), "queries", 1))
    records.append(_rate("price_for, Forhandler list", ctx, lookup, LOOKUPS, "lookups/s"))
    records.append(_rate("price_for, EUR lists by date", ctx, lookup_eur, LOOKUPS, "lookups/s"))
    records.append(_rate("prices_for, 10-line order", ctx, order, ORDERS, "orders/s"))

    api = ctx.api_client(ctx.user("sales", username="bench-catalog-api"))
    some = products[len(products) // 2]

    def price_api() -> None:
        response = api.get(
            f"/api/v1/catalog/price?product={some.pk}&quantity=12&price_list={dealer.pk}"
        )
        if response.status_code != 200:
            raise RuntimeError(f"price API -> {response.status_code}")

    price_api()
    samples = [timed(price_api) for _ in range(REQUESTS)]
    records += ctx.latency_records("catalog", "GET /api/v1/catalog/price", samples)

    client = ctx.client(ctx.user("sales"))
    for label, url in PAGES.items():
        headers = {"HTTP_HX_REQUEST": "true"} if "htmx" in label else {}
        target = api if url.startswith("/api/") else client

        def get(url: str = url, headers: dict = headers, target=target) -> None:
            response = target.get(url, **headers)
            if response.status_code != 200:
                raise RuntimeError(f"GET {url} -> {response.status_code}")

        get()
        with count_queries() as captured:
            get()
        queries = len(captured)
        samples = [timed(get) for _ in range(REQUESTS)]
        records += ctx.latency_records("catalog", f"{label} at {len(products):,}", samples)
        records.append(ctx.record("catalog", f"{label} queries", queries, "queries", 1))
    return records
