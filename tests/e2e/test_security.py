"""In the browser, under the Content-Security-Policy: the API docs work, and a locked-out sign-in
shows the portal's page with the lockout message (the watch in ``offline_page`` fails the test on
anything the policy refuses)."""

from __future__ import annotations

import pytest
from django.utils import translation
from playwright.sync_api import expect

from magelang.signin import LOCKOUT_MESSAGE
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_docs_render_under_the_policy(live_server, offline_page, screenshot) -> None:
    page = offline_page
    response = page.goto(f"{live_server.url}/api/docs/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.get_by_role("heading", name="Magelang planning portal API")).to_be_visible()
    expect(page.get_by_text("/api/v1/regions/").first).to_be_visible()
    screenshot("security-api-docs")


def test_a_locked_out_sign_in_shows_the_lockout_message(
    live_server, offline_page, screenshot
) -> None:
    user = f.UserFactory()
    page = offline_page
    for _ in range(5):
        page.goto(f"{live_server.url}/akun/masuk/")
        page.get_by_label("Nama pengguna").fill(user.username)
        page.get_by_label("Sandi").fill("salah")
        page.get_by_role("button", name="Masuk").click()
    with translation.override("id"):
        message = str(LOCKOUT_MESSAGE)
    expect(page.get_by_role("alert")).to_contain_text(message)
    expect(page.get_by_role("heading", name="Masuk")).to_be_visible()
    screenshot("security-lockout")
