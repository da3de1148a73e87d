"""In Chromium, on the demo data: the dashboard's tiles lead to the
plans, every kelurahan shows (0 where nothing happens), the plan list filters by status and
"late", the OPD view offers only the exports that exist and lets Bappeda pick the OPD, and the
public page says what counts and how old each figure is. Each page at 1366×768 (the public
page and the plan list also at 390×844) with ``assert_page_ok``."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from opd.engine.compute import recompute
from opd.models import Opd, SubmissionDeadline, WorkPlan
from targets.models import Indicator
from tests.e2e.conftest import DESKTOP, PHONE, assert_page_ok, assert_page_ok_at, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_figures(demo) -> None:
    """The demo with its 2018 contribution figures computed."""
    for indicator in Indicator.objects.all():
        recompute(indicator_id=indicator.pk, year=2018)


def test_the_dashboard_tiles_lead_to_the_plans_and_every_kelurahan_shows(
    demo_figures, live_server, offline_page: Page, screenshot
):
    page, url = offline_page, live_server.url
    page.set_viewport_size(DESKTOP)
    sign_in(page, url, "bappeda")
    page.goto(f"{url}/dasbor/")
    assert_page_ok(page, context="dashboard")
    screenshot("area4-dashboard")

    places = page.get_by_test_id("places-table")
    # The demo's activities sit in a few kelurahan; the other ones show with 0.
    empty_rows = places.locator("tbody tr.gap")
    assert empty_rows.count() > 0
    expect(empty_rows.first.locator("td").first).to_have_text("0")

    approved = WorkPlan.objects.get(opd__code="1.06", year=2018)
    tile = page.get_by_test_id("submission-grid").locator('li[data-opd="1.06"] a')
    tile.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{url}/renja/{approved.pk}/")


def test_the_plan_list_filters_by_status_and_late(demo_figures, live_server, offline_page: Page):
    page, url = offline_page, live_server.url
    SubmissionDeadline.objects.create(
        region=Opd.objects.get(code="1.06").region,
        year=2018,
        due_date=timezone.localdate() - timedelta(days=1),
    )
    sign_in(page, url, "bappeda")
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        page.goto(f"{url}/renja/?tahun=2018")
        rows = page.locator("tbody tr[data-opd]")
        everyone = rows.count()
        filter_form = page.get_by_test_id("plan-filter")
        filter_form.get_by_label("Status").select_option("draft")
        filter_form.get_by_role("button").click()
        expect(page).to_have_url(re.compile(r"tahun=2018.*status=draft|status=draft.*tahun=2018"))
        expect(rows).to_have_count(2)  # the demo's two drafts, 1.02 and 1.04
        expect(page.get_by_test_id("shown-count")).to_contain_text(f"{everyone}")
        assert_page_ok(page, context=f"plan list filtered at {size}")

        page.goto(f"{url}/renja/?tahun=2018")
        page.get_by_test_id("plan-filter").get_by_role("checkbox").check()
        page.get_by_test_id("plan-filter").get_by_role("button").click()
        expect(page).to_have_url(re.compile(r"terlambat=on|terlambat=1"))
        # Late: the drafts and every OPD that has not started, not the submitted or approved.
        codes = rows.evaluate_all("rs => rs.map(r => r.dataset.opd)")
        assert "1.02" in codes and "1.06" not in codes and "2.07" not in codes
        assert len(codes) == everyone - 2


def test_the_opd_view_offers_only_existing_exports_and_a_list_of_opds(
    demo_figures, live_server, offline_page: Page, screenshot
):
    page, url = offline_page, live_server.url
    page.set_viewport_size(DESKTOP)
    sign_in(page, url, "bappeda")
    page.goto(f"{url}/dasbor/opd/")
    expect(page.get_by_test_id("own-planned")).to_have_count(0)
    assert_page_ok(page, context="OPD view, no OPD chosen")
    page.get_by_label("OPD", exact=True).select_option(label="Dinas Sosial")
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dinas Sosial")
    exports = page.locator("section[aria-labelledby=exports-title]")
    expect(exports.get_by_role("link")).to_have_count(2)
    for link in exports.get_by_role("link").all():
        href = link.get_attribute("href")
        assert href and page.request.get(f"{url}{href}").status == 200, href
    assert_page_ok(page, context="OPD view with a plan")
    screenshot("area4-opd-view")

    # An OPD without a plan for 2018: no export links, a sentence instead.
    page.get_by_label("OPD", exact=True).select_option(label=Opd.objects.get(code="1.01").name)
    page.get_by_role("button", name="Tampilkan").click()
    expect(exports.get_by_role("link")).to_have_count(0)
    expect(page.get_by_test_id("no-exports")).to_be_visible()
    assert_page_ok(page, context="OPD view without a plan")


def test_the_public_page_says_what_counts_and_how_old_it_is(
    demo_figures, live_server, offline_page: Page, screenshot
):
    page, url = offline_page, live_server.url
    assert_page_ok_at(page, f"{url}/publik/?tahun=2018", sizes=(DESKTOP, PHONE))
    expect(page.get_by_test_id("what-counts")).to_be_visible()
    # The demo: only Dinas Sosial's plan is approved.
    expect(page.get_by_test_id("approved-plans")).to_contain_text(
        re.compile(rf"\b1\b.*\b{Opd.objects.count()}\b")
    )
    expect(page.get_by_test_id("computed-at")).to_contain_text(str(timezone.localdate().year))
    expect(page.get_by_test_id("actual-sources")).to_contain_text("BPS")
    years = page.get_by_test_id("years-table")
    expect(years.locator('tr[data-year="2018"] [data-testid="year-computed"]')).not_to_be_empty()
    screenshot("area4-public-phone")
