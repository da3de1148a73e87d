"""The cascade reads in a fixed number of queries, whatever the number of programs."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

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

# The session and the user (2), the user's permissions (2: groups and own), the plans, the
# missions, goals and objectives (3), the indicators, their targets, actuals and the poverty
# record (3), the claims and the achieved sums (2).
DOWN_QUERIES = 14
# Session and user (2), permissions (2), the member's OPDs, the activity, its claims, the
# achieved sums, the targets, actuals and the poverty record.
UP_QUERIES = 11


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
