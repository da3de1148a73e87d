"""What the public sees of the contribution figures: the sums of approved plans only.

README, "Anonymous callers see ... the contribution inputs with the sums of approved
plans". A plan that is only submitted (here: approved, reported, reopened and submitted
again, so it carries a realisation) counts for Bappeda and the OPDs, but neither its
planned nor its achieved persons reach an anonymous caller or a public token.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

import pytest

from opd import models as om
from opd.engine import compute
from tests.api.world import ApiWorld, build
from tests.factories import (
    AchievedContributionFactory,
    ExpectedContributionFactory,
    ProgramFactory,
    RealisationFactory,
    WorkPlanFactory,
)
from tests.workplans.plan_world import complete_activity

pytestmark = pytest.mark.django_db

SUBMITTED_PLANNED = Decimal(40)  # World.build's activity, OPD A's submitted plan
SUBMITTED_ACHIEVED = Decimal(17)
APPROVED_PLANNED = Decimal(30)
APPROVED_ACHIEVED = Decimal(6)


def _world() -> ApiWorld:
    world = build(om.WorkPlan.Status.SUBMITTED)
    indicator = world.plan.indicator
    realisation = RealisationFactory(activity=world.plan.activity, quarter=1)
    AchievedContributionFactory(
        realisation=realisation, indicator=indicator, amount=SUBMITTED_ACHIEVED
    )
    approved = WorkPlanFactory(
        opd=world.other_opd,
        plan=world.plan.work_plan.plan,
        year=2018,
        status=om.WorkPlan.Status.APPROVED,
    )
    activity = complete_activity(
        ProgramFactory(work_plan=approved, code="1.07.01"),
        kelurahan=world.plan.kelurahan,
        code="1.07.01.001",
    )
    ExpectedContributionFactory(activity=activity, indicator=indicator, amount=APPROVED_PLANNED)
    AchievedContributionFactory(
        realisation=RealisationFactory(activity=activity, quarter=1),
        indicator=indicator,
        amount=APPROVED_ACHIEVED,
    )
    compute.recompute(indicator_id=indicator.pk, year=2018)
    return world


def _decimals(document: Any) -> set[Decimal]:
    """Every decimal figure (the API sends decimals as strings) anywhere in the document."""
    if isinstance(document, dict):
        return set().union(*(_decimals(v) for v in document.values()))
    if isinstance(document, list):
        return set().union(*(_decimals(v) for v in document))
    if isinstance(document, str) and "." in document:
        try:
            return {Decimal(document)}
        except InvalidOperation:
            return set()
    return set()


@pytest.mark.parametrize("role", ["anonymous", "read"])
def test_public_callers_get_the_approved_sums_and_nothing_of_a_submitted_plan(role: str) -> None:
    world = _world()
    client = world.client(role)
    detail = client.get(f"/api/v1/contributions/{world.contribution.pk}/")
    assert detail.status_code == 200
    listed = client.get("/api/v1/contributions/", {"year": 2018})
    (item,) = listed.json()["results"]
    for public in (detail.json(), item):
        assert Decimal(public["planned_approved_total"]) == APPROVED_PLANNED
        assert Decimal(public["achieved_approved_total"]) == APPROVED_ACHIEVED
        assert "achieved_total" not in public and "planned_total" not in public
        rows = {row["opd_code"]: row for row in public["rows"]}
        assert set(rows["1.07"]) == {"opd", "opd_code", "planned_approved", "achieved_approved"}
        assert Decimal(rows["1.07"]["achieved_approved"]) == APPROVED_ACHIEVED
        assert Decimal(rows["1.07"]["planned_approved"]) == APPROVED_PLANNED
        assert Decimal(rows["1.06"]["achieved_approved"]) == 0
        assert Decimal(rows["1.06"]["planned_approved"]) == 0
        # Neither the submitted plan's figures nor any sum that includes them.
        leaked = {
            SUBMITTED_PLANNED,
            SUBMITTED_ACHIEVED,
            SUBMITTED_PLANNED + APPROVED_PLANNED,
            SUBMITTED_ACHIEVED + APPROVED_ACHIEVED,
        }
        assert _decimals(public) & leaked == set()


def test_members_still_see_the_counted_sums_beside_the_approved_ones() -> None:
    world = _world()
    full = world.client("member").get(f"/api/v1/contributions/{world.contribution.pk}/").json()
    assert Decimal(full["achieved_total"]) == SUBMITTED_ACHIEVED + APPROVED_ACHIEVED
    assert Decimal(full["achieved_approved_total"]) == APPROVED_ACHIEVED
    assert Decimal(full["planned_total"]) == SUBMITTED_PLANNED + APPROVED_PLANNED
    rows = {row["opd_code"]: row for row in full["rows"]}
    assert Decimal(rows["1.06"]["achieved"]) == SUBMITTED_ACHIEVED
