"""Starting a Renja from the Renstra, by keyboard: the demo's Dinas Sosial starts its 2019 plan
with "start from the Renstra" ticked (the default), and lands on a plan whose rows carry the
Renstra's codes, 2019 targets and the programs' pagu; a plan started unticked is empty."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from opd.models import Activity, Program, WorkPlan
from tests.e2e.conftest import assert_page_ok, assert_page_ok_at, shown, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def press(locator: Locator) -> None:
    """Press a control as a keyboard user does: focus it, then the key."""
    locator.focus()
    expect(locator).to_be_focused()
    locator.press("Enter")


def test_dinas_sosial_starts_its_2019_renja_from_its_renstra(
    live_server, offline_page: Page, demo: None
):
    page, url = offline_page, live_server.url
    sign_in(page, url, "kepala.dinsos")
    assert_page_ok_at(page, f"{url}/renja/?tahun=2019")
    row = page.locator('tr[data-opd="1.06"]')
    tick = row.get_by_role("checkbox")
    expect(tick).to_be_checked()  # the default when the OPD has an approved Renstra
    expect(row).to_contain_text("2016–2021")
    press(row.get_by_role("button", name=shown("Start the work plan")))

    work_plan = WorkPlan.objects.get(opd__code="1.06", year=2019)
    expect(page).to_have_url(f"{url}/renja/{work_plan.pk}/")
    assert_page_ok(page)
    programs = Program.objects.filter(work_plan=work_plan)
    activities = Activity.objects.filter(program__work_plan=work_plan)
    assert programs.exists() and activities.exists()
    assert all(p.renstra_program_id for p in programs)
    assert all(a.renstra_activity_id for a in activities)
    for program in programs:  # the year's Renstra pagu, split over the program's activities
        pagu = program.renstra_program.years.get(year=2019).budget
        assert sum(a.budget for a in activities if a.program_id == program.pk) == pagu
    expect(page.get_by_test_id("renstra-line")).to_have_count(programs.count() + activities.count())
    expect(page.get_by_test_id("renstra-pagu")).to_have_count(programs.count())
    # The checklist asks the OPD for what the Renstra does not hold (location, target group...).
    expect(page.locator("tr.activity-row.has-problem")).to_have_count(activities.count())


def test_unticked_the_plan_starts_empty(live_server, offline_page: Page, demo: None):
    page, url = offline_page, live_server.url
    sign_in(page, url, "kepala.dinsos")
    page.goto(f"{url}/renja/?tahun=2020")
    row = page.locator('tr[data-opd="1.06"]')
    tick = row.get_by_role("checkbox")
    tick.focus()
    page.keyboard.press("Space")
    expect(tick).not_to_be_checked()
    press(row.get_by_role("button", name=shown("Start the work plan")))
    work_plan = WorkPlan.objects.get(opd__code="1.06", year=2020)
    expect(page).to_have_url(f"{url}/renja/{work_plan.pk}/")
    assert not Program.objects.filter(work_plan=work_plan).exists()
