"""Reads of a Renstra: what stops it from being submitted, and the lines of one year that
prefill that year's Renja."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from opd.models import (
    Renstra,
    RenstraActivity,
    RenstraActivityYear,
    RenstraProgram,
    RenstraProgramYear,
)
from opd.workplans.checklist import Problem


def check_renstra(renstra: Renstra) -> list[Problem]:
    """What stops a Renstra from being submitted: no program; a program or activity without a
    name; a year of the period without a program's target or budget, or an activity's target."""
    period = list(renstra.plan.years())
    programs = list(
        renstra.programs.prefetch_related("years", "activities__years").order_by("code")
    )
    problems: list[Problem] = []
    if not programs:
        problems.append(Problem("no_programs", _("The Renstra has no programs yet.")))
    for program in programs:
        label = str(program)
        if not program.name.strip():
            problems.append(Problem("program_name", _("A program has no name."), None, label))
        have = {y.year: y for y in program.years.all()}
        for year in period:
            row = have.get(year)
            if row is None or row.target is None or row.budget is None:
                problems.append(
                    Problem(
                        "program_year",
                        _("%(program)s has no target or budget for %(year)s.")
                        % {"program": program.code, "year": year},
                        None,
                        label,
                        program.pk,
                    )
                )
        for activity in program.activities.all():
            targets = {y.year: y.target for y in activity.years.all()}
            missing = [year for year in period if targets.get(year) is None]
            if missing:
                problems.append(
                    Problem(
                        "activity_year",
                        _("%(activity)s has no target for %(year)s.")
                        % {"activity": activity.code, "year": missing[0]},
                        None,
                        str(activity),
                        program.pk,
                    )
                )
    return problems


@dataclass
class ActivityLine:
    activity: RenstraActivity
    target: Decimal | None


@dataclass
class ProgramLine:
    program: RenstraProgram
    target: Decimal | None
    budget: Decimal | None
    activities: list[ActivityLine] = field(default_factory=list)


def renja_lines_for_year(renstra: Renstra, year: int) -> list[ProgramLine]:
    """The Renstra's programs and activities with ``year``'s targets and budgets, in code order,
    for prefilling that year's Renja: four queries, however many lines."""
    programs = renstra.programs.order_by("code").prefetch_related(
        Prefetch("years", RenstraProgramYear.objects.filter(year=year), to_attr="the_year"),
        Prefetch(
            "activities",
            RenstraActivity.objects.order_by("code").prefetch_related(
                Prefetch("years", RenstraActivityYear.objects.filter(year=year), to_attr="the_year")
            ),
            to_attr="ordered_activities",
        ),
    )
    lines = []
    for program in programs:
        row = program.the_year[0] if program.the_year else None  # type: ignore[attr-defined]
        line = ProgramLine(program, row.target if row else None, row.budget if row else None)
        for activity in program.ordered_activities:  # type: ignore[attr-defined]
            own = activity.the_year[0] if activity.the_year else None
            line.activities.append(ActivityLine(activity, own.target if own else None))
        lines.append(line)
    return lines
