"""The page checks themselves (``assert_page_ok``): each finds what it is there to find, on a
page made for it, and a sound page passes them all."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.e2e.conftest import PHONE, page_problems

pytestmark = pytest.mark.django_db(transaction=True)

BAD = """<!doctype html><html><head><meta charset="utf-8"></head><body>
<main><div class="wide">x</div><img src="/not-there.png"><input type="text"></main>
<link rel="stylesheet" href="/__check__/bad.css"></body></html>"""
BAD_CSS = ".wide { width: 800px; }"
GOOD = """<!doctype html><html lang="id"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Baik</title></head>
<body><main><h1>Baik</h1><label for="n">Nama</label><input id="n" type="text"></main></body></html>"""


def serve(page: Page, url: str, body: str, content_type: str = "text/html") -> None:
    page.route(url, lambda route: route.fulfill(body=body, content_type=content_type))


def test_the_checks_find_overflow_console_errors_and_axe_violations(
    live_server, offline_page
) -> None:
    page = offline_page
    serve(page, f"{live_server.url}/__check__/bad", BAD)
    serve(page, f"{live_server.url}/__check__/bad.css", BAD_CSS, "text/css")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/__check__/bad")
    page.wait_for_load_state("networkidle")

    problems = "\n".join(page_problems(page))

    assert "overflow: the page is 8" in problems and "div.wide" in problems
    assert "console:" in problems and "404" in problems
    for rule in ("image-alt", "label", "html-has-lang", "document-title"):
        assert f"axe {rule} (" in problems, problems


def test_a_sound_page_passes_them(live_server, offline_page) -> None:
    page = offline_page
    serve(page, f"{live_server.url}/__check__/good", GOOD)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/__check__/good")

    assert page_problems(page) == []
