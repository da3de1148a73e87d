"""The database refuses a bad Renstra row, by name: every constraint and rule of the Renstra
room, and the Renja's links to it. Written through the ORM; the nearest good row is accepted."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from opd import models as om
from targets.years import MAX_YEAR
from tests import factories as f
from tests.constraints import assert_unique, refused, rule_suspended
from tests.renstra.makers import (
    make_activity,
    make_activity_year,
    make_audit_entry,
    make_program,
    make_program_year,
    make_renstra,
)

pytestmark = pytest.mark.django_db


# --- the Renstra ------------------------------------------------------------------------


def test_one_renstra_per_opd_and_plan():
    renstra = make_renstra()
    other_plan = f.PlanFactory(region=renstra.opd.region, first_year=2021, last_year=2026)
    assert make_renstra(opd=renstra.opd, plan=other_plan).pk
    assert make_renstra(opd=f.OpdFactory(region=renstra.opd.region), plan=renstra.plan).pk
    with refused("renstra_unique_opd_plan"):
        make_renstra(opd=renstra.opd, plan=renstra.plan)


def test_status_and_version_are_valid():
    with refused("renstra_status_valid"):
        make_renstra(status="reopened")  # the Renja's, not the Renstra's
    with refused("renstra_version_positive"):
        make_renstra(version=0)
    assert make_renstra(version=1).pk


def test_submitted_and_reviewed_renstras_keep_their_times():
    now = timezone.now()
    assert make_renstra(status="submitted", submitted_at=now).pk
    with refused("renstra_submitted_has_time"):
        make_renstra(status="submitted")
    with refused("renstra_reviewed_has_time"):
        make_renstra(status="approved", submitted_at=now)
    with refused("renstra_reviewed_has_time"):
        make_renstra(status="returned", submitted_at=now)
    assert make_renstra(status="approved", submitted_at=now, reviewed_at=now).pk


def test_a_renstra_follows_the_plan_of_its_opds_region():
    opd = f.OpdFactory()
    with refused("renstra_plan_of_opd_region"):
        make_renstra(opd=opd, plan=f.PlanFactory())  # another region's plan
    assert make_renstra(opd=opd, plan=f.PlanFactory(region=opd.region)).pk


def test_a_renstra_keeps_its_opd_and_plan():
    renstra = make_renstra()
    other_opd = f.OpdFactory(region=renstra.opd.region)
    with refused("renstra_keeps_opd_and_plan"):
        om.Renstra.objects.filter(pk=renstra.pk).update(opd=other_opd)
    other_plan = f.PlanFactory(region=renstra.opd.region, first_year=2021, last_year=2026)
    with refused("renstra_keeps_opd_and_plan"):
        om.Renstra.objects.filter(pk=renstra.pk).update(plan=other_plan)
    assert om.Renstra.objects.filter(pk=renstra.pk).update(version=2) == 1


# --- programs and activities ---------------------------------------------------------


def test_program_codes_are_unique_within_their_renstra_and_present():
    renstra = make_renstra()
    assert_unique(
        "renstra_program_unique_code",
        lambda **values: make_program(**{"renstra": renstra, **values}),
        scope=["renstra"],
        key=["code"],
        other_key={"code": "9.99"},
    )
    assert make_program(code="1.01").pk  # the same code in another Renstra
    with refused("renstra_program_code_not_empty"):
        make_program(code="")
    with refused("renstra_program_version_positive"):
        make_program(version=0)


def test_activity_codes_are_unique_within_their_program_and_present():
    program = make_program()
    assert_unique(
        "renstra_activity_unique_code",
        lambda **values: make_activity(**{"program": program, **values}),
        scope=["program"],
        key=["code"],
        other_key={"code": "9.99.999"},
    )
    with refused("renstra_activity_code_not_empty"):
        make_activity(code="")
    with refused("renstra_activity_version_positive"):
        make_activity(version=0)


def test_a_programs_indicator_is_one_of_the_renstras_plan():
    renstra = make_renstra()
    with refused("renstra_program_indicator_in_plan"):
        make_program(renstra=renstra, indicator=f.IndicatorFactory())
    assert make_program(renstra=renstra, indicator=f.IndicatorFactory(plan=renstra.plan)).pk
    assert make_program(renstra=renstra, indicator=None).pk


def test_lines_stay_in_their_renstra():
    program = make_program()
    with refused("renstra_program_stays_in_renstra"):
        om.RenstraProgram.objects.filter(pk=program.pk).update(renstra=make_renstra())
    activity = make_activity(program=program)
    with refused("renstra_activity_stays_in_renstra"):
        om.RenstraActivity.objects.filter(pk=activity.pk).update(program=make_program())
    sibling = make_program(renstra=program.renstra)
    assert om.RenstraActivity.objects.filter(pk=activity.pk).update(program=sibling) == 1


# --- yearly targets and budgets ------------------------------------------------------


def test_one_row_per_program_and_year_within_the_plans_period():
    program = make_program()  # its plan: 2016–2021
    assert make_program_year(program=program, year=2016).pk
    assert make_program_year(program=program, year=2021).pk
    with refused("renstra_program_year_unique"):
        make_program_year(program=program, year=2021)
    with refused("renstra_program_year_in_plan_period"):
        make_program_year(program=program, year=2015)
    with refused("renstra_program_year_in_plan_period"):
        make_program_year(program=program, year=2022)


def test_a_year_is_plausible_before_the_period_rule_sees_it():
    # The period rule refuses such a year first; without it the constraint still does.
    with rule_suspended("renstra_program_year_in_plan_period"):
        with refused("renstra_program_year_plausible"):
            make_program_year(year=MAX_YEAR + 1)
        assert make_program_year(year=MAX_YEAR).pk


def test_an_activity_year_is_plausible_before_the_period_rule_sees_it():
    with rule_suspended("renstra_activity_year_in_plan_period"):
        with refused("renstra_activity_year_plausible"):
            make_activity_year(year=MAX_YEAR + 1)
        assert make_activity_year(year=MAX_YEAR).pk


def test_program_targets_and_budgets_are_not_negative():
    with refused("renstra_program_year_target_not_negative"):
        make_program_year(target=Decimal("-0.01"))
    with refused("renstra_program_year_budget_not_negative"):
        make_program_year(budget=Decimal("-0.01"))
    assert make_program_year(target=Decimal("0"), budget=Decimal("0")).pk
    assert make_program_year(target=None, budget=None).pk  # a draft may leave them empty


def test_one_row_per_activity_and_year_within_the_plans_period():
    activity = make_activity()
    assert make_activity_year(activity=activity, year=2016).pk
    with refused("renstra_activity_year_unique"):
        make_activity_year(activity=activity, year=2016)
    with refused("renstra_activity_year_in_plan_period"):
        make_activity_year(activity=activity, year=2022)
    with refused("renstra_activity_year_target_not_negative"):
        make_activity_year(target=Decimal("-1"))
    assert make_activity_year(target=Decimal("0")).pk


def test_year_rows_stay_with_their_line():
    row = make_program_year()
    with refused("renstra_program_year_stays_with_program"):
        om.RenstraProgramYear.objects.filter(pk=row.pk).update(
            program=make_program(renstra=row.program.renstra)
        )
    own = make_activity_year()
    with refused("renstra_activity_year_stays_with_activity"):
        om.RenstraActivityYear.objects.filter(pk=own.pk).update(
            activity=make_activity(program=own.activity.program)
        )
    assert om.RenstraProgramYear.objects.filter(pk=row.pk).update(target=Decimal("1")) == 1


def test_the_audit_trail_knows_the_renstra_actions_only():
    with refused("renstra_audit_action_valid"):
        make_audit_entry(action="reopen")
    assert make_audit_entry(action="approve").pk


# --- parents changed under the rows above ---------------------------------------------


def test_the_plan_keeps_covering_its_renstras_years():
    year = make_program_year(year=2021)
    plan = year.program.renstra.plan
    with refused("plan_period_covers_renstra_years"):
        type(plan).objects.filter(pk=plan.pk).update(last_year=2020)
    year.delete()
    activity_year = make_activity_year(
        activity=make_activity(
            program=make_program(
                renstra=make_renstra(plan=plan, opd=f.OpdFactory(region=plan.region))
            )
        ),
        year=2016,
    )
    with refused("plan_period_covers_renstra_years"):
        type(plan).objects.filter(pk=plan.pk).update(first_year=2017)
    activity_year.delete()
    assert type(plan).objects.filter(pk=plan.pk).update(first_year=2017, last_year=2020) == 1


def test_a_plan_or_opd_with_a_renstra_keeps_its_region():
    renstra = make_renstra()
    other = f.RegionFactory()
    with refused("plan_region_keeps_renstras"):
        type(renstra.plan).objects.filter(pk=renstra.plan_id).update(region=other)
    with refused("opd_region_keeps_renstras"):
        om.Opd.objects.filter(pk=renstra.opd_id).update(region=other)
    assert om.Opd.objects.filter(pk=f.OpdFactory(region=renstra.opd.region).pk).update(region=other)


def test_an_indicator_a_program_serves_stays_in_its_plan():
    renstra = make_renstra()
    indicator = f.IndicatorFactory(plan=renstra.plan)
    make_program(renstra=renstra, indicator=indicator)
    with refused("indicator_plan_keeps_renstra_programs"):
        type(indicator).objects.filter(pk=indicator.pk).update(plan=f.PlanFactory())
    free = f.IndicatorFactory(plan=renstra.plan)
    assert type(free).objects.filter(pk=free.pk).update(plan=f.PlanFactory()) == 1


# --- the Renja's links ------------------------------------------------------------------


def _linked_world() -> tuple[om.WorkPlan, om.RenstraProgram, om.RenstraActivity]:
    work_plan = f.WorkPlanFactory()
    renstra = make_renstra(opd=work_plan.opd, plan=work_plan.plan)
    program = make_program(renstra=renstra)
    return work_plan, program, make_activity(program=program)


def test_a_renja_program_links_to_a_line_of_its_own_opd_and_plan():
    work_plan, line, _activity = _linked_world()
    strange = make_program()  # another OPD's Renstra
    with refused("program_renstra_line_of_own_opd_and_plan"):
        f.ProgramFactory(work_plan=work_plan, renstra_program=strange)
    same_opd_other_plan = make_program(
        renstra=make_renstra(
            opd=work_plan.opd,
            plan=f.PlanFactory(region=work_plan.opd.region, first_year=2021, last_year=2026),
        )
    )
    with refused("program_renstra_line_of_own_opd_and_plan"):
        f.ProgramFactory(work_plan=work_plan, renstra_program=same_opd_other_plan)
    assert f.ProgramFactory(work_plan=work_plan, renstra_program=line).pk
    assert f.ProgramFactory(work_plan=work_plan, renstra_program=None).pk


def test_a_renja_activity_links_to_a_line_of_its_own_opd_and_plan():
    work_plan, _line, line_activity = _linked_world()
    program = f.ProgramFactory(work_plan=work_plan)
    with refused("activity_renstra_line_of_own_opd_and_plan"):
        f.ActivityFactory(program=program, renstra_activity=make_activity())
    assert f.ActivityFactory(program=program, renstra_activity=line_activity).pk


def test_a_linked_work_plan_keeps_its_opd_and_plan():
    work_plan, line, line_activity = _linked_world()
    program = f.ProgramFactory(work_plan=work_plan)
    activity = f.ActivityFactory(program=program, renstra_activity=line_activity)
    other_opd = f.OpdFactory(region=work_plan.opd.region)
    with refused("work_plan_keeps_renstra_links"):
        om.WorkPlan.objects.filter(pk=work_plan.pk).update(opd=other_opd)
    om.Activity.objects.filter(pk=activity.pk).update(renstra_activity=None)
    om.Program.objects.filter(pk=program.pk).update(renstra_program=line)
    with refused("work_plan_keeps_renstra_links"):
        om.WorkPlan.objects.filter(pk=work_plan.pk).update(opd=other_opd)
    om.Program.objects.filter(pk=program.pk).update(renstra_program=None)
    assert om.WorkPlan.objects.filter(pk=work_plan.pk).update(opd=other_opd) == 1
