"""Party search latency (ms, p50/p95) with 10,000 parties: parties.queries.search(user, q, 8).

The queries mix what people type into the global search (Ctrl+K): part of a company name, a
last name, the first digits of an organisation number, an exact e-mail address and a mobile
number. Parties are bulk-inserted with their contact points and addresses.
"""

from __future__ import annotations

import functools

from support import LAST_NAMES, NAME_TRADES, NAME_WORDS, Context, timed

PARTIES = 10_000
QUERIES = 300


def run(ctx: Context) -> list[dict]:
    from samspill.parties import queries
    from samspill.parties.models import ContactPoint, Party

    ctx.bulk_parties(PARTIES)
    user = ctx.user("sales")
    rng = ctx.rng
    orgnrs = list(Party.objects.exclude(orgnr="").values_list("orgnr", flat=True)[:500])
    emails = list(ContactPoint.objects.filter(kind="email").values_list("value", flat=True)[:500])
    phones = list(ContactPoint.objects.filter(kind="phone").values_list("value", flat=True)[:500])
    makers = [
        lambda: rng.choice(NAME_WORDS).lower()[:5],
        lambda: rng.choice(NAME_TRADES),
        lambda: rng.choice(LAST_NAMES),
        lambda: rng.choice(orgnrs)[:5],
        lambda: rng.choice(emails),
        lambda: rng.choice(phones).removeprefix("+47"),
    ]
    terms = [makers[i % len(makers)]() for i in range(QUERIES)]
    queries.search(user, terms[0], 8)  # warm-up: connection, caches
    hits = 0

    def search(term: str) -> None:
        nonlocal hits
        hits += bool(queries.search(user, term, 8))

    samples = [timed(functools.partial(search, term)) for term in terms]
    records = ctx.latency_records("party_search", f"search at {PARTIES:,} parties", samples)
    records.append(
        ctx.record("party_search", "queries with hits", hits / QUERIES * 100, "%", QUERIES)
    )
    return records
