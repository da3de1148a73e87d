"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser).

Every page must work offline: a route guard fails the test on any request that
leaves loopback. Screenshots go to ``test-artifacts/`` for people to look at.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page

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


@contextmanager
def offline_watch() -> Iterator[Callable[[Page], Page]]:
    """``hold(page)`` keeps every request of the page's browser context on loopback and
    watches its console for what the Content-Security-Policy refused (an inline script or
    style, an eval); on leaving, the test fails if a request left or the CSP refused anything.
    """
    escaped: list[str] = []
    refused: list[str] = []

    def guard(route) -> None:
        if (urlparse(route.request.url).hostname or "") in LOOPBACK:
            route.continue_()
        else:
            escaped.append(route.request.url)
            route.abort()

    def hold(page: Page) -> Page:
        def watch(message) -> None:
            if "Content Security Policy" in message.text:
                refused.append(f"{page.url}: {message.text}")

        page.context.route("**/*", guard)
        page.on("console", watch)
        return page

    yield hold
    assert escaped == [], f"pages requested outside hosts: {escaped}"
    assert refused == [], "the Content-Security-Policy refused:\n" + "\n".join(refused)


@pytest.fixture
def offline_page(page: Page, live_server) -> Iterator[Page]:
    """The test's page, held offline and to the Content-Security-Policy (``offline_watch``)."""
    with offline_watch() as hold:
        yield hold(page)


@pytest.fixture
def screenshot(offline_page):
    ARTIFACTS.mkdir(exist_ok=True)

    def take(name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        offline_page.screenshot(path=str(path), full_page=True)
        return path

    return take
