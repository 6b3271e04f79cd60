"""The commands of the knowledge base: drafts, publishing, changes and archiving with their
events and audit, translations, categories, safe Markdown, views and votes; bad input
writes nothing."""

import pytest

from samspill.knowledge import services
from samspill.knowledge.models import Article, Category
from samspill.platform import audit
from samspill.platform.errors import Conflict, PermissionDenied, ValidationFailed
from samspill.platform.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_a_draft_is_written_with_derived_fields_and_audited_without_an_event(
    editor, returns, emitted
):
    article = services.create_article(
        actor=editor,
        title="  Bytte og retur på 30 dager ",
        body="Du kan **returnere** varer.\n\n## Slik gjør du\n\n- Ring oss",
        category=returns,
        keywords=["retur", " bytte ", "retur"],
    )
    assert article.state == "draft" and article.visibility == "internal"
    assert article.slug == "bytte-og-retur-pa-30-dager"
    assert article.title == "Bytte og retur på 30 dager"
    assert article.keywords == "retur, bytte"
    assert article.summary == "Du kan returnere varer."
    assert "<strong>returnere</strong>" in article.body_html and "<h2>" in article.body_html
    assert article.author == editor
    assert emitted() == []
    entry = audit.history(article).get(action="create")
    assert entry.changes["title"] == [None, "Bytte og retur på 30 dager"]
    assert "body_html" not in entry.changes and "search_vector" not in entry.changes
    # The same title again gets its own address.
    again = services.create_article(actor=editor, title="Bytte og retur på 30 dager", body="x")
    assert again.slug == "bytte-og-retur-pa-30-dager-2"


def test_publish_update_and_archive_publish_their_events(write, editor, emitted):
    article = write("Levering", "Vi sender samme dag.", publish=False)
    services.publish_article(article, actor=editor)
    services.update_article(article, actor=editor, body="Vi sender samme dag før kl. 14.")
    services.update_article(article, actor=editor, body="Vi sender samme dag før kl. 14.")
    services.archive_article(article, actor=editor)
    events = emitted()
    assert [t for t, _ in events] == [
        "knowledge.article.published",
        "knowledge.article.updated",
        "knowledge.article.archived",
    ]
    published = events[0][1]
    assert published["article_id"] == article.pk and published["state"] == "published"
    assert published["slug"] == "levering" and published["visibility"] == "public"
    assert events[1][1]["fields"] == ["body"]  # the unchanged second save says nothing
    assert events[2][1]["state"] == "archived"
    with pytest.raises(Conflict, match="already archived"):
        services.archive_article(article, actor=editor)
    services.publish_article(article, actor=editor)
    with pytest.raises(Conflict, match="already published"):
        services.publish_article(article, actor=editor)
    actions = list(audit.history(article).values_list("action", flat=True))
    assert actions.count("update") == 4


def test_readers_may_not_write_or_publish(reader, outsider, write, editor):
    with pytest.raises(PermissionDenied):
        services.create_article(actor=reader, title="T", body="B")
    article = write("Levering", "Tekst", publish=False)
    with pytest.raises(PermissionDenied):
        services.update_article(article, actor=reader, title="Nytt")
    with pytest.raises(PermissionDenied):
        services.publish_article(article, actor=outsider)
    with pytest.raises(PermissionDenied):
        services.create_category(actor=reader, name="Nytt")
    assert Article.objects.get(pk=article.pk).state == "draft"


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"title": " ", "body": "x"}, "title"),
        ({"title": "T", "body": "  "}, "body"),
        ({"title": "T", "body": "x", "language": "de"}, "language"),
        ({"title": "T", "body": "x", "visibility": "secret"}, "visibility"),
        ({"title": "T", "body": "x", "category": 999999}, "category"),
        ({"title": "T", "body": "x", "slug": "ikke gyldig!"}, "slug"),
        ({"title": "T", "body": "x" * (services.MAX_BODY + 1)}, "body"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(editor, fields, field):
    with pytest.raises(ValidationFailed) as info:
        services.create_article(actor=editor, **fields)
    assert field in info.value.errors
    assert Article.objects.count() == 0 and AuditEntry.objects.count() == 0


def test_a_taken_address_is_refused(write, editor):
    write("Levering", "Tekst")
    with pytest.raises(ValidationFailed) as info:
        services.create_article(actor=editor, title="Annen", body="x", slug="levering")
    assert "slug" in info.value.errors
    other = write("Annen", "x")
    with pytest.raises(ValidationFailed):
        services.update_article(other, actor=editor, slug="levering")
    with pytest.raises(ValidationFailed) as unknown:
        services.update_article(other, actor=editor, views=10)
    assert "views" in unknown.value.errors


def test_markdown_is_rendered_safely(write):
    article = write(
        "Farlig",
        "# Tittel\n\n<script>alert(1)</script>\n\n[klikk](javascript:alert(1)) "
        '[ok](https://nordlys.no) <img src=x onerror="alert(1)">\n\n'
        "| a | b |\n|---|---|\n| 1 | 2 |",
    )
    html = article.body_html
    # Raw HTML is shown as text, never as tags; a javascript: link is no link.
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;" in html
    assert "<h1>" not in html and "<h2>Tittel</h2>" in html
    assert '<a href="https://nordlys.no" rel="noopener noreferrer">ok</a>' in html
    assert "<table>" in html


def test_translations_are_linked_both_ways_and_relinked(write, editor):
    nb = write("Retur", "Tekst")
    en = write("Returns", "Text", language="en", translation=nb)
    nb.refresh_from_db()
    assert en.translation == nb and nb.translation == en
    en2 = write("Returning goods", "Text", language="en")
    services.update_article(nb, actor=editor, translation=en2.pk)
    nb.refresh_from_db()
    en.refresh_from_db()
    en2.refresh_from_db()
    assert nb.translation == en2 and en2.translation == nb and en.translation is None
    services.update_article(nb, actor=editor, translation=None)
    en2.refresh_from_db()
    assert en2.translation is None
    with pytest.raises(ValidationFailed, match="other language"):
        services.update_article(nb, actor=editor, translation=write("Annen", "x").pk)
    with pytest.raises(ValidationFailed, match="own translation"):
        services.update_article(nb, actor=editor, translation=nb.pk)


def test_categories_reserved_addresses_and_loops(editor, returns):
    with pytest.raises(ValidationFailed) as info:
        services.create_category(actor=editor, name="Kontakt", slug="contact")
    assert "slug" in info.value.errors
    # A name whose address would be reserved gets another one.
    assert services.create_category(actor=editor, name="Search").slug == "search-2"
    child = services.create_category(actor=editor, name="Bytte", parent=returns)
    assert child.slug == "bytte" and child.parent == returns
    with pytest.raises(ValidationFailed, match="inside itself"):
        services.update_category(returns, actor=editor, parent=child.pk)
    assert Category.objects.get(pk=returns.pk).parent is None
    services.update_category(returns, actor=editor, name_en="Returns and exchanges")
    assert Category.objects.get(pk=returns.pk).label("en") == "Returns and exchanges"


def test_views_and_votes_count_once_per_address_and_are_rate_limited(write, settings):
    article = write("Levering", "Tekst")
    services.record_view(article)
    services.record_view(article)
    services.vote(article, helpful=True, client="10.0.0.1")
    services.vote(article, helpful=False, client="10.0.0.2")
    with pytest.raises(Conflict) as again:
        services.vote(article, helpful=True, client="10.0.0.1")
    assert again.value.code == "already_voted"
    article.refresh_from_db()
    assert (article.view_count, article.helpful_yes, article.helpful_no) == (2, 1, 1)
    assert article.helpful_percent == 50
    others = [write(f"Artikkel {i}", "x") for i in range(services.VOTES_PER_WINDOW + 1)]
    with pytest.raises(services.RateLimited) as limited:
        for other in others:
            services.vote(other, helpful=True, client="10.0.0.3")
    assert limited.value.status == 429 and limited.value.extra["retry_after"] > 0
