"""The Renja list offers only the RPJMD's years and says so about others.

Before, ``/renja/?tahun=1900`` showed "Renja 1900" with a "Start the work plan" button
that did nothing, and ``?tahun=abc`` silently showed another year.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from opd.models import WorkPlan
from tests.e2e.conftest import assert_page_ok, assert_page_ok_at, shown, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_only_the_plan_years_are_offered_and_another_year_is_explained(
    live_server, offline_page: Page, demo: None
):
    page, url = offline_page, live_server.url
    sign_in(page, url, "kepala.dinkes")
    start = page.get_by_role("button", name=shown("Start the work plan"))

    page.goto(f"{url}/renja/")
    year = page.get_by_label(shown("Year"), exact=True)
    expect(year.locator("option")).to_have_text([str(y) for y in range(2016, 2022)])
    expect(year).to_have_value("2018")

    # A year of the plan without a work plan yet: it can be started, and it is.
    year.select_option("2019")
    page.get_by_role("button", name=shown("Show")).first.click()
    expect(page).to_have_url(f"{url}/renja/?tahun=2019")
    expect(page.get_by_role("heading", level=1)).to_contain_text("2019")
    start.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("2019")
    assert WorkPlan.objects.filter(opd__code="1.02", year=2019).exists()

    # A year outside the plan: said so, with the plan's years, and nothing to press.
    assert_page_ok_at(page, f"{url}/renja/?tahun=1900")
    expect(page.get_by_test_id("year-outside")).to_contain_text("1900")
    expect(page.get_by_test_id("year-outside")).to_contain_text("2016–2021")
    expect(page.get_by_role("heading", level=1)).not_to_contain_text("1900")
    expect(page).not_to_have_title(re.compile("1900"))
    expect(start).to_have_count(0)

    # A year that is not a number: a 400 page that says which parameter is wrong.
    response = page.goto(f"{url}/renja/?tahun=abc")
    assert response is not None and response.status == 400
    expect(page.get_by_test_id("bad-request")).to_contain_text("tahun")
    assert_page_ok(page, console=False)  # the 400 itself is a console error
