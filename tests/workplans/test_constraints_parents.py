"""The database refuses a work plan row's parent changed under its children (cross-row rules).

Same approach as ``test_constraints.py``: written through the ORM, refused by name,
the nearest good change accepted.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from opd import models as om
from targets import models as tm
from tests.constraints import refused
from tests.factories import (
    AchievedContributionFactory,
    ActivityFactory,
    DeadlineReminderFactory,
    ExpectedContributionFactory,
    IndicatorFactory,
    PlanFactory,
    ProgramFactory,
    RealisationFactory,
    RegionFactory,
    SubmissionDeadlineFactory,
    WorkPlanFactory,
)

CENT = Decimal("0.01")

# --- a parent row changed under its children ---------------------------------------

CONTRIBUTIONS = [
    # contribution factory, path from the contribution to its activity
    pytest.param(ExpectedContributionFactory, "activity", id="expected"),
    pytest.param(AchievedContributionFactory, "realisation.activity", id="achieved"),
]


def _activity(contribution, path: str) -> om.Activity:
    row = contribution
    for field in path.split("."):
        row = getattr(row, field)
    return row


@pytest.mark.django_db
def test_plan_region_keeps_work_plans():
    other_region = RegionFactory()
    free = PlanFactory()
    assert tm.Plan.objects.filter(pk=free.pk).update(region=other_region) == 1
    plan = WorkPlanFactory().plan
    assert tm.Plan.objects.filter(pk=plan.pk).update(name="RPJMD 2016–2021 (perubahan)") == 1
    with refused("plan_region_keeps_work_plans"):
        tm.Plan.objects.filter(pk=plan.pk).update(region=other_region)
    plan.refresh_from_db()
    plan.region = other_region
    with refused("plan_region_keeps_work_plans"):
        plan.save()


@pytest.mark.django_db
@pytest.mark.parametrize(("factory", "path"), CONTRIBUTIONS)
def test_indicator_plan_keeps_contributions(factory, path):
    free = IndicatorFactory()
    assert tm.Indicator.objects.filter(pk=free.pk).update(plan=PlanFactory()) == 1

    contribution = factory()
    indicator = contribution.indicator
    # Another plan of the same region: the work plan's region rule would not object.
    other_plan = PlanFactory(region=indicator.plan.region, first_year=2017, last_year=2022)
    with refused("indicator_plan_keeps_contributions"):
        tm.Indicator.objects.filter(pk=indicator.pk).update(plan=other_plan)
    indicator.plan = other_plan
    with refused("indicator_plan_keeps_contributions"):
        indicator.save()


@pytest.mark.django_db
def test_activity_stays_in_work_plan():
    activity = ActivityFactory()
    work_plan = activity.program.work_plan
    same_work_plan = ProgramFactory(work_plan=work_plan)
    other_work_plan = ProgramFactory(
        work_plan=WorkPlanFactory(opd=work_plan.opd, plan=work_plan.plan, year=2019)
    )
    activity.program = same_work_plan
    activity.save()
    with refused("activity_stays_in_work_plan"):
        om.Activity.objects.filter(pk=activity.pk).update(program=other_work_plan)
    activity.program = other_work_plan
    with refused("activity_stays_in_work_plan"):
        activity.save()


@pytest.mark.django_db
def test_program_stays_in_work_plan():
    program = ProgramFactory()
    other = WorkPlanFactory(opd=program.work_plan.opd, plan=program.work_plan.plan, year=2019)
    assert om.Program.objects.filter(pk=program.pk).update(name="Program Rehabilitasi Sosial") == 1
    with refused("program_stays_in_work_plan"):
        om.Program.objects.filter(pk=program.pk).update(work_plan=other)
    program.work_plan = other
    with refused("program_stays_in_work_plan"):
        program.save()


@pytest.mark.django_db
def test_realisation_stays_with_activity():
    realisation = RealisationFactory()
    other = ActivityFactory(program=realisation.activity.program)
    assert om.Realisation.objects.filter(pk=realisation.pk).update(quarter=2) == 1
    with refused("realisation_stays_with_activity"):
        om.Realisation.objects.filter(pk=realisation.pk).update(activity=other)
    realisation.activity = other
    with refused("realisation_stays_with_activity"):
        realisation.save()


@pytest.mark.django_db
@pytest.mark.parametrize(("factory", "path"), CONTRIBUTIONS)
def test_work_plan_plan_keeps_contributions(factory, path):
    # A work plan with activities and a realisation, but no contribution, may change plan.
    free = RealisationFactory().activity.program.work_plan
    free_plan = PlanFactory(region=free.plan.region, first_year=2017, last_year=2022)
    assert om.WorkPlan.objects.filter(pk=free.pk).update(plan=free_plan) == 1

    work_plan = _activity(factory(), path).program.work_plan
    other_plan = PlanFactory(region=work_plan.plan.region, first_year=2017, last_year=2022)
    assert om.WorkPlan.objects.filter(pk=work_plan.pk).update(version=2) == 1
    with refused("work_plan_plan_keeps_contributions"):
        om.WorkPlan.objects.filter(pk=work_plan.pk).update(plan=other_plan)
    work_plan.refresh_from_db()
    work_plan.plan = other_plan
    with refused("work_plan_plan_keeps_contributions"):
        work_plan.save()


@pytest.mark.django_db
def test_deadline_region_keeps_reminders():
    other_region = RegionFactory()
    free = SubmissionDeadlineFactory()
    assert om.SubmissionDeadline.objects.filter(pk=free.pk).update(region=other_region) == 1
    deadline = DeadlineReminderFactory().deadline
    moved = {"due_date": deadline.due_date.replace(day=15)}
    assert om.SubmissionDeadline.objects.filter(pk=deadline.pk).update(**moved) == 1
    with refused("deadline_region_keeps_reminders"):
        om.SubmissionDeadline.objects.filter(pk=deadline.pk).update(region=other_region)
    deadline.region = other_region
    with refused("deadline_region_keeps_reminders"):
        deadline.save()
