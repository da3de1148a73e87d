"""Reads of the Renstra that a Renja starts from and links to (opd.renstra holds the Renstra).

A Renja line links to a line of its own OPD's Renstra for the RPJMD plan of the Renja (the plan
covers the Renja's year: the database holds both rules). The choices below list those lines,
each with the Renja year's target and indicative budget (pagu) beside it, as guidance for the
figures the OPD fills in; each read is one query however many lines there are.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from itertools import groupby
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from opd.models import (
    Renstra,
    RenstraActivity,
    RenstraActivityYear,
    RenstraProgram,
    RenstraProgramYear,
    WorkPlan,
)
from targets.formats import exact, rupiah
from targets.models import Plan

#: The names the program and activity forms post their Renstra line under, and the services
#: save and audit it under, beside the models' editable fields.
PROGRAM_LINK = "renstra_program"
ACTIVITY_LINK = "renstra_activity"


def approved_renstras(*, opd_ids: Iterable[int], year: int) -> dict[int, Renstra]:
    """Per OPD of ``opd_ids``, its approved Renstra whose RPJMD plan covers ``year``: what a
    new Renja of that year may start from (one query)."""
    ids = list(opd_ids)
    if not ids:
        return {}
    # The plan a new Renja of the year joins (``work_plan_create``: the region's earliest plan
    # covering the year, where two plans share a year), not any covering plan: otherwise the
    # list could offer a later plan's Renstra that the start would not use.
    joined = Plan.objects.filter(
        region_id=OuterRef("opd__region_id"), first_year__lte=year, last_year__gte=year
    ).order_by("first_year", "pk")
    found = (
        Renstra.objects.filter(opd_id__in=ids, status=Renstra.Status.APPROVED)
        .filter(plan_id=Subquery(joined.values("pk")[:1]))
        .select_related("plan")
    )
    return {renstra.opd_id: renstra for renstra in found}


def program_lines(work_plan: WorkPlan) -> QuerySet[RenstraProgram]:
    """The programs of the Renstra a program of ``work_plan`` may link to, in code order, with
    the plan year's target and budget as ``year_target`` and ``year_budget``."""
    year = RenstraProgramYear.objects.filter(program=OuterRef("pk"), year=work_plan.year)
    return (
        RenstraProgram.objects.filter(
            renstra__opd_id=work_plan.opd_id, renstra__plan_id=work_plan.plan_id
        )
        .annotate(
            year_target=Subquery(year.values("target")[:1]),
            year_budget=Subquery(year.values("budget")[:1]),
        )
        .order_by("code")
    )


def activity_lines(work_plan: WorkPlan) -> QuerySet[RenstraActivity]:
    """The activities of the Renstra an activity of ``work_plan`` may link to, by program and
    code, with their program, the plan year's target as ``year_target`` and their program's
    pagu of that year as ``program_budget`` (the sum the program's activities split)."""
    year = RenstraActivityYear.objects.filter(activity=OuterRef("pk"), year=work_plan.year)
    pagu = RenstraProgramYear.objects.filter(program=OuterRef("program_id"), year=work_plan.year)
    return (
        RenstraActivity.objects.filter(
            program__renstra__opd_id=work_plan.opd_id, program__renstra__plan_id=work_plan.plan_id
        )
        .select_related("program")
        .annotate(
            year_target=Subquery(year.values("target")[:1]),
            program_budget=Subquery(pagu.values("budget")[:1]),
        )
        .order_by("program__code", "code")
    )


def _target(value: Decimal | None, unit: str) -> str:
    if value is None:
        return _("not set")
    return f"{exact(value)} {unit}".strip()


def program_label(line: RenstraProgram, year: int) -> str:
    """ "1.06.01 Program … (2018: target 250 KK, pagu Rp 2.025.000.000)": the line and the
    guidance its year gives (``line`` from :func:`program_lines`)."""
    budget = getattr(line, "year_budget", None)
    return _("%(line)s (%(year)s: target %(target)s, pagu %(budget)s)") % {
        "line": line,
        "year": year,
        "target": _target(getattr(line, "year_target", None), line.outcome_unit),
        "budget": _pagu(budget),
    }


def activity_label(line: RenstraActivity, year: int) -> str:
    """ "1.06.01.001 Bantuan … (2018: target 100 KK)" (``line`` from :func:`activity_lines`)."""
    return _("%(line)s (%(year)s: target %(target)s)") % {
        "line": line,
        "year": year,
        "target": _target(getattr(line, "year_target", None), line.output_unit),
    }


def _pagu(budget: Decimal | None) -> str:
    return rupiah(budget) if budget is not None else _("none")


def program_choices(work_plan: WorkPlan) -> list[tuple[Any, str]]:
    """The program form's choices: none, then each line with its guidance (one query)."""
    return [("", "—")] + [
        (line.pk, program_label(line, work_plan.year)) for line in program_lines(work_plan)
    ]


def activity_choices(work_plan: WorkPlan) -> list[Any]:
    """The activity form's choices: none, then the lines grouped by their Renstra program
    (an <optgroup> each, named with the program's pagu of the year), one query."""
    choices: list[Any] = [("", "—")]
    for program, group in groupby(activity_lines(work_plan), key=lambda line: line.program):
        rows = list(group)
        label = _("%(program)s (pagu %(year)s: %(budget)s)") % {
            "program": program,
            "year": work_plan.year,
            "budget": _pagu(getattr(rows[0], "program_budget", None)),
        }
        choices.append((label, [(line.pk, activity_label(line, work_plan.year)) for line in rows]))
    return choices
