"""The public page (/publik/) shows the planned and achieved persons of approved plans only.

The worked example has Dinas Sosial's plan submitted and carrying 250 achieved persons
(a plan approved, reported on, reopened and submitted again); here Dinas Tenaga Kerja's
plan is approved with 40 achieved persons of its own. Anyone may see the approved
plan's sums, nothing of the submitted one's, and no sum that includes it.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from opd import models as om
from opd.engine.compute import recompute
from targets.formats import figure
from tests.dashboards import scenario
from tests.factories import AchievedContributionFactory, RealisationFactory

D = Decimal
pytestmark = pytest.mark.django_db


def cell(html: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}"[^>]*>(.*?)<', html, re.S)
    assert match, testid
    return match.group(1).strip()


def text_of(html: str) -> str:
    """The page's visible text: every text node, with the chart's SVG coordinates left out."""
    html = re.sub(r"<svg.*?</svg>", "", html, flags=re.S)
    return " ".join(re.findall(r">([^<]+)<", html))


@pytest.fixture
def world() -> scenario.Scenario:
    world = scenario.build()
    om.WorkPlan.objects.filter(pk=world.disnaker_plan.pk).update(status=om.WorkPlan.Status.APPROVED)
    AchievedContributionFactory(
        realisation=RealisationFactory(activity=world.activities[2], quarter=1),
        indicator=world.indicator,
        amount=Decimal(40),
    )
    snapshot = recompute(indicator_id=world.indicator.pk, year=2018)
    # The engine counts both plans: 1,300 planned and 290 achieved.
    assert (snapshot.planned_total, snapshot.achieved_total) == (1300, 290)
    return world


def test_the_public_page_shows_only_approved_plans_planned_and_achieved_persons(world):
    html = Client().get(reverse("dashboards:public"), {"tahun": 2018}).content.decode()
    assert cell(html, "planned") == "400"
    assert cell(html, "achieved") == "40"
    years_table = re.search(r'data-testid="years-table"(.*?)</table>', html, re.S)
    assert years_table
    year_row = re.search(r'<tr data-year="2018">(.*?)</tr>', years_table.group(1), re.S)
    assert year_row
    assert cell(year_row.group(1), "year-planned") == "400"
    assert cell(year_row.group(1), "year-achieved") == "40"
    words = text_of(html).split()
    for hidden in ("250", "290", "900", "1.300", "78,4%"):
        assert hidden not in words, hidden


def test_signed_in_people_see_the_same_public_page(world):
    """The page is the public one for everyone; Bappeda has its dashboard for the rest."""
    client = Client()
    client.force_login(world.reviewer)
    html = client.get(reverse("dashboards:public"), {"tahun": 2018}).content.decode()
    assert cell(html, "achieved") == "40"
    assert "250" not in text_of(html).split()


def svg_text(html: str) -> str:
    """Every text node inside the page's ``<svg>`` elements (titles of the chart's points)."""
    inside = " ".join(re.findall(r"<svg.*?</svg>", html, flags=re.S))
    return " ".join(re.findall(r">([^<]+)<", inside))


def test_the_public_trajectory_projects_approved_plans_only(world):
    """R and P are public, so a projection from every counted plan would give away their sums:
    (R − projection) × P / 100. The page projects from the approved plans' sums alone."""
    snapshot = om.ContributionState.objects.get(indicator=world.indicator, year=2018).snapshot
    hidden = [snapshot.projected_planned, snapshot.projected_achieved]  # 1,300 and 290 persons
    # The method's projection (design section 5 step 8) from 400 planned and 40 achieved.
    shown = [D("8.75") - D(400) / 121_000 * 100, D("8.75") - D(40) / 121_000 * 100]
    with translation.override("id"):
        hidden_figures = [figure(v, places) for v in hidden for places in (2, 4)]
        shown_figures = [figure(v, 2) for v in shown]  # two decimals, like the targets
    html = Client().get(reverse("dashboards:public"), {"tahun": 2018}).content.decode()
    assert cell(html, "projection-planned") == shown_figures[0]
    assert cell(html, "projection-achieved") == shown_figures[1]
    for text in (html, svg_text(html)):
        for hidden_figure in hidden_figures:
            assert hidden_figure not in text, hidden_figure
    with translation.override("id"):
        assert f"{figure(shown[0], 2)}<" in html  # the chart's point carries the approved figure
