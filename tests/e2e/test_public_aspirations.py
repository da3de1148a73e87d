"""A citizen follows their aspiration without signing in: from the public page to the lookup,
the reference typed with the keyboard (in lower case, as people type it), and its page."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from opd.models import Aspiration, AspirationStatus
from tests.e2e.conftest import assert_page_ok, assert_page_ok_at, shown


def test_an_anonymous_visitor_looks_up_an_aspiration(
    live_server, offline_page: Page, demo, screenshot
) -> None:
    page, url = offline_page, live_server.url
    funded = (AspirationStatus.FUNDED, AspirationStatus.REALISED)
    aspiration = Aspiration.objects.filter(status__in=funded).order_by("reference").first()
    assert aspiration is not None, "the demo has a funded or realised aspiration"
    proposers = {a.proposer for a in Aspiration.objects.all()}

    page.goto(f"{url}/publik/")
    link = page.get_by_test_id("aspirations-link").get_by_role("link")
    expect(link).to_be_visible()
    link.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/publik/usulan/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(shown("Aspiration status"))
    assert_page_ok(page)

    page.get_by_label(shown("Reference number")).focus()
    page.keyboard.type(f"  {aspiration.reference.lower()} ")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/publik/usulan/{aspiration.reference}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(aspiration.title)
    expect(page.get_by_test_id("reference")).to_have_text(aspiration.reference)
    expect(page.get_by_test_id("stages")).to_be_visible()
    expect(page.get_by_test_id("plan-status")).to_have_text(
        shown("Funded: Bappeda approved the OPD's work plan.")
    )
    expect(page.get_by_test_id("activity-name")).to_have_text(aspiration.activity.name)
    expect(page.get_by_test_id("realisation")).to_contain_text("Rp")
    screenshot("public-aspiration")
    body = page.content()
    assert not [p for p in proposers if p in body and p not in aspiration.description]

    # An unknown one stays on the form, says so, and keeps what was typed.
    page.goto(f"{url}/publik/usulan/")
    page.get_by_label(shown("Reference number")).focus()
    page.keyboard.type("MSR-2018-ZZZZ")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("lookup-message")).to_be_visible()
    expect(page.get_by_label(shown("Reference number"))).to_have_value("MSR-2018-ZZZZ")

    for address in ("/publik/usulan/", f"/publik/usulan/{aspiration.reference}/"):
        assert_page_ok_at(page, f"{url}{address}")
    kelurahan = aspiration.kelurahan
    if kelurahan is not None:
        assert_page_ok_at(page, f"{url}/publik/usulan/?kelurahan={kelurahan.code}")
