"""The contribution method of design section 5, as pure Python: inputs in, results out.

No Django import: everything a year's result depends on arrives in
:class:`IndicatorInputs`, so the method can be tested, explained and published
on its own. Figures are exact ``Decimal``s; nothing is rounded except the
required persons, which are whole people (rounded half up).

For one indicator and plan year y:

1. T(y), the target path: stated targets and the baseline, linearly interpolated between them.
2. R(y), the reference: the most recent actual before y (the baseline counts as one).
3. D(y) = R − T for a ``down`` indicator (T − R for ``up``), floored at 0; for a
   population-share indicator N(y) = D / 100 × P(y) persons, P(y) the population
   recorded for y or else the latest before it. Otherwise N(y) = D(y), in the
   indicator's own unit.
4. Planned contribution of an OPD: its expected contributions in its plan for y,
   counted only when the plan is submitted or approved (reported separately too).
5. Achieved contribution: the realisations' achieved contributions of those plans.
6. Share = planned / N; coverage = Σ planned / N (none when N = 0).
7. Aligned budget: the budget of activities contributing to the indicator;
   alignment = aligned / total budget; cost per person = aligned / planned. Counted
   like the persons; each row also keeps its plan's own budgets, counted or not.
8. Projection (population share): R − Σ achieved / P × 100 for ``down``
   (R + … for ``up``); the planned projection likewise with Σ planned.
9. Status: with an actual recorded for y, ``achieved`` if it meets T else
   ``missed``; otherwise ``on_track`` (coverage ≥ 1 or N = 0), ``at_risk``
   (≥ 0.8) or ``off_track``. Missing inputs give ``no_data`` with the reason.

Design section 7 adds the **deduplicated** figures beside these gross ones when any counted
activity has a beneficiary list (:mod:`opd.engine.dedup`, from the lists' pattern counts):
then the coverage that decides the status is the deduplicated one, and the result says so
(``status_basis``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from opd.engine.dedup import Deduplicated, ListInput, PatternInput, deduplicated
from targets.trajectory import PathPoint, PointKind, target_for_year, target_path

COUNTED_STATUSES = frozenset({"submitted", "approved"})
AT_RISK_FROM = Decimal("0.8")
ZERO = Decimal(0)


class Status(StrEnum):
    ACHIEVED = "achieved"
    MISSED = "missed"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NO_DATA = "no_data"


class Missing(StrEnum):
    """Why a year's status is ``no_data``."""

    TARGET = "no_target"
    REFERENCE = "no_reference"
    POPULATION = "no_population"


@dataclass(frozen=True)
class OpdInput:
    """One OPD's work plan for the year, summed for the indicator."""

    opd_id: int
    status: str | None  # the work plan's status; None when the OPD has no plan for the year
    planned: Decimal = ZERO  # Σ expected contributions to the indicator
    achieved: Decimal = ZERO  # Σ achieved contributions in the realisations
    aligned_budget: Decimal = ZERO  # Σ budget of activities contributing to the indicator
    total_budget: Decimal = ZERO  # Σ budget of all the plan's activities


@dataclass(frozen=True)
class IndicatorInputs:
    direction: str  # "down" or "up"
    is_population_share: bool
    baseline_year: int
    baseline_value: Decimal
    targets: Mapping[int, Decimal]
    actuals: Mapping[int, Decimal]
    population: Mapping[int, int]
    opds: Sequence[OpdInput] = ()
    # Section 7: the counted activities with a list, and the persons by pattern of lists.
    lists: Sequence[ListInput] = ()
    patterns: Sequence[PatternInput] = ()


@dataclass(frozen=True)
class OpdResult:
    opd_id: int
    status: str | None
    counted: bool
    planned: Decimal
    planned_submitted: Decimal
    planned_approved: Decimal
    achieved: Decimal
    share: Decimal | None
    aligned_budget: Decimal
    total_budget: Decimal
    alignment: Decimal | None
    cost_per_person: Decimal | None
    # The plan's own budgets, counted or not: what a plan that does not count would add
    # (step 7 counts only ``aligned_budget`` and ``total_budget`` above).
    plan_aligned_budget: Decimal = ZERO
    plan_total_budget: Decimal = ZERO
    # Section 7: its Shapley parts of the listed persons + its claims without a list (4 places).
    planned_deduplicated: Decimal = ZERO
    achieved_deduplicated: Decimal = ZERO


@dataclass(frozen=True)
class YearResult:
    year: int
    status: Status
    missing: tuple[Missing, ...]
    path: tuple[PathPoint, ...]
    target: Decimal | None
    target_kind: PointKind | None
    reference: Decimal | None
    reference_year: int | None
    required_change: Decimal | None
    population: int | None
    population_year: int | None
    required: Decimal | None  # N: persons for a population share, else indicator units
    planned: Decimal
    planned_submitted: Decimal
    planned_approved: Decimal
    achieved: Decimal
    coverage: Decimal | None
    actual: Decimal | None
    projected_planned: Decimal | None
    projected_achieved: Decimal | None
    opds: tuple[OpdResult, ...] = field(default=())
    # Section 7: None when no counted activity has a list (deduplicated = gross).
    deduplicated: Deduplicated | None = None
    coverage_deduplicated: Decimal | None = None
    status_basis: str = "gross"  # or "deduplicated": which coverage decided ``status``

    @property
    def planned_deduplicated(self) -> Decimal:
        return self.deduplicated.planned.deduplicated if self.deduplicated else self.planned

    @property
    def planned_approved_deduplicated(self) -> Decimal:
        if self.deduplicated:
            return self.deduplicated.planned_approved
        return self.planned_approved

    @property
    def achieved_deduplicated(self) -> Decimal:
        return self.deduplicated.achieved.deduplicated if self.deduplicated else self.achieved


def reference_for(inputs: IndicatorInputs, year: int) -> tuple[int, Decimal] | None:
    """R(y): the most recent actual before ``year``; the baseline counts as an actual."""
    known = {**{inputs.baseline_year: inputs.baseline_value}, **inputs.actuals}
    earlier = [y for y in known if y < year]
    if not earlier:
        return None
    latest = max(earlier)
    return latest, Decimal(known[latest])


def population_for(inputs: IndicatorInputs, year: int) -> tuple[int, int] | None:
    """P(y): the population recorded for ``year``, else the latest recorded before it."""
    candidates = [y for y in inputs.population if y <= year]
    if not candidates:
        return None
    latest = max(candidates)
    return latest, inputs.population[latest]


def round_persons(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def projection(reference: Decimal, persons: Decimal, population: int, direction: str) -> Decimal:
    """Step 8: the share once ``persons`` more people count, R − persons / P × 100 for a
    ``down`` indicator (R + … for ``up``)."""
    sign = -1 if direction == "down" else 1
    return reference + sign * persons / population * 100


def _ratio(numerator: Decimal, denominator: Decimal | None) -> Decimal | None:
    if denominator is None or denominator == 0:
        return None
    return numerator / denominator


def _meets(direction: str, actual: Decimal, target: Decimal) -> bool:
    return actual <= target if direction == "down" else actual >= target


def year_status(
    *,
    direction: str,
    target: Decimal | None,
    actual: Decimal | None,
    missing: bool,
    required: Decimal | None,
    coverage: Decimal | None,
) -> Status:
    """Step 9: with an actual for the year (and a target), ``achieved`` or ``missed``; else
    ``no_data`` when inputs are missing; else by ``coverage``, the planned persons counted
    over N. The public page passes the approved plans' coverage, Bappeda's every counted one."""
    if actual is not None and target is not None:
        return Status.ACHIEVED if _meets(direction, actual, target) else Status.MISSED
    if missing or required is None:
        return Status.NO_DATA
    if required == 0 or (coverage is not None and coverage >= 1):
        return Status.ON_TRACK
    if coverage is not None and coverage >= AT_RISK_FROM:
        return Status.AT_RISK
    return Status.OFF_TRACK


def coverage_of(planned: Decimal, required: Decimal | None) -> Decimal | None:
    """Step 6's coverage: ``planned`` over N (none when N is 0 or unknown)."""
    return _ratio(planned, required)


def compute(inputs: IndicatorInputs, year: int) -> YearResult:
    """The year's result for the indicator, by the method in this module's docstring."""
    path = tuple(
        target_path(
            baseline_year=inputs.baseline_year,
            baseline_value=inputs.baseline_value,
            targets=inputs.targets,
        )
    )
    point = target_for_year(list(path), year)
    reference = reference_for(inputs, year)
    population = population_for(inputs, year) if inputs.is_population_share else None

    missing: list[Missing] = []
    if point is None:
        missing.append(Missing.TARGET)
    if reference is None:
        missing.append(Missing.REFERENCE)
    if inputs.is_population_share and population is None:
        missing.append(Missing.POPULATION)

    required_change: Decimal | None = None
    required: Decimal | None = None
    if point is not None and reference is not None:
        gap = (
            reference[1] - point.value if inputs.direction == "down" else point.value - reference[1]
        )
        required_change = max(gap, ZERO)
        if not inputs.is_population_share:
            required = required_change
        elif population is not None:
            required = round_persons(required_change / 100 * population[1])

    rows = tuple(_opd_result(opd, required) for opd in inputs.opds)
    planned_submitted = sum((r.planned_submitted for r in rows), ZERO)
    planned_approved = sum((r.planned_approved for r in rows), ZERO)
    planned = planned_submitted + planned_approved
    achieved = sum((r.achieved for r in rows), ZERO)
    coverage = _ratio(planned, required)

    dedup = deduplicated(
        inputs.lists,
        inputs.patterns,
        planned={r.opd_id: r.planned for r in rows if r.counted},
        achieved={r.opd_id: r.achieved for r in rows if r.counted},
        approved={r.opd_id: r.planned_approved for r in rows if r.status == "approved"},
    )
    coverage_deduplicated = coverage
    if dedup is not None:
        coverage_deduplicated = _ratio(dedup.planned.deduplicated, required)
        rows = tuple(
            replace(
                r,
                planned_deduplicated=dedup.opd_planned(r.opd_id, r.planned),
                achieved_deduplicated=dedup.opd_achieved(r.opd_id, r.achieved),
            )
            for r in rows
        )
    else:
        rows = tuple(
            replace(r, planned_deduplicated=r.planned, achieved_deduplicated=r.achieved)
            for r in rows
        )

    projected_planned = projected_achieved = None
    if inputs.is_population_share and reference is not None and population is not None:
        projected_planned = projection(reference[1], planned, population[1], inputs.direction)
        projected_achieved = projection(reference[1], achieved, population[1], inputs.direction)

    actual = inputs.actuals.get(year)
    actual = Decimal(actual) if actual is not None else None
    status = year_status(
        direction=inputs.direction,
        target=point.value if point else None,
        actual=actual,
        missing=bool(missing),
        required=required,
        coverage=coverage_deduplicated,
    )

    return YearResult(
        year=year,
        status=status,
        missing=tuple(missing),
        path=path,
        target=point.value if point else None,
        target_kind=point.kind if point else None,
        reference=reference[1] if reference else None,
        reference_year=reference[0] if reference else None,
        required_change=required_change,
        population=population[1] if population else None,
        population_year=population[0] if population else None,
        required=required,
        planned=planned,
        planned_submitted=planned_submitted,
        planned_approved=planned_approved,
        achieved=achieved,
        coverage=coverage,
        actual=actual,
        projected_planned=projected_planned,
        projected_achieved=projected_achieved,
        opds=rows,
        deduplicated=dedup,
        coverage_deduplicated=coverage_deduplicated,
        status_basis="gross" if dedup is None else "deduplicated",
    )


def _opd_result(opd: OpdInput, required: Decimal | None) -> OpdResult:
    counted = opd.status in COUNTED_STATUSES
    planned = opd.planned if counted else ZERO
    aligned = opd.aligned_budget if counted else ZERO
    total = opd.total_budget if counted else ZERO
    return OpdResult(
        opd_id=opd.opd_id,
        status=opd.status,
        counted=counted,
        planned=planned,
        planned_submitted=planned if opd.status == "submitted" else ZERO,
        planned_approved=planned if opd.status == "approved" else ZERO,
        achieved=opd.achieved if counted else ZERO,
        share=_ratio(planned, required),
        aligned_budget=aligned,
        total_budget=total,
        alignment=_ratio(aligned, total),
        cost_per_person=_ratio(aligned, planned),
        plan_aligned_budget=opd.aligned_budget,
        plan_total_budget=opd.total_budget,
    )
