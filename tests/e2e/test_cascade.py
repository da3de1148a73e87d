"""The cascade in real Chromium, offline, on the demo data, by keyboard.

Bappeda opens the cascade from the menu, collapses and opens the poverty indicator, follows
KEMISKINAN down to a Dinas Sosial activity, reads the chain above it up to the mission, and
goes back down to the indicator. Each page passes ``assert_page_ok`` (axe-core included).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from opd.models import Activity
from tests.e2e.conftest import assert_page_ok, assert_page_ok_at, shown, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _press(page: Page, locator) -> None:  # type: ignore[no-untyped-def]
    locator.focus()
    page.keyboard.press("Enter")


def test_bappeda_follows_poverty_down_to_an_activity_and_back_up(
    demo, live_server, offline_page: Page, screenshot
) -> None:
    page, url = offline_page, live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    activity = Activity.objects.get(code="1.06.01.001", program__work_plan__year=2018)

    sign_in(page, url, "bappeda")
    _press(
        page,
        page.get_by_role("navigation", name=shown("Main menu")).get_by_role(
            "link", name=shown("Cascade")
        ),
    )
    expect(page).to_have_url(f"{url}/kaskade/")
    assert_page_ok(page)

    # The indicator's level folds and unfolds from the keyboard (a plain <details>).
    indicator = page.get_by_test_id("indicator-KEMISKINAN")
    summary = indicator.locator("summary").first
    _press(page, summary)
    assert indicator.evaluate("el => el.open") is False
    page.keyboard.press("Enter")
    assert indicator.evaluate("el => el.open") is True

    row = page.get_by_test_id("activities-KEMISKINAN").get_by_test_id("activity-1.06.01.001")
    expect(row.get_by_test_id("claimed")).to_have_text("600")
    expect(row.get_by_test_id("achieved")).to_have_text("150")
    expect(page.get_by_test_id("activities-KEMISKINAN").get_by_test_id("opd-1.06")).to_contain_text(
        "Dinas Sosial"
    )
    screenshot("cascade-down")

    _press(page, row.get_by_role("link"))
    expect(page).to_have_url(f"{url}/kaskade/kegiatan/{activity.pk}/")
    chain = page.get_by_test_id("chain-KEMISKINAN")
    expect(chain.get_by_test_id("mission")).to_be_visible()
    expect(chain.get_by_test_id("objective")).to_be_visible()
    expect(page.get_by_test_id("program")).to_contain_text("1.06.01")
    assert_page_ok(page)
    screenshot("cascade-up")

    _press(page, chain.get_by_role("link"))
    expect(page).to_have_url(re.compile(r"/kaskade/\?tahun=2018#indicator-KEMISKINAN$"))
    expect(page.get_by_test_id("indicator-KEMISKINAN")).to_be_visible()
    assert_page_ok_at(page, f"{url}/kaskade/kegiatan/{activity.pk}/")
    assert_page_ok_at(page, f"{url}/kaskade/")
    assert_page_ok_at(page, f"{url}/publik/kaskade/")
