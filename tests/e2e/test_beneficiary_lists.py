"""An activity's beneficiary list uploaded with the keyboard only, in real Chromium (issue 12).

The OPD's staff open the plan, follow "Upload list" of the activity, choose a CSV file and
send it without a mouse; the upload (through htmx, its progress shown) brings them back to the
plan, which shows the list's persons, families and desil mix and, the list being smaller than
10 persons, says why it shows no overlap with another OPD's list. A file with a bad row shows
the row and its reason and stores nothing. The pages pass axe-core (WCAG 2.1 A/AA), do not
overflow, and no NIK appears on them.
"""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from opd import models as om
from tests.beneficiaries.pages import other_opd, store
from tests.beneficiaries.world import TEST_KEY, csv_file, nik
from tests.e2e.conftest import DESKTOP, assert_page_ok, assert_page_ok_at, sign_in
from tests.workplans.plan_world import PASSWORD, World

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture(autouse=True)
def beneficiary_key(settings):
    settings.BENEFICIARY_KEY = TEST_KEY


#: Tabs from the CSV template's link to the file field: the bad rows' scroll box may come between.
MAX_TABS = 4


def choose_file(page: Page, name: str, data: bytes) -> None:
    """Reach the file field with Tab from the link before the form, then give it the file.

    The field itself is the page's: that Tab reaches it is what the test proves. The chooser
    that Space opens on it is the browser's own, and headless Chromium opens it unreliably
    under load (a ``filechooser`` wait timed out in CI), so the file is set on the focused
    field directly, as the chooser would.
    """
    field = page.get_by_label("File (XLSX or CSV)")
    page.get_by_test_id("template-csv").focus()
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if field.evaluate("element => element === document.activeElement"):
            break
    expect(field).to_be_focused()
    page.locator("input[type=file]:focus").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": data}]
    )


def test_a_list_uploaded_by_keyboard_shows_its_counts(live_server, offline_page: Page):
    world = World.build()
    disnaker = other_opd(world, code="1.07", name="Dinas Tenaga Kerja")
    store(disnaker.activity, disnaker.head, [2, 3, 99], "Kramat Utara")
    om.WorkPlan.objects.filter(pk=disnaker.activity.program.work_plan_id).update(
        status="submitted", submitted_at=timezone.now()
    )
    page, url = offline_page, live_server.url
    page.set_viewport_size(DESKTOP)
    sign_in(page, url, world.staff.username, PASSWORD, language="en")
    page.goto(f"{url}/renja/{world.work_plan.pk}/")

    page.get_by_test_id("list-upload").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Upload the beneficiary list")
    assert_page_ok(page, context="the upload page")

    # A bad row first: shown with its reason, nothing stored.
    choose_file(page, "daftar.csv", csv_file([(nik(1), "", "Kramat Utara", 1), ("123", "", "", 1)]))
    page.get_by_role("button", name="Upload the list").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("bad-row")).to_have_count(1)
    expect(page.get_by_test_id("bad-row")).to_contain_text("The NIK has 3 digits, not 16.")
    expect(page.get_by_test_id("error-summary")).to_be_visible()
    assert not om.BeneficiaryList.objects.filter(activity=world.activity).exists()
    # The 422 that carried the bad rows is a console "error" of the browser: not the page's.
    assert_page_ok(page, context="the upload page with a bad row", console=False)

    rows = [
        (nik(1), "", "Kramat Utara", 1),
        (nik(2), "", "Kramat Utara", 1),
        (nik(3), "", "Kramat Utara", 4),
        (nik(4), "", "Kramat Utara", ""),
    ]
    choose_file(page, "daftar.csv", csv_file(rows))
    page.get_by_role("button", name="Upload the list").focus()
    page.keyboard.press("Enter")

    expect(page).to_have_url(f"{url}/renja/{world.work_plan.pk}/")
    expect(page.locator("#messages")).to_contain_text(
        "The beneficiary list of 1.06.01.001 was saved: 4 persons, 0 families."
    )
    listed = page.get_by_test_id("activity-list-1.06.01.001")
    expect(listed.get_by_test_id("list-counts")).to_contain_text("4 persons, 0 families")
    expect(listed.locator('[data-desil="1"]')).to_have_text("2")
    expect(listed.locator('[data-desil="none"]')).to_have_text("1")
    # Two of the four are on Disnaker's submitted list, but a list of four shows no overlap.
    expect(listed.get_by_test_id("overlap-withheld")).to_contain_text("at least 10 persons")
    expect(listed.get_by_test_id("list-overlaps")).to_have_count(0)
    expect(page.get_by_test_id("list-upload")).to_contain_text("Replace list")
    content = page.content()
    for n in (1, 2, 3, 4):
        assert nik(n) not in content
    assert_page_ok_at(page, f"{url}/renja/{world.work_plan.pk}/", context="the plan with a list")
