"""The public help centre: no login, categories, articles, search, language switch and
votes; internal, draft and archived articles never leak, by address or by search."""

import pytest
from django.urls import Resolver404, resolve

pytestmark = pytest.mark.django_db


def test_home_shows_categories_with_public_articles_in_the_language(client, library):
    page = client.get("/help/?lang=nb")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Retur" in html and "Slik returnerer du en vare" in html
    for hidden in ("Rutine for retur", "Nye returregler", "Gamle returregler"):
        assert hidden not in html
    assert "How to return goods" not in html
    english = client.get("/help/?lang=en").content.decode()
    assert "Returns" in english and "How to return goods" in english
    assert "Slik returnerer" not in english
    assert 'lang="en"' in english and "Help centre" in english


def test_the_chosen_language_is_remembered(client, library):
    response = client.get("/help/?lang=en")
    assert response.cookies["django_language"].value == "en"
    assert "How to return goods" in client.get("/help/").content.decode()
    nb = client.get("/help/?lang=nb")
    assert "Hjelpesenter" in nb.content.decode()


@pytest.mark.parametrize("key", ["internal", "draft", "archived"])
def test_hidden_articles_are_not_found_by_address_even_for_agents(client, library, key, editor):
    slug = library[key].slug
    assert client.get(f"/help/articles/{slug}/").status_code == 404
    assert client.post(f"/help/articles/{slug}/vote/", {"helpful": "yes"}).status_code == 404
    client.force_login(editor)
    assert client.get(f"/help/articles/{slug}/").status_code == 404


def test_search_page_never_shows_hidden_articles(client, library):
    html = client.get("/help/search/?q=retur&lang=nb").content.decode()
    assert "Slik returnerer du en vare" in html
    for hidden in ("Rutine for retur", "Nye returregler", "Gamle returregler"):
        assert hidden not in html
    nothing = client.get("/help/search/?q=kreditnota+lageret&lang=nb").content.decode()
    assert 'id="help-no-results"' in nothing


def test_category_page_lists_its_public_articles(client, library, returns):
    html = client.get("/help/retur/?lang=nb").content.decode()
    assert "Slik returnerer du en vare" in html and "Rutine for retur" not in html
    assert client.get("/help/no-such-shelf/").status_code == 404


def test_article_page_counts_the_view_and_switches_to_the_translation(client, write):
    nb = write("Levering", "Vi sender **samme dag**.")
    en = write("Delivery", "We ship the same day.", language="en", translation=nb)
    page = client.get(f"/help/articles/{nb.slug}/")
    html = page.content.decode()
    assert page.status_code == 200 and "<strong>samme dag</strong>" in html
    assert 'lang="nb"' in html and "data-print" in html and "knowledge.css" in html
    nb.refresh_from_db()
    assert nb.view_count == 1
    switch = client.get(f"/help/articles/{nb.slug}/?lang=en")
    assert switch.status_code == 302 and switch["Location"] == f"/help/articles/{en.slug}/?lang=en"
    alone = write("Bare norsk", "Tekst")
    assert client.get(f"/help/articles/{alone.slug}/?lang=en")["Location"] == "/help/?lang=en"


def test_votes_count_once_and_are_rate_limited(client, write):
    article = write("Levering", "Tekst")
    url = f"/help/articles/{article.slug}/vote/"
    response = client.post(url, {"helpful": "yes"})
    assert response.status_code == 302 and response["Location"].endswith("?voted=thanks#feedback")
    again = client.post(url, {"helpful": "no"}, HTTP_HX_REQUEST="true")
    assert again.status_code == 200 and b'data-testid="vote-already"' in again.content
    assert b"<html" not in again.content  # htmx gets the feedback box only
    assert client.post(url, {"helpful": "maybe"}).status_code == 400
    assert client.get(url).status_code == 405
    article.refresh_from_db()
    assert (article.helpful_yes, article.helpful_no) == (1, 0)
    from samspill.knowledge import services

    others = [write(f"Artikkel {i}", "x") for i in range(services.VOTES_PER_WINDOW)]
    codes = [
        client.post(f"/help/articles/{o.slug}/vote/", {"helpful": "yes"}).status_code
        for o in others
    ]
    # Two votes were used above; the window allows VOTES_PER_WINDOW.
    limited = services.VOTES_PER_WINDOW - 2
    assert set(codes[:limited]) == {302} and set(codes[limited:]) == {429}


def test_help_centre_keeps_clear_of_the_contact_form_address():
    # /help/contact/ is customer service's contact form, never a help-centre category.
    assert resolve("/help/contact/").url_name == "helpdesk_contact"
    with pytest.raises(Resolver404):
        resolve("/help/contact/nothing-here/")
    assert resolve("/help/contacts/").url_name == "category"
    assert resolve("/help/search/").url_name == "search"
