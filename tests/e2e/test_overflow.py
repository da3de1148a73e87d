"""Wide tables scroll inside their own box, never the page.

At 390 px the public page was 612 px wide (the chart's table in no scroll box), the
other scroll box could not be reached by keyboard (axe ``scrollable-region-focusable``),
and at 1366 px the plan table overflowed its box and cut the action column. Each page
is checked at 1366×768 and 390×844 with ``assert_page_ok`` (no horizontal overflow,
axe-core clean), on the demo data.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from opd.models import WorkPlan
from tests.e2e.conftest import DESKTOP, PHONE, assert_page_ok, assert_page_ok_at, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_public_page_fits_a_phone_and_its_tables_scroll_by_keyboard(
    live_server, offline_page: Page, draft: WorkPlan
):
    page, url = offline_page, live_server.url
    assert_page_ok_at(page, f"{url}/publik/")

    # On the phone (the last size checked) the year table is wider than its box: Tab
    # reaches the box, and the arrow keys scroll it sideways.
    box = page.get_by_test_id("years-table").locator("xpath=..")
    expect(box).to_have_attribute("role", "region")
    expect(box).to_have_attribute("tabindex", "0")
    expect(box).to_have_attribute("aria-label", re.compile(r"\w"))
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")
    box.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("e => e.scrollLeft > 0", arg=box.element_handle())
    chart_table = page.get_by_test_id("trajectory-table")
    assert chart_table.evaluate("t => t.parentElement.classList.contains('table-scroll')")


def test_the_plan_pages_fit_a_phone_and_1366_px(live_server, offline_page: Page, draft: WorkPlan):
    page, url = offline_page, live_server.url
    sign_in(page, url, "kepala.dinkes")
    for path in ("/", "/renja/", f"/renja/{draft.pk}/", f"/renja/{draft.pk}/riwayat/"):
        assert_page_ok_at(page, f"{url}{path}")

    # At 1366 px the plan table's action column is inside its box, not cut off.
    page.set_viewport_size(DESKTOP)
    page.goto(f"{url}/renja/{draft.pk}/")
    table = page.locator(".plan-table")
    box = table.locator("xpath=..")
    assert table.evaluate("t => t.scrollWidth") <= box.evaluate("b => b.clientWidth")
    edit = table.locator("tr.activity-row").first.get_by_role("link", name="Ubah")
    assert edit.evaluate(
        "a => a.getBoundingClientRect().right <= a.closest('.table-scroll')"
        ".getBoundingClientRect().right"
    )


def test_the_dashboards_fit_a_phone(live_server, offline_page: Page, draft: WorkPlan):
    page, url = offline_page, live_server.url
    sign_in(page, url, "bappeda")
    assert_page_ok_at(page, f"{url}/dasbor/")
    assert_page_ok_at(page, f"{url}/dasbor/opd/?opd={draft.opd_id}", sizes=(PHONE,))
    page.set_viewport_size(PHONE)
    page.goto(f"{url}/renja/")
    assert_page_ok(page)
