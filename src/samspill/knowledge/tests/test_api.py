"""/api/v1/knowledge: articles and categories for agents, and the suggestions: public
without login (rate-limited, CORS) and internal for signed-in readers."""

import pytest

from samspill.knowledge import services
from samspill.knowledge.models import Article

pytestmark = pytest.mark.django_db


def test_write_publish_change_and_archive_through_the_api(api, editor, returns, emitted):
    client = api(editor)
    created = client.post(
        "/api/v1/knowledge/articles",
        {
            "title": "Leveringstid",
            "body": "Vi sender **samme dag**.",
            "category_id": returns.pk,
            "visibility": "public",
            "keywords": ["levering", "frakt"],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["state"] == "draft" and body["keywords"] == ["levering", "frakt"]
    assert body["public_url"] is None and "<strong>" in body["body_html"]
    pk = body["id"]
    published = client.post(f"/api/v1/knowledge/articles/{pk}/publish").json()
    assert published["public_url"] == "/help/articles/leveringstid/"
    patched = client.patch(
        f"/api/v1/knowledge/articles/{pk}",
        {"summary": "Samme dag før kl. 14."},
        content_type="application/json",
    ).json()
    assert patched["summary"] == "Samme dag før kl. 14."
    again = client.post(f"/api/v1/knowledge/articles/{pk}/publish")
    assert again.status_code == 409 and again.json()["code"] == "wrong_state"
    assert client.post(f"/api/v1/knowledge/articles/{pk}/archive").json()["state"] == "archived"
    assert [t for t, _ in emitted() if t.startswith("knowledge.")] == [
        "knowledge.article.published",
        "knowledge.article.updated",
        "knowledge.article.archived",
    ]
    listed = client.get("/api/v1/knowledge/articles?state=archived").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == pk
    assert client.get("/api/v1/knowledge/categories").json()["items"][0]["slug"] == "retur"


def test_bad_input_is_a_problem_and_writes_nothing(api, editor, reader):
    client = api(editor)
    bad = client.post(
        "/api/v1/knowledge/articles",
        {"title": "T", "body": " ", "language": "nb"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "body" in bad.json()["errors"]
    wrong = client.post(
        "/api/v1/knowledge/articles",
        {"title": "T", "body": "x", "language": "de"},
        content_type="application/json",
    )
    assert wrong.status_code == 422
    category = client.post(
        "/api/v1/knowledge/categories",
        {"name": "Søk", "slug": "search"},
        content_type="application/json",
    )
    assert category.status_code == 422
    denied = api(reader).post(
        "/api/v1/knowledge/articles", {"title": "T", "body": "x"}, content_type="application/json"
    )
    assert denied.status_code == 403
    assert Article.objects.count() == 0
    assert client.get("/api/v1/knowledge/articles/999999").status_code == 404


def test_public_suggestions_need_no_login_and_show_only_public_articles(client, library):
    response = client.get(
        "/api/v1/knowledge/suggest", {"q": "retur kreditnota utkast", "language": "nb"}
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    items = response.json()
    assert [i["title"] for i in items] == ["Slik returnerer du en vare"]
    assert items[0]["url"] == "http://testserver/help/articles/slik-returnerer-du-en-vare/"
    assert set(items[0]) >= {"id", "title", "url", "excerpt"}
    assert client.get("/api/v1/knowledge/suggest", {"q": ""}).json() == []
    assert client.get("/api/v1/knowledge/suggest", {"q": "x", "language": "de"}).status_code == 422


def test_public_suggestions_are_rate_limited(client, library):
    for _ in range(services.SUGGESTIONS_PER_MINUTE):
        assert client.get("/api/v1/knowledge/suggest", {"q": "retur"}).status_code == 200
    limited = client.get("/api/v1/knowledge/suggest", {"q": "retur"})
    assert limited.status_code == 429
    assert limited.json()["code"] == "rate_limited" and limited.json()["retry_after"] == 60


def test_internal_suggestions_need_a_reader(client, api, reader, outsider, library):
    anonymous = client.get("/api/v1/knowledge/suggest", {"q": "retur", "audience": "internal"})
    assert anonymous.status_code == 401
    forbidden = api(outsider).get(
        "/api/v1/knowledge/suggest", {"q": "retur", "audience": "internal"}
    )
    assert forbidden.status_code == 403
    items = (
        api(reader)
        .get(
            "/api/v1/knowledge/suggest",
            {"q": "retur kreditnota", "audience": "internal", "language": "nb"},
        )
        .json()
    )
    titles = {i["title"]: i for i in items}
    assert "Rutine for retur på lageret" in titles
    assert titles["Rutine for retur på lageret"]["public_url"] is None
    assert titles["Slik returnerer du en vare"]["public_url"].startswith("http://testserver/help/")
    assert "Nye returregler (utkast)" not in titles
