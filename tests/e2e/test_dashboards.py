"""The dashboard and the public page in real Chromium, offline, on the worked example.

Bappeda signs in, opens the dashboard from the menu, reads the year's status
(off track: 1,300 of 1,658 persons) and the OPD table, sorts it with the
keyboard; an anonymous visitor opens the public page. Screenshots go to
``test-artifacts/``.
"""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from opd.engine.compute import sweep_dirty
from opd.models import SnapshotStatus
from tests.dashboards import scenario
from tests.e2e.conftest import shown, sign_in
from tests.workplans.plan_world import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_bappeda_dashboard_and_the_public_page(live_server, offline_page: Page, screenshot):
    world = scenario.build(computed=True)
    page, url = offline_page, live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})

    sign_in(page, url, world.reviewer.username, PASSWORD)
    page.get_by_role("navigation", name=shown("Main menu")).get_by_role(
        "link", name=shown("Dashboard")
    ).click()
    expect(page).to_have_url(f"{url}/dasbor/")
    with translation.override("id"):
        off_track = str(SnapshotStatus.OFF_TRACK.label)
    expect(page.get_by_test_id("year-status")).to_have_text(off_track)
    expect(page.get_by_test_id("required")).to_have_text("1.658")
    expect(page.get_by_test_id("coverage")).to_have_text("78,4%")
    expect(page.get_by_test_id("explain-projection")).to_have_text("8,54")

    table = page.get_by_test_id("opd-table")
    rows = table.locator("tbody tr")
    expect(rows.first).to_contain_text("Dinas Sosial")
    expect(rows.first.get_by_test_id("planned")).to_have_text("900")
    expect(rows.nth(1)).to_contain_text("Dinas Tenaga Kerja")
    expect(rows.nth(1).get_by_test_id("planned")).to_have_text("400")
    expect(table.get_by_test_id("total-planned")).to_have_text("1.300")
    expect(page.get_by_test_id("trajectory-chart")).to_be_visible()
    screenshot("40-dashboard")

    # Sort by planned, ascending, with the keyboard: the header link is a plain link.
    link = table.get_by_role("link", name=re.compile(f"^{re.escape(shown('Planned'))}"))
    link.focus()
    page.keyboard.press("Enter")
    expect(table.locator("tbody tr").last).to_contain_text("Dinas Sosial")
    expect(table.locator("th[aria-sort=ascending]")).to_have_count(1)

    screenshot("41-dashboard-sorted")

    # Signed out, the public page: the city's status and totals, no OPD, nothing of drafts.
    page.get_by_role("button", name="Keluar").click()
    page.goto(f"{url}/publik/")
    expect(page.get_by_role("button", name="Keluar")).to_have_count(0)
    expect(page.get_by_test_id("year-status")).to_have_text(off_track)
    # Only approved plans' persons are public; both plans here are only submitted.
    expect(page.get_by_test_id("planned").first).to_have_text("0")
    expect(page.get_by_test_id("achieved").first).to_have_text("0")
    expect(page.get_by_test_id("trajectory-chart")).to_be_visible()
    body = page.locator("main")
    for hidden in ("Dinas Sosial", scenario.DRAFT_SECRET, "Dinas Rahasia", "77.777"):
        expect(body).not_to_contain_text(hidden)
    screenshot("42-public-page")


def test_the_opd_head_sees_own_contribution(live_server, offline_page: Page, screenshot):
    world = scenario.build(computed=True)
    page, url = offline_page, live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, url, world.head.username, PASSWORD)
    page.get_by_role("navigation", name=shown("Main menu")).get_by_role(
        "link", name=shown("Dashboard")
    ).click()
    expect(page).to_have_url(f"{url}/dasbor/opd/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dinas Sosial")
    expect(page.get_by_test_id("own-planned")).to_have_text("900")
    expect(page.get_by_test_id("own-share")).to_have_text("54,3%")
    expect(page.get_by_test_id("own-rank")).to_contain_text("1")
    screenshot("43-opd-view")


def test_the_demo_dashboard(demo, live_server, offline_page: Page, screenshot):
    sweep_dirty()  # the worker's part: the seed marked every year, a page computes none
    page, url = offline_page, live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, url, "bappeda")
    page.goto(f"{url}/dasbor/")
    expect(page.get_by_test_id("year-status")).to_be_visible()
    expect(page.get_by_test_id("opd-table").locator("tbody tr").first).to_be_visible()
    screenshot("44-demo-dashboard")
