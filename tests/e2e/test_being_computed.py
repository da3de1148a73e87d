"""In Chromium: before the first computation of a year, the dashboard says its figures are not
computed yet and the contribution CSV answers with a page saying they are being computed; both
pages pass ``assert_page_ok`` (overflow, axe-core), and the recomputation was asked for."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from opd.engine import marking
from tests.dashboards import scenario
from tests.e2e.conftest import assert_page_ok, assert_page_ok_at, shown, sign_in
from tests.workplans.plan_world import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_before_the_first_computation_the_pages_say_so(
    live_server, offline_page: Page, monkeypatch: pytest.MonkeyPatch
):
    asked: list[list[tuple[int, int]]] = []
    monkeypatch.setattr(marking, "_enqueue", lambda pairs: asked.append(list(pairs)))
    world = scenario.build()
    page, url = offline_page, live_server.url
    sign_in(page, url, world.reviewer.username, PASSWORD)

    assert_page_ok_at(page, f"{url}/dasbor/", context="dashboard before the first computation")
    expect(page.get_by_test_id("pending")).to_have_text(shown("Not computed yet."))

    response = page.goto(f"{url}/ekspor/kontribusi/2018.csv")
    assert response is not None and response.status == 503
    assert response.headers["retry-after"] == "30"
    expect(page.get_by_role("heading", level=1)).to_have_text(
        shown("The figures are being computed")
    )
    # Chromium reports the 503 itself on the console: the page is held to the rest.
    assert_page_ok(page, context="contribution CSV before the first computation", console=False)
    page.get_by_role("link", name=shown("Back to the city dashboard")).click()
    expect(page.get_by_test_id("pending")).to_be_visible()
    assert asked and all((world.indicator.pk, 2018) in pairs for pairs in asked)
