"""The cascade reads in a fixed number of queries, whatever the number of programs."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db.models.functions import Now
from django.urls import reverse

from opd import models as om
from tests.cascade.world import World, build, client_for
from tests.factories import (
    AchievedContributionFactory,
    ActivityFactory,
    ExpectedContributionFactory,
    OpdFactory,
    ProgramFactory,
    RealisationFactory,
    WorkPlanFactory,
)

pytestmark = pytest.mark.django_db

# The session and the user (2), the reviewer's permissions (2: own and groups) and region (1),
# the plans, the missions, goals and objectives (3), the indicators, their targets and actuals
# (2), the claims and the achieved sums (2). The poverty record is read only when an indicator
# takes its actuals from it: none does here.
DOWN_QUERIES = 14
# Session and user (2), permissions (2) and region (1), the member's OPDs, the activity, its
# claims, the achieved sums, the targets and actuals.
UP_QUERIES = 11
# No session, no user, no role: the down view's reads alone.
PUBLIC_QUERIES = 9


def _grow(world: World, programs: int) -> None:
    """``programs`` more programs across new OPDs' plans, each with two claiming activities
    and a realisation."""
    for n in range(programs):
        opd = OpdFactory(region=world.plan.region, code=f"5.{n:02d}")
        plan = WorkPlanFactory(opd=opd, plan=world.plan, year=2018)
        program = ProgramFactory(work_plan=plan, code=f"5.{n:02d}.01")
        for k in range(2):
            activity = ActivityFactory(program=program, code=f"5.{n:02d}.01.{k:03d}")
            ExpectedContributionFactory(
                activity=activity, indicator=world.poverty, amount=Decimal(3)
            )
            AchievedContributionFactory(
                realisation=RealisationFactory(activity=activity),
                indicator=world.poverty,
                amount=Decimal(1),
            )


@pytest.mark.parametrize("programs", [2, 50])
def test_down_view_queries(programs: int, django_assert_num_queries: Any) -> None:
    world = build()
    _grow(world, programs)
    client = client_for(world.reviewer)
    with django_assert_num_queries(DOWN_QUERIES):
        response = client.get(reverse("cascade:cascade"))
    assert response.status_code == 200
    # Every program's activities are on the page: 3 of the world's + 2 per program.
    assert response.content.decode().count('data-testid="claimed"') == 3 + 2 * programs + 1


@pytest.mark.parametrize("programs", [2, 50])
def test_up_view_queries(programs: int, django_assert_num_queries: Any) -> None:
    world = build()
    _grow(world, programs)
    client = client_for(world.reviewer)
    with django_assert_num_queries(UP_QUERIES):
        response = client.get(reverse("cascade:activity", args=[world.aid.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("programs", [2, 50])
def test_public_view_queries(programs: int, django_assert_num_queries: Any) -> None:
    world = build()
    _grow(world, programs)
    om.WorkPlan.objects.update(status=om.WorkPlan.Status.APPROVED, submitted_at=Now())
    with django_assert_num_queries(PUBLIC_QUERIES):
        response = client_for(None).get(reverse("cascade:public"))
    assert response.content.decode().count('data-testid="claimed"') == 3 + 2 * programs + 1
