"""One search for the help centre, the suggestions and the agents: full-text on PostgreSQL
(the language's configuration, stemming, ranking), words on SQLite. Internal, draft and
archived articles never reach the public, whatever the words."""

import pytest
from django.db import connection

from samspill.knowledge import queries

pytestmark = pytest.mark.django_db


def titles(rows):
    return [row.title for row in rows]


def test_public_search_finds_only_public_published_articles_in_the_language(library):
    found = queries.search_articles("retur", language="nb", audience="public")
    assert titles(found) == ["Slik returnerer du en vare"]
    # Words only the internal, draft and archived articles have never find them.
    hidden = {library[k].pk for k in ("internal", "draft", "archived")}
    for words in ("kreditnota lageret", "hemmelig utkast", "14 dager gjaldt", "retur"):
        for match_all in (True, False):
            found = queries.search_articles(
                words, language="nb", audience="public", match_all=match_all
            )
            assert not hidden & {row.pk for row in found}, words
    assert queries.search_articles("kreditnota lageret", language="nb") == []
    english = queries.search_articles("return goods", language="en", audience="public")
    assert titles(english) == ["How to return goods"]


def test_every_word_first_then_any_word(library):
    both = queries.search_articles("faktura KID", language="nb")
    assert titles(both) == ["Faktura og KID"]
    # No article has both words: those with either are found, best first.
    some = queries.search_articles("faktura returnere", language="nb")
    assert set(titles(some)) == {"Faktura og KID", "Slik returnerer du en vare"}
    assert queries.search_articles("og i på", language="nb") == []
    assert queries.search_articles("", language="nb") == []
    assert queries.search_articles("xyzzy", language="nb") == []


def test_title_ranks_before_text(write):
    write("Frakt og levering", "Vi sender samme dag.")
    write("Åpningstider", "Kundeservice svarer om frakt på hverdager.")
    found = queries.search_articles("frakt", language="nb")
    assert titles(found) == ["Frakt og levering", "Åpningstider"]


def test_suggestions_public_and_internal(library, reader):
    public = queries.suggest("Hvordan kan jeg returnere en vare?", language="nb", audience="public")
    assert [s.title for s in public] == ["Slik returnerer du en vare"]
    assert public[0].url == "/help/articles/slik-returnerer-du-en-vare/"
    assert public[0].public_url == public[0].url and public[0].excerpt
    internal = queries.suggest("retur kreditnota", language="nb", audience="internal", user=reader)
    found = {s.title: s for s in internal}
    assert "Rutine for retur på lageret" in found  # internal ones help agents
    assert "Nye returregler (utkast)" not in found and "Gamle returregler" not in found
    routine = found["Rutine for retur på lageret"]
    assert routine.public_url is None and routine.url.startswith("/knowledge/articles/")
    both = queries.suggest("return", language=None, audience="public")
    assert "How to return goods" in [s.title for s in both]


def test_internal_audience_respects_permissions(library, outsider):
    assert queries.suggest("retur", language="nb", audience="internal", user=outsider) == []


def test_global_search_shows_agents_every_state(library, reader, outsider):
    found = titles(queries.search(reader, "retur"))
    assert "Nye returregler (utkast)" in found and "Gamle returregler" in found
    assert queries.search(outsider, "retur") == []


def test_agents_list_filter(library):
    from samspill.knowledge.models import Article

    rows = queries.filter_text(Article.objects.all(), "retur kontakt")
    assert set(rows.values_list("title", flat=True)) == {"Slik returnerer du en vare"}


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="full text needs PostgreSQL")
def test_postgres_full_text_stems_in_the_articles_language(write):
    from samspill.knowledge.models import Article

    invoice = write("Fakturaer", "Om betaling.", keywords="innbetaling")
    write("Invoices", "About paying.", language="en")
    assert Article.objects.filter(search_vector__isnull=True).count() == 0
    # Norwegian stemming: "fakturaen" finds "Fakturaer"; the English article is not asked.
    assert titles(queries.search_articles("fakturaen", language="nb")) == ["Fakturaer"]
    # English stemming: "paid invoice" finds "Invoices ... paying".
    assert titles(queries.search_articles("invoice paying", language="en")) == ["Invoices"]
    # Stop words of the language are ignored; an unfinished last word matches its start.
    assert titles(queries.search_articles("hvordan betal", language="nb")) == [invoice.title]
    # The vector follows changes.
    from samspill.knowledge import services

    services.update_article(invoice, actor=None, title="Regninger")
    assert titles(queries.search_articles("regning", language="nb")) == ["Regninger"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'knowledge_article_search'"
        )
        assert "gin" in cursor.fetchone()[0].lower()
