"""The cascade in real Chromium, offline, on the demo data, by keyboard.

Bappeda opens the cascade from the menu, collapses and opens the poverty indicator, follows
KEMISKINAN down through Dinas Sosial's Renstra program to one of its activities, reads the
activity's Renstra lines and the chain above it up to the mission, and goes back up to the
indicator by the Renstra program's link. Each page passes ``assert_page_ok`` (axe-core
included).
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

    # Down: the indicator → Dinas Sosial's Renstra program (2018: its Renja's target and
    # budget, as the demo Renstra is made) → the Renja activities carrying it out.
    renstra = page.get_by_test_id("activities-KEMISKINAN").get_by_test_id("renstra-1.06-1.06.01")
    expect(renstra.locator("th").first).to_contain_text("Dinas Sosial")
    expect(renstra.get_by_test_id("renstra-target")).to_have_text("250 KK")
    expect(renstra.get_by_test_id("renstra-budget")).to_have_text(
        re.compile(r"Rp.2\.025\.000\.000")
    )
    row = renstra.get_by_test_id("activity-1.06.01.001")
    expect(row.get_by_test_id("claimed")).to_have_text("600")
    expect(row.get_by_test_id("achieved")).to_have_text("150")
    # The activity claiming nothing sits under its Renstra program too.
    expect(renstra.get_by_test_id("activity-1.06.01.003").get_by_test_id("claimed")).to_have_text(
        "–"
    )
    screenshot("cascade-down")

    _press(page, row.get_by_role("link"))
    expect(page).to_have_url(f"{url}/kaskade/kegiatan/{activity.pk}/")
    expect(page.get_by_test_id("program")).to_contain_text("1.06.01")
    lines = page.get_by_test_id("renstra")
    expect(lines.get_by_test_id("renstra-activity")).to_contain_text("1.06.01.001")
    expect(lines.get_by_test_id("renstra-activity-target")).to_have_text("300 KK")
    expect(lines.get_by_test_id("renstra-program")).to_contain_text("1.06.01")
    expect(lines.get_by_test_id("renstra-program-target")).to_have_text("250 KK")
    chain = page.get_by_test_id("chain-KEMISKINAN")
    expect(chain.get_by_test_id("chain-renstra")).to_contain_text("1.06.01")
    expect(chain.get_by_test_id("mission")).to_be_visible()
    expect(chain.get_by_test_id("objective")).to_be_visible()
    assert_page_ok(page)
    screenshot("cascade-up")

    # Up: from the Renstra program to the indicator it serves, by keyboard.
    _press(page, lines.get_by_test_id("renstra-program").get_by_role("link", name="KEMISKINAN"))
    expect(page).to_have_url(
        re.compile(r"/kaskade/\?tahun=2018&wilayah=33\.71#indicator-KEMISKINAN$")
    )
    expect(page.get_by_test_id("indicator-KEMISKINAN")).to_be_visible()
    expect(page.get_by_test_id("renstra-1.06-1.06.01")).to_be_visible()
    assert_page_ok_at(page, f"{url}/kaskade/kegiatan/{activity.pk}/")
    assert_page_ok_at(page, f"{url}/kaskade/")
    assert_page_ok_at(page, f"{url}/publik/kaskade/")
