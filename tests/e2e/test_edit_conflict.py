"""Two people edit one activity in real Chromium: the second save keeps the first one's change.

Both open the HTMX editor of the same activity. The first changes the budget and
saves. The second, unaware, changes the target group and the budget too: the
save is refused with the conflict message, the form now holds the first
person's budget choice beside their own, and nothing is saved until one is
chosen, with the keyboard only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from opd.models import Activity, WorkPlan
from tests.e2e.conftest import ARTIFACTS, offline_watch, shown, sign_in
from tests.e2e.test_work_plan_flow import activity_row, type_into

pytestmark = pytest.mark.django_db(transaction=True)

NBSP = "\u00a0"


@pytest.fixture
def second_page(new_context) -> Iterator[Page]:
    """Another person's browser (cookies of its own), held offline and to the CSP as well."""
    with offline_watch() as hold:
        yield hold(new_context().new_page())


def open_editor(page: Page, url: str, work_plan: WorkPlan, code: str) -> None:
    page.goto(f"{url}/renja/{work_plan.pk}/")
    activity_row(page, code).get_by_role("link", name=f"{shown('Edit')} {code}").click()
    expect(page.locator("#editor form").get_by_label("Program")).to_be_focused()


def test_a_conflicting_save_keeps_the_other_change_and_asks_about_the_shared_one(
    draft: WorkPlan, live_server, offline_page: Page, second_page: Page
) -> None:
    first, second, url = offline_page, second_page, live_server.url
    code = "1.02.01.001"
    activity = Activity.objects.get(program__work_plan=draft, code=code)
    sign_in(first, url, "kepala.dinkes")
    sign_in(second, url, "kepala.dinkes")
    open_editor(first, url, draft, code)
    open_editor(second, url, draft, code)

    type_into(first, "Pagu indikatif (Rp)", "1.950.000.000")
    first.keyboard.press("Enter")
    expect(activity_row(first, code)).to_contain_text(f"Rp{NBSP}1.950.000.000")

    type_into(second, "Kelompok sasaran", "Ibu hamil dari keluarga miskin")
    type_into(second, "Pagu indikatif (Rp)", "1.800.000.000")
    second.keyboard.press("Enter")
    form = second.locator("#editor form")
    expect(form.get_by_test_id("conflict")).to_be_visible()
    mine = form.get_by_role("radio", name=re.compile(re.escape("1.800.000.000")))
    theirs = form.get_by_role("radio", name=re.compile(re.escape("1.950.000.000")))
    expect(mine).to_be_visible()
    expect(theirs).to_be_visible()
    expect(mine).to_be_focused()  # the keyboard lands on the choice, not on the first field
    second.screenshot(
        path=ARTIFACTS / "16-edit-conflict-choice.png", full_page=True, caret="initial"
    )

    # Saved without a choice: refused, and nothing of it reaches the database.
    form.get_by_role("button", name="Simpan").focus()
    second.keyboard.press("Enter")
    expect(form).to_contain_text(shown("Choose which of the two values to keep."))
    activity.refresh_from_db()
    assert activity.target_group != "Ibu hamil dari keluarga miskin"
    assert activity.budget == 1_950_000_000

    # The refused form is swapped in and puts the focus on its first field in error (the choice)
    # once htmx has settled it: wait for that, or the focus jumps away mid-choice.
    expect(mine).to_be_focused()
    theirs.focus()
    second.keyboard.press("Space")
    expect(theirs).to_be_checked()
    form.get_by_role("button", name="Simpan").focus()
    second.keyboard.press("Enter")
    row = activity_row(second, code)
    expect(row).to_contain_text("Ibu hamil dari keluarga miskin")
    expect(row).to_contain_text(f"Rp{NBSP}1.950.000.000")
    activity.refresh_from_db()
    assert (activity.budget, activity.target_group) == (
        1_950_000_000,
        "Ibu hamil dari keluarga miskin",
    )
