"""Knowledge base search latency (ms, p50/p95) with 10,000 articles: the help centre's search
(queries.search_articles, public audience, every word first), the suggestions for a ticket
(queries.suggest with a subject and a customer's message, any word, internal audience) and
the help centre's search page over HTTP.

Articles are bulk-inserted in Norwegian and English (a third internal, some drafts) from
a vocabulary of customer-service words, with their rendered HTML; on PostgreSQL their
full-text vectors are computed in one UPDATE, as the services do per article.
"""

from __future__ import annotations

import functools

from support import Context, timed

ARTICLES = 10_000
QUERIES = 200

_WORDS_NB = """
retur faktura levering frakt pakke pall sporing betaling kid ehf purring kreditnota
reklamasjon garanti bytte bestilling ordre lager leveringstid kundeservice passord portal
konto rabatt prisliste tilbud avtale montering service reservedel bruksanvisning telt
sovepose ryggsekk kontorstol skrivebord printer headset kabel lader batteri
"""
WORDS_NB = _WORDS_NB.split()
_WORDS_EN = """
return invoice delivery freight parcel pallet tracking payment kid ehf reminder credit
complaint warranty exchange order stock lead time customer service password portal account
discount price list quote agreement assembly spare part manual tent sleeping bag backpack
office chair desk printer headset cable charger battery
"""
WORDS_EN = _WORDS_EN.split()
_FILLER_NB = """
vi du kan når som det er for med på til av og en et ikke har
"""
FILLER_NB = _FILLER_NB.split()
_FILLER_EN = """
we you can when that it is for with on to of and a not have
"""
FILLER_EN = _FILLER_EN.split()


def _text(rng, words, filler, n) -> str:
    return " ".join(
        rng.choice(words) if rng.random() < 0.35 else rng.choice(filler) for _ in range(n)
    )


def bulk_articles(ctx: Context, total: int) -> None:
    from samspill.knowledge.markdown import render
    from samspill.knowledge.models import Article, Category
    from samspill.knowledge.services import refresh_search_vectors, search_text

    rng = ctx.rng
    categories = [
        Category.objects.create(name=f"Kategori {i}", slug=f"kategori-{i}", position=i)
        for i in range(12)
    ]
    batch = []
    for i in range(total):
        english = i % 3 == 2
        words, filler = (WORDS_EN, FILLER_EN) if english else (WORDS_NB, FILLER_NB)
        title = " ".join(rng.sample(words, 3)).capitalize()
        paragraphs = [_text(rng, words, filler, rng.randint(30, 70)) for _ in range(4)]
        body = "\n\n".join([paragraphs[0], "## " + rng.choice(words).capitalize(), *paragraphs[1:]])
        article = Article(
            title=f"{title} {i}",
            slug=f"artikkel-{i}",
            summary=paragraphs[0][:200],
            body=body,
            body_html=render(body),
            language="en" if english else "nb",
            category=categories[i % len(categories)],
            visibility="internal" if i % 3 == 1 else "public",
            state="draft" if i % 10 == 9 else "published",
            keywords=", ".join(rng.sample(words, 3)),
        )
        article.search_text = search_text(article)
        batch.append(article)
        if len(batch) == 2_000:
            Article.objects.bulk_create(batch)
            batch = []
    Article.objects.bulk_create(batch)
    refresh_search_vectors()
    from samspill.platform import dbstats

    dbstats.refresh()


def run(ctx: Context) -> list[dict]:
    from samspill.knowledge import queries

    bulk_articles(ctx, ARTICLES)
    rng = ctx.rng
    user = ctx.user("service")
    searches = []
    for i in range(QUERIES):
        words = WORDS_EN if i % 3 == 2 else WORDS_NB
        searches.append(
            (" ".join(rng.sample(words, rng.randint(1, 3))), "en" if i % 3 == 2 else "nb")
        )
    questions = [
        " ".join(
            [
                " ".join(rng.sample(WORDS_NB, 3)),
                _text(rng, WORDS_NB, FILLER_NB, rng.randint(20, 60)),
            ]
        )
        for _ in range(QUERIES)
    ]
    queries.search_articles("retur", language="nb")  # warm-up
    hits = 0

    def search(q: str, language: str) -> None:
        nonlocal hits
        hits += bool(queries.search_articles(q, language=language, audience="public", limit=20))

    def suggest(q: str) -> None:
        queries.suggest(q, language=None, audience="internal", user=user, limit=5)

    search_ms = [timed(functools.partial(search, q, lang)) for q, lang in searches]
    suggest_ms = [timed(functools.partial(suggest, q)) for q in questions]
    client = ctx.client(user)
    client.get("/help/search/", {"q": "retur"})
    page_ms = [
        timed(functools.partial(client.get, "/help/search/", {"q": q, "lang": lang}))
        for q, lang in searches[:100]
    ]
    name = "knowledge_search"
    records = ctx.latency_records(name, f"help centre search at {ARTICLES:,} articles", search_ms)
    records += ctx.latency_records(name, "ticket suggestions (subject + message)", suggest_ms)
    records += ctx.latency_records(name, "help centre search page (HTTP)", page_ms)
    records.append(ctx.record(name, "searches with hits", hits / QUERIES * 100, "%", QUERIES))
    return records
