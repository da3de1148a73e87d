"""The figures of the quarterly evaluation's rows (E.81): what each activity and program
reported this year, and what its Renstra line plans and its earlier Renja lines realised.

The rules of the Renstra columns (5, 6, 13, 14) are in :mod:`opd.dashboards.renstra_progress`;
this module feeds them with three narrow reads, whatever the number of rows
(:func:`renstra_inputs`), and lays a row's figures out in the columns' order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from opd.dashboards.renstra_progress import (
    EMPTY,
    Pair,
    Period,
    RenstraColumns,
    activity_target,
    percent,
    program_target,
    renstra_columns,
)
from opd.models import (
    AchievedContribution,
    Activity,
    ExpectedContribution,
    Program,
    RenstraActivityYear,
    RenstraProgramYear,
    WorkPlan,
)
from targets.models import Indicator

QUARTERS = (1, 2, 3, 4)


@dataclass
class Results:
    """What an activity reported (or a program's activities together), for the evaluation."""

    outputs: dict[int, Decimal] = field(default_factory=dict)  # by quarter
    spent: dict[int, Decimal] = field(default_factory=dict)
    planned: dict[int, Decimal] = field(default_factory=dict)  # persons, by indicator id
    achieved: dict[int, Decimal] = field(default_factory=dict)

    def add(self, other: Results) -> None:
        """Sum ``other``'s money and persons into these (outputs of different activities
        are in different units, so they are not summed)."""
        for mine, theirs in (
            (self.spent, other.spent),
            (self.planned, other.planned),
            (self.achieved, other.achieved),
        ):
            for key, amount in theirs.items():
                mine[key] = mine.get(key, Decimal(0)) + amount

    def persons(self, indicators: Sequence[Indicator]) -> list[Decimal | None]:
        """Persons planned and achieved for each of ``indicators``, in that order."""
        values: list[Decimal | None] = []
        for indicator in indicators:
            values += [self.planned.get(indicator.pk), self.achieved.get(indicator.pk)]
        return values


def results_of(activity: Activity) -> Results:
    """What ``activity`` reported, from its prefetched realisations and plans (no query)."""
    results = Results()
    for realisation in activity.realisations.all():
        results.outputs[realisation.quarter] = realisation.output_achieved
        results.spent[realisation.quarter] = realisation.budget_spent
        for achieved in realisation.achieved_contributions.all():
            if achieved.indicator.is_population_share:
                amount = results.achieved.get(achieved.indicator_id, Decimal(0))
                results.achieved[achieved.indicator_id] = amount + achieved.amount
    for expected in activity.expected_contributions.all():
        if expected.indicator.is_population_share:
            results.planned[expected.indicator_id] = expected.amount
    return results


def population_indicators(plans: Sequence[WorkPlan]) -> list[Indicator]:
    """The population-share indicators the file's activities plan or report persons for."""
    found: dict[int, Indicator] = {}
    for plan in plans:
        for program in plan.programs.all():
            for activity in program.activities.all():
                rows: list[ExpectedContribution | AchievedContribution] = list(
                    activity.expected_contributions.all()
                )
                for realisation in activity.realisations.all():
                    rows += realisation.achieved_contributions.all()
                for contribution in rows:
                    if contribution.indicator.is_population_share:
                        found[contribution.indicator_id] = contribution.indicator
    return sorted(found.values(), key=lambda i: i.code)


@dataclass
class LineYears:
    """A Renstra line's yearly targets (and a program's budgets) and its period."""

    period: Period
    targets: dict[int, Decimal | None] = field(default_factory=dict)
    budgets: dict[int, Decimal | None] = field(default_factory=dict)


@dataclass
class RenstraInputs:
    """What the Renstra columns of a file read, by Renstra line id."""

    programs: dict[int, LineYears] = field(default_factory=dict)
    activities: dict[int, LineYears] = field(default_factory=dict)
    # What each earlier year's Renja line linked to the Renstra line realised, one pair each.
    programs_before: dict[int, list[Pair]] = field(default_factory=lambda: defaultdict(list))
    activities_before: dict[int, list[Pair]] = field(default_factory=lambda: defaultdict(list))


def renstra_inputs(plans: Sequence[WorkPlan], *, year: int) -> RenstraInputs:
    """The Renstra lines the ``plans``' programs and activities point at, with their years, and
    what the Renja lines of the same OPDs in the period's years before ``year`` realised: three
    queries however many rows (none without plans)."""
    inputs = RenstraInputs()
    if not plans:
        return inputs
    plan_ids = [plan.pk for plan in plans]
    period = ("renstra__plan__first_year", "renstra__plan__last_year")
    program_years = RenstraProgramYear.objects.filter(
        program__in=Program.objects.filter(work_plan__in=plan_ids).values("renstra_program")
    ).values_list("program_id", "year", "target", "budget", *(f"program__{p}" for p in period))
    for line, each, target, budget, first, last in program_years:
        years = inputs.programs.setdefault(line, LineYears(Period(first, last)))
        years.targets[each], years.budgets[each] = target, budget
    activity_years = RenstraActivityYear.objects.filter(
        activity__in=Activity.objects.filter(program__work_plan__in=plan_ids).values(
            "renstra_activity"
        )
    ).values_list("activity_id", "year", "target", *(f"activity__program__{p}" for p in period))
    for line, each, target, first, last in activity_years:
        inputs.activities.setdefault(line, LineYears(Period(first, last))).targets[each] = target
    _earlier_lines(inputs, opd_ids={plan.opd_id for plan in plans}, year=year)
    return inputs


def _earlier_lines(inputs: RenstraInputs, *, opd_ids: set[int], year: int) -> None:
    """Fill ``inputs``' earlier realisations: one query, a row per earlier (program, activity).

    A Renja line links only to a Renstra line of its own OPD and RPJMD plan, and a work plan's
    year lies in its plan's period (database rules): the OPDs' plans of the years before
    ``year`` hold every line that can match, all of them in the period; the rows of lines
    linked elsewhere or nowhere are skipped here."""
    rows = (
        Program.objects.filter(work_plan__opd__in=opd_ids, work_plan__year__lt=year)
        .values("pk", "renstra_program", "activities", "activities__renstra_activity")
        .annotate(
            output=Sum("activities__realisations__output_achieved"),
            spent=Sum("activities__realisations__budget_spent"),
        )
        .order_by()
    )
    programs: dict[int, tuple[int | None, Decimal]] = {}
    for row in rows:
        spent = row["spent"] or Decimal(0)
        line, so_far = programs.get(row["pk"], (row["renstra_program"], Decimal(0)))
        programs[row["pk"]] = (line, so_far + spent)
        if row["activities"] is not None and row["activities__renstra_activity"] is not None:
            pair = Pair(row["output"] or Decimal(0), spent)
            inputs.activities_before[row["activities__renstra_activity"]].append(pair)
    for line, spent in programs.values():
        if line is not None:
            # Outcomes are not reported by quarter: a program realises money only.
            inputs.programs_before[line].append(Pair(None, spent))


@dataclass(frozen=True)
class RowFigures:
    """The value columns of one row: 5 to 14, each a pair, and the Renja's achievement."""

    renstra: RenstraColumns  # 5, 6, 13, 14
    renja: Pair  # 7
    quarters: tuple[Pair, Pair, Pair, Pair]  # 8-11
    evaluated: Pair  # 12

    @property
    def renja_rate(self) -> Pair:
        """Column 12 ÷ column 7 × 100 (rounded as every percent of the evaluation)."""
        return Pair(
            percent(self.evaluated.output, self.renja.output),
            percent(self.evaluated.money, self.renja.money),
        )

    def official(self) -> list[Decimal | None]:
        """Columns 5 to 14 in the layout's order, K then Rp in each."""
        pairs = [
            self.renstra.target,
            self.renstra.before,
            self.renja,
            *self.quarters,
            self.evaluated,
            self.renstra.to_date,
            self.renstra.rate,
        ]
        return [value for pair in pairs for value in (pair.output, pair.money)]


def _quarters(
    outputs: dict[int, Decimal], spent: dict[int, Decimal]
) -> tuple[Pair, Pair, Pair, Pair]:
    first, second, third, fourth = (Pair(outputs.get(q), spent.get(q)) for q in QUARTERS)
    return first, second, third, fourth


def activity_figures(activity: Activity, results: Results, inputs: RenstraInputs) -> RowFigures:
    """An activity's row: its target and budget, the quarters, their sum (0 without a report),
    and its Renstra line's columns (empty without one)."""
    evaluated = Pair(
        sum(results.outputs.values(), Decimal(0)), sum(results.spent.values(), Decimal(0))
    )
    line = activity.renstra_activity_id
    years = inputs.activities.get(line) if line is not None else None
    renstra = renstra_columns(
        linked=line is not None,
        target=activity_target(years.targets, years.period) if years else EMPTY,
        before=inputs.activities_before.get(line, []) if line is not None else [],
        this_year=evaluated,
    )
    return RowFigures(
        renstra,
        Pair(activity.output_target, activity.budget),
        _quarters(results.outputs, results.spent),
        evaluated,
    )


def program_figures(
    program: Program, results: Results, budget: Decimal, inputs: RenstraInputs
) -> RowFigures:
    """A program's row: its outcome target and the money of its activities together (outcomes
    are not reported by quarter, so those K columns stay empty), and its Renstra line's
    columns (empty without one)."""
    evaluated = Pair(None, sum(results.spent.values(), Decimal(0)))
    line = program.renstra_program_id
    years = inputs.programs.get(line) if line is not None else None
    renstra = renstra_columns(
        linked=line is not None,
        target=program_target(years.targets, years.budgets, years.period) if years else EMPTY,
        before=inputs.programs_before.get(line, []) if line is not None else [],
        this_year=evaluated,
    )
    return RowFigures(
        renstra, Pair(program.outcome_target, budget), _quarters({}, results.spent), evaluated
    )
