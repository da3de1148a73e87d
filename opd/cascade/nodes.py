"""The cascade as the reads hand it over: plain dataclasses the pages and the API render.

Every figure below an indicator is read from the rows' annotations (``opd.cascade.selectors``
puts them there), so nothing here queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from opd.cascade.figures import share, total
from opd.models import Activity, Program, RenstraProgram, WorkPlan
from targets.achievement import Achievement
from targets.models import Indicator, Mission, Objective, Plan
from targets.trajectory import PathPoint

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
    """A Renja activity of the year under one indicator.

    ``activity`` carries the year's annotations: ``spent`` and ``output_achieved`` (the sums of
    its quarterly realisations, None when none is reported) and ``renstra_target`` (its
    Renstra activity's output target for the year). ``claimed`` is its claim on the indicator
    in persons (None when it claims none and sits here through its Renstra program);
    ``achieved`` the persons its realisations report for the indicator so far.
    """

    activity: Activity
    claimed: Decimal | None
    achieved: Decimal

    @property
    def spent(self) -> Decimal | None:
        return getattr(self.activity, "spent", None)

    @property
    def output_achieved(self) -> Decimal | None:
        return getattr(self.activity, "output_achieved", None)

    @property
    def renstra_target(self) -> Decimal | None:
        return getattr(self.activity, "renstra_target", None)

    @property
    def output_rate(self) -> Decimal | None:
        """Output achieved ÷ the Renja's output target × 100 (``opd.cascade.figures``)."""
        return share(self.output_achieved, self.activity.output_target)

    @property
    def budget_rate(self) -> Decimal | None:
        """Budget spent ÷ the activity's budget (pagu) × 100."""
        return share(self.spent, self.activity.budget)


@dataclass
class ProgramGroup:
    """A Renja program and its activities under one indicator; the sums are of those shown."""

    program: Program
    activities: list[ActivityLine] = field(default_factory=list)

    @property
    def work_plan(self) -> WorkPlan:
        return self.program.work_plan

    @property
    def claimed(self) -> Decimal:
        return sum((line.claimed or ZERO for line in self.activities), ZERO)

    @property
    def achieved(self) -> Decimal:
        return sum((line.achieved for line in self.activities), ZERO)

    @property
    def budget(self) -> Decimal:
        return sum((line.activity.budget for line in self.activities), ZERO)

    @property
    def spent(self) -> Decimal | None:
        return total(line.spent for line in self.activities)

    @property
    def budget_rate(self) -> Decimal | None:
        return share(self.spent, self.budget)


@dataclass
class RenstraGroup:
    """A Renstra program serving an indicator and the year's Renja programs carrying it out,
    or (``renstra_program`` None) the activities claiming a contribution to the indicator
    whose program is not linked to a Renstra program serving it.

    ``renstra_program`` carries ``year_target`` and ``year_budget``: its outcome target and
    indicative budget for the year, None when the Renstra states none."""

    renstra_program: RenstraProgram | None
    programs: list[ProgramGroup] = field(default_factory=list)

    @property
    def activities(self) -> list[ActivityLine]:
        return [line for program in self.programs for line in program.activities]

    @property
    def target(self) -> Decimal | None:
        return getattr(self.renstra_program, "year_target", None)

    @property
    def planned_budget(self) -> Decimal | None:
        """The Renstra's indicative budget for the year; the Renja's budget without one."""
        if self.renstra_program is None:
            return self.budget
        return getattr(self.renstra_program, "year_budget", None)

    @property
    def claimed(self) -> Decimal:
        return sum((p.claimed for p in self.programs), ZERO)

    @property
    def achieved(self) -> Decimal:
        return sum((p.achieved for p in self.programs), ZERO)

    @property
    def budget(self) -> Decimal:
        """The Renja's budget (pagu) of the activities shown."""
        return sum((p.budget for p in self.programs), ZERO)

    @property
    def spent(self) -> Decimal | None:
        return total(p.spent for p in self.programs)

    @property
    def budget_rate(self) -> Decimal | None:
        """Budget spent ÷ the planned budget (the Renstra's for the year) × 100."""
        return share(self.spent, self.planned_budget)


@dataclass
class IndicatorNode:
    figures: IndicatorYear
    groups: list[RenstraGroup] = field(default_factory=list)

    @property
    def indicator(self) -> Indicator:
        return self.figures.indicator

    @property
    def renstra_groups(self) -> list[RenstraGroup]:
        return [g for g in self.groups if g.renstra_program is not None]

    @property
    def unlinked(self) -> RenstraGroup | None:
        """The group of claiming activities not under a Renstra program serving it."""
        return next((g for g in self.groups if g.renstra_program is None), None)

    @property
    def claimed(self) -> Decimal:
        return sum((g.claimed for g in self.groups), ZERO)

    @property
    def achieved(self) -> Decimal:
        return sum((g.achieved for g in self.groups), ZERO)

    @property
    def budget(self) -> Decimal:
        return sum((g.budget for g in self.groups), ZERO)

    @property
    def spent(self) -> Decimal | None:
        return total(g.spent for g in self.groups)

    @property
    def activity_count(self) -> int:
        return sum(len(g.activities) for g in self.groups)


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
class ChainLink:
    """One indicator above an activity: its figures, the activity's claim on it (``line``),
    and whether the activity's Renstra program serves it (``through_renstra``)."""

    figures: IndicatorYear
    line: ActivityLine
    through_renstra: bool


@dataclass
class ActivityChain:
    """An activity, its Renstra activity and program (with the year's figures, on the
    activity's and its program's annotations), and the chain above each indicator it serves:
    those it claims a contribution to and the one its Renstra program serves."""

    activity: Activity
    year: int
    links: list[ChainLink]

    @property
    def renstra_program(self) -> RenstraProgram | None:
        return self.activity.program.renstra_program

    @property
    def renstra_spent(self) -> Decimal | None:
        """Budget spent in the year by the Renja programs carrying out the Renstra program."""
        return getattr(self.activity, "renstra_spent", None)

    @property
    def renstra_budget_rate(self) -> Decimal | None:
        return share(self.renstra_spent, getattr(self.activity, "renstra_budget", None))

    @property
    def line(self) -> ActivityLine:
        """The activity's own figures (no claim: the links carry those)."""
        return ActivityLine(activity=self.activity, claimed=None, achieved=ZERO)
