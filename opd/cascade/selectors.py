"""Reads for the cascade pages: each runs a fixed number of queries, whatever the number of
programs, activities or indicators.

Down: the RPJMD plan's missions → goals → objectives → indicators, each indicator with the
year's target (the target path, ``targets.trajectory``), its city-wide actual and the
achievement rate (``targets.achievement``), then the Renja activities of the year that claim a
contribution to it, grouped by OPD and program, each with its claimed persons, the persons its
realisations report so far and its budget. Up: one activity and the chain above it.

Scoping: a Bappeda reviewer sees the region they review (``roles.reviewed_region_id``); an
OPD member sees only their own OPDs' activities, and the sums are of those alone.

The Renstra level (the OPD's five-year programs between an indicator and the Renja) is not
read yet: see the RENSTRA markers below and in the templates.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet, Sum

from opd.agencies import roles
from opd.models import (
    AchievedContribution,
    Activity,
    ExpectedContribution,
    Opd,
    Program,
    WorkPlan,
)
from targets.achievement import Achievement, year_achievement
from targets.models import Actual, Indicator, Mission, Objective, Plan, Target
from targets.poverty import PovertyFigure
from targets.trajectory import PathPoint, target_for_year, target_path

ZERO = Decimal(0)


@dataclass(frozen=True)
class IndicatorYear:
    """An indicator's figures in one year: the target path's point, the actual, the rate."""

    indicator: Indicator
    year: int
    point: PathPoint | None
    actual: Decimal | None
    achievement: Achievement


@dataclass
class ActivityLine:
    """An activity's claim on one indicator and what its realisations report so far."""

    activity: Activity
    claimed: Decimal
    achieved: Decimal


@dataclass
class ProgramGroup:
    program: Program
    activities: list[ActivityLine] = field(default_factory=list)

    @property
    def claimed(self) -> Decimal:
        return sum((line.claimed for line in self.activities), ZERO)

    @property
    def achieved(self) -> Decimal:
        return sum((line.achieved for line in self.activities), ZERO)

    @property
    def budget(self) -> Decimal:
        return sum((line.activity.budget for line in self.activities), ZERO)


@dataclass
class OpdGroup:
    opd: Opd
    work_plan: WorkPlan
    programs: list[ProgramGroup] = field(default_factory=list)

    @property
    def claimed(self) -> Decimal:
        return sum((p.claimed for p in self.programs), ZERO)

    @property
    def achieved(self) -> Decimal:
        return sum((p.achieved for p in self.programs), ZERO)

    @property
    def budget(self) -> Decimal:
        return sum((p.budget for p in self.programs), ZERO)


@dataclass
class IndicatorNode:
    figures: IndicatorYear
    opds: list[OpdGroup] = field(default_factory=list)

    @property
    def indicator(self) -> Indicator:
        return self.figures.indicator

    @property
    def claimed(self) -> Decimal:
        return sum((o.claimed for o in self.opds), ZERO)

    @property
    def achieved(self) -> Decimal:
        return sum((o.achieved for o in self.opds), ZERO)

    @property
    def budget(self) -> Decimal:
        return sum((o.budget for o in self.opds), ZERO)

    @property
    def activity_count(self) -> int:
        return sum(len(p.activities) for o in self.opds for p in o.programs)


@dataclass
class ObjectiveNode:
    objective: Objective
    indicators: list[IndicatorNode]


@dataclass
class GoalNode:
    goal: Any
    objectives: list[ObjectiveNode]


@dataclass
class MissionNode:
    mission: Mission
    goals: list[GoalNode]


@dataclass
class Cascade:
    plan: Plan | None
    year: int
    years: list[int]
    missions: list[MissionNode]
    unplaced: list[IndicatorNode]  # indicators of no objective


@dataclass
class ActivityChain:
    """An activity and, for each indicator it claims to serve, the chain above it."""

    activity: Activity
    year: int
    links: list[tuple[IndicatorYear, ActivityLine]]


# --- shared reads --------------------------------------------------------------------------------


def region_plans() -> list[Plan]:
    """The default region's RPJMD plans, oldest first: one query."""
    return list(
        Plan.objects.filter(region__code=settings.DEFAULT_REGION_CODE).order_by("first_year")
    )


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


def visible_contributions(user: Any) -> QuerySet[ExpectedContribution]:
    """The claimed contributions ``user`` may see: the reviewed region's for Bappeda, their own
    OPDs' for an OPD member, none for anyone else."""
    claims = ExpectedContribution.objects.all()
    region_id = roles.reviewed_region_id(user)
    if region_id is not None:
        return claims.filter(activity__program__work_plan__opd__region_id=region_id)
    return claims.filter(activity__program__work_plan__opd_id__in=roles.member_opd_ids(user))


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


# --- down ----------------------------------------------------------------------------------------


def cascade(*, user: Any, year: int | None, public: bool = False) -> Cascade:
    """The cascade of the default region's plan covering ``year`` for ``user``, or for the
    public (``public``: every OPD's approved plans only, whoever asks): ten queries at most
    (nine when no indicator reads the poverty record), whatever
    the number of missions, indicators, programs and activities."""
    plans = region_plans()
    plan, shown_year = choose_plan(plans, year)
    if plan is None:
        return Cascade(plan=None, year=shown_year, years=[], missions=[], unplaced=[])
    missions = list(
        Mission.objects.filter(plan=plan).prefetch_related("goals__objectives")
    )  # three queries
    indicators = list(Indicator.objects.filter(plan=plan).select_related("plan").order_by("code"))
    figures = indicator_years(indicators, shown_year)
    if public:
        visible = ExpectedContribution.objects.filter(
            activity__program__work_plan__status=WorkPlan.Status.APPROVED
        )
    else:
        visible = visible_contributions(user)
    claims = (
        visible.filter(indicator__plan=plan, activity__program__work_plan__year=shown_year)
        .select_related("activity__program__work_plan__opd")
        .order_by(
            "activity__program__work_plan__opd__code",
            "activity__program__code",
            "activity__code",
        )
    )
    achieved = _achieved_sums(claims)
    nodes = {i.pk: IndicatorNode(figures=figures[i.pk]) for i in indicators}
    for claim in claims:
        _place(nodes[claim.indicator_id], claim, achieved)
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


def _place(
    node: IndicatorNode,
    claim: ExpectedContribution,
    achieved: dict[tuple[int, int], Decimal],
) -> None:
    """Add ``claim``'s activity under its OPD and program in ``node`` (claims come ordered)."""
    activity = claim.activity
    program = activity.program
    work_plan = program.work_plan
    if not node.opds or node.opds[-1].opd.pk != work_plan.opd_id:
        node.opds.append(OpdGroup(opd=work_plan.opd, work_plan=work_plan))
    group = node.opds[-1]
    if not group.programs or group.programs[-1].program.pk != program.pk:
        group.programs.append(ProgramGroup(program=program))
    # RENSTRA: the Renstra program this Renja program points at goes between the indicator
    # and the Renja program once opd/renstra/ exists.
    group.programs[-1].activities.append(
        ActivityLine(
            activity=activity,
            claimed=claim.amount,
            achieved=achieved.get((activity.pk, claim.indicator_id), ZERO),
        )
    )


# --- up ------------------------------------------------------------------------------------------


def activity_chain(*, user: Any, activity_id: int) -> ActivityChain | None:
    """``activity_id`` and the chain above it (program, each indicator it claims to serve,
    objective, goal, mission) with the year's figures, or None when ``user`` may not see it:
    six queries at most."""
    claims = visible_contributions(user)
    activity = (
        Activity.objects.filter(pk=activity_id)
        .filter(
            Q(program__work_plan__opd_id__in=roles.member_opd_ids(user))
            | Q(program__work_plan__opd__region_id=roles.reviewed_region_id(user))
        )
        .select_related("program__work_plan__opd", "program__work_plan__plan")
        .first()
    )
    if activity is None:
        return None
    year = activity.program.work_plan.year
    claims = (
        claims.filter(activity=activity)
        .select_related("indicator__plan", "indicator__objective__goal__mission")
        .order_by("indicator__code")
    )
    rows = list(claims)
    achieved = _achieved_sums(claims)
    figures = indicator_years([c.indicator for c in rows], year)
    return ActivityChain(
        activity=activity,
        year=year,
        links=[
            (
                figures[c.indicator_id],
                ActivityLine(
                    activity=activity,
                    claimed=c.amount,
                    achieved=achieved.get((activity.pk, c.indicator_id), ZERO),
                ),
            )
            for c in rows
        ],
    )
