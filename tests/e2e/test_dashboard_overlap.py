"""The dashboards with the deduplicated figures of design section 7, in real Chromium.

The worked example's snapshot (gross 1,350, deduplicated 1,300, the matrix 150 / 20 / 10)
is stored as the engine stores it; Bappeda's dashboard with its OPD × OPD matrix, an OPD's
view with its shared persons and the public page pass axe-core (WCAG 2.1 A/AA), do not
overflow on a desktop or a phone, and the matrix keeps its shades on paper.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.dashboards.test_overlap import overlap_world
from tests.e2e.conftest import assert_page_ok_at, sign_in
from tests.workplans.plan_world import PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_the_dashboard_with_a_matrix_passes_axe(live_server, offline_page: Page, screenshot):
    ow = overlap_world(submitted=False)
    page, url = offline_page, live_server.url
    sign_in(page, url, ow.world.reviewer.username, PASSWORD)
    assert_page_ok_at(page, f"{url}/dasbor/", context="dashboard with the overlap matrix")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{url}/dasbor/")
    matrix = page.get_by_test_id("overlap-matrix")
    expect(matrix).to_be_visible()
    expect(matrix.locator("td.diagonal")).to_have_count(3)
    expect(matrix.locator("td.shade-4")).to_have_text(["150", "150"])
    expect(page.get_by_test_id("planned-deduplicated")).to_have_text("1.300")
    expect(page.get_by_test_id("row-planned-deduplicated")).to_have_text(
        ["1.077,0833", "179,5833", "43,3333"]
    )
    screenshot("45-dashboard-overlap")

    # On paper the shade stays (print-color-adjust) and the number is there as text.
    darkest = matrix.locator("td.shade-4").first
    screen_colour = darkest.evaluate("e => getComputedStyle(e).backgroundColor")
    page.emulate_media(media="print")
    assert darkest.evaluate("e => getComputedStyle(e).backgroundColor") == screen_colour
    assert darkest.evaluate("e => getComputedStyle(e).printColorAdjust") == "exact"
    expect(darkest).to_be_visible()
    page.emulate_media(media="screen")

    assert_page_ok_at(page, f"{url}/dasbor/opd/?opd={ow.world.dinsos.pk}", context="OPD view")
    expect(page.get_by_test_id("own-pairs")).to_be_visible()
    assert_page_ok_at(page, f"{url}/publik/?tahun=2018", context="public page")
    expect(page.get_by_test_id("public-deduplicated")).to_be_visible()
