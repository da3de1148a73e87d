"""The Renstra flow of the issue, in real Chromium: an OPD head drafts, Bappeda reviews.

The head of DP3A (an OPD of the demo without a Renstra yet) opens Renstra from the menu,
creates the OPD's Renstra for the RPJMD 2016–2021, adds a program with its year grid (a target
and an indicative budget for each of the six years, typed row by row with the Tab key) and an
activity with its yearly targets, and submits; Bappeda, in a second browser, returns it with a
comment; the head reads the comment, fixes the activity and submits again; Bappeda approves,
and the Renstra is locked for the head. Fields are typed and buttons pressed from the keyboard;
the pages pass the page checks (no overflow, no console error, axe) at both window sizes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Locator, Page, expect

from opd.models import Opd, OpdMembership, Renstra, RenstraActivityYear
from opd.seed_magelang import DEMO_PASSWORD
from tests.e2e.conftest import (
    ARTIFACTS,
    DESKTOP,
    assert_page_ok,
    assert_page_ok_at,
    offline_watch,
    shown,
    sign_in,
)

pytestmark = pytest.mark.django_db(transaction=True)

YEARS = range(2016, 2022)
SURE_SUBMIT = "I am sure: the Renstra goes to Bappeda and cannot be changed while it is reviewed."
SURE_APPROVE = "I am sure: approving locks the Renstra for its whole period."


@pytest.fixture
def own_browser(new_context) -> Iterator[Callable[..., Page]]:
    with offline_watch() as hold:
        yield lambda **context_args: hold(new_context(**context_args).new_page())


@pytest.fixture
def dp3a_head(demo) -> str:
    """A head of DP3A (2.08), which has no Renja nor Renstra in the demo."""
    user = get_user_model().objects.create_user(
        "kepala.dp3a", password=DEMO_PASSWORD, first_name="Kepala", last_name="DP3A"
    )
    OpdMembership.objects.create(
        opd=Opd.objects.get(code="2.08"), user=user, role=OpdMembership.Role.HEAD
    )
    return "kepala.dp3a"


def shoot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def press(locator: Locator) -> None:
    """Press a button or follow a link as a keyboard user does: focus it, then Enter."""
    locator.page.wait_for_load_state("load")
    locator.focus()
    expect(locator).to_be_focused()
    locator.press("Enter")


def type_into(page: Page, locator: Locator, text: str) -> None:
    locator.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def tick_and_press(page: Page, sure: str, button: str) -> None:
    """Tick "I am sure" with the space bar, then press the button."""
    page.wait_for_load_state("load")  # htmx sets the page up on load: the focus waits for it
    box = page.get_by_label(shown(sure))
    box.focus()
    expect(box).to_be_focused()
    page.keyboard.press("Space")
    expect(box).to_be_checked()
    press(page.get_by_role("button", name=shown(button)))


def status(page: Page) -> Locator:
    return page.get_by_test_id("renstra-status")


def test_a_renstra_from_draft_to_approval(
    dp3a_head: str, live_server, offline_page: Page, own_browser
) -> None:
    head, reviewer, url = offline_page, own_browser(), live_server.url

    # 1. From the menu to the list, and the OPD's Renstra created.
    sign_in(head, url, dp3a_head)
    press(
        head.get_by_role("navigation", name="Menu utama").get_by_role(
            "link", name=shown("Renstra"), exact=True
        )
    )
    expect(head.get_by_role("heading", level=1)).to_contain_text("2016–2021")
    press(head.get_by_role("button", name=re.compile(re.escape(shown("Create the Renstra")))))
    renstra = Renstra.objects.get(opd__code="2.08")
    expect(head).to_have_url(f"{url}/renstra/{renstra.pk}/")
    expect(status(head)).to_have_text("Draf")
    expect(head.get_by_test_id("checklist")).to_contain_text(
        shown("The Renstra has no programs yet.")
    )

    # 2. A program with its year grid, typed row by row.
    press(head.get_by_role("link", name=shown("Add program"), exact=True))
    # The form puts the cursor on its first field once the page is set up; typing before that
    # would have the focus jump away mid-way.
    expect(head.locator("#id_code")).to_be_focused()
    type_into(head, head.locator("#id_code"), "2.08.01")
    type_into(head, head.locator("#id_name"), "Program Perlindungan Perempuan dan Anak")
    type_into(head, head.locator("#id_outcome_indicator"), "Kasus kekerasan yang ditangani")
    type_into(head, head.locator("#id_outcome_unit"), "%")
    head.locator("#id_indicator").select_option(index=1)
    head.get_by_label(shown("Target %(year)s") % {"year": 2016}).focus()
    for n, year in enumerate(YEARS):
        head.keyboard.type(str(80 + 2 * n))  # the target
        head.keyboard.press("Tab")
        head.keyboard.type(f"{250 + 10 * n}.000.000")  # the indicative budget, Rp
        if year != YEARS[-1]:
            head.keyboard.press("Tab")
    shoot(head, "renstra-10-program-form")
    head.keyboard.press("Enter")
    program_row = head.locator("tr.program-row", has_text="2.08.01")
    expect(program_row).to_contain_text("Rp")
    expect(head.get_by_test_id("total-2021")).to_contain_text("300.000.000")
    expect(head.get_by_test_id("total-budget")).to_contain_text("1.650.000.000")

    # 3. An activity under it, with its yearly targets.
    press(program_row.get_by_role("link", name=re.compile(f"^{re.escape(shown('Add activity'))}")))
    expect(head.locator("#id_program")).to_have_value(str(renstra.programs.get().pk))
    expect(head.locator("#id_program")).to_be_focused()
    type_into(head, head.locator("#id_code"), "2.08.01.001")
    type_into(head, head.locator("#id_name"), "Pendampingan korban kekerasan")
    type_into(head, head.locator("#id_output_indicator"), "Korban yang didampingi")
    type_into(head, head.locator("#id_output_unit"), "orang")
    head.get_by_label(shown("Target %(year)s") % {"year": 2016}).focus()
    for year in YEARS:
        head.keyboard.type("40")
        if year != YEARS[-1]:
            head.keyboard.press("Tab")
    head.keyboard.press("Enter")
    expect(head.locator("tr.activity-row", has_text="2.08.01.001")).to_be_visible()
    expect(head.get_by_test_id("checklist-ok")).to_be_visible()
    draft_url = head.url
    for page_url, context in (
        (f"{url}/renstra/", "the Renstra list"),
        (f"{url}/renstra/{renstra.pk}/program/tambah/", "the program form and its year grid"),
        (f"{url}/renstra/{renstra.pk}/kegiatan/tambah/", "the activity form"),
        (draft_url, "the draft Renstra"),
    ):
        assert_page_ok_at(head, page_url, context=context)
    head.set_viewport_size(DESKTOP)

    # 4. Submitted; Bappeda returns it with a comment.
    tick_and_press(head, SURE_SUBMIT, "Submit to Bappeda")
    expect(status(head)).to_have_text("Diajukan")
    expect(head.get_by_role("link", name=shown("Add program"), exact=True)).to_have_count(0)

    sign_in(reviewer, url, "bappeda")
    reviewer.goto(f"{url}/renstra/")
    press(
        reviewer.get_by_role(
            "link", name=f"{shown('Open')} Dinas Pemberdayaan Perempuan dan Perlindungan Anak"
        )
    )
    press(reviewer.get_by_role("link", name=shown("Return with a comment")))
    comment = reviewer.get_by_label(shown("Comment on the Renstra"))
    comment.focus()
    reviewer.keyboard.press("Tab")  # an empty comment first: refused, and said why
    press(reviewer.get_by_role("button", name=shown("Return to the OPD")))
    expect(reviewer.locator("main")).to_contain_text(
        shown("Say what the OPD must fix: a comment is required.")
    )
    type_into(reviewer, comment, "Target pendampingan 2021 harus naik.")
    press(reviewer.get_by_role("button", name=shown("Return to the OPD")))
    expect(status(reviewer)).to_have_text("Dikembalikan")

    # 5. The head reads the comment, fixes the activity and submits again.
    head.reload()
    expect(status(head)).to_have_text("Dikembalikan")
    expect(head.get_by_test_id("renstra-comment")).to_have_text(
        "Target pendampingan 2021 harus naik."
    )
    press(
        head.locator("tr.activity-row", has_text="2.08.01.001").get_by_role(
            "link", name=re.compile(f"^{re.escape(shown('Edit'))}")
        )
    )
    expect(head.locator("#id_program")).to_be_focused()
    type_into(head, head.get_by_label(shown("Target %(year)s") % {"year": 2021}), "55")
    head.keyboard.press("Enter")
    expect(head.locator("tr.activity-row", has_text="2.08.01.001")).to_contain_text("55")
    activity_2021 = RenstraActivityYear.objects.get(activity__code="2.08.01.001", year=2021)
    assert activity_2021.target == 55
    tick_and_press(head, SURE_SUBMIT, "Submit to Bappeda")
    expect(status(head)).to_have_text("Diajukan")

    # 6. Bappeda approves: the Renstra is locked for the head.
    reviewer.reload()
    tick_and_press(reviewer, SURE_APPROVE, "Approve")
    expect(status(reviewer)).to_have_text("Disetujui")
    shoot(reviewer, "renstra-20-approved")
    head.reload()
    expect(status(head)).to_have_text("Disetujui")
    expect(head.get_by_role("link", name=shown("Add program"), exact=True)).to_have_count(0)
    assert_page_ok(head, context="the approved Renstra")
    press(head.get_by_role("link", name=shown("History of changes")))
    expect(head.get_by_test_id("history-note")).to_have_text("Target pendampingan 2021 harus naik.")
    assert_page_ok_at(head, head.url, context="the Renstra's history")
