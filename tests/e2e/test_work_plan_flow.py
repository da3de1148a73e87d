"""The work-plan flow of the issue, in real Chromium: an OPD head drafts, Bappeda reviews.

Kepala Dinas Kesehatan adds two activities to the 2018 draft through the HTMX
form (no full reload), is stopped by the checklist, fixes the incomplete
activity and submits; the Bappeda reviewer, in a second browser, returns the
plan with comments; the head answers and submits again; the reviewer approves
and the plan is locked for the head, in the page and on the server.

Locators are the ones a person uses: roles and labels with the texts the
Indonesian page shows. Many work-plan messages are not in the Indonesian
catalogue yet and still show in English; :func:`shown` gives the text the page
shows for a message either way, so the test keeps passing when they are
translated.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Page, expect

from opd.models import Activity, WorkPlan
from tests.e2e.conftest import ARTIFACTS, offline_watch, shown, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

NBSP = "\u00a0"
SURE_SUBMIT = "I am sure: the plan goes to Bappeda and cannot be changed while it is reviewed."
SURE_APPROVE = "I am sure: approving locks the plan; only Bappeda can reopen it."


def named(message: str, *, prefix: bool = False) -> re.Pattern[str]:
    """An accessible name equal to (or starting with) the text shown for ``message``."""
    return re.compile(f"^{re.escape(shown(message))}{'' if prefix else '$'}")


@pytest.fixture
def own_browser(new_context) -> Iterator[Callable[..., Page]]:
    """Pages in browser contexts of their own (own cookies), held offline like ``offline_page``
    and to the same Content-Security-Policy watch."""
    with offline_watch() as hold:
        yield lambda **context_args: hold(new_context(**context_args).new_page())


def shoot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def contribution() -> str:
    """The label of the poverty contribution field: what it counts, never the indicator's code."""
    return shown("Persons leaving %(condition)s") % {"condition": "kemiskinan"}


def submit(page: Page) -> None:
    """Submit the plan as a person does: tick "I am sure", then press the button."""
    page.get_by_label(shown(SURE_SUBMIT)).check()
    page.get_by_role("button", name=shown("Submit to Bappeda")).click()


def approve(page: Page) -> None:
    page.get_by_label(shown(SURE_APPROVE)).check()
    page.get_by_role("button", name=shown("Approve")).click()


def type_into(page: Page, label: str, text: str) -> None:
    """Focus a field by its label and type as a person does, replacing what it held."""
    page.get_by_label(label).focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def open_plan_from_menu(page: Page, opd_name: str) -> None:
    page.get_by_role("navigation", name="Menu utama").get_by_role(
        "link", name=shown("Work plans")
    ).click()
    page.get_by_role("link", name=f"{shown('Open')} {opd_name}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(opd_name)


def plan_status(page: Page):
    return page.get_by_role("region", name=shown("Status")).get_by_test_id("plan-status")


def activity_row(page: Page, code: str):
    return page.locator("tr.activity-row").filter(
        has=page.get_by_role("cell", name=code, exact=True)
    )


def test_a_work_plan_from_draft_to_approval(
    draft: WorkPlan, live_server, offline_page: Page, own_browser, screenshot
) -> None:
    head, reviewer, url = offline_page, own_browser(), live_server.url
    work_plan = draft

    # 1. The head opens the 2018 plan from the menu and adds two activities in place.
    sign_in(head, url, "kepala.dinkes")
    head.get_by_role("navigation", name="Menu utama").get_by_role(
        "link", name=shown("Work plans")
    ).click()
    expect(head.get_by_role("heading", level=1)).to_contain_text("2018")
    row = head.get_by_role("row").filter(has_text="Dinas Kesehatan")
    expect(row).to_contain_text("Draf")
    screenshot("10-work-plan-list")
    row.get_by_role("link", name=f"{shown('Open')} Dinas Kesehatan").click()
    expect(head).to_have_url(f"{url}/renja/{work_plan.pk}/")
    expect(plan_status(head)).to_have_text("Draf")
    expect(head.get_by_test_id("total-budget")).to_have_text(f"Rp{NBSP}1.900.000.000")
    expect(head.get_by_test_id("total-KEMISKINAN")).to_have_text("200")

    head.evaluate("window.__marker = 1")
    head.get_by_role("link", name=shown("Add activity")).first.click()
    form = head.locator("#editor form")
    expect(form.get_by_role("heading", name=shown("New activity"))).to_be_visible()
    expect(form.get_by_label("Program")).to_be_focused()
    type_into(head, "Kode", "1.02.01.002")
    type_into(head, "Nama kegiatan", "Pemberian makanan tambahan bagi balita gizi kurang")
    type_into(head, "Indikator kinerja kegiatan (output)", "Balita menerima makanan tambahan")
    type_into(head, "Target keluaran", "300")
    type_into(head, "Satuan keluaran", "balita")
    type_into(head, "Pagu indikatif (Rp)", "350.000.000")
    head.get_by_label("Sumber dana").select_option(label="APBD Kota")
    head.get_by_label("Lokasi (kelurahan)").select_option(label="Magersari")
    type_into(head, "Kelompok sasaran", "Balita gizi kurang dari keluarga miskin")
    type_into(head, contribution(), "150")
    screenshot("12-activity-form")
    head.keyboard.press("Enter")

    expect(activity_row(head, "1.02.01.002")).to_contain_text("Magersari")
    expect(head.locator("#editor form")).to_have_count(0)
    expect(head.get_by_test_id("total-budget")).to_have_text(f"Rp{NBSP}2.250.000.000")
    expect(head.get_by_test_id("total-KEMISKINAN")).to_have_text("350")
    expect(head.get_by_test_id("checklist-ok")).to_be_visible()
    assert head.evaluate("window.__marker") == 1, "saving reloaded the whole page"

    head.get_by_role("link", name=shown("Add activity")).first.click()
    expect(form.get_by_role("heading", name=shown("New activity"))).to_be_visible()
    # The editor focuses its first field once htmx has loaded it; typing before that
    # would have the focus jump away mid-way (a person's hands are slower than that).
    expect(form.get_by_label("Program")).to_be_focused()
    type_into(head, "Nama kegiatan", "Pemeriksaan kesehatan gratis bagi lansia miskin")
    head.keyboard.press("Enter")  # too early: the code is required
    expect(form).to_contain_text(shown("This field is required."))
    expect(form.get_by_label("Kode")).to_be_focused()
    head.keyboard.type("1.02.01.003")
    type_into(head, "Indikator kinerja kegiatan (output)", "Lansia diperiksa")
    type_into(head, "Target keluaran", "500")
    type_into(head, "Satuan keluaran", "orang")
    type_into(head, "Pagu indikatif (Rp)", "125.000.000")
    head.get_by_label("Sumber dana").select_option(label="APBN")
    type_into(head, contribution(), "40")
    head.keyboard.press("Enter")

    second = activity_row(head, "1.02.01.003")
    expect(second).to_be_visible()
    expect(head.get_by_test_id("total-budget")).to_have_text(f"Rp{NBSP}2.375.000.000")
    expect(head.get_by_test_id("total-KEMISKINAN")).to_have_text("390")
    assert head.evaluate("window.__marker") == 1, "saving reloaded the whole page"
    incomplete = Activity.objects.get(program__work_plan=work_plan, code="1.02.01.003")

    # 2. Submitting is blocked; the checklist names the second activity's gaps and links to it.
    submit(head)
    expect(head.locator("#messages")).to_contain_text(
        shown("The plan was not submitted: %(count)s checklist item(s) remain.") % {"count": 2}
    )
    checklist = head.get_by_role("region", name=shown("Verification checklist"))
    links = checklist.get_by_role("link")
    expect(links).to_have_count(2)
    expect(links.nth(0)).to_contain_text("1.02.01.003")
    expect(links.nth(0)).to_contain_text(shown("the location (kelurahan) is missing"))
    expect(links.nth(1)).to_contain_text(shown("the target group is missing"))
    expect(plan_status(head)).to_have_text("Draf")
    links.nth(1).click()
    expect(head).to_have_url(re.compile(rf"#activity-{incomplete.pk}$"))
    screenshot("11-plan-with-checklist")
    assert head.evaluate("document.querySelector(':target')?.dataset.code") == "1.02.01.003"
    work_plan.refresh_from_db()
    assert work_plan.status == WorkPlan.Status.DRAFT
    assert head.evaluate("window.__marker") == 1

    # 3. The head fixes the second activity and submits.
    second.get_by_role("link", name=f"{shown('Edit')} 1.02.01.003").click()
    expect(form.get_by_role("heading", name=re.compile("1.02.01.003"))).to_be_visible()
    expect(form.get_by_label("Program")).to_be_focused()
    expect(head.get_by_label(contribution())).to_have_value("40")
    head.get_by_label("Lokasi (kelurahan)").select_option(label="Kedungsari")
    type_into(head, "Kelompok sasaran", "Lansia dari keluarga miskin")
    head.keyboard.press("Enter")
    expect(second).to_contain_text("Kedungsari")
    expect(head.get_by_test_id("checklist-ok")).to_be_visible()
    submit(head)
    expect(plan_status(head)).to_have_text("Diajukan")
    expect(head.get_by_role("button", name=shown("Submit to Bappeda"))).to_have_count(0)
    assert head.evaluate("window.__marker") == 1

    # 4. The reviewer, in a browser of their own, returns the plan with comments.
    sign_in(reviewer, url, "bappeda")
    open_plan_from_menu(reviewer, "Dinas Kesehatan")
    expect(plan_status(reviewer)).to_have_text("Diajukan")
    reviewer.get_by_role("link", name=shown("Return with comments")).click()
    type_into(reviewer, shown("Comment on the plan"), "Lengkapi rincian sasaran lansia.")
    type_into(
        reviewer,
        "1.02.01.003 Pemeriksaan kesehatan gratis bagi lansia miskin",
        "Pagu terlalu kecil untuk 500 orang.",
    )
    shoot(reviewer, "13-return-form")
    reviewer.get_by_role("button", name=shown("Return to the OPD")).click()
    expect(plan_status(reviewer)).to_have_text("Dikembalikan")

    # 5. The head sees both comments, changes the activity and submits again.
    head.reload()
    expect(plan_status(head)).to_have_text("Dikembalikan")
    comments = head.get_by_role("region", name=shown("Bappeda's comments"))
    expect(comments).to_contain_text("Lengkapi rincian sasaran lansia.")
    expect(head.get_by_test_id("activity-comment")).to_have_text(
        "Pagu terlalu kecil untuk 500 orang."
    )
    head.evaluate("window.__marker = 2")
    second.get_by_role("link", name=f"{shown('Edit')} 1.02.01.003").click()
    expect(form.get_by_label("Program")).to_be_focused()
    type_into(head, "Pagu indikatif (Rp)", "200.000.000")
    head.keyboard.press("Enter")
    expect(second).to_contain_text(f"Rp{NBSP}200.000.000")
    expect(head.get_by_test_id("total-budget")).to_have_text(f"Rp{NBSP}2.450.000.000")
    submit(head)
    expect(plan_status(head)).to_have_text("Diajukan")
    assert head.evaluate("window.__marker") == 2

    # 6. The reviewer approves; the plan is locked for the head.
    reviewer.reload()
    approve(reviewer)
    expect(plan_status(reviewer)).to_have_text("Disetujui")
    expect(reviewer.get_by_role("link", name=shown("Reopen"))).to_be_visible()

    head.reload()
    expect(plan_status(head)).to_have_text("Disetujui")
    expect(head.get_by_role("region", name=shown("Status"))).to_contain_text(shown("locked"))
    main = head.get_by_role("main")
    expect(main.get_by_role("link", name=named("Edit", prefix=True))).to_have_count(0)
    expect(main.get_by_role("link", name=shown("Add activity"))).to_have_count(0)
    expect(main.get_by_role("link", name=shown("Add program"))).to_have_count(0)
    expect(main.get_by_role("button")).to_have_count(0)
    screenshot("14-plan-approved")

    # The server refuses too: a forged save is sent back to the plan, and the editor stays shut.
    plan_url = f"{url}/renja/{work_plan.pk}/"
    edit_url = f"{plan_url}kegiatan/{incomplete.pk}/ubah/"
    incomplete.refresh_from_db()
    token = next(c["value"] for c in head.context.cookies() if c["name"] == "csrftoken")
    refused = head.request.post(
        edit_url,
        headers={"X-CSRFToken": token},
        form={
            "seen_version": str(incomplete.version),
            "program": str(incomplete.program_id),
            "code": incomplete.code,
            "name": "Diubah setelah disetujui",
            "budget": "1",
        },
        max_redirects=0,
    )
    assert (refused.status, refused.headers["location"]) == (302, f"/renja/{work_plan.pk}/")
    assert Activity.objects.get(pk=incomplete.pk).name == incomplete.name
    locked = shown("The work plan is %(status)s and cannot be changed.") % {"status": "disetujui"}
    head.goto(edit_url)
    expect(head).to_have_url(plan_url)
    expect(head.locator("#messages")).to_contain_text(locked)
    expect(head.get_by_label("Nama kegiatan")).to_have_count(0)

    # The history tells the story.
    head.goto(f"{url}/renja/{work_plan.pk}/")
    head.get_by_role("link", name=shown("History of changes")).click()
    expect(head.get_by_role("heading", name=shown("History of changes"))).to_be_visible()
    entries = head.get_by_test_id("history-entry")
    expect(entries.filter(has_text="Disetujui")).not_to_have_count(0)
    screenshot("15-history")


def test_without_javascript_every_step_is_a_plain_link_or_form(
    draft: WorkPlan, live_server, own_browser
) -> None:
    page, url, work_plan = own_browser(java_script_enabled=False), live_server.url, draft
    sign_in(page, url, "kepala.dinkes")
    open_plan_from_menu(page, "Dinas Kesehatan")

    page.get_by_role("link", name=shown("Add activity")).first.click()
    expect(page).to_have_url(f"{url}/renja/{work_plan.pk}/kegiatan/tambah/")
    type_into(page, "Kode", "1.02.01.002")
    type_into(page, "Nama kegiatan", "Penyuluhan gizi keluarga miskin")
    type_into(page, "Pagu indikatif (Rp)", "80.000.000")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/renja/{work_plan.pk}/#activity-\d+$"))
    added = Activity.objects.get(program__work_plan=work_plan, code="1.02.01.002")
    expect(page).to_have_url(f"{url}/renja/{work_plan.pk}/#activity-{added.pk}")
    expect(page.get_by_test_id("total-budget")).to_have_text(f"Rp{NBSP}1.980.000.000")

    submit(page)
    expect(page.locator("#messages")).to_contain_text(
        shown("The plan was not submitted: %(count)s checklist item(s) remain.") % {"count": 5}
    )
    expect(plan_status(page)).to_have_text("Draf")

    activity_row(page, "1.02.01.002").get_by_role(
        "link", name=f"{shown('Edit')} 1.02.01.002"
    ).click()
    expect(page).to_have_url(f"{url}/renja/{work_plan.pk}/kegiatan/{added.pk}/ubah/")
    type_into(page, "Indikator kinerja kegiatan (output)", "Keluarga mengikuti penyuluhan")
    type_into(page, "Target keluaran", "200")
    page.get_by_label("Sumber dana").select_option(label="APBD Kota")
    page.get_by_label("Lokasi (kelurahan)").select_option(label="Wates")
    type_into(page, "Kelompok sasaran", "Keluarga miskin dengan balita")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_test_id("checklist-ok")).to_be_visible()
    submit(page)
    expect(plan_status(page)).to_have_text("Diajukan")


def test_an_editor_opened_in_a_tab_of_its_own_saves(
    draft: WorkPlan, live_server, offline_page: Page
) -> None:
    """A middle-click on "Edit" opens the form as a page; with JavaScript on it must still save."""
    page, url, work_plan = offline_page, live_server.url, draft
    activity = Activity.objects.get(program__work_plan=work_plan, code="1.02.01.001")
    sign_in(page, url, "kepala.dinkes")
    page.goto(f"{url}/renja/{work_plan.pk}/kegiatan/{activity.pk}/ubah/")
    type_into(page, "Kelompok sasaran", "Warga miskin bukan penerima PBI")
    page.get_by_role("button", name="Simpan").click()
    expect(page).to_have_url(f"{url}/renja/{work_plan.pk}/#activity-{activity.pk}")
    expect(activity_row(page, "1.02.01.001")).to_contain_text("Warga miskin bukan penerima PBI")


def test_a_save_over_the_upload_limit_says_so_in_place_and_saves_nothing(
    draft: WorkPlan, live_server, offline_page: Page, settings
) -> None:
    """htmx swaps no 400 on its own: without the messages region taking the answer, Save would
    do nothing a person can see."""
    page, url, work_plan = offline_page, live_server.url, draft
    code = "1.02.01.001"
    activity = Activity.objects.get(program__work_plan=work_plan, code=code)
    sign_in(page, url, "kepala.dinkes")
    page.goto(f"{url}/renja/{work_plan.pk}/")
    page.evaluate("window.__marker = 1")
    activity_row(page, code).get_by_role("link", name=f"{shown('Edit')} {code}").click()
    form = page.locator("#editor form")
    expect(form.get_by_label("Program")).to_be_focused()
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4_000  # the live server reads it per request
    form.get_by_label(shown("notes").capitalize()).fill("Catatan panjang. " * 300)
    form.get_by_role("button", name="Simpan").click()
    expect(page.locator("#messages")).to_contain_text(
        shown("The form sent more data than the portal accepts.")
    )
    expect(form.get_by_role("button", name="Simpan")).to_be_enabled()  # the form stays, to shorten
    assert page.evaluate("window.__marker") == 1, "the answer replaced the whole page"
    saved = Activity.objects.get(pk=activity.pk)
    assert (saved.version, saved.notes) == (activity.version, activity.notes)
