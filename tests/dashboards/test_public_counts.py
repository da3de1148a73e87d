"""The public page counts one thing, plainly: the work plans approved by
Bappeda. Its persons, projections and status all come from them (a submitted plan counts on
Bappeda's dashboard, not here), it says how many plans that is, and each figure shows its
age: when the year was computed and the source and year of the actuals."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone, translation

from opd import models as om
from opd.engine.compute import recompute
from targets.models import Actual
from tests.dashboards import scenario

pytestmark = pytest.mark.django_db

WHAT_COUNTS = (
    "Only work plans approved by Bappeda count on this page: the planned and achieved persons,"
    " the projections and the status. Plans in draft, submitted for review or returned do not"
    " count until Bappeda approves them."
)
OLD_NOTE = (
    "The planned and achieved persons shown are those of work plans approved by Bappeda;"
    " the status also counts the plans submitted to Bappeda."
)


def cell(html: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</', html, re.S)
    assert match, testid
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def text_of(html: str) -> str:
    html = re.sub(r"<svg.*?</svg>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", " ".join(re.findall(r">([^<]+)<", html)))


@pytest.fixture
def world() -> scenario.Scenario:
    """Dinsos submitted with 900 persons, Disnaker approved with 1,400: Bappeda counts 2,300
    of 1,658 (on track); the public counts the approved 1,400 alone (0.84: at risk)."""
    world = scenario.build()
    om.WorkPlan.objects.filter(pk=world.disnaker_plan.pk).update(status=om.WorkPlan.Status.APPROVED)
    om.ExpectedContribution.objects.filter(activity=world.activities[2]).update(amount=1400)
    snapshot = recompute(indicator_id=world.indicator.pk, year=2018)
    assert snapshot.status == om.SnapshotStatus.ON_TRACK
    assert snapshot.planned_approved_total == Decimal(1400)
    return world


def years_row(html: str, year: int) -> str:
    table = re.search(r'data-testid="years-table"(.*?)</table>', html, re.S)
    assert table
    row = re.search(rf'<tr data-year="{year}">(.*?)</tr>', table.group(1), re.S)
    assert row, year
    return row.group(1)


def public(**params) -> str:
    return Client().get(reverse("dashboards:public"), {"tahun": 2018, **params}).content.decode()


def test_the_public_status_counts_approved_plans_only(world):
    html = public()
    status = re.search(r'data-testid="year-status" data-status="([a-z_]+)"', html)
    assert status and status.group(1) == "at_risk", "1,400 of 1,658 approved: at risk"
    assert 'data-status="at_risk"' in years_row(html, 2018)
    assert "on_track" not in html  # Bappeda's status, which counts the submitted plan
    assert cell(html, "planned") == "1.400"


def test_the_page_says_plainly_what_counts(world):
    html = public()
    counted = cell(html, "what-counts")
    with translation.override("id"):
        assert counted == translation.gettext(WHAT_COUNTS)
        # The old note, which said the status also counted the submitted plans, is gone.
        assert translation.gettext(OLD_NOTE) not in html
    # How many plans that is, out of the city's OPDs: 1 of 4.
    assert re.search(r"\b1\b.*\b4\b", cell(html, "approved-plans"))
    words = text_of(html)
    assert "2.300" not in words and "900" not in words.split()


def test_a_year_without_approved_plans_says_none_count(world):
    om.WorkPlan.objects.filter(pk=world.disnaker_plan.pk).update(
        status=om.WorkPlan.Status.SUBMITTED
    )
    recompute(indicator_id=world.indicator.pk, year=2018)
    html = public()
    assert cell(html, "planned") == "0"
    assert re.search(r'data-testid="year-status" data-status="off_track"', html)
    assert re.search(r"\b0\b", cell(html, "approved-plans"))


def test_each_figure_shows_its_age(world):
    state = om.ContributionState.objects.select_related("snapshot").get(
        indicator=world.indicator, year=2018
    )
    computed = timezone.localtime(state.snapshot.computed_at)
    html = public()
    with translation.override("id"):
        stamp = formats.date_format(computed, "j F Y")
    assert stamp in cell(html, "computed-at")
    assert stamp in cell(years_row(html, 2018), "year-computed")
    # Years never computed say so instead of a date.
    assert "year-computed" not in years_row(html, 2016)
    # The actuals' source and years: the scenario's actuals come from the factory's source.
    sources = cell(html, "actual-sources")
    source = Actual.objects.filter(indicator=world.indicator).values_list("source", flat=True)[0]
    assert source in sources
    for year in ("2016", "2017", "2019", "2020"):
        assert year in sources
