"""The demo Renstras of ``load_magelang --demo``: one per OPD with a 2018 demo Renja, approved,
its lines those of that Renja.

Each Renja program and activity of the demo year becomes a Renstra line with the same code,
name, indicator and unit; its 2018 target and budget are the Renja's (a program's budget is its
activities' total, its target the program's outcome target), and the other years of the RPJMD
period follow by arithmetic, never at random, so every load makes the same figures: a target or
budget grows 5 % a year from 2018 (shrinks 5 % a year before it), targets rounded to a whole
unit and budgets to Rp 1,000,000. A program whose activities claim persons out of poverty serves
that indicator. The Renja's lines are then linked to their Renstra lines (filled where still
empty, so a database seeded before this existed does not conflict).
"""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Sum

from opd.models import (
    Activity,
    ExpectedContribution,
    Program,
    Renstra,
    RenstraActivity,
    RenstraActivityYear,
    RenstraProgram,
    RenstraProgramYear,
    WorkPlan,
)
from targets.models import Indicator

#: The Renstras were made at the start of the period (fixed times: reruns match).
SUBMITTED_AT = datetime(2016, 9, 1, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
APPROVED_AT = datetime(2016, 10, 3, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
GROWTH = Decimal("0.05")
MILLION = Decimal("1000000")


def scaled(value: Decimal, year: int, base_year: int, *, step: Decimal) -> Decimal:
    """``value`` for ``year``, 5 % a year away from ``base_year``'s, rounded to ``step``;
    ``base_year``'s own value unrounded."""
    if year == base_year:
        return value
    grown = value * (1 + GROWTH * (year - base_year))
    return (grown / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


def load_demo_renstras(
    seeder: Any, *, year: int, indicator: Indicator, users: dict[str, Any]
) -> None:
    """A Renstra for each demo Renja of ``year`` (see the module), and the Renja's links."""
    plan = indicator.plan
    work_plans = WorkPlan.objects.filter(plan=plan, year=year, is_demo=True).select_related("opd")
    for work_plan in work_plans.order_by("opd__code"):
        opd = work_plan.opd
        renstra = seeder.ensure(
            Renstra,
            {"opd": opd, "plan": plan},
            {
                "status": Renstra.Status.APPROVED,
                "submitted_at": SUBMITTED_AT,
                "submitted_by": users.get(f"head:{opd.code}"),
                "reviewed_at": APPROVED_AT,
                "reviewed_by": users["reviewer"],
                "is_demo": True,
            },
        )
        for program in work_plan.programs.order_by("code"):
            line = _program_line(seeder, renstra, program, indicator, year)
            for activity in program.activities.order_by("code"):
                _activity_line(seeder, line, activity, year)


def _program_line(
    seeder: Any, renstra: Renstra, program: Program, indicator: Indicator, year: int
) -> RenstraProgram:
    serves = ExpectedContribution.objects.filter(
        activity__program=program, indicator=indicator
    ).exists()
    line = seeder.ensure(
        RenstraProgram,
        {"renstra": renstra, "code": program.code},
        {
            "name": program.name,
            "outcome_indicator": program.outcome_indicator,
            "outcome_unit": program.outcome_unit,
            "indicator": indicator if serves else None,
        },
    )
    budget = program.activities.aggregate(total=Sum("budget"))["total"] or Decimal(0)
    target = program.outcome_target or Decimal(0)
    for each in renstra.plan.years():
        seeder.ensure(
            RenstraProgramYear,
            {"program": line, "year": each},
            {
                "target": scaled(target, each, year, step=Decimal(1)),
                "budget": scaled(budget, each, year, step=MILLION),
            },
        )
    _link(seeder, Program, program, "renstra_program", line)
    return line


def _activity_line(
    seeder: Any, line: RenstraProgram, activity: Activity, year: int
) -> RenstraActivity:
    own = seeder.ensure(
        RenstraActivity,
        {"program": line, "code": activity.code},
        {
            "name": activity.name,
            "output_indicator": activity.output_indicator,
            "output_unit": activity.output_unit,
        },
    )
    target = activity.output_target or Decimal(0)
    for each in line.renstra.plan.years():
        seeder.ensure(
            RenstraActivityYear,
            {"activity": own, "year": each},
            {"target": scaled(target, each, year, step=Decimal(1))},
        )
    _link(seeder, Activity, activity, "renstra_activity", own)
    return own


def _link(seeder: Any, model: type[Program | Activity], row: Any, name: str, line: Any) -> None:
    """Point the Renja's ``row`` at its Renstra ``line``: set when empty, a conflict when it
    points elsewhere."""
    current = getattr(row, f"{name}_id")
    label = str(model._meta.verbose_name)
    if current is None:
        model._default_manager.filter(pk=row.pk).update(**{name: line})
        seeder.report.created[label] += 1
    elif current != line.pk:
        seeder.report.conflicts.append(f"{label} ({row.code}): {name} is another Renstra line")
