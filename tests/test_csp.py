"""Content-Security-Policy: every page loads scripts and styles from the portal itself only.

The policy allows no inline script, no inline style and no ``eval`` (so no ``hx-on``
attributes, which htmx runs through ``new Function``); the templates must not need them.
"""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

# What a strict policy refuses to run or apply, found in markup.
INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "inline style block": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"\sstyle=", re.I),
    "event handler attribute": re.compile(r"\son[a-z]+=", re.I),
    "htmx hx-on attribute (needs eval)": re.compile(r"\s(hx|data-hx)-on[:-]", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def inline_code(html: str) -> list[str]:
    return [name for name, pattern in INLINE.items() if pattern.search(html)]


def directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict([*part.strip().split(" ", 1), ""][:2] for part in header.split(";"))


@pytest.mark.parametrize(
    "template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES))
)
def test_no_template_carries_inline_script_or_style(template: Path) -> None:
    assert inline_code(template.read_text()) == []


def test_the_checker_finds_what_it_looks_for() -> None:
    found = inline_code(
        '<script>alert(1)</script><p style="color:red" onclick="x()" hx-on::load="y()">'
    )
    assert found == [
        "inline script",
        "style attribute",
        "event handler attribute",
        "htmx hx-on attribute (needs eval)",
    ]
    assert inline_code('<script src="/static/js/portal.js" defer></script>') == []


@pytest.mark.django_db
def test_pages_send_a_strict_policy() -> None:
    response = Client().get(reverse("login"))
    policy = directives(response)
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self' data:"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert policy["base-uri"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert "unsafe" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_rendered_pages_carry_no_inline_code() -> None:
    call_command("load_magelang", "--demo", stdout=StringIO())
    client = Client()
    anonymous_pages = [
        reverse("home"),
        reverse("login"),
        reverse("dashboards:public"),
        reverse("api:docs"),
    ]
    for url in anonymous_pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert inline_code(response.content.decode()) == [], url
    client.force_login(get_user_model().objects.get(username="kepala.dinsos"))
    for url in [reverse("home"), reverse("opd:work_plans"), reverse("dashboards:dashboard")]:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert inline_code(response.content.decode()) == [], url
        assert "Content-Security-Policy" in response


@pytest.mark.django_db
def test_the_api_docs_load_their_script_from_the_portal() -> None:
    page = Client().get(reverse("api:docs"))
    scripts = re.findall(r'<script src="([^"]+)"', page.content.decode())
    own = [src for src in scripts if src.startswith(reverse("api:docs"))]
    assert own, scripts
    script = Client().get(own[0])
    assert script.status_code == 200
    assert script["Content-Type"].startswith(("application/javascript", "text/javascript"))
    assert "SwaggerUIBundle" in script.content.decode()


SOURCES = Path(__file__).resolve().parent.parent
HTML_IN_PYTHON = {name: INLINE[name] for name in ("inline script", "inline style block")} | {
    "style attribute": re.compile(r"<[a-z][^>]*\sstyle=", re.I)
}


def test_no_python_code_writes_inline_script_or_style() -> None:
    sources = [
        path
        for package in ("magelang", "opd", "targets")
        for path in (SOURCES / package).rglob("*.py")
        if "migrations" not in path.parts
    ]
    offenders = [
        f"{path.relative_to(SOURCES)}: {name}"
        for path in sources
        for name, pattern in HTML_IN_PYTHON.items()
        if pattern.search(path.read_text())
    ]
    assert offenders == []
    assert HTML_IN_PYTHON["style attribute"].search("format_html('<pre style=\"x\">{}</pre>')")


@pytest.mark.django_db
def test_the_snapshot_admin_wraps_its_inputs_with_a_stylesheet_class(admin_client) -> None:
    from tests.factories import SnapshotFactory

    snapshot = SnapshotFactory()
    html = admin_client.get(
        reverse("admin:opd_contributionsnapshot_change", args=[snapshot.pk])
    ).content.decode()
    assert '<pre class="snapshot-inputs">' in html
    assert "css/admin.css" in html
