"""End to end in headless Chromium: a salesperson comments on a customer, picks a colleague
from the @mention suggestions and attaches a file; the colleague sees the bell count, opens
the notification and lands on the customer's page with the comment."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from samspill.parties.tests.factories import OrganizationFactory
from tests.chatter_helpers import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_comment_with_mention_file_and_bell(
    page, make_user, sign_in, screenshot, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    kari = make_user("sales", username="kari", first_name="Kari", last_name="Salg")
    make_user("finance", username="ola", first_name="Ola", last_name="Økonomi")
    party = OrganizationFactory(name="Fjordlys Sjømat AS")

    sign_in(page, kari)
    page.goto(party.get_absolute_url())
    box = page.locator("#chatter-comment")
    box.fill("Kan du sjekke kreditten, @ol")
    box.press("a")  # keyup -> suggestions for "@ola"
    option = page.locator('#chatter-mentions [data-mention="ola"]')
    expect(option).to_be_visible()
    box.press("ArrowDown")  # keyboard: into the suggestions, Enter picks
    expect(option).to_be_focused()
    page.keyboard.press("Enter")
    expect(box).to_have_value("Kan du sjekke kreditten, @ola ")
    page.locator("#chatter form button[type=submit]").filter(
        has=page.locator(".bi-chat-left-text")
    ).click()
    expect(page.locator("#chatter .comment-body")).to_contain_text("Kan du sjekke kreditten")
    expect(page.locator("#chatter .mention")).to_have_text("@ola")

    file = tmp_path / "kreditt.pdf"
    file.write_bytes(PDF)
    page.locator("#chatter-file").set_input_files(str(file))
    page.locator("#chatter form button[type=submit]").filter(has=page.locator(".bi-upload")).click()
    expect(page.locator("#chatter a[download]")).to_have_text("kreditt.pdf")
    screenshot(page, "1-panel")

    # The colleague: the bell shows one unread, the dropdown leads to the customer.
    page.context.clear_cookies()
    from samspill.users.models import User

    sign_in(page, User.objects.get(username="ola"))
    badge = page.locator("#notification-bell [data-unread]")
    expect(badge).to_have_text("1")
    page.locator("#notification-bell button[data-bs-toggle=dropdown]").click()
    screenshot(page, "2-bell")
    page.locator("#notification-bell .dropdown-item").first.click()
    expect(page).to_have_url(re.compile(rf"/parties/{party.pk}/$"))
    expect(page.locator("#chatter .comment-body")).to_contain_text("kreditten")
    expect(page.locator("#notification-bell [data-unread]")).to_have_count(0)

    # On a phone: the notifications page, read, with the e-mail setting below.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/platform/notifications/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.locator("#email-all").check()
    page.locator("form[action$='/settings/'] button[type=submit]").click()
    expect(page.locator("#email-all")).to_be_checked()
    screenshot(page, "3-notifications-phone")
