"""The cascade reads in a fixed number of queries, whatever the number of programs."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone

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
from tests.renstra.makers import (
    make_activity,
    make_activity_year,
    make_program,
    make_program_year,
    make_renstra,
)

pytestmark = pytest.mark.django_db

# The session and the user (2), the reviewer's permissions (2: own and groups) and region (1),
# the regions the user may see (1: the region picker), the chosen region's plans, the missions, goals and objectives (3), the indicators, their targets and actuals
# (2), the Renstra programs serving them and the activities under them or claiming (2: the
# Renstra level's two), the claims and the achieved sums (2). The poverty record is read only
# when an indicator takes its actuals from it: none does here.
DOWN_QUERIES = 17
# Session and user (2), permissions (2) and region (1), the activity (with its Renstra lines'
# figures as subqueries: the Renstra level adds none), its claims, the achieved sums, the
# targets and actuals. (The member's OPDs are no longer read for a reviewer: one fewer.)
UP_QUERIES = 10
# No session, no user, no role: the down view's reads alone (with the Renstra level's two),
# and the regions with a plan the picker offers (one; the region shown is one of them).
PUBLIC_QUERIES = 12


def _grow(world: World, programs: int) -> None:
    """``programs`` more Renstra programs serving poverty across new OPDs' approved Renstras,
    each carried out by a Renja program with two activities (one claiming, one not; each with
    its Renstra activity and a realisation)."""
    now = timezone.now()
    for n in range(programs):
        opd = OpdFactory(region=world.plan.region, code=f"5.{n:02d}")
        renstra = make_renstra(
            opd=opd, plan=world.plan, status="approved", submitted_at=now, reviewed_at=now
        )
        line = make_program(renstra=renstra, code=f"5.{n:02d}.01", indicator=world.poverty)
        make_program_year(program=line, year=2018)
        plan = WorkPlanFactory(opd=opd, plan=world.plan, year=2018)
        program = ProgramFactory(work_plan=plan, code=f"5.{n:02d}.01", renstra_program=line)
        for k in range(2):
            own = make_activity(program=line, code=f"5.{n:02d}.01.{k:03d}")
            make_activity_year(activity=own, year=2018)
            activity = ActivityFactory(
                program=program, code=f"5.{n:02d}.01.{k:03d}", renstra_activity=own
            )
            realisation = RealisationFactory(activity=activity)
            if k == 0:
                ExpectedContributionFactory(
                    activity=activity, indicator=world.poverty, amount=Decimal(3)
                )
                AchievedContributionFactory(
                    realisation=realisation, indicator=world.poverty, amount=Decimal(1)
                )


@pytest.mark.parametrize("programs", [2, 50])
def test_down_view_queries(programs: int, django_assert_num_queries: Any) -> None:
    world = build()
    _grow(world, programs)
    client = client_for(world.reviewer)
    with django_assert_num_queries(DOWN_QUERIES):
        response = client.get(reverse("cascade:cascade"))
    assert response.status_code == 200
    html = response.content.decode()
    # Every program's activities are on the page: 3 of the world's + 2 per program, and one
    # poverty claim of the world's for the other indicator; a Renstra group per program.
    assert html.count('data-testid="claimed"') == 3 + 2 * programs + 1
    assert html.count('data-testid="renstra-target"') == programs


@pytest.mark.parametrize("programs", [2, 50])
def test_up_view_queries(programs: int, django_assert_num_queries: Any) -> None:
    world = build()
    _grow(world, programs)
    client = client_for(world.reviewer)
    with django_assert_num_queries(UP_QUERIES):
        response = client.get(reverse("cascade:activity", args=[world.aid.pk]))
    assert response.status_code == 200
    # An activity with its Renstra activity and program: the same count.
    linked = om.Activity.objects.filter(renstra_activity__isnull=False).latest("pk")
    with django_assert_num_queries(UP_QUERIES):
        response = client.get(reverse("cascade:activity", args=[linked.pk]))
    assert 'data-testid="chain-renstra"' in response.content.decode()


@pytest.mark.parametrize("programs", [2, 50])
def test_public_view_queries(programs: int, django_assert_num_queries: Any) -> None:
    world = build()
    _grow(world, programs)
    om.WorkPlan.objects.update(status=om.WorkPlan.Status.APPROVED, submitted_at=Now())
    with django_assert_num_queries(PUBLIC_QUERIES):
        response = client_for(None).get(reverse("cascade:public"))
    html = response.content.decode()
    assert html.count('data-testid="claimed"') == 3 + 2 * programs + 1
    assert html.count('data-testid="renstra-target"') == programs
