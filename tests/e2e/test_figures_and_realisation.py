"""Figures and realisation, in real Chromium at 1366×768.

Item 6: one format per kind of figure. Projections beside the targets have the targets'
two decimals (were four: "8,5434" beside "7,38"); the coverage in the method's
explanation is the percentage shown above it (was "0,784" beside "78,4%"); a deadline
reads "31 Oktober 2017" in the message too (was "31-10-2017"); the admin writes years as
"2018" (was "2.018") and targets as "7,38" (was "7,3800").

Item 9: after saving a quarter's realisation the form moves on to the next quarter (it
offered the same quarter again, prefilled), the output shows in its unit and the page
lists the quarters reported so far.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from opd.models import Activity
from targets.formats import exact
from tests.dashboards import scenario
from tests.e2e.conftest import DESKTOP, assert_page_ok, shown, sign_in
from tests.workplans.plan_world import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_one_format_per_kind_of_figure(live_server, offline_page: Page, admin_user):
    world = scenario.build(computed=True)
    page, url = offline_page, live_server.url
    page.set_viewport_size(DESKTOP)
    sign_in(page, url, world.reviewer.username, PASSWORD)

    page.goto(f"{url}/dasbor/?tahun=2018")
    expect(page.get_by_test_id("coverage")).to_have_text("78,4%")
    expect(page.get_by_test_id("explain-coverage")).to_have_text("78,4%")
    expect(page.get_by_test_id("explain-projection")).to_have_text("8,54")
    expect(page.get_by_test_id("projection-achieved")).to_have_text("8,54")
    assert_page_ok(page, context="dashboard")

    page.goto(f"{url}/publik/?tahun=2018")
    for projection in page.locator("[data-testid^='projection-']").all():
        expect(projection).to_have_text(
            re.compile(r"^\s*\d+,\d\d\s*$")
        )  # two decimals, like the targets
    assert_page_ok(page, context="public page")

    page.goto(f"{url}/renja/tenggat/")
    page.locator("#id_year").fill("2018")
    page.locator("#id_due_date").fill("2017-10-31")
    page.locator("#id_due_date").press("Enter")
    expect(page.locator("#messages")).to_contain_text("31 Oktober 2017")
    expect(page.locator("#messages")).not_to_contain_text("31-10-2017")
    expect(page.locator("main")).to_contain_text("31 Oktober 2017")
    assert_page_ok(page, context="plan list after setting the deadline")

    page.context.clear_cookies()
    sign_in(page, url, admin_user.username, "password")
    page.goto(f"{url}/admin/targets/target/")
    row = page.locator("#result_list tbody tr").filter(has_text="2018").first
    expect(row).to_contain_text("7,38")
    expect(page.locator("#result_list")).not_to_contain_text("2.018")
    expect(page.locator("#result_list")).not_to_contain_text("7,3800")


def test_realisation_moves_on_to_the_next_quarter(demo, live_server, offline_page: Page):
    activity = (
        Activity.objects.filter(program__work_plan__opd__code="1.06", program__work_plan__year=2018)
        .order_by("code")
        .first()
    )
    assert activity is not None
    reported = set(activity.realisations.values_list("quarter", flat=True))
    first, second = [q for q in range(1, 5) if q not in reported][:2]
    page, url = offline_page, live_server.url
    page.set_viewport_size(DESKTOP)
    sign_in(page, url, "kepala.dinsos")
    work_plan_id = activity.program.work_plan_id
    page.goto(f"{url}/renja/{work_plan_id}/kegiatan/{activity.pk}/realisasi/")
    form = page.locator("form.stacked")
    heading = form.get_by_role("heading", level=2)
    expect(heading).to_have_text(shown("Report quarter %(n)s") % {"n": first})
    assert_page_ok(page, context="realisation form")

    page.locator("#id_budget_spent").fill("1000000")
    page.locator("#id_output_achieved").fill("34")
    form.get_by_role("button", name=shown("Save")).click()

    expect(heading).to_have_text(shown("Report quarter %(n)s") % {"n": second})
    expect(page.locator("#id_output_achieved")).not_to_have_value("34")  # a blank quarter
    row = page.get_by_role("row", name=shown("Quarter %(n)s") % {"n": first}, exact=False).first
    expect(row).to_contain_text(f"{exact(34)} {activity.output_unit}")
    expect(page.get_by_test_id("reported")).to_contain_text(shown("quarter %(n)s") % {"n": first})
    expect(form.get_by_text(f"({activity.output_unit})")).to_be_visible()
    assert_page_ok(page, context="realisation form, next quarter")
