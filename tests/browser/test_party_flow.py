"""End to end in headless Chromium: a salesperson registers a customer with its contact
person through the UI and finds it again with the global search; roles decide the menu; the
profile language decides the language of the pages.

Elements are found by what a person sees (labels, link targets, headings) and by form field
ids, which do not change with the language."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ORGANIZATION = "Fjordlys Sjømat AS"
ORGNR = "923609016"  # valid MOD11 check digit
CONTACT_FIRST, CONTACT_LAST = "Solveig", "Fjellheim"


def sidebar(page):
    return page.locator("#sidebar")


def test_sales_creates_an_organization_with_a_contact_and_finds_it_with_search(
    page, make_user, sign_in, screenshot
):
    sales = make_user("sales", first_name="Siri", last_name="Salg")
    sign_in(page, sales)
    screenshot(page, "1-home")

    # Contacts in the menu -> the list page -> "New organization".
    sidebar(page).locator('a[href="/parties/"]').click()
    expect(page).to_have_url(re.compile(r"/parties/$"))
    screenshot(page, "2-empty-list")
    page.locator('a[href^="/parties/new/organization/"]').first.click()
    expect(page.locator("#id_name")).to_be_visible()

    page.locator("#id_name").fill(ORGANIZATION)
    page.locator("#id_orgnr").fill(ORGNR)
    page.locator("#id_email").fill("post@fjordlys.example")
    page.locator("#id_phone").fill("22 33 44 55")
    screenshot(page, "3-new-organization")
    page.locator("form.party-form button[type=submit]").click()

    # The organisation's page; add its contact person from there.
    expect(page).to_have_url(re.compile(r"/parties/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(ORGANIZATION)
    organization_url = page.url
    page.locator('a[href^="/parties/new/person/"]').first.click()
    expect(page.locator("#id_first_name")).to_be_visible()
    page.locator("#id_first_name").fill(CONTACT_FIRST)
    page.locator("#id_last_name").fill(CONTACT_LAST)
    page.locator("#id_email").fill("solveig@fjordlys.example")
    if page.locator("#id_title").count():
        page.locator("#id_title").fill("Innkjøpssjef")
    screenshot(page, "4-new-contact-person")
    page.locator("form.party-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/parties/\d+/$"))
    assert page.url != organization_url
    expect(page.get_by_role("heading", level=1)).to_contain_text(CONTACT_FIRST)

    # Ctrl+K focuses the global search; the results drop down; open the organisation.
    page.goto("/")
    page.keyboard.press("Control+k")
    search = page.locator("#global-search")
    expect(search).to_be_focused()
    search.press_sequentially("Fjordlys", delay=30)
    hit = page.locator("#search-results a", has_text=ORGANIZATION)
    expect(hit).to_be_visible()
    screenshot(page, "5-search")
    hit.click()

    expect(page).to_have_url(organization_url)
    expect(page.get_by_role("heading", level=1)).to_contain_text(ORGANIZATION)
    expect(page.locator("#main")).to_contain_text(f"{CONTACT_FIRST} {CONTACT_LAST}")
    screenshot(page, "6-organization")

    # The same page on a phone.
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "7-organization-phone")


def test_a_user_without_parties_permission_sees_no_contacts_menu(
    page, make_user, sign_in, screenshot
):
    nobody = make_user(first_name="Uten", last_name="Roller")
    sign_in(page, nobody)
    expect(page.locator("#main")).to_be_visible()
    expect(sidebar(page).locator('a[href^="/parties/"]')).to_have_count(0)
    expect(sidebar(page)).not_to_contain_text("Kontakter")
    screenshot(page, "home-without-roles")

    # A salesperson, by contrast, has the menu item.
    page.context.clear_cookies()
    sign_in(page, make_user("sales"))
    expect(sidebar(page).locator('a[href="/parties/"]')).to_contain_text("Kontakter")


def test_switching_the_profile_language_switches_the_pages(page, make_user, sign_in, screenshot):
    user = make_user("sales", language="nb")
    sign_in(page, user)
    expect(page.locator("html")).to_have_attribute("lang", "nb")

    def save_language(code: str) -> None:
        page.goto("/profile/")
        form = page.locator("form:has(select[name=language])")
        form.locator("select[name=language]").select_option(code)
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()

    save_language("en")
    page.goto("/profile/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Profile")
    expect(sidebar(page)).to_contain_text("Contacts")
    screenshot(page, "profile-en")

    save_language("nb")
    page.goto("/profile/")
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    expect(page.get_by_role("heading", level=1)).to_have_text("Profil")
    expect(sidebar(page)).to_contain_text("Kontakter")
    screenshot(page, "profile-nb")
