"""End to end in headless Chromium: an editor writes an article with the live preview and
publishes it; a visitor without login finds it in the help centre, switches language and
votes; an agent on a ticket sees it suggested and inserts its link into the reply."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_write_publish_find_in_the_help_centre_and_suggest_on_a_ticket(
    browser, page, live_server, make_user, sign_in, screenshot
):
    from datetime import time

    from samspill.helpdesk import services as helpdesk
    from samspill.helpdesk.models import Queue
    from samspill.knowledge import services
    from samspill.knowledge.models import Article

    returns = services.create_category(
        actor=None, name="Retur og reklamasjon", name_en="Returns", icon="arrow-return-left"
    )
    english = services.create_article(
        actor=None,
        title="How to return goods",
        body="Return unused goods **within 30 days**.",
        language="en",
        visibility="public",
        category=returns,
        publish_now=True,
    )
    services.create_article(
        actor=None,
        title="Intern rutine for retur",
        body="Kreditnota når varene er kontrollert.",
        visibility="internal",
        category=returns,
        publish_now=True,
    )
    editor = make_user("service", first_name="Siri", last_name="Service")
    sign_in(page, editor)

    # Write with the live preview, then publish.
    page.goto("/knowledge/articles/new/")
    page.locator("#id_title").fill("Slik returnerer du en vare")
    page.locator("#article-body").fill(
        "Du kan returnere ubrukte varer **innen 30 dager**.\n\n## Slik gjør du\n\n"
        "1. Kontakt kundeservice\n2. Send pakken\n\n<script>alert(1)</script>"
    )
    expect(page.locator("#preview-body strong")).to_have_text("innen 30 dager")
    expect(page.locator("#preview-body h2")).to_have_text("Slik gjør du")
    page.locator("#id_visibility").select_option("public")
    page.locator("#id_category").select_option(str(returns.pk))
    page.locator("#id_translation").select_option(str(english.pk))
    page.locator("#id_keywords").fill("retur, angrerett")
    screenshot(page, "editor")
    page.get_by_role("button", name="Lagre og publiser").click()
    expect(page.get_by_test_id("article-state")).to_have_text("Publisert")
    article = Article.objects.get(slug="slik-returnerer-du-en-vare")
    screenshot(page, "article")

    # A visitor, not signed in, finds it in the help centre.
    visitor = browser.new_context(base_url=live_server.url, locale="nb-NO").new_page()
    visitor.goto("/help/")
    expect(visitor.locator("#help-categories")).to_contain_text("Retur og reklamasjon")
    expect(visitor.locator("#help-categories")).not_to_contain_text("Intern rutine")
    screenshot(visitor, "help-home")
    visitor.locator("#help-q").fill("returnere vare")
    visitor.locator("#help-q").press("Enter")
    expect(visitor.locator("#help-results a")).to_have_text(["Slik returnerer du en vare"])
    visitor.locator("#help-results a").first.click()
    expect(visitor.locator("h1")).to_have_text("Slik returnerer du en vare")
    expect(visitor.locator(".kb-article ol li")).to_have_count(2)
    visitor.get_by_role("button", name="Ja").click()
    expect(visitor.get_by_test_id("vote-thanks")).to_be_visible()
    screenshot(visitor, "help-article")
    visitor.locator("#language-switch").click()
    expect(visitor).to_have_url(re.compile(r"/help/articles/how-to-return-goods/\?lang=en$"))
    expect(visitor.locator("h1")).to_have_text("How to return goods")
    expect(visitor.get_by_role("button", name="Yes")).to_be_visible()
    visitor.context.close()
    article.refresh_from_db()
    assert article.helpful_yes == 1

    # On a ticket about a return the article is suggested; its link goes into the reply.
    Queue.objects.create(name="Kundeservice", opens_at=time(8), closes_at=time(16), is_default=True)
    ticket = helpdesk.open_ticket(
        actor=None,
        subject="Retur av telt",
        body="Jeg vil returnere teltet jeg kjøpte forrige uke.",
        channel="email",
        email="ola@kunde.example",
        name="Ola Kunde",
    )
    page.goto(f"/helpdesk/tickets/{ticket.pk}/")
    suggestion = page.locator(f'#kb-suggestions li[data-article="{article.pk}"]')
    expect(suggestion).to_contain_text("Slik returnerer du en vare")
    expect(page.locator("#kb-suggestions")).to_contain_text("Intern rutine for retur")
    page.locator("#reply-body").fill("Hei Ola,\n\nse her:")
    suggestion.locator(".kb-insert").click()
    expect(page.locator("#reply-body")).to_have_value(
        re.compile(
            r"se her:\nSlik returnerer du en vare: http://.+/help/articles/slik-returnerer-du-en-vare/\n"
        )
    )
    screenshot(page, "ticket")
