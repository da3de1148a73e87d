"""In real Chromium at 1366×768: the history in the viewer's
language, whoever acted and in whichever language; one name per plan state, with a
reopened plan named apart from a returned one.

Before the fix the history stored labels in the actor's language (an English reviewer's
return read "Submitted → Returned" on the Indonesian page), the list said "belum dimulai"
where the dashboard said "belum ada Renja", a returned plan read "diverifikasi <date>" and
a reopened plan read "Dikembalikan".
"""

from __future__ import annotations

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from opd.models import Opd, WorkPlan
from opd.workplans import services
from tests.e2e.conftest import DESKTOP, assert_page_ok, shown, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def plan_of(code: str) -> WorkPlan:
    return WorkPlan.objects.select_related("opd").get(opd__code=code, year=2018)


def act_in_english(action, **kwargs):
    """A reviewer who works in English: the service runs under the English language."""
    from django.contrib.auth import get_user_model

    reviewer = get_user_model().objects.get(username="bappeda")
    with translation.override("en"):
        return action(by=reviewer, **kwargs)


def test_history_reads_in_the_viewers_language(live_server, offline_page: Page, demo):
    submitted = plan_of("2.07")
    act_in_english(
        services.work_plan_return,
        work_plan_id=submitted.pk,
        seen_version=submitted.version,
        comment="Lengkapi lokasi kegiatan.",
    )
    url = live_server.url
    page = offline_page
    page.set_viewport_size(DESKTOP)
    sign_in(page, url, "kepala.disnaker")
    page.goto(f"{url}/renja/{submitted.pk}/riwayat/")
    latest = page.get_by_test_id("history-entry").first
    expect(latest).to_contain_text("Status: Diajukan → Dikembalikan")
    expect(latest).not_to_contain_text("Submitted")
    assert_page_ok(page, context="history (id)")

    english = page.context.browser.new_context()
    other = english.new_page()
    try:
        other.set_viewport_size(DESKTOP)
        sign_in(other, url, "kepala.disnaker", language="en")
        other.goto(f"{url}/renja/{submitted.pk}/riwayat/")
        expect(other.get_by_test_id("history-entry").first).to_contain_text(
            "Status: Submitted → Returned"
        )
    finally:
        english.close()


def test_one_name_per_state_and_reopened_is_its_own(live_server, offline_page: Page, demo):
    submitted, approved = plan_of("2.07"), plan_of("1.06")
    act_in_english(
        services.work_plan_return,
        work_plan_id=submitted.pk,
        seen_version=submitted.version,
        comment="Lengkapi lokasi kegiatan.",
    )
    act_in_english(
        services.work_plan_reopen,
        work_plan_id=approved.pk,
        seen_version=approved.version,
        reason="Pagu berubah setelah APBD-P.",
    )
    without_plan = Opd.objects.exclude(work_plans__year=2018).order_by("code").first()
    assert without_plan is not None
    url = live_server.url
    page = offline_page
    page.set_viewport_size(DESKTOP)
    sign_in(page, url, "bappeda")

    page.goto(f"{url}/renja/?tahun=2018")
    rows = page.get_by_role("row")
    expect(rows.filter(has_text=approved.opd.name).first).to_contain_text("Dibuka kembali")
    expect(rows.filter(has_text=submitted.opd.name).first).to_contain_text("Dikembalikan")
    expect(rows.filter(has_text=without_plan.name).first).to_contain_text("belum ada Renja")
    expect(page.get_by_text("belum dimulai")).to_have_count(0)
    assert_page_ok(page, context="plan list")

    page.goto(f"{url}/renja/{approved.pk}/")
    expect(page.get_by_test_id("plan-status")).to_have_text("Dibuka kembali")
    status_line = page.locator(".plan-status p").first
    expect(status_line).to_contain_text(shown("reopened %(when)s") % {"when": ""})
    expect(status_line).not_to_contain_text("diverifikasi")
    assert_page_ok(page, context="reopened plan")

    page.goto(f"{url}/renja/{submitted.pk}/")
    expect(page.get_by_test_id("plan-status")).to_have_text("Dikembalikan")
    status_line = page.locator(".plan-status p").first
    expect(status_line).to_contain_text(shown("returned %(when)s") % {"when": ""})
    expect(status_line).not_to_contain_text("diverifikasi")

    page.goto(f"{url}/dasbor/?tahun=2018")
    grid = page.locator(".submission-grid")
    expect(grid.locator(f"[data-opd='{approved.opd.code}']")).to_contain_text("Dibuka kembali")
    expect(grid.locator(f"[data-opd='{without_plan.code}']")).to_contain_text("belum ada Renja")
