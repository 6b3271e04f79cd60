"""The party list page and API list at 100,000 parties: server time (ms, p50/p95) and queries.

GET /parties/ (HTML, first page, default sort), sorted by name descending, filtered by a search
term, and GET /api/v1/parties — each requested in-process with Django's test Client as a
signed-in sales user. The query count of one request must not grow with the table or the page.
The 100,000 parties are bulk-inserted with their contact points and addresses.
"""

from __future__ import annotations

from support import Context, count_queries, timed

PARTIES = 100_000
REQUESTS = 30
PAGES = {
    "list page": "/parties/",
    "list page, sorted by name desc": "/parties/?sort=-name",
    "list page, search 'fjord'": "/parties/?q=fjord",
    "list page, htmx fragment": "/parties/?page=2",
    "API list": "/api/v1/parties?page=1",
}


def run(ctx: Context) -> list[dict]:
    ctx.bulk_parties(PARTIES)
    client = ctx.client(ctx.user("sales"))
    records = []
    for label, url in PAGES.items():
        headers = {"HTTP_HX_REQUEST": "true"} if "htmx" in label else {}

        def get(url: str = url, headers: dict = headers) -> None:
            response = client.get(url, **headers)
            if response.status_code != 200:
                raise RuntimeError(f"GET {url} -> {response.status_code}")

        get()  # warm-up: templates, connection
        with count_queries() as captured:
            get()
        queries = len(captured)  # now: later requests empty the connection's query log
        samples = [timed(get) for _ in range(REQUESTS)]
        records += ctx.latency_records("party_list_page", f"{label} at {PARTIES:,}", samples)
        records.append(ctx.record("party_list_page", f"{label} queries", queries, "queries", 1))
    return records
