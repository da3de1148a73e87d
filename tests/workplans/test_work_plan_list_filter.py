"""The plan list (/renja/) filters by status and by "late" with a plain GET form that keeps the
year; without JavaScript it works the same, since it is a form."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.dashboards import scenario
from tests.factories import OpdFactory, SubmissionDeadlineFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> scenario.Scenario:
    # Dinsos and Disnaker submitted, Dinas Rahasia a draft, Dinas Kembali returned, and an
    # OPD without a plan; the deadline has passed, so the last three are late.
    world = scenario.build()
    OpdFactory(region=world.region, code="4.01", name="Dinas Belum Mulai")
    SubmissionDeadlineFactory(
        region=world.region, year=2018, due_date=timezone.localdate() - timedelta(days=3)
    )
    return world


def listed(world: scenario.Scenario, **params: str) -> tuple[list[str], str]:
    client = Client()
    client.force_login(world.reviewer)
    response = client.get("/renja/", {"tahun": "2018", **params})
    assert response.status_code == 200
    html = response.content.decode()
    return re.findall(r'<tr data-opd="([^"]+)"', html), html


def test_without_a_filter_every_opd_is_listed(world):
    codes, html = listed(world)
    assert codes == ["1.06", "2.07", "3.01", "3.02", "4.01"]
    assert 'data-testid="shown-count"' not in html


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("submitted", ["1.06", "2.07"]),
        ("draft", ["3.01"]),
        ("returned", ["3.02"]),
        ("approved", []),
        ("none", ["4.01"]),
    ],
)
def test_the_status_filter(world, status, expected):
    codes, html = listed(world, status=status)
    assert codes == expected
    assert re.search(rf'<option value="{status}" selected>', html), "the choice stays selected"
    shown = re.search(r'data-testid="shown-count">([^<]+)<', html)
    assert shown and f"{len(expected)} " in shown.group(1) and " 5 " in shown.group(1)


def test_late_only(world):
    codes, html = listed(world, terlambat="1")
    assert codes == ["3.01", "3.02", "4.01"]
    assert re.search(r'<input[^>]*name="terlambat"[^>]*checked', html)


def test_status_and_late_together(world):
    codes, _html = listed(world, status="draft", terlambat="1")
    assert codes == ["3.01"]
    codes, _html = listed(world, status="submitted", terlambat="1")
    assert codes == []


def test_nothing_late_before_the_deadline(world):
    from opd.models import SubmissionDeadline

    SubmissionDeadline.objects.update(due_date=timezone.localdate() + timedelta(days=1))
    codes, _html = listed(world, terlambat="1")
    assert codes == []


def test_the_filter_form_is_a_get_form_that_keeps_the_year(world):
    _codes, html = listed(world, status="draft")
    form = re.search(r'<form[^>]*data-testid="plan-filter"[^>]*>(.*?)</form>', html, re.S)
    assert form, "a filter form"
    assert 'method="get"' in form.group(0)
    assert re.search(r'<input type="hidden" name="tahun" value="2018"', form.group(1))
    assert 'name="status"' in form.group(1) and 'name="terlambat"' in form.group(1)
    assert re.search(r'<button type="submit"', form.group(1))


def test_an_unknown_status_lists_everything_and_says_so(world):
    codes, html = listed(world, status="dibuang")
    assert codes == ["1.06", "2.07", "3.01", "3.02", "4.01"]
    assert "errorlist" in html
