"""Read side of the knowledge base: the agents' list, one article, the help centre's
categories and articles (only public and published ones, whoever asks), and search.

`search_articles()` is the one search of the knowledge base (agents' list, help centre,
suggestions, global search). On PostgreSQL it uses full-text search on the stored vector,
in the configuration of the language asked for ('norwegian' or 'english': stemming, stop
words) ranked by ts_rank with title > keywords/summary > text; on SQLite it matches the
words with icontains and ranks by where they match. The callers never see the difference."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from samspill.knowledge.models import Article, Category, Language
from samspill.platform.errors import NotFound
from samspill.platform.permissions import VIEW, restrict

PUBLIC = "public"
INTERNAL = "internal"
AUDIENCES = (PUBLIC, INTERNAL)
CONFIGS = {Language.NB: "norwegian", Language.EN: "english"}
MAX_TERMS = 12
SUGGEST_TERMS = 8  # a ticket's subject and the start of the message say enough
WORD = re.compile(r"\w+", re.UNICODE)
# Words too common to say anything (the SQLite path; PostgreSQL has its own lists).
_STOP_WORDS = """
og i jeg det at en et den til er som på de med han av ikke der så var meg seg men ett
har om vi min mitt ha hadde hun nå over da ved fra du ut sin dem oss opp man kan hans
hvor eller hva skal selv sjøl her alle vil bli ble blitt kunne inn når være kom noen noe
ville dere deres kun ja etter ned skulle denne for deg si sine sitt mot å meget hvorfor
dette disse uten hvordan ingen din ditt blir samme hvilken hvilke sånn inni mellom vår
hver hvem vors hvis både bare enn fordi før mange også slik vært båe begge siden dykk
dykkar the a an and or of to in is it for on with as at by be this that are was from can
how what my i you do does not no me we our your have has will
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())


def _language(value: str | None) -> str:
    return value if value in Language.values else Language.NB


# --- Agents ----------------------------------------------------------------------------------


def articles(user=None) -> QuerySet[Article]:
    """The articles the user may read (every state, internal and public)."""
    return restrict(
        Article.objects.select_related("category", "author").defer(
            "body", "body_html", "search_text"
        ),
        user,
        VIEW,
    )


def get_article(user, pk) -> Article:
    row = (
        restrict(Article.objects.select_related("category", "author", "translation"), user, VIEW)
        .filter(pk=pk)
        .first()
        if str(pk).isdigit()
        else None
    )
    if row is None:
        raise NotFound(_("There is no article with this id."), code="article_not_found")
    return row


def categories(user=None) -> QuerySet[Category]:
    return restrict(
        Category.objects.select_related("parent").annotate(article_count=Count("articles")),
        user,
        VIEW,
    )


def category_choices() -> list[tuple[int, str]]:
    """(pk, "Parent / Child") in tree order, for forms."""
    rows = list(Category.objects.order_by("position", "name"))
    by_parent: dict[int | None, list[Category]] = {}
    for row in rows:
        by_parent.setdefault(row.parent_id, []).append(row)
    result: list[tuple[int, str]] = []

    def walk(parent_id, prefix):
        for row in by_parent.get(parent_id, []):
            result.append((row.pk, prefix + row.name))
            walk(row.pk, prefix + row.name + " / ")

    walk(None, "")
    return result


def translation_choices(article: Article | None, language: str) -> QuerySet[Article]:
    """Articles in the other language that the article may be linked to."""
    other = Language.EN if language == Language.NB else Language.NB
    rows = Article.objects.filter(language=other).only("pk", "title", "language")
    if article is not None and article.pk:
        rows = rows.exclude(pk=article.pk)
    return rows.order_by("title")


# --- The help centre (public, no login) --------------------------------------------------------


def public_articles(language: str | None = None) -> QuerySet[Article]:
    """Public and published: the only articles anyone outside may see."""
    rows = Article.objects.filter(
        visibility=Article.Visibility.PUBLIC, state=Article.State.PUBLISHED
    )
    if language:
        rows = rows.filter(language=_language(language))
    return rows


def public_article(slug: str) -> Article:
    row = (
        public_articles().select_related("category", "translation").filter(slug=slug or "").first()
    )
    if row is None:
        raise NotFound(_("There is no such article in the help centre."), code="article_not_found")
    return row


def public_categories(language: str) -> list[Category]:
    """Categories with public articles in the language, in order, with their count and the
    first few article titles (two queries)."""
    language = _language(language)
    rows: list[Category] = list(
        Category.objects.annotate(
            article_count=Count(
                "articles",
                filter=Q(
                    articles__visibility=Article.Visibility.PUBLIC,
                    articles__state=Article.State.PUBLISHED,
                    articles__language=language,
                ),
            )
        )
        .filter(article_count__gt=0)
        .order_by("position", "name")
    )
    tops = (
        public_articles(language)
        .filter(category__in=rows)
        .only("title", "slug", "category_id", "position")
        .order_by("category_id", "position", "title")
    )
    firsts: dict[int, list[Article]] = {}
    for article in tops:
        firsts.setdefault(article.category_id or 0, []).append(article)
    for row in rows:
        row.top_articles = firsts.get(row.pk, [])[:5]  # type: ignore[attr-defined]
    return rows


def public_category(slug: str, language: str) -> tuple[Category, list[Article]]:
    category = Category.objects.filter(slug=slug or "").select_related("parent").first()
    if category is None:
        raise NotFound(_("There is no such category."), code="category_not_found")
    rows = list(
        public_articles(language)
        .filter(category=category)
        .only("title", "slug", "summary", "updated_at", "position", "language")
        .order_by("position", "title")
    )
    return category, rows


def popular_articles(language: str, limit: int = 6) -> list[Article]:
    return list(
        public_articles(language)
        .only("title", "slug", "summary", "view_count")
        .order_by("-view_count", "title")[:limit]
    )


# --- Search ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    id: int
    title: str
    url: str
    excerpt: str
    language: str
    visibility: str
    public_url: str | None


def terms_of(q: str) -> list[str]:
    words = [w.lower() for w in WORD.findall(q or "") if len(w) > 1 or w.isdigit()]
    return list(dict.fromkeys(w for w in words if w not in STOP_WORDS))[:MAX_TERMS]


def _stem(word: str) -> str:
    """A crude stem for the SQLite path: "returnere" and "returen" find "retur"."""
    for ending in ("ene", "ane", "ing", "er", "en", "et", "es", "ed", "s", "e"):
        if len(word) - len(ending) >= 4 and word.endswith(ending):
            return word[: -len(ending)]
    return word


def _base(audience: str, language: str | None, user) -> QuerySet[Article]:
    if audience == PUBLIC:
        rows = public_articles(language)
    else:
        rows = restrict(Article.objects.filter(state=Article.State.PUBLISHED), user, VIEW)
        if language:
            rows = rows.filter(language=_language(language))
    return rows


def search_articles(
    q: str,
    *,
    language: str | None = Language.NB,
    audience: str = PUBLIC,
    user=None,
    limit: int = 10,
    match_all: bool = True,
    base: QuerySet[Article] | None = None,
) -> list[Article]:
    """The best matching articles, best first. `audience` "public": public and published
    only, whoever asks; "internal": published ones the user may read. `match_all`: articles
    with every word first; if none has them all, those with any (suggestions pass False to
    rank by any word from the start). `base` replaces the audience's rows (agents' list)."""
    terms = terms_of(q)
    if not terms:
        return []
    rows = base if base is not None else _base(audience, language, user)
    rows = rows.select_related("category").defer("body", "body_html", "search_text")
    if connection.vendor == "postgresql":
        found = _search_postgres(rows, terms, language, limit, match_all)
    else:
        found = _search_words(rows, terms, limit, match_all)
    return found


def _tsquery(terms: list[str], operator: str) -> str:
    # Only word characters reach to_tsquery; the last word may be unfinished (typing).
    parts = [re.sub(r"\W", "", t) for t in terms]
    parts = [p for p in parts if p]
    if parts:
        parts[-1] += ":*"
    return f" {operator} ".join(parts)


def _search_postgres(rows, terms, language, limit, match_all) -> list[Article]:
    config = CONFIGS[Language(_language(language))] if language else None
    modes = ("&", "|") if match_all else ("|",)
    for operator in modes:
        if config:
            query = SearchQuery(_tsquery(terms, operator), config=config, search_type="raw")
        else:  # both languages: match in either configuration
            query = SearchQuery(
                _tsquery(terms, operator), config="norwegian", search_type="raw"
            ) | SearchQuery(_tsquery(terms, operator), config="english", search_type="raw")
        found = list(
            rows.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "-helpful_yes", "title")[:limit]
        )
        if found:
            return found
    return []


def _search_words(rows, terms, limit, match_all) -> list[Article]:
    """SQLite: per word one match in the lower-case search text of title, keywords, summary
    and text (worth 100: the number of words found comes first) and one in the title
    (worth 3). One query: each text is read once per word, and the best rows come first,
    so those with every word (when asked for) are at the top."""
    score: Any = Value(0, output_field=IntegerField())
    for stem in (_stem(t) for t in terms):
        score = (
            score
            + Case(When(search_text__contains=stem, then=Value(100)), default=Value(0))
            + Case(When(title__icontains=stem, then=Value(3)), default=Value(0))
        )
    found = list(
        rows.defer("search_text")
        .annotate(rank=score)
        .order_by("-rank", "-helpful_yes", "title")[:limit]
    )
    every = [row for row in found if row.rank >= 100 * len(terms)]
    if match_all and every:
        return every
    return [row for row in found if row.rank >= 100]


def suggest(
    q: str, *, language: str | None, audience: str, user=None, limit: int = 5
) -> list[Suggestion]:
    """Articles that may answer `q` (a ticket's subject and message, what an agent types,
    a chat visitor's question): {id, title, url, excerpt}. Public audience: only public and
    published articles, with their help-centre address; internal: every published article
    the user may read, with the agents' address (and the public one when there is one)."""
    words = " ".join(terms_of(q)[:SUGGEST_TERMS])
    found = search_articles(
        words, language=language, audience=audience, user=user, limit=limit, match_all=False
    )
    result = []
    for article in found:
        public_url = article.get_public_url() if article.is_public else None
        url = public_url if audience == PUBLIC else article.get_absolute_url()
        result.append(
            Suggestion(
                id=article.pk,
                title=article.title,
                url=url or "",
                excerpt=article.summary,
                language=article.language,
                visibility=article.visibility,
                public_url=public_url,
            )
        )
    return result


def search(user, q: str, limit: int = 8) -> list[Article]:
    """Global search (Ctrl+K): every article the user may read, any state and language."""
    return search_articles(
        q,
        language=None,
        audience=INTERNAL,
        user=user,
        limit=limit,
        base=restrict(Article.objects.all(), user, VIEW),
    )


def filter_text(rows: QuerySet[Article], q: str) -> QuerySet[Article]:
    """Narrow a list to the articles containing every word of `q` (the agents' list filter;
    unranked: the list keeps its own order)."""
    terms = terms_of(q)
    if not terms:
        return rows
    if connection.vendor == "postgresql":
        text = _tsquery(terms, "&")
        query = SearchQuery(text, config="norwegian", search_type="raw") | SearchQuery(
            text, config="english", search_type="raw"
        )
        return rows.filter(Q(search_vector=query) | Q(title__icontains=q.strip()))
    for stem in (_stem(t) for t in terms):
        rows = rows.filter(search_text__contains=stem)
    return rows
