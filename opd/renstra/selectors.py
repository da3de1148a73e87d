"""Reads of a Renstra: what stops it from being submitted, the lines of one year that prefill
that year's Renja, and what the Renstra pages show (the list, one Renstra, its history)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.utils.translation import gettext as _

from opd.agencies import roles
from opd.models import (
    AuditAction,
    Opd,
    Renstra,
    RenstraActivity,
    RenstraActivityYear,
    RenstraAuditEntry,
    RenstraProgram,
    RenstraProgramYear,
)
from opd.nomenclature.checks import NomenclatureCheck, renstra_codes_not_in_nomenclature
from opd.workplans.checklist import Problem
from targets.models import Indicator, Plan, Region


def check_renstra(renstra: Renstra) -> list[Problem]:
    """What stops a Renstra from being submitted (see :func:`problems_for`): four queries."""
    programs = list(
        renstra.programs.prefetch_related("years", "activities__years").order_by("code")
    )
    return problems_for(renstra, programs)


def problems_for(renstra: Renstra, programs: list[RenstraProgram]) -> list[Problem]:
    """What stops a Renstra from being submitted: no program; a program or activity without a
    name; a year of the period without a program's target or budget, or an activity's target.

    ``programs`` are the Renstra's, in page order, with ``years`` and ``activities__years``
    prefetched (the page has them), so no query is made. A problem links to its program's
    rows (``program_id``)."""
    period = list(renstra.plan.years())
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
                        activity.pk,
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


# --- the pages -------------------------------------------------------------------------


def renstras_visible_to(user: Any) -> QuerySet[Renstra]:
    """The Renstras the pages show ``user``: those of the regions a Bappeda user reads and of
    the user's own OPDs (as ``WorkPlan.objects.visible_to``), none for anyone else. The public's approved ones are the API's (``api.visibility``)."""
    if not user.is_authenticated:
        return Renstra.objects.none()
    # The user's own OPDs as a subquery (no query of its own), as ``visible_to``.
    shown = Q(opd_id__in=user.opd_memberships.values("opd_id"))
    regions = roles.readable_region_ids(user)
    if regions:
        shown |= Q(opd__region_id__in=regions)
    return Renstra.objects.filter(shown)


def region_plans(region: Region | None = None) -> list[Plan]:
    """``region``'s RPJMD plans (default: the deployment region's), oldest first: one query."""
    plans = (
        Plan.objects.filter(region__code=settings.DEFAULT_REGION_CODE)
        if region is None
        else Plan.objects.filter(region=region)
    )
    return list(plans.order_by("first_year"))


def current_plan(plans: list[Plan]) -> Plan | None:
    """Of ``plans``, the one covering the portal's default Renja year, else the latest."""
    for plan in plans:
        if settings.RENJA_DEFAULT_YEAR in plan.years():
            return plan
    return plans[-1] if plans else None


@dataclass
class RenstraListRow:
    """An OPD the user sees, with its Renstra for the plan shown (None: not started)."""

    opd: Opd
    renstra: Renstra | None
    programs: int = 0
    activities: int = 0
    budget: Decimal | None = None


def renstra_list(*, user: Any, plan: Plan) -> list[RenstraListRow]:
    """The OPDs ``user`` sees (a reviewer every OPD of the plan's region, a member their own)
    with their Renstra for ``plan``, its number of programs and activities and its indicative
    budget over the period: two queries, however many OPDs."""
    opds = Opd.objects.visible_to(user).filter(region_id=plan.region_id).order_by("code")
    budget = (
        RenstraProgramYear.objects.filter(program__renstra=OuterRef("pk"))
        .order_by()
        .values("program__renstra")
        .annotate(total=Sum("budget"))
        .values("total")
    )
    activities = (
        RenstraActivity.objects.filter(program__renstra=OuterRef("pk"))
        .order_by()
        .values("program__renstra")
        .annotate(n=Count("pk"))
        .values("n")
    )
    renstras = {
        r.opd_id: r
        for r in renstras_visible_to(user)
        .filter(plan=plan)
        .annotate(
            program_count=Count("programs", distinct=True),
            activity_count=Subquery(activities),
            budget_total=Subquery(budget),
        )
    }
    rows = []
    for opd in opds.distinct():
        renstra = renstras.get(opd.pk)
        if renstra is None:
            rows.append(RenstraListRow(opd, None))
            continue
        rows.append(
            RenstraListRow(
                opd,
                renstra,
                programs=renstra.program_count,  # type: ignore[attr-defined]
                activities=renstra.activity_count or 0,  # type: ignore[attr-defined]
                budget=renstra.budget_total,  # type: ignore[attr-defined]
            )
        )
    return rows


@dataclass
class YearCell:
    year: int
    target: Decimal | None
    budget: Decimal | None = None


@dataclass
class ActivityRow:
    activity: RenstraActivity
    cells: list[YearCell]
    has_problem: bool = False


@dataclass
class ProgramRow:
    program: RenstraProgram
    cells: list[YearCell]
    activities: list[ActivityRow]
    has_problem: bool = False

    @property
    def budget(self) -> Decimal:
        """The program's indicative budget over the period (an empty year counts as 0)."""
        return sum((cell.budget or Decimal(0) for cell in self.cells), Decimal(0))


@dataclass
class RenstraPage:
    """Everything the Renstra page shows, read in a fixed number of queries."""

    renstra: Renstra
    years: list[int]
    programs: list[ProgramRow]
    totals: list[YearCell]  # the indicative budget of all programs per year of the period
    problems: list[Problem]
    nomenclature: NomenclatureCheck
    return_comment: RenstraAuditEntry | None
    can_edit: bool
    can_review: bool

    @property
    def total(self) -> Decimal:
        return sum((cell.budget or Decimal(0) for cell in self.totals), Decimal(0))


def load_lines(renstra: Renstra) -> list[RenstraProgram]:
    """The Renstra's programs in code order with their RPJMD indicator, years and activities
    (with their years), prefetched: four queries."""
    activities = RenstraActivity.objects.order_by("code").prefetch_related("years")
    return list(
        renstra.programs.select_related("indicator")
        .order_by("code")
        .prefetch_related("years", Prefetch("activities", activities))
    )


def renstra_page(*, renstra: Renstra, user: Any) -> RenstraPage:
    """The page of ``renstra`` (loaded with its OPD and plan) for ``user``: its lines as a year
    grid with the budget totals per year, the checklist's problems, the nomenclature warning and
    Bappeda's latest return comment. Six queries, however many lines (besides who the user is).
    """
    # Imported here: the steps load the Renja's services, whose prefill reads this module.
    from opd.renstra.steps import can_edit, can_review

    years = list(renstra.plan.years())
    programs = load_lines(renstra)
    problems = problems_for(renstra, programs)
    flagged_programs = {p.program_id for p in problems if p.activity_id is None}
    flagged_activities = {p.activity_id for p in problems}
    rows = []
    totals = {year: Decimal(0) for year in years}
    for program in programs:
        own = {y.year: y for y in program.years.all()}
        cells = []
        for year in years:
            row = own.get(year)
            cell = YearCell(year, row.target if row else None, row.budget if row else None)
            totals[year] += cell.budget or Decimal(0)
            cells.append(cell)
        activity_rows = []
        for activity in program.activities.all():
            targets = {y.year: y.target for y in activity.years.all()}
            activity_rows.append(
                ActivityRow(
                    activity,
                    [YearCell(year, targets.get(year)) for year in years],
                    activity.pk in flagged_activities,
                )
            )
        rows.append(ProgramRow(program, cells, activity_rows, program.pk in flagged_programs))
    comment = None
    if renstra.status == Renstra.Status.RETURNED:
        comment = (
            RenstraAuditEntry.objects.filter(renstra=renstra, action=AuditAction.RETURN)
            .order_by("-at", "-pk")
            .first()
        )
    return RenstraPage(
        renstra=renstra,
        years=years,
        programs=rows,
        totals=[YearCell(year, None, totals[year]) for year in years],
        problems=problems,
        nomenclature=renstra_codes_not_in_nomenclature(renstra),
        return_comment=comment,
        can_edit=can_edit(user, renstra),
        can_review=can_review(user, renstra),
    )


def history_of(renstra: Renstra) -> list[RenstraAuditEntry]:
    """The Renstra's trail, newest first: one query."""
    return list(RenstraAuditEntry.objects.filter(renstra=renstra).order_by("-at", "-pk"))


def plan_indicators(renstra: Renstra) -> list[Indicator]:
    """The indicators of the Renstra's RPJMD plan a program may serve, by code: one query."""
    return list(Indicator.objects.filter(plan_id=renstra.plan_id).order_by("code"))
