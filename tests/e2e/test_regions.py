"""A province's Bappeda in the browser, from the keyboard: the dashboard opens on the province's
roll-up, a kota's row drills down into that kota's dashboard and its link goes back up; the
region picker of a list chooses a kota; every page passes the page checks (no overflow, axe
clean, no console error) at a desktop and a phone size. The public cascade offers its regions
with the same picker."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import DESKTOP, assert_page_ok, assert_page_ok_at, shown, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _press(page: Page, target) -> None:
    target.focus()
    page.keyboard.press("Enter")


def test_the_province_bappeda_rolls_up_drills_down_and_picks_a_region(
    demo, live_server, offline_page: Page
) -> None:
    page, url = offline_page, live_server.url
    sign_in(page, url, "bappeda.jateng")

    # The province's dashboard is its roll-up (each kota under it, their sum).
    _press(
        page,
        page.get_by_role("navigation", name=shown("Main menu")).get_by_role(
            "link", name=shown("Dashboard")
        ),
    )
    expect(page).to_have_url(f"{url}/dasbor/provinsi/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Jawa Tengah")
    assert_page_ok_at(page, f"{url}/dasbor/provinsi/")

    # Down into Kota Magelang from its row, and back up by the roll-up link.
    page.set_viewport_size(DESKTOP)
    page.goto(f"{url}/dasbor/provinsi/")
    _press(page, page.locator("table").get_by_role("link", name="Kota Magelang"))
    expect(page).to_have_url(re.compile(r"/dasbor/\?wilayah=33\.71&tahun=\d{4}$"))
    expect(page.locator("#pick-region")).to_have_value("33.71")
    assert_page_ok(page)
    _press(page, page.get_by_test_id("roll-up-link"))
    expect(page).to_have_url(re.compile(r"/dasbor/provinsi/\?wilayah=33&tahun=\d{4}$"))

    # The Renja list starts on the province (no plan there) and says to choose a region; the
    # picker chooses Kota Magelang with the arrow keys and Enter on its button.
    page.goto(f"{url}/renja/")
    choose = page.get_by_text(shown("This region has no RPJMD plan: choose a region above."))
    expect(choose).to_be_visible()
    assert_page_ok(page)
    region = page.locator("#pick-region")
    region.focus()
    page.keyboard.press("ArrowDown")
    expect(region).to_have_value("33.71")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name=shown("Show region"))).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/renja/\?(.*&)?wilayah=33\.71"))
    expect(choose).to_have_count(0)
    expect(page.get_by_role("cell", name=re.compile("Dinas Sosial")).first).to_be_visible()
    assert_page_ok_at(page, page.url)


def test_the_public_cascade_keeps_its_region_when_the_year_changes(
    demo, live_server, offline_page: Page
) -> None:
    """Signed out, on a region named by ``?wilayah=``: the year form keeps it. (The demo has one
    region with a plan, so no picker is offered: the province has no plan of its own.)"""
    page, url = offline_page, live_server.url
    assert_page_ok_at(page, f"{url}/publik/kaskade/?wilayah=33.71")
    page.set_viewport_size(DESKTOP)
    page.goto(f"{url}/publik/kaskade/?wilayah=33.71")
    expect(page.get_by_test_id("region-picker")).to_have_count(0)
    expect(page.get_by_test_id("indicator-KEMISKINAN")).to_be_visible()
    year = page.locator("#pick-year")
    year.focus()
    page.keyboard.press("ArrowDown")
    chosen = year.input_value()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/publik/kaskade/\?wilayah=33\.71&tahun={chosen}$"))
    expect(page.get_by_test_id("indicator-KEMISKINAN")).to_be_visible()
