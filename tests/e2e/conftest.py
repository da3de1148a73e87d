"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser).

Every page must work offline: a route guard fails the test on any request that
leaves loopback. Screenshots go to ``test-artifacts/`` for people to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.conftest import CHROMIUM

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True, scope="session")
def _allow_sync_orm_beside_playwright() -> Iterator[None]:
    """Playwright runs an event loop in the test thread; these tests' ORM calls are synchronous.

    Session-wide (from the first browser test on), because the database teardown of
    each test runs after function-scoped fixtures are undone.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


def csp_refusals(page) -> list[str]:
    """The list, filled as the page runs, of what the Content-Security-Policy refused."""
    refused: list[str] = []

    def watch(message) -> None:
        if "Content Security Policy" in message.text:
            refused.append(f"{page.url}: {message.text}")

    page.on("console", watch)
    return refused


@pytest.fixture
def offline_page(page, live_server) -> Iterator:
    """A page whose every request must stay on loopback, and that the Content-Security-Policy
    never has to refuse anything on (an inline script or style, an eval); else the test fails."""
    escaped: list[str] = []
    refused = csp_refusals(page)

    def guard(route):
        host = urlparse(route.request.url).hostname or ""
        if host in LOOPBACK:
            route.continue_()
        else:
            escaped.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    yield page
    assert escaped == [], f"pages requested outside hosts: {escaped}"
    assert refused == [], "the Content-Security-Policy refused:\n" + "\n".join(refused)


@pytest.fixture
def screenshot(offline_page):
    ARTIFACTS.mkdir(exist_ok=True)

    def take(name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        offline_page.screenshot(path=str(path), full_page=True)
        return path

    return take
