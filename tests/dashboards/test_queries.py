"""Each dashboard and export runs a fixed number of queries: the same with 2 OPDs as with 50.

A count that grows with the OPDs means a per-row query crept in: fix the
selector, not the number here.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opd.engine import marking
from opd.engine.compute import recompute
from opd.models import ContributionSnapshot, ContributionState, Opd, WorkPlan
from tests.dashboards import scenario

pytestmark = pytest.mark.django_db

# Every signed-in page starts with session and user, then the user's permissions where it
# checks them. Dashboard: indicator, snapshot state, rows with OPDs, OPDs and plans of the
# grid, deadline, two place sums, the plan's indicators, targets, actuals, population.
# Exports: the plans with OPDs, programs, activities with places; the evaluation also the
# realisations, what they achieved for each indicator and what each activity plans.
# The public page also reads the region's poverty record (issue 14): one query, 5 -> 6.
# The evaluation also reads the Renstra lines' program years, activity years and the earlier
# years' linked Renja lines (issue 14, columns 5, 6, 13, 14): three queries, 11 -> 14.
# Regions (issue 15): a Bappeda page reads the user's Bappeda scope (one query) and the regions
# the picker offers (one): dashboard and CSV 16 -> 18 and 7 -> 9, the all-OPD exports +1 (they
# read the region by code before): 8 -> 9, 14 -> 15; the public page reads the regions with a
# plan: 6 -> 7. The OPD member's pages are unchanged (the regions come with the OPDs).
PAGES = {
    # name: (user, url name, args, pinned queries)
    "dashboard": ("reviewer", "dashboards:dashboard", [], 18),
    "opd view": ("head", "dashboards:opd", [], 9),
    "public": (None, "dashboards:public", [], 7),
    "renja one OPD": ("head", "dashboards:renja", [2018, "dinsos"], 8),
    "renja all OPDs": ("reviewer", "dashboards:renja_all", [2018], 9),
    "renja all OPDs, drafts": ("reviewer", "dashboards:renja_all", [2018, "?draf=1"], 9),
    "evaluation one OPD": ("head", "dashboards:evaluation", [2018, "dinsos"], 14),
    "evaluation all OPDs": ("reviewer", "dashboards:evaluation_all", [2018], 15),
    "evaluation all OPDs, drafts": (
        "reviewer",
        "dashboards:evaluation_all",
        [2018, "?draf=1"],
        15,
    ),
    "contributions csv": ("reviewer", "dashboards:contributions_csv", [2018], 9),
}


def _count(world: scenario.Scenario, name: str) -> int:
    user, url_name, args, _pinned = PAGES[name]
    client = Client()
    if user:
        client.force_login(getattr(world, user))
    query = "".join(a for a in args if str(a).startswith("?"))
    args = [world.dinsos.pk if a == "dinsos" else a for a in args if not str(a).startswith("?")]
    url = reverse(url_name, args=args) + query
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (name, response.status_code)
    return len(queries)


def approve_one(world: scenario.Scenario) -> None:
    """Dinas Sosial's plan approved: the all-OPD files hold approved plans only by default."""
    WorkPlan.objects.filter(pk=world.dinsos_plan.pk).update(status=WorkPlan.Status.APPROVED)


@pytest.mark.parametrize("name", list(PAGES))
def test_pinned_number_of_queries_with_2_opds(name):
    small = scenario.build(hidden_plans=False)
    approve_one(small)
    assert Opd.objects.count() == 2
    recompute(indicator_id=small.indicator.pk, year=2018)
    few = _count(small, name)
    assert few == PAGES[name][3], f"{name}: {few} queries"


@pytest.mark.parametrize("name", list(PAGES))
def test_the_same_count_with_50_opds(name):
    world = scenario.build(hidden_plans=False, extra_opds=48)
    approve_one(world)
    assert Opd.objects.count() == 50
    recompute(indicator_id=world.indicator.pk, year=2018)
    assert _count(world, name) == PAGES[name][3], name


# Before the year's first computation (house style 11: the page only enqueues it). The
# dashboards run their pinned count, the snapshot's rows still asked for and none found; the
# CSV, which has no table to give, stops before the rows.
NOT_COMPUTED = {"dashboard": 18, "opd view": 9, "contributions csv": 8}


@pytest.mark.parametrize("name", list(NOT_COMPUTED))
def test_the_count_before_the_first_computation(name, monkeypatch):
    monkeypatch.setattr(marking, "_enqueue", lambda pairs: None)  # no broker asked
    small = scenario.build(hidden_plans=False)
    approve_one(small)
    assert not ContributionState.objects.exists() and not ContributionSnapshot.objects.exists()
    user, url_name, args, _pinned = PAGES[name]
    client = Client()
    client.force_login(getattr(small, user))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(url_name, args=args))
    assert response.status_code == (503 if name == "contributions csv" else 200)
    assert len(queries) == NOT_COMPUTED[name], f"{name}: {len(queries)} queries"
    if name != "contributions csv":
        assert NOT_COMPUTED[name] == PAGES[name][3]  # the same as with a snapshot
