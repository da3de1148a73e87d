"""The whole loop of a community aspiration, in real Chromium (issue 11).

The staff of Kelurahan Magersari record an aspiration from their Musrenbang with the
keyboard and verify it; Bappeda recommends it to Dinas Kesehatan; the head of Dinas
Kesehatan accepts it into an activity of the 2018 draft and submits the plan; Bappeda
approves the plan; an anonymous visitor types the reference number into the public lookup
and finds the activity, the OPD and "didanai", and never the proposer's name or contact.

Each person works in a browser of their own. The staff pages' strings are not in the
Indonesian catalogue yet, so the signed-in people work in English (the portal's language
cookie); the visitor reads the public page in Indonesian, the portal's default.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date

import pytest
from django.db.models import Choices
from django.utils import translation
from playwright.sync_api import Page, expect

from opd.aspirations.models import ProposerKind
from opd.models import (
    Activity,
    Aspiration,
    AspirationCategory,
    AspirationForum,
    AspirationStatus,
    WorkPlan,
)
from tests.e2e.conftest import (
    DESKTOP,
    assert_page_ok,
    assert_page_ok_at,
    offline_watch,
    shown,
    sign_in,
)

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Posyandu lansia di RW 04 Magersari"
DESCRIPTION = "Pemeriksaan kesehatan bulanan bagi warga lanjut usia di balai RW 04."
PROPOSER = "Sumarni Wahyuningsih"
CONTACT = "0812-2718-4455"
SURE_SUBMIT = "I am sure: the plan goes to Bappeda and cannot be changed while it is reviewed."
SURE_APPROVE = "I am sure: approving locks the plan; only Bappeda can reopen it."


@pytest.fixture
def own_browser(new_context) -> Iterator[Callable[..., Page]]:
    """Pages in browser contexts of their own (own cookies), held offline and to the
    Content-Security-Policy watch; ``en-US`` so a date field takes month/day/year keys."""
    with offline_watch() as hold:
        yield lambda **args: hold(new_context(locale="en-US", **args).new_page())


def field(page, label: str):
    """The field labelled ``label`` (a Django label may end in a colon)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}:?$"))


def type_into(page: Page, label: str, text: str) -> None:
    """Focus a field by its label and type as a person does, replacing what it held."""
    field(page, label).focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def english(choice: Choices) -> str:
    """What the English page shows for a model choice."""
    with translation.override("en"):
        return str(choice.label)


def choose_by_typing(page: Page, label: str, option: str) -> None:
    """Focus a (closed) select by its label and type the option's text, as a person picks
    from a list with the keyboard; that option must then be the one chosen."""
    select = field(page, label)
    select.focus()
    page.keyboard.type(option)
    expect(select.locator("option:checked")).to_have_text(option)


def open_from_menu(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name=name).click()


def listed(page: Page, reference: str):
    return page.get_by_test_id("aspiration-row").filter(
        has=page.get_by_role("link", name=reference)
    )


def stage(page: Page):
    return page.locator("p.lead .badge")


def plan_status(page: Page):
    return page.get_by_role("region", name="Status").get_by_test_id("plan-status")


def test_an_aspiration_from_the_forum_to_a_funded_activity(
    draft: WorkPlan, live_server, own_browser
) -> None:
    url = live_server.url
    staff, reviewer, head = own_browser(), own_browser(), own_browser()
    activity = Activity.objects.select_related("program").get(
        program__work_plan=draft, code="1.02.01.001"
    )

    # 1. The kelurahan's staff record the aspiration with the keyboard and verify it.
    sign_in(staff, url, "staf.magersari", language="en")
    open_from_menu(staff, "Aspirations")
    expect(staff.get_by_role("heading", level=1)).to_have_text("Aspirations (usulan)")
    staff.get_by_role("link", name="Record an aspiration").click()
    expect(staff).to_have_url(f"{url}/usulan/baru/")
    staff.set_viewport_size(DESKTOP)
    assert_page_ok(staff, context="the intake form")

    choose_by_typing(staff, "Forum", english(AspirationForum.MUSRENBANG_KELURAHAN))
    field(staff, "Forum date").focus()
    staff.keyboard.type("09142017")  # 14 September 2017: the plan year defaults to 2018
    expect(field(staff, "Forum date")).to_have_value("2017-09-14")
    choose_by_typing(staff, "Kelurahan", "Magersari")
    choose_by_typing(staff, "Proposer is a", english(ProposerKind.PERSON))
    type_into(staff, "Proposer's name", PROPOSER)
    type_into(staff, "Proposer's contact", CONTACT)
    choose_by_typing(staff, "Category", english(AspirationCategory.HEALTH))
    type_into(staff, "Title", TITLE)
    type_into(staff, "Description", DESCRIPTION)
    type_into(staff, "Priority given by the forum", "2")
    staff.keyboard.press("Enter")

    reference_shown = staff.locator("#messages").get_by_test_id("new-reference")
    expect(reference_shown).to_have_text(re.compile(r"^[A-Z]+-2018-[A-Z0-9]+$"))
    reference = reference_shown.inner_text()
    aspiration = Aspiration.objects.get(reference=reference)
    assert (aspiration.title, aspiration.year, aspiration.proposer) == (TITLE, 2018, PROPOSER)
    assert (aspiration.proposer_contact, aspiration.priority) == (CONTACT, 2)
    assert (aspiration.forum, aspiration.received_on) == (
        AspirationForum.MUSRENBANG_KELURAHAN,
        date(2017, 9, 14),
    )
    assert aspiration.kelurahan is not None and aspiration.kelurahan.name == "Magersari"
    assert (aspiration.category, aspiration.proposer_kind) == (
        AspirationCategory.HEALTH,
        ProposerKind.PERSON,
    )
    expect(staff).to_have_url(f"{url}/usulan/{aspiration.pk}/")
    expect(staff.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(staff.get_by_test_id("reference")).to_have_text(reference)
    expect(stage(staff)).to_have_text("Received")
    assert_page_ok(staff, context="the aspiration's page, just recorded")

    verify = staff.get_by_test_id("verify-form")
    verify.get_by_label(re.compile("^Note:?$")).fill("Dicek di lokasi bersama ketua RW.")
    verify.get_by_role("button", name="Verify").click()
    expect(staff.locator("#messages")).to_contain_text("The aspiration was verified.")
    expect(stage(staff)).to_have_text("Verified")

    # 2. Bappeda finds it in the list and recommends it to Dinas Kesehatan.
    sign_in(reviewer, url, "bappeda", language="en")
    open_from_menu(reviewer, "Aspirations")
    row = listed(reviewer, reference)
    expect(row).to_contain_text(TITLE)
    expect(row).to_contain_text("Verified")
    row.get_by_role("link", name=reference).click()
    expect(reviewer).to_have_url(f"{url}/usulan/{aspiration.pk}/")
    assert_page_ok(reviewer, context="the aspiration's page, with the recommend form")
    recommend = reviewer.get_by_test_id("recommend-form")
    field(recommend, "OPD").select_option(label=str(draft.opd))  # its short name
    recommend.get_by_role("button", name="Recommend to an OPD").click()
    expect(reviewer.locator("#messages")).to_contain_text(
        "The aspiration was recommended to the OPD."
    )
    expect(stage(reviewer)).to_have_text("Recommended to an OPD")
    expect(reviewer.get_by_test_id("recommended-opd")).to_have_text("Dinas Kesehatan")

    # 3. The head of Dinas Kesehatan sees it among theirs, takes it into an activity of the
    #    2018 draft, and submits the plan.
    sign_in(head, url, "kepala.dinkes", language="en")
    open_from_menu(head, "Aspirations")
    listed(head, reference).get_by_role("link", name=reference).click()
    expect(head).to_have_url(f"{url}/usulan/{aspiration.pk}/")
    assert_page_ok(head, context="the aspiration's page, with the accept form")
    accept = head.get_by_test_id("accept-form")
    field(accept, "Activity").select_option(
        label=f"{activity.program.code} {activity.program.name} › {activity.code} {activity.name}"
    )
    accept.get_by_label(re.compile("^Note:?$")).fill("Masuk sasaran Jamkesda 2018.")
    accept.get_by_role("button", name="Accept into an activity").click()
    expect(head.locator("#messages")).to_contain_text(
        "The aspiration was accepted into the activity."
    )
    expect(stage(head)).to_have_text("Accepted into a plan")
    expect(head.get_by_test_id("activity")).to_contain_text(activity.name)

    open_from_menu(head, "Work plans")
    head.get_by_role("link", name="Open Dinas Kesehatan").click()
    expect(head).to_have_url(f"{url}/renja/{draft.pk}/")
    head.get_by_label(SURE_SUBMIT).check()
    head.get_by_role("button", name="Submit to Bappeda").click()
    expect(plan_status(head)).to_have_text("Submitted")

    # 4. Bappeda approves the plan: the aspiration is funded.
    open_from_menu(reviewer, "Work plans")
    reviewer.get_by_role("link", name="Open Dinas Kesehatan").click()
    expect(plan_status(reviewer)).to_have_text("Submitted")
    reviewer.get_by_label(SURE_APPROVE).check()
    reviewer.get_by_role("button", name="Approve").click()
    expect(plan_status(reviewer)).to_have_text("Approved")
    aspiration.refresh_from_db()
    assert (aspiration.status, aspiration.activity_id) == (AspirationStatus.FUNDED, activity.pk)

    # 5. A visitor, signed in nowhere and reading Indonesian, looks the reference up.
    visitor = own_browser()
    visitor.goto(f"{url}/publik/usulan/")
    visitor.get_by_label(shown("Reference number")).focus()
    visitor.keyboard.type(reference)
    visitor.keyboard.press("Enter")
    expect(visitor).to_have_url(f"{url}/publik/usulan/{reference}/")
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(visitor.get_by_test_id("activity-name")).to_have_text(activity.name)
    expect(visitor.get_by_test_id("activity-opd")).to_have_text("Dinas Kesehatan")
    funded = visitor.get_by_test_id("plan-status")
    expect(funded).to_have_text(shown("Funded: Bappeda approved the OPD's work plan."))
    expect(funded).to_contain_text(re.compile("didanai", re.IGNORECASE))
    expect(stage(visitor)).to_have_text(re.compile("^didanai$", re.IGNORECASE))
    html = visitor.content()
    assert "didanai" in html.lower()
    assert PROPOSER not in html
    assert CONTACT not in html
    assert "Sumarni" not in html and "2718" not in html

    # The pages the staff used pass the checks: the detail page at its last stage for the
    # head, and each one's list, on a desktop and on a phone.
    head.goto(f"{url}/usulan/{aspiration.pk}/")
    assert_page_ok(head, context="the aspiration's page, funded")
    for page in (staff, reviewer, head):
        assert_page_ok_at(page, f"{url}/usulan/")
        expect(listed(page, reference)).to_be_visible()
