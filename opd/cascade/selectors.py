"""Reads for the cascade (pages and API): each runs a fixed number of queries, whatever the
number of Renstra programs, Renja programs, activities or indicators.

Down: the RPJMD plan's missions → goals → objectives → indicators, each indicator with the
year's target (the target path, ``targets.trajectory``), its city-wide actual and the
achievement rate (``targets.achievement``); under each indicator the visible Renstra programs
serving it (``RenstraProgram.indicator``), each with the year's outcome target and indicative
budget, and under each of them the year's Renja activities whose program carries it out
(``Program.renstra_program``), whether or not they claim a contribution; then, in a group of
their own, the year's activities claiming a contribution to the indicator whose program is not
linked to a Renstra program serving it (not linked at all, linked to one serving another
indicator, or, on the public page, to a Renstra not yet approved).

Realisation, level by level (the year's quarterly reports, as the evaluation table E.81 reads
them; the rates are ``opd.cascade.figures.share``):

- an activity: output achieved (the sum of its quarters) against its Renja output target,
  beside its Renstra activity's target for the year; budget spent against its budget (pagu);
  and the persons claimed and reported for the indicator;
- a Renja program: its shown activities' budget and budget spent (outcomes are not reported
  by quarter, so an outcome has a target but no realisation);
- a Renstra program: the budget spent by the shown activities of the Renja programs carrying it
  out that year, against the Renstra's indicative budget for the year (the budget
  realisation rate); its outcome target is shown, with no realisation, for the same reason;
- the indicator: its actual and achievement rate, as everywhere in the portal.

Up: one activity, its Renstra activity and program with the year's figures, and the chain
above every indicator it serves (claimed, or served by its Renstra program).

Scoping is a :class:`opd.cascade.scope.Scope`; the sums are of what the reader may see.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import OuterRef, Q, QuerySet, Subquery, Sum
from django.utils.translation import gettext as _

from opd.cascade.nodes import (
    ZERO,
    ActivityChain,
    ActivityLine,
    Cascade,
    ChainLink,
    GoalNode,
    IndicatorNode,
    IndicatorYear,
    MissionNode,
    ObjectiveNode,
    ProgramGroup,
    RenstraGroup,
)
from opd.cascade.scope import Scope
from opd.models import (
    AchievedContribution,
    Activity,
    ExpectedContribution,
    Realisation,
    Renstra,
    RenstraActivityYear,
    RenstraProgram,
    RenstraProgramYear,
)
from targets.achievement import year_achievement
from targets.models import Actual, Indicator, Mission, Plan, Region, Target
from targets.poverty import PovertyFigure
from targets.trajectory import target_for_year, target_path


class CascadeQueryError(ValueError):
    """A parameter of a strict read names nothing: ``parameter`` says which."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message


def _no_indicator(code: str | None) -> CascadeQueryError:
    return CascadeQueryError(
        "indicator", _("The RPJMD plan has no indicator coded “%(code)s”.") % {"code": code}
    )


# --- shared reads --------------------------------------------------------------------------------


def region_plans(region: Region | int | None = None) -> list[Plan]:
    """``region``'s RPJMD plans (a region or its id; default: the deployment region's),
    oldest first: one query."""
    plans = (
        Plan.objects.filter(region__code=settings.DEFAULT_REGION_CODE)
        if region is None
        else Plan.objects.filter(region=region)
    )
    return list(plans.order_by("first_year"))


def choose_plan(plans: list[Plan], year: int | None) -> tuple[Plan | None, int]:
    """The plan covering ``year`` (else the default plan year's, else the latest) and the year
    shown: ``year`` when that plan covers it, else the default year or the plan's first."""
    wanted = year if year is not None else settings.RENJA_DEFAULT_YEAR
    for candidate in (wanted, settings.RENJA_DEFAULT_YEAR):
        for plan in plans:
            if candidate in plan.years():
                return plan, candidate
    if not plans:
        return None, wanted
    return plans[-1], plans[-1].first_year


def indicator_years(indicators: list[Indicator], year: int) -> dict[int, IndicatorYear]:
    """Each indicator's target, city-wide actual and achievement rate in ``year``, by id: three
    queries (targets, actuals, the poverty record; that one only when an indicator reads it),
    however many indicators. The poverty record
    wins over an actual entered for the same year, as in ``targets.selectors``."""
    ids = [i.pk for i in indicators]
    stated: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for indicator_id, target_year, value in Target.objects.filter(indicator_id__in=ids).values_list(
        "indicator_id", "year", "value"
    ):
        stated[indicator_id][target_year] = value
    actuals: dict[int, Decimal] = dict(
        Actual.objects.filter(
            indicator_id__in=ids, year=year, kecamatan__isnull=True, kelurahan__isnull=True
        ).values_list("indicator_id", "value")
    )
    measures = {i.record_measure for i in indicators if i.record_measure}
    regions = {i.plan.region_id for i in indicators}
    record = {
        (region_id, measure): value
        for region_id, measure, value in PovertyFigure.objects.filter(
            region_id__in=regions, measure__in=measures, year=year
        ).values_list("region_id", "measure", "value")
    }
    result = {}
    for indicator in indicators:
        path = target_path(
            baseline_year=indicator.baseline_year,
            baseline_value=indicator.baseline_value,
            targets=stated[indicator.pk],
        )
        point = target_for_year(path, year)
        actual = record.get((indicator.plan.region_id, indicator.record_measure))
        if actual is None:
            actual = actuals.get(indicator.pk)
        if actual is None and year == indicator.baseline_year:
            actual = indicator.baseline_value
        result[indicator.pk] = IndicatorYear(
            indicator=indicator,
            year=year,
            point=point,
            actual=actual,
            achievement=year_achievement(
                year=year, baseline=indicator.baseline_value, point=point, actual=actual
            ),
        )
    return result


def _achieved_sums(claims: QuerySet[ExpectedContribution]) -> dict[tuple[int, int], Decimal]:
    """``{(activity id, indicator id): persons reported}`` over every realisation so far, for
    the activities and indicators of ``claims``: one query."""
    rows = (
        AchievedContribution.objects.filter(
            Q(realisation__activity_id__in=claims.values("activity_id")),
            Q(indicator_id__in=claims.values("indicator_id")),
        )
        .values("realisation__activity_id", "indicator_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {(r["realisation__activity_id"], r["indicator_id"]): r["total"] for r in rows}


def _realised(field: str) -> Subquery:
    """The sum of an activity's quarterly ``field`` (None without a report), as a subquery."""
    return Subquery(
        Realisation.objects.filter(activity=OuterRef("pk"))
        .order_by()
        .values("activity")
        .annotate(total=Sum(field))
        .values("total")
    )


def with_year_figures(
    activities: QuerySet[Activity], year: Any, renstras: QuerySet[Renstra]
) -> QuerySet[Activity]:
    """``activities`` annotated with ``spent`` and ``output_achieved`` (their quarters' sums)
    and ``renstra_target`` (their Renstra activity's output target in ``year``, a number or an
    ``OuterRef``, only from ``renstras``: an approved Renja may point at a Renstra still in
    draft, whose figures a public reader must not see): subqueries of the one query."""
    renstra_year = RenstraActivityYear.objects.filter(
        activity=OuterRef("renstra_activity"),
        activity__program__renstra__in=renstras.values("pk"),
    )
    return activities.annotate(
        spent=_realised("budget_spent"),
        output_achieved=_realised("output_achieved"),
        renstra_target=Subquery(renstra_year.filter(year=year).values("target")[:1]),
    )


# --- down ----------------------------------------------------------------------------------------


def cascade(
    *,
    scope: Scope,
    year: int | None,
    indicator_code: str | None = None,
    strict: bool = False,
    region: Region | int | None = None,
) -> Cascade:
    """The cascade of ``region``'s plan (default: the deployment region's) covering ``year``
    as ``scope`` sees it, every
    indicator or the one coded ``indicator_code``: eleven queries (twelve when an indicator
    reads the poverty record), whatever the number of missions, indicators, Renstra
    programs, Renja programs and activities.

    A year no plan covers shows the default year, unless ``strict``: then it raises
    :class:`CascadeQueryError` naming ``year``, as it does (strict or not) naming
    ``indicator`` for a code the plan does not have (any code, when no plan is loaded)."""
    plans = region_plans(region)
    plan, shown_year = choose_plan(plans, year)
    if strict and year is not None and (plan is None or shown_year != year):
        spans = ", ".join(f"{p.first_year}–{p.last_year}" for p in plans) or "–"
        raise CascadeQueryError(
            "year",
            _("No RPJMD plan covers %(year)s (plans: %(spans)s).") % {"year": year, "spans": spans},
        )
    if plan is None and indicator_code is None:
        return Cascade(plan=None, year=shown_year, years=[], missions=[], unplaced=[])
    if plan is None:
        raise _no_indicator(indicator_code)
    missions = list(
        Mission.objects.filter(plan=plan).prefetch_related("goals__objectives")
    )  # three queries
    indicators_qs = Indicator.objects.filter(plan=plan).select_related("plan").order_by("code")
    if indicator_code is not None:
        indicators_qs = indicators_qs.filter(code=indicator_code)
    indicators = list(indicators_qs)
    if indicator_code is not None and not indicators:
        raise _no_indicator(indicator_code)
    figures = indicator_years(indicators, shown_year)
    nodes = _indicator_nodes(scope, plan, shown_year, indicators, figures)
    by_objective: dict[int | None, list[IndicatorNode]] = defaultdict(list)
    for indicator in indicators:
        by_objective[indicator.objective_id].append(nodes[indicator.pk])
    mission_nodes = [
        MissionNode(
            mission=mission,
            goals=[
                GoalNode(
                    goal=goal,
                    objectives=[
                        ObjectiveNode(objective=o, indicators=by_objective.get(o.pk, []))
                        for o in goal.objectives.all()
                    ],
                )
                for goal in mission.goals.all()
            ],
        )
        for mission in missions
    ]
    return Cascade(
        plan=plan,
        year=shown_year,
        years=list(plan.years()),
        missions=mission_nodes,
        unplaced=by_objective.get(None, []),
    )


def _indicator_nodes(
    scope: Scope,
    plan: Plan,
    year: int,
    indicators: list[Indicator],
    figures: dict[int, IndicatorYear],
) -> dict[int, IndicatorNode]:
    """Each indicator's node with its Renstra groups and activities: four queries (the
    serving Renstra programs, the activities, the claims, the persons reported)."""
    ids = [i.pk for i in indicators]
    program_year = RenstraProgramYear.objects.filter(program=OuterRef("pk"), year=year)
    serving = RenstraProgram.objects.filter(
        renstra__in=scope.renstras.values("pk"), indicator_id__in=ids
    )
    renstra_programs = list(
        serving.select_related("renstra__opd")
        .annotate(
            year_target=Subquery(program_year.values("target")[:1]),
            year_budget=Subquery(program_year.values("budget")[:1]),
        )
        .order_by("renstra__opd__code", "code")
    )
    claims = scope.claims().filter(indicator_id__in=ids, activity__program__work_plan__year=year)
    activities = list(
        with_year_figures(
            Activity.objects.filter(
                program__work_plan__in=scope.work_plans.values("pk"),
                program__work_plan__plan=plan,
                program__work_plan__year=year,
            ).filter(
                Q(pk__in=claims.values("activity_id"))
                | Q(program__renstra_program__in=serving.values("pk"))
            ),
            year,
            scope.renstras,
        )
        .select_related("program__work_plan__opd")
        .order_by("program__work_plan__opd__code", "program__code", "code")
    )
    claimed: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for activity_id, indicator_id, amount in claims.values_list(
        "activity_id", "indicator_id", "amount"
    ):
        claimed[indicator_id][activity_id] = amount
    achieved = _achieved_sums(claims)
    under: dict[int, list[Activity]] = defaultdict(list)
    for activity in activities:
        if activity.program.renstra_program_id is not None:
            under[activity.program.renstra_program_id].append(activity)
    nodes = {}
    for indicator in indicators:
        node = IndicatorNode(figures=figures[indicator.pk])
        here = claimed[indicator.pk]
        served = set()
        for line in renstra_programs:
            if line.indicator_id == indicator.pk:
                served.add(line.pk)
                node.groups.append(_group(line, under[line.pk], indicator.pk, here, achieved))
        others = [
            a for a in activities if a.pk in here and a.program.renstra_program_id not in served
        ]
        if others:
            node.groups.append(_group(None, others, indicator.pk, here, achieved))
        nodes[indicator.pk] = node
    return nodes


def _group(
    renstra_program: RenstraProgram | None,
    activities: list[Activity],
    indicator_id: int,
    claimed: dict[int, Decimal],
    achieved: dict[tuple[int, int], Decimal],
) -> RenstraGroup:
    """A Renstra group of ``activities`` (ordered by OPD, program, code) under their programs."""
    group = RenstraGroup(renstra_program=renstra_program)
    for activity in activities:
        if not group.programs or group.programs[-1].program.pk != activity.program_id:
            group.programs.append(ProgramGroup(program=activity.program))
        group.programs[-1].activities.append(
            ActivityLine(
                activity=activity,
                claimed=claimed.get(activity.pk),
                achieved=achieved.get((activity.pk, indicator_id), ZERO),
            )
        )
    return group


# --- up ------------------------------------------------------------------------------------------


def activity_chain(*, scope: Scope, activity_id: int) -> ActivityChain | None:
    """``activity_id`` and what is above it: its Renja program, its Renstra activity and
    program with the year's targets, budget and budget spent, and each indicator it serves
    (claimed, or served by its Renstra program) with its objective, goal and mission and the
    year's figures; None when ``scope`` does not show it. Six queries at most."""
    year = OuterRef("program__work_plan__year")
    renstra_line = OuterRef("program__renstra_program")
    program_year = RenstraProgramYear.objects.filter(program=renstra_line, year=year)
    renstra_spent = (
        Realisation.objects.filter(
            activity__program__renstra_program=renstra_line, activity__program__work_plan__year=year
        )
        .order_by()
        .values("activity__program__renstra_program")
        .annotate(total=Sum("budget_spent"))
        .values("total")
    )
    served = "program__renstra_program__indicator"
    activity = (
        with_year_figures(
            Activity.objects.filter(
                pk=activity_id, program__work_plan__in=scope.work_plans.values("pk")
            ),
            year,
            scope.renstras,
        )
        .annotate(
            renstra_year_target=Subquery(program_year.values("target")[:1]),
            renstra_budget=Subquery(program_year.values("budget")[:1]),
            renstra_spent=Subquery(renstra_spent),
        )
        .select_related(
            "program__work_plan__opd__region",
            "program__work_plan__plan",
            "program__renstra_program__renstra__opd",
            f"{served}__plan",
            f"{served}__objective__goal__mission",
            "renstra_activity",
        )
        .first()
    )
    if activity is None:
        return None
    claims = (
        ExpectedContribution.objects.filter(activity=activity)
        .select_related("indicator__plan", "indicator__objective__goal__mission")
        .order_by("indicator__code")
    )
    rows = list(claims)
    achieved = _achieved_sums(claims)
    indicators = {c.indicator_id: c.indicator for c in rows}
    renstra_program = activity.program.renstra_program
    if renstra_program is not None and renstra_program.indicator is not None:
        indicators.setdefault(renstra_program.indicator.pk, renstra_program.indicator)
    activity_year = activity.program.work_plan.year
    figures = indicator_years(list(indicators.values()), activity_year)
    amounts = {c.indicator_id: c.amount for c in rows}
    links = [
        ChainLink(
            figures=figures[indicator.pk],
            line=ActivityLine(
                activity=activity,
                claimed=amounts.get(indicator.pk),
                achieved=achieved.get((activity.pk, indicator.pk), ZERO),
            ),
            through_renstra=renstra_program is not None
            and renstra_program.indicator_id == indicator.pk,
        )
        for indicator in sorted(indicators.values(), key=lambda i: i.code)
    ]
    return ActivityChain(activity=activity, year=activity_year, links=links)
