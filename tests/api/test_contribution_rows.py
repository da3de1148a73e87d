"""An OPD row of a plan that does not count shows its plan's real budgets with
``counted: false`` (they once read 0.00), and counts in no sum."""

from __future__ import annotations

from decimal import Decimal

import pytest

from opd import models as om
from opd.engine import compute
from tests.api.test_public_contributions import _decimals
from tests.api.world import build
from tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db

DRAFT_BUDGET = Decimal("250000000.00")  # World.build's one activity, contributing
OTHER_BUDGET = Decimal("15000000.00")  # an activity of the same draft not contributing


@pytest.mark.parametrize("status", [om.WorkPlan.Status.DRAFT, om.WorkPlan.Status.RETURNED])
def test_a_plan_that_does_not_count_shows_its_budgets_flagged(status: str) -> None:
    world = build(status)
    ActivityFactory(program=world.plan.program, budget=OTHER_BUDGET)
    compute.recompute(indicator_id=world.plan.indicator.pk, year=2018)
    full = world.client("member").get(f"/api/v1/contributions/{world.contribution.pk}/").json()
    rows = {row["opd_code"]: row for row in full["rows"]}
    draft = rows["1.06"]
    assert draft["counted"] is False and draft["work_plan_status"] == status
    assert Decimal(draft["aligned_budget"]) == DRAFT_BUDGET
    assert Decimal(draft["total_budget"]) == DRAFT_BUDGET + OTHER_BUDGET
    # It still counts for nothing: no persons, no share, alignment or cost per person.
    assert Decimal(draft["planned"]) == 0 and Decimal(draft["share"]) == 0
    assert draft["alignment"] is None and draft["cost_per_person"] is None
    assert Decimal(full["planned_total"]) == 0
    # Another OPD's uncounted row (here: no plan at all) shows no budget to this member.
    no_plan = rows["1.07"]
    assert no_plan["counted"] is False and no_plan["total_budget"] is None


@pytest.mark.parametrize("status", [om.WorkPlan.Status.DRAFT, om.WorkPlan.Status.RETURNED])
def test_another_opd_never_sees_the_budgets_of_a_plan_it_cannot_open(status: str) -> None:
    world = build(status)
    compute.recompute(indicator_id=world.plan.indicator.pk, year=2018)
    other = world.client("write_other")
    assert other.get(f"/api/v1/work-plans/{world.plan.work_plan.pk}/").status_code == 404
    seen = other.get(f"/api/v1/contributions/{world.contribution.pk}/").json()
    row = {row["opd_code"]: row for row in seen["rows"]}["1.06"]
    assert row["counted"] is False
    assert row["aligned_budget"] is None and row["total_budget"] is None
    assert DRAFT_BUDGET not in _decimals(seen)
    # Bappeda reads every plan, so it sees the draft's budgets.
    full = world.client("reviewer").get(f"/api/v1/contributions/{world.contribution.pk}/").json()
    row = {row["opd_code"]: row for row in full["rows"]}["1.06"]
    assert Decimal(row["aligned_budget"]) == DRAFT_BUDGET


def test_a_counted_plan_row_is_as_before() -> None:
    world = build(om.WorkPlan.Status.SUBMITTED)
    full = world.client("reviewer").get(f"/api/v1/contributions/{world.contribution.pk}/").json()
    row = {row["opd_code"]: row for row in full["rows"]}["1.06"]
    assert row["counted"] is True
    assert Decimal(row["aligned_budget"]) == DRAFT_BUDGET == Decimal(row["total_budget"])
    assert Decimal(row["alignment"]) == 1 and Decimal(row["planned"]) == 40


@pytest.mark.parametrize("role", ["anonymous", "read"])
def test_the_public_sees_no_budget_of_a_plan_that_is_not_approved(role: str) -> None:
    world = build(om.WorkPlan.Status.DRAFT)
    public = world.client(role).get(f"/api/v1/contributions/{world.contribution.pk}/").json()
    assert DRAFT_BUDGET not in _decimals(public)
    assert all("counted" not in row and "aligned_budget" not in row for row in public["rows"])
