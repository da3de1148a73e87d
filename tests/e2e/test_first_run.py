"""A first run as a person sees it: sign in with the keyboard, the home page, the admin."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in_with_keyboard(page, username: str) -> None:
    page.get_by_label("Nama pengguna").focus()
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type("magelang2018")
    page.keyboard.press("Enter")


def test_sign_in_and_see_the_poverty_targets(demo, live_server, offline_page, screenshot):
    page = offline_page
    page.goto(live_server.url)
    # The home page is public; signing in is one link away.
    expect(page.get_by_role("heading", name="Persentase penduduk miskin")).to_be_visible()
    page.get_by_test_id("sign-in-invite").get_by_role("link", name="Masuk").click()
    expect(page).to_have_url(f"{live_server.url}/akun/masuk/")
    expect(page.get_by_role("heading", name="Masuk")).to_be_visible()
    screenshot("01-login")

    sign_in_with_keyboard(page, "bappeda")
    expect(page.get_by_role("heading", name="Persentase penduduk miskin")).to_be_visible()
    expect(page.get_by_test_id("baseline")).to_have_text("9,05%")
    expect(page.get_by_test_id("target-2018")).to_have_text("7,38%")
    row_2018 = page.locator('tr[data-year="2018"]')
    expect(row_2018).to_contain_text("target ditetapkan")
    expect(row_2018).to_contain_text("belum ada data")
    expect(page.locator('tr[data-year="2017"] [data-testid="target"]')).to_have_text("7,94")
    screenshot("02-home")

    page.get_by_label("Bahasa").select_option("en")
    page.get_by_role("button", name="Ganti").click()
    expect(page.locator('tr[data-year="2018"]')).to_contain_text("no data")
    screenshot("03-home-english")


def test_the_admin_signs_in_and_opens_the_administration(
    demo, live_server, offline_page, screenshot
):
    page = offline_page
    page.goto(f"{live_server.url}/akun/masuk/")
    sign_in_with_keyboard(page, "admin")
    page.get_by_role("link", name="Administrasi", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/admin/")
    expect(page.get_by_role("link", name="Renja").first).to_be_visible()
    screenshot("04-admin")
