"""Agents' pages: the list (filters, export, fixed number of queries), the article page,
the editor with its preview, publish / archive, categories, permissions and global search."""

import pytest

from samspill.knowledge import services
from samspill.knowledge.models import Article, Category

pytestmark = pytest.mark.django_db


def test_list_page_fixed_queries_filters_and_export(
    login, reader, library, write, django_assert_max_num_queries
):
    for i in range(12):
        write(f"Artikkel {i}", "Tekst", visibility="internal")
    client = login(reader)
    total = Article.objects.count()
    with django_assert_max_num_queries(12):
        page = client.get("/knowledge/")
    assert page.status_code == 200
    assert page.content.count(b"data-article=") == total
    with django_assert_max_num_queries(12):
        client.get("/knowledge/?per_page=5")
    drafts = client.get("/knowledge/?state=draft").content.decode()
    assert drafts.count("data-article=") == 1 and "Nye returregler" in drafts
    found = client.get("/knowledge/?q=kreditnota").content.decode()
    assert found.count("data-article=") == 1 and "Rutine for retur" in found
    english = client.get("/knowledge/?language=en").content
    assert english.count(b"data-article=") == 1
    csv = client.get("/knowledge/?_export=csv&visibility=public")
    lines = csv.content.decode().strip().splitlines()
    assert csv.status_code == 200 and len(lines) == 1 + 5  # header + the public ones
    # No "New" for readers.
    assert b"/knowledge/articles/new/" not in page.content


def test_editor_writes_previews_and_publishes(login, editor, returns, emitted):
    client = login(editor)
    form = client.get("/knowledge/articles/new/")
    assert form.status_code == 200 and b'hx-post="/knowledge/preview/"' in form.content
    preview = client.post("/knowledge/preview/", {"body": "## Hei\n\n<b>x</b> **fet**"})
    assert b"<h2>Hei</h2>" in preview.content and b"<strong>fet</strong>" in preview.content
    assert b"<b>" not in preview.content
    data = {
        "title": "Leveringstid",
        "language": "nb",
        "visibility": "public",
        "category": str(returns.pk),
        "body": "Vi sender **samme dag**.",
        "keywords": "levering, frakt",
    }
    bad = client.post("/knowledge/articles/new/", {**data, "title": ""})
    assert bad.status_code == 422 and b"samme dag" in bad.content  # the text stays
    saved = client.post("/knowledge/articles/new/", data)
    article = Article.objects.get()
    assert saved.status_code == 302 and saved["Location"] == f"/knowledge/articles/{article.pk}/"
    assert article.state == "draft" and article.category == returns
    detail = client.get(saved["Location"]).content.decode()
    assert "<strong>samme dag</strong>" in detail and 'data-testid="article-state"' in detail
    assert (
        client.post(f"/knowledge/articles/{article.pk}/action/", {"action": "publish"}).status_code
        == 302
    )
    article.refresh_from_db()
    assert article.state == "published"
    assert (
        "/help/articles/leveringstid/"
        in client.get(f"/knowledge/articles/{article.pk}/").content.decode()
    )
    edit = client.post(
        f"/knowledge/articles/{article.pk}/edit/",
        {**data, "title": "Leveringstider", "slug": article.slug},
    )
    assert edit.status_code == 302
    client.post(f"/knowledge/articles/{article.pk}/action/", {"action": "archive"})
    assert [t for t, _ in emitted()] == [
        "knowledge.article.published",
        "knowledge.article.updated",
        "knowledge.article.archived",
    ]
    again = client.post(
        f"/knowledge/articles/{article.pk}/action/", {"action": "archive"}, follow=True
    )
    assert "allerede arkivert" in again.content.decode()  # the editor reads Norwegian


def test_save_and_publish_at_once(login, editor):
    client = login(editor)
    client.post(
        "/knowledge/articles/new/",
        {"title": "Nå", "language": "en", "visibility": "public", "body": "x", "publish": "1"},
    )
    assert Article.objects.get().state == "published"


def test_translate_button_prefills_the_other_language(login, editor, write):
    nb = write("Levering", "Tekst")
    page = login(editor).get(f"/knowledge/articles/new/?translate={nb.pk}").content.decode()
    assert 'value="en" selected' in page
    assert f'value="{nb.pk}" selected' in page


def test_readers_see_but_do_not_write(login, reader, outsider, library):
    article = library["returns_nb"]
    client = login(reader)
    assert client.get(f"/knowledge/articles/{article.pk}/").status_code == 200
    assert client.get("/knowledge/articles/new/").status_code == 403
    assert client.get(f"/knowledge/articles/{article.pk}/edit/").status_code == 403
    assert (
        client.post(f"/knowledge/articles/{article.pk}/action/", {"action": "archive"}).status_code
        == 403
    )
    assert client.get("/knowledge/categories/new/").status_code == 403
    assert client.get("/knowledge/articles/999999/").status_code == 404
    other = login(outsider)
    assert other.get("/knowledge/").status_code == 403
    assert other.get(f"/knowledge/articles/{article.pk}/").status_code == 403


def test_categories_page_and_form(login, editor, returns):
    client = login(editor)
    page = client.get("/knowledge/categories/").content.decode()
    assert "Retur" in page and "/help/retur/" in page
    bad = client.post("/knowledge/categories/new/", {"name": "Kontakt", "slug": "contact"})
    assert bad.status_code == 422 and Category.objects.count() == 1
    made = client.post(
        "/knowledge/categories/new/",
        {"name": "Faktura", "name_en": "Invoices", "parent": str(returns.pk), "position": "2"},
    )
    assert made.status_code == 302
    child = Category.objects.get(name="Faktura")
    assert child.parent == returns and child.slug == "faktura"
    loop = client.post(
        f"/knowledge/categories/{returns.pk}/edit/",
        {"name": "Retur", "parent": str(child.pk)},
    )
    assert loop.status_code == 422
    client.post(f"/knowledge/categories/{child.pk}/edit/", {"name": "Fakturaer"})
    child.refresh_from_db()
    assert child.name == "Fakturaer" and child.slug == "faktura" and child.parent is None


def test_global_search_and_menu(login, reader, library):
    client = login(reader)
    html = client.get("/search/?q=retur").content.decode()
    assert "Slik returnerer du en vare" in html and "/knowledge/articles/" in html
    assert 'href="/knowledge/"' in client.get("/").content.decode()


def test_articles_are_audited_with_history_on_the_page(login, editor, write):
    article = write("Levering", "Tekst")
    services.update_article(article, actor=editor, title="Levering og frakt")
    html = login(editor).get(f"/knowledge/articles/{article.pk}/").content.decode()
    assert "Levering og frakt" in html
    assert "«Levering og frakt» ble endret" in html  # the event, in the reader's Norwegian
