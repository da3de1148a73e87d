"""The language switcher with the keyboard: browsing the options changes nothing until the
person confirms with the switcher's own button (WAI: a select must not change context on
change)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import DESKTOP, assert_page_ok

pytestmark = pytest.mark.django_db(transaction=True)


def test_arrow_keys_browse_the_languages_and_the_button_switches(live_server, offline_page: Page):
    page = offline_page
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/akun/masuk/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    switcher = page.get_by_label("Bahasa")
    button = page.get_by_role("button", name="Ganti")

    switcher.focus()
    page.keyboard.press("ArrowDown")
    expect(switcher).to_have_value("en")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowDown")
    # Nothing was sent: still the Indonesian page, the select still focused.
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(switcher).to_be_focused()
    expect(page.get_by_role("heading", level=1)).to_have_text("Masuk")
    expect(button).to_be_visible()  # always there, not only without JavaScript
    assert_page_ok(page, context="sign-in page, language chosen, not yet sent")

    page.keyboard.press("Tab")
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(f"{live_server.url}/akun/masuk/")
    expect(page.get_by_label("Language")).to_have_value("en")
    expect(page.get_by_role("button", name="Change")).to_be_visible()
