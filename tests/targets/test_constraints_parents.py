"""The database refuses a plan row's parent changed under its children (cross-row rules).

Same approach as ``test_constraints.py``: written through the ORM, refused by name,
the nearest good change accepted.
"""

from __future__ import annotations

import pytest

from targets import models as tm
from tests.constraints import refused
from tests.factories import (
    ActualFactory,
    GoalFactory,
    IndicatorFactory,
    KecamatanFactory,
    KelurahanFactory,
    MissionFactory,
    ObjectiveFactory,
    PlanFactory,
    RegionFactory,
)

# --- a parent row changed under its children ---------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("level", ["kecamatan", "kelurahan"])
def test_plan_region_keeps_actual_places(level):
    plan = PlanFactory()
    indicator = IndicatorFactory(plan=plan)
    ActualFactory(indicator=indicator, year=2017)  # region-wide: no place to keep
    other_region = RegionFactory()
    assert tm.Plan.objects.filter(pk=plan.pk).update(region=other_region) == 1

    kelurahan = KelurahanFactory(kecamatan__region=other_region)
    place = {"kecamatan": kelurahan.kecamatan, "kelurahan": kelurahan}[level]
    ActualFactory(indicator=indicator, year=2018, **{level: place})
    with refused("plan_region_keeps_actual_places"):
        tm.Plan.objects.filter(pk=plan.pk).update(region=RegionFactory())
    plan.refresh_from_db()
    plan.region = RegionFactory()
    with refused("plan_region_keeps_actual_places"):
        plan.save()


@pytest.mark.django_db
@pytest.mark.parametrize("level", ["kecamatan", "kelurahan"])
def test_indicator_plan_keeps_actual_places(level):
    kelurahan = KelurahanFactory()
    region = kelurahan.kecamatan.region
    place = {"kecamatan": kelurahan.kecamatan, "kelurahan": kelurahan}[level]
    indicator = IndicatorFactory(plan__region=region)
    ActualFactory(indicator=indicator, **{level: place})
    foreign_plan = PlanFactory()
    with refused("indicator_plan_keeps_actual_places"):
        tm.Indicator.objects.filter(pk=indicator.pk).update(plan=foreign_plan)
    # Another plan of the same region still holds the place.
    same_region_plan = PlanFactory(region=region, first_year=2017, last_year=2022)
    indicator.plan = same_region_plan
    indicator.save()
    indicator.plan = foreign_plan
    with refused("indicator_plan_keeps_actual_places"):
        indicator.save()


@pytest.mark.django_db
@pytest.mark.parametrize("used_by", ["kelurahan", "actual"])
def test_kecamatan_region_keeps_kelurahan_and_actuals(used_by):
    other_region = RegionFactory()
    free = KecamatanFactory()
    assert tm.Kecamatan.objects.filter(pk=free.pk).update(region=other_region) == 1

    kecamatan = KecamatanFactory()
    if used_by == "kelurahan":
        KelurahanFactory(kecamatan=kecamatan)
    else:
        ActualFactory(indicator__plan__region=kecamatan.region, kecamatan=kecamatan)
    assert tm.Kecamatan.objects.filter(pk=kecamatan.pk).update(name="Magelang Tengah") == 1
    with refused("kecamatan_region_keeps_kelurahan_and_actuals"):
        tm.Kecamatan.objects.filter(pk=kecamatan.pk).update(region=other_region)
    kecamatan.refresh_from_db()
    kecamatan.region = other_region
    with refused("kecamatan_region_keeps_kelurahan_and_actuals"):
        kecamatan.save()


@pytest.mark.django_db
def test_kelurahan_stays_in_region():
    kelurahan = KelurahanFactory()
    same_region = KecamatanFactory(region=kelurahan.kecamatan.region)
    other_region = KecamatanFactory()
    kelurahan.kecamatan = same_region
    kelurahan.save()
    with refused("kelurahan_stays_in_region"):
        tm.Kelurahan.objects.filter(pk=kelurahan.pk).update(kecamatan=other_region)
    kelurahan.kecamatan = other_region
    with refused("kelurahan_stays_in_region"):
        kelurahan.save()


@pytest.mark.django_db
def test_mission_plan_keeps_indicators():
    objective = ObjectiveFactory()
    mission = objective.goal.mission
    IndicatorFactory(plan=mission.plan, objective=objective)
    other_plan = PlanFactory()
    unmeasured = ObjectiveFactory(goal__mission__plan=mission.plan).goal.mission
    unmeasured.plan = other_plan
    unmeasured.save()
    with refused("mission_plan_keeps_indicators"):
        tm.Mission.objects.filter(pk=mission.pk).update(plan=other_plan)
    mission.plan = other_plan
    with refused("mission_plan_keeps_indicators"):
        mission.save()


@pytest.mark.django_db
def test_goal_plan_keeps_indicators():
    objective = ObjectiveFactory()
    goal = objective.goal
    plan = goal.mission.plan
    IndicatorFactory(plan=plan, objective=objective)
    same_plan_mission = MissionFactory(plan=plan)
    other_plan_mission = MissionFactory()
    goal.mission = same_plan_mission
    goal.save()
    unmeasured = ObjectiveFactory(goal__mission__plan=plan).goal
    assert tm.Goal.objects.filter(pk=unmeasured.pk).update(mission=other_plan_mission) == 1
    with refused("goal_plan_keeps_indicators"):
        tm.Goal.objects.filter(pk=goal.pk).update(mission=other_plan_mission)
    goal.mission = other_plan_mission
    with refused("goal_plan_keeps_indicators"):
        goal.save()


@pytest.mark.django_db
def test_objective_plan_keeps_indicators():
    objective = ObjectiveFactory()
    plan = objective.goal.mission.plan
    IndicatorFactory(plan=plan, objective=objective)
    same_plan_goal = GoalFactory(mission__plan=plan)
    other_plan_goal = GoalFactory()
    objective.goal = same_plan_goal
    objective.save()
    unmeasured = ObjectiveFactory(goal__mission__plan=plan)
    assert tm.Objective.objects.filter(pk=unmeasured.pk).update(goal=other_plan_goal) == 1
    with refused("objective_plan_keeps_indicators"):
        tm.Objective.objects.filter(pk=objective.pk).update(goal=other_plan_goal)
    objective.goal = other_plan_goal
    with refused("objective_plan_keeps_indicators"):
        objective.save()
