"""The demo knowledge base: categories and articles in both languages, linked, public ones
in the help centre; loading it again adds nothing."""

import pytest

from samspill.knowledge import demo, queries
from samspill.knowledge.models import Article, Category

pytestmark = pytest.mark.django_db


def test_demo_loads_once_with_linked_translations(client):
    demo.load(actor=None)
    counts = (Category.objects.count(), Article.objects.count())
    demo.load(actor=None)
    assert (Category.objects.count(), Article.objects.count()) == counts == (3, 9)
    nb = Article.objects.get(slug="faktura-kid-og-betalingsfrist")
    assert nb.translation.slug == "invoices-kid-and-payment-terms"
    assert nb.translation.translation_id == nb.pk
    assert queries.public_articles("nb").count() == 4
    assert queries.public_articles("en").count() == 3
    found = queries.search_articles("betale med KID", language="nb")
    assert found[0].slug == "faktura-kid-og-betalingsfrist"
    assert client.get("/help/").status_code == 200
