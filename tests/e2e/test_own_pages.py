"""In Chromium, at 1366×768 and 390×844: the public home page, the signed-in home page's
next steps, the sign-out message and the portal's own error pages, every page's own title and
the favicon with no console error. Each page is held to
``assert_page_ok``: no horizontal overflow, no console error, axe-core WCAG 2.1 A/AA clean."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from magelang.views import SIGNED_OUT_MESSAGE
from opd import models as om
from tests.e2e.conftest import DESKTOP, PHONE, assert_page_ok, assert_page_ok_at, shown, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def plans(demo) -> dict[str, om.WorkPlan]:
    """The demo's plans by OPD code: Dinas Sosial's approved, Dinas Tenaga Kerja's submitted,
    Dinas Kesehatan's a draft."""
    return {wp.opd.code: wp for wp in om.WorkPlan.objects.select_related("opd")}


def test_a_citizen_sees_the_public_home_page(demo, live_server, offline_page, screenshot):
    page, url = offline_page, live_server.url
    assert_page_ok_at(page, f"{url}/")
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        page.goto(f"{url}/")
        expect(page).to_have_url(f"{url}/")
        expect(page.get_by_role("heading", name="Persentase penduduk miskin")).to_be_visible()
        expect(page.get_by_test_id("baseline")).to_have_text("9,05%")
        expect(page.get_by_test_id("target-2021")).to_have_text("6,12%")
        expect(page.locator('tr[data-year="2017"] [data-testid="target"]')).to_have_text("7,94")
        invite = page.get_by_test_id("sign-in-invite")
        expect(invite.get_by_role("link", name=shown("Sign in"))).to_be_visible()
        expect(page.get_by_test_id("next-steps")).to_have_count(0)
        screenshot(f"own-public-home-{size['width']}")


def test_the_signed_in_home_page_says_what_to_do_next(plans, live_server, offline_page, screenshot):
    page, url = offline_page, live_server.url
    draft = plans["1.02"]
    sign_in(page, url, "kepala.dinkes")
    assert_page_ok_at(page, f"{url}/")
    steps = page.get_by_test_id("next-steps")
    expect(steps).to_contain_text("Dinas Kesehatan")
    expect(steps.locator('[data-status="draft"]')).to_have_text(shown("Draft"))
    screenshot("own-home-next-steps-opd")
    steps.get_by_role("link", name=str(draft.year)).click()
    expect(page).to_have_url(f"{url}/renja/{draft.pk}/")

    sign_in(page, url, "bappeda")
    assert_page_ok_at(page, f"{url}/")
    expect(page.get_by_test_id("awaiting-review")).to_have_attribute("data-count", "1")
    screenshot("own-home-next-steps-bappeda")


def test_signing_out_says_so(demo, live_server, offline_page, screenshot):
    page, url = offline_page, live_server.url
    sign_in(page, url, "kepala.dinsos")
    page.get_by_role("button", name=shown("Sign out")).click()
    expect(page.locator("#messages")).to_contain_text(shown(str(SIGNED_OUT_MESSAGE)))
    expect(page.get_by_role("button", name=shown("Sign out"))).to_have_count(0)
    assert_page_ok(page)
    screenshot("own-signed-out")


def test_the_portals_own_error_pages(demo, live_server, offline_page, settings, screenshot):
    # The live server runs with DEBUG off, as in production; the test URLs add a failing view.
    settings.ROOT_URLCONF = "tests.test_error_pages"
    page, url = offline_page, live_server.url
    # The document's own status (404, 403, 500) is a console error: left out of the check.
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        response = page.goto(f"{url}/tidak-ada/")
        assert response is not None and response.status == 404
        expect(page.get_by_role("heading", name=shown("Page not found"))).to_be_visible()
        expect(page).to_have_title(
            f"{shown('Page not found')} – {shown('Magelang Planning Portal')}"
        )
        assert_page_ok(page, console=False)
    screenshot("own-404")
    page.get_by_role("link", name=shown("Back to the home page")).click()
    expect(page).to_have_url(f"{url}/")

    response = page.goto(f"{url}/uji/boom/")
    assert response is not None and response.status == 500
    expect(page.get_by_role("heading", name=shown("Something went wrong"))).to_be_visible()
    assert_page_ok(page, console=False)
    screenshot("own-500")

    sign_in(page, url, "kepala.dinsos")
    response = page.goto(f"{url}/renja/tenggat/")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", name=shown("Access refused"))).to_be_visible()
    assert_page_ok(page, console=False)
    screenshot("own-403")


def test_each_page_has_its_own_title(plans, live_server, offline_page):
    page, url = offline_page, live_server.url
    draft, submitted, approved = plans["1.02"], plans["2.07"], plans["1.06"]
    program = draft.programs.first()
    activity = om.Activity.objects.filter(program__work_plan=draft).first()
    reported = om.Activity.objects.filter(program__work_plan=approved).first()
    assert program and activity and reported
    pages = {
        "kepala.dinkes": [
            (draft, f"/renja/{draft.pk}/"),
            (draft, f"/renja/{draft.pk}/riwayat/"),
            (draft, f"/renja/{draft.pk}/program/tambah/"),
            (draft, f"/renja/{draft.pk}/program/{program.pk}/ubah/"),
            (draft, f"/renja/{draft.pk}/kegiatan/tambah/"),
            (draft, f"/renja/{draft.pk}/kegiatan/{activity.pk}/ubah/"),
        ],
        "kepala.dinsos": [(approved, f"/renja/{approved.pk}/kegiatan/{reported.pk}/realisasi/")],
        "bappeda": [
            (submitted, f"/renja/{submitted.pk}/kembalikan/"),
            (approved, f"/renja/{approved.pk}/buka-kembali/"),
            (None, "/renja/tenggat/"),
        ],
    }
    titles: dict[str, str] = {}
    for username, visits in pages.items():
        sign_in(page, url, username)
        for work_plan, path in visits:
            assert_page_ok_at(page, f"{url}{path}")
            title = page.title()
            assert title.endswith(f" – {shown('Magelang Planning Portal')}"), (path, title)
            if work_plan is not None:
                assert str(work_plan) in title, (path, title)
            titles[path] = title
    assert len(set(titles.values())) == len(titles), titles


def test_a_favicon_and_no_console_error(demo, live_server, offline_page):
    page, url = offline_page, live_server.url
    # What a browser asks for whatever the page says (before, a 404 and a console error).
    response = page.request.get(f"{url}/favicon.ico")
    assert response.status == 200
    assert response.url == f"{url}/static/favicon.svg"
    assert response.headers["content-type"] == "image/svg+xml"
    page.goto(f"{url}/akun/masuk/")
    icon = page.locator('link[rel="icon"]').get_attribute("href")
    assert icon and page.request.get(f"{url}{icon}").ok
    assert_page_ok(page, context="sign-in page")
