"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser).

Every page must work offline: a route guard fails the test on any request that
leaves loopback. Screenshots go to ``test-artifacts/`` for people to look at.

``assert_page_ok(page)`` holds a page to what every page owes its users: no horizontal
overflow, no console error, and axe-core (from npm, ``make test`` installs it) finding no
WCAG 2.1 A/AA violation; ``assert_page_ok_at(page, url)`` checks a page at 1366×768 and at
390×844.

The demo data (``load_magelang --demo``) is the ``demo`` fixture, its Dinas Kesehatan 2018
draft the ``draft`` fixture; ``sign_in(page, url, username)`` signs a person in and
``shown(message)`` is the text the Indonesian page shows for a message.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from io import StringIO
from pathlib import Path
from urllib.parse import urlparse
from weakref import WeakKeyDictionary

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation
from playwright.sync_api import Page, expect

from opd.models import WorkPlan
from opd.seed_magelang import DEMO_PASSWORD
from tests.conftest import CHROMIUM, CI

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}

# What each held page's console reported as an error since its last navigation.
_console_errors: WeakKeyDictionary[Page, list[str]] = WeakKeyDictionary()


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
        errors = _console_errors.setdefault(page, [])

        def watch(message) -> None:
            if "Content Security Policy" in message.text:
                refused.append(f"{page.url}: {message.text}")
            if message.type == "error":
                errors.append(f"{page.url}: {message.text}")

        def navigated(frame) -> None:
            if frame == page.main_frame:
                errors.clear()

        page.context.route("**/*", guard)
        page.on("console", watch)
        page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
        page.on("framenavigated", navigated)
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


@pytest.fixture
def demo(transactional_db) -> None:
    """The demo data of ``load_magelang --demo``; its people's password is ``DEMO_PASSWORD``."""
    call_command("load_magelang", "--demo", stdout=StringIO())


@pytest.fixture
def draft(demo) -> WorkPlan:
    """The demo's draft: Dinas Kesehatan's 2018 work plan."""
    return WorkPlan.objects.get(opd__code="1.02", year=2018)


def shown(message: str) -> str:
    """What the Indonesian page shows for ``message``: its translation, or the message itself
    until the catalogue has it."""
    with translation.override("id"):
        return str(translation.gettext(message))


def sign_in(
    page: Page, url: str, username: str, password: str = DEMO_PASSWORD, *, language: str = "id"
) -> None:
    """Sign in on the sign-in page with the keyboard (type, Tab, type, Enter), in ``language``
    (the portal's language cookie); returns once the page offers to sign out."""
    if language != "id":
        host = re.sub(r"^https?://|:\d+$", "", url)
        page.context.add_cookies(
            [
                {
                    "name": settings.LANGUAGE_COOKIE_NAME,
                    "value": language,
                    "domain": host,
                    "path": "/",
                }
            ]
        )
    page.goto(f"{url}/akun/masuk/")
    page.locator("#id_username").focus()
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    expect(page.locator("form[action$='/akun/keluar/'] button")).to_be_visible()


def page_problems(page: Page, *, console: bool = True) -> list[str]:
    """What is wrong with the page as it stands: horizontal overflow, console errors since it
    loaded (``console=False`` leaves them out), and axe-core's WCAG 2.1 A/AA violations, each
    with its impact and first few elements. Empty when the page is fine.

    Without axe-core (a laptop without npm) only the accessibility part is left out, with a
    warning, so the rest of the test still runs; under ``CI=true`` that fails instead."""
    # A page just navigated to may be parsed before its stylesheet applies: measured then, a
    # table that scrolls in its own box makes the page look hundreds of pixels too wide.
    page.wait_for_load_state("load")
    axe_missing = not AXE.exists()
    if axe_missing:
        message = f"axe-core is not installed at {AXE.relative_to(ROOT)} (make test installs it)"
        if CI:
            pytest.fail(f"CI=true and {message}", pytrace=False)
        warnings.warn(f"{message}: the accessibility check is left out", stacklevel=2)
    problems: list[str] = []
    scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
    inner_width = page.evaluate("window.innerWidth")
    if scroll_width > inner_width:
        wide = page.evaluate(_WIDEST_ELEMENTS)
        problems.append(
            f"overflow: the page is {scroll_width}px wide in a {inner_width}px window"
            f" (widest: {', '.join(wide)})"
        )
    if console:
        problems += [f"console: {error}" for error in _console_errors.get(page, [])]
    if axe_missing:
        return problems
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Served from the page's own origin: the policy's script-src 'self' lets it in, where
        # an inline copy (add_script_tag(path=...)) would be refused.
        page.unroute("**/__axe__/axe.min.js")
        page.route("**/__axe__/axe.min.js", _serve_axe)
        origin = page.evaluate("location.origin")
        page.add_script_tag(url=f"{origin}/__axe__/axe.min.js")
    violations = page.evaluate(_RUN_AXE, AXE_TAGS)
    for violation in violations:
        problems.append(
            f"axe {violation['id']} ({violation['impact']}): {violation['help']}"
            f" [{violation['count']} element(s): {'; '.join(violation['targets'])}]"
        )
    return problems


def assert_page_ok(page: Page, *, context: str = "", console: bool = True) -> None:
    """Fail, listing every problem, unless the page has none (``page_problems``)."""
    problems = page_problems(page, console=console)
    where = f"{context or page.url} at {page.viewport_size}"
    assert problems == [], f"{where}:\n  " + "\n  ".join(problems)


def assert_page_ok_at(
    page: Page,
    url: str,
    *,
    sizes: tuple[dict[str, int], ...] = (DESKTOP, PHONE),
    context: str = "",
    console: bool = True,
) -> None:
    """Open ``url`` at each window size (1366×768 and 390×844 unless told) and
    ``assert_page_ok`` there."""
    for size in sizes:
        page.set_viewport_size(size)
        page.goto(url)
        assert_page_ok(page, context=context or url, console=console)


def _serve_axe(route) -> None:
    route.fulfill(path=AXE, content_type="application/javascript")


_RUN_AXE = """async (tags) => {
    const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
    return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        count: v.nodes.length,
        targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
    }));
}"""

_WIDEST_ELEMENTS = """() => {
    const limit = window.innerWidth;
    const clipped = (e) => {
        for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
            if (getComputedStyle(a).overflowX !== "visible") return true;
        }
        return false;
    };
    const wide = [...document.body.querySelectorAll("*")].filter(
        (e) => e.getBoundingClientRect().right > limit + 1 && !clipped(e)
    );
    // The innermost ones: the elements that stick out, not every ancestor of them.
    const innermost = wide.filter((e) => !wide.some((o) => o !== e && e.contains(o)));
    return innermost.slice(0, 3).map((e) => {
        const name = e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
            + (e.classList.length ? "." + [...e.classList].join(".") : "");
        return `${name} (right edge ${Math.round(e.getBoundingClientRect().right)}px)`;
    });
}"""
