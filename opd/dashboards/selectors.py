"""Reads for the dashboards and the public page: each runs a fixed number of queries.

The contribution figures come from the stored snapshot of the (indicator, year)
(``ContributionState.snapshot``). A read never writes: when none exists yet, the
dashboards enqueue its recomputation and show that the figures are being computed,
as they do while a recomputation is pending. Plan statuses in the submission grid
are read live, since they decide who still has to submit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from opd.dashboards.overlap import OverlapView, Pair, capped_codes, overlap_view
from opd.dashboards.places import KecamatanRow, places
from opd.engine import marking
from opd.engine.method import coverage_of, projection, year_status
from opd.engine.models import StatusBasis, is_pending
from opd.models import (
    ContributionRow,
    ContributionSnapshot,
    ContributionState,
    Opd,
    SnapshotStatus,
    SubmissionDeadline,
    WorkPlan,
)
from opd.workplans.selectors import is_overdue
from targets.achievement import Achievement, year_achievement
from targets.models import Indicator
from targets.selectors import IndicatorOverview, YearRow, headline_indicator, indicator_overview

SORT_KEYS = {
    "planned": lambda r: r.planned,
    "achieved": lambda r: r.achieved,
    "planned_deduplicated": lambda r: r.planned_deduplicated,
    "achieved_deduplicated": lambda r: r.achieved_deduplicated,
    "share": lambda r: r.share if r.share is not None else Decimal(-1),
    "aligned_budget": lambda r: r.aligned_budget,
    "alignment": lambda r: r.alignment if r.alignment is not None else Decimal(-1),
    "cost_per_person": lambda r: (
        r.cost_per_person if r.cost_per_person is not None else Decimal(-1)
    ),
    "status": lambda r: r.work_plan_status,
    "opd": lambda r: r.opd.code,
}


@dataclass
class YearState:
    """The stored result of a year: the current snapshot (or none) and the pending flag."""

    year: int
    snapshot: ContributionSnapshot | None
    pending: bool
    achieved_approved: Decimal | None = None  # approved plans' achieved persons (public page)
    # The public page's own status, from the approved plans alone, and how many they are.
    public_status: str | None = None
    approved_plans: int | None = None
    opd_count: int | None = None
    # The years table's target path point, city-wide actual and achievement rate (public page).
    row: YearRow | None = None
    achievement: Achievement | None = None

    @property
    def status(self) -> str:
        """The status shown: the public one where set, else the snapshot's ("" without one)."""
        if self.public_status is not None:
            return self.public_status
        return self.snapshot.status if self.snapshot else ""

    @property
    def status_label(self) -> str:
        return str(SnapshotStatus(self.status).label) if self.status else ""

    @property
    def public_coverage_deduplicated(self) -> Decimal | None:
        """The approved plans' deduplicated coverage, when their lists make it lower than the
        sum of their claims (else None: nothing to explain)."""
        return _public_deduplicated(self.snapshot)

    @property
    def public_coverage_gross(self) -> Decimal | None:
        """The approved plans' claims over N: what the public page's coverage was before."""
        if self.snapshot is None:
            return None
        return coverage_of(self.snapshot.planned_approved_total, self.snapshot.required)


@dataclass
class GridRow:
    opd: Opd
    work_plan: WorkPlan | None
    overdue: bool

    @property
    def status(self) -> str:
        return self.work_plan.status if self.work_plan else ""


@dataclass
class Dashboard:
    indicator: Indicator
    indicators: list[Indicator]
    year: int
    years: list[int]
    overview: IndicatorOverview
    state: YearState
    rows: list[ContributionRow]
    grid: list[GridRow]
    deadline: SubmissionDeadline | None
    places: list[KecamatanRow]
    sort: str
    descending: bool
    overlap: OverlapView | None = None
    capped: list[str] = field(default_factory=list)  # codes of the activities capped at 1
    achievements: dict[int, Achievement] = field(default_factory=dict)  # by year

    @property
    def focus_row(self) -> YearRow | None:
        """The overview's row of the chosen year: its target and actual."""
        return next((row for row in self.overview.rows if row.year == self.year), None)

    @property
    def focus_achievement(self) -> Achievement | None:
        return self.achievements.get(self.year)

    @property
    def snapshot(self) -> ContributionSnapshot | None:
        return self.state.snapshot

    @property
    def contributing_rows(self) -> list[ContributionRow]:
        return [r for r in self.rows if r.planned or r.achieved]

    @property
    def aligned_budget(self) -> Decimal:
        return sum((r.aligned_budget for r in self.rows), Decimal(0))

    @property
    def total_budget(self) -> Decimal:
        return sum((r.total_budget for r in self.rows), Decimal(0))

    @property
    def overdue_count(self) -> int:
        return sum(1 for g in self.grid if g.overdue)

    @property
    def has_plans(self) -> bool:
        """Whether any OPD has a plan for the year, so the all-OPD tables exist."""
        return any(g.work_plan for g in self.grid)


@dataclass
class OpdView:
    opd: Opd
    indicator: Indicator
    year: int
    state: YearState
    row: ContributionRow | None
    rank: int | None
    ranked: int
    work_plan: WorkPlan | None
    overlap: OverlapView | None = None

    @property
    def pairs(self) -> list[Pair]:
        """Each other OPD of the overlap matrix with the persons it shares with this one."""
        return self.overlap.pairs_of(self.opd.pk) if self.overlap else []


@dataclass
class PublicPage:
    indicator: Indicator
    overview: IndicatorOverview
    years: list[YearState]
    year: int
    focus: YearState | None
    # The focus year's projections from approved plans' sums: with R and P public, one from
    # every counted plan would give their sums away.
    projected_planned: Decimal | None = None
    projected_achieved: Decimal | None = None
    # Where the actuals come from: each source with the years it gave, in year order.
    actual_sources: list[tuple[str, list[int]]] = field(default_factory=list)
    achievements: dict[int, Achievement] = field(default_factory=dict)  # by year


def choose_indicator(code: str | None, region_id: int) -> Indicator | None:
    """The indicator of the region ``region_id`` with ``code``, else its headline one: one
    query."""
    if code:
        found = (
            Indicator.objects.select_related("plan__region")
            .filter(plan__region_id=region_id, code=code)
            .order_by("-plan__first_year")
            .first()
        )
        if found is not None:
            return found
    return headline_indicator(region_id)


def choose_year(indicator: Indicator, year: int | None) -> int:
    """``year`` when the indicator's plan covers it, else the default year or the plan's first."""
    years = plan_years(indicator)
    if year is None:
        year = settings.RENJA_DEFAULT_YEAR
    return year if year in years else years[0]


def plan_years(indicator: Indicator) -> list[int]:
    return list(indicator.plan.years())


def year_state(*, indicator: Indicator, year: int) -> YearState:
    """The current snapshot of the year and whether it is pending: one query, no write.

    Without a snapshot the year is pending and its recomputation is enqueued
    (``marking.request_recompute``: nothing is flagged, nothing stored), so the page shows
    that the figures are being computed and they appear once the worker is done.
    """
    state = (
        ContributionState.objects.filter(indicator=indicator, year=year)
        .select_related("snapshot")
        .first()
    )
    snapshot = state.snapshot if state else None
    if snapshot is None:
        marking.request_recompute([(indicator.pk, year)])
    return YearState(year=year, snapshot=snapshot, pending=is_pending(state))


def snapshot_rows(snapshot: ContributionSnapshot | None) -> list[ContributionRow]:
    """The snapshot's rows with their OPDs: one query, also without a snapshot (it finds no
    row), so a page runs as many queries before the first computation as after it."""
    return list(ContributionRow.objects.filter(snapshot=snapshot).select_related("opd"))


def sort_rows(rows: list[ContributionRow], sort: str, descending: bool) -> list[ContributionRow]:
    """Rows by ``sort`` (planned by default); ties keep the OPDs' code order."""
    key = SORT_KEYS.get(sort, SORT_KEYS["planned"])
    by_code = sorted(rows, key=lambda r: r.opd.code)
    return sorted(by_code, key=key, reverse=descending)


def submission_grid(
    *, region_id: int, year: int
) -> tuple[list[GridRow], SubmissionDeadline | None]:
    """Every OPD of the region with its plan for the year and whether it is overdue: 3 queries."""
    opds = list(Opd.objects.filter(region_id=region_id).order_by("code"))
    plans = {wp.opd_id: wp for wp in WorkPlan.objects.filter(opd__region_id=region_id, year=year)}
    deadline = SubmissionDeadline.objects.filter(region_id=region_id, year=year).first()
    today = timezone.localdate()
    grid = [
        GridRow(
            opd=opd,
            work_plan=plans.get(opd.pk),
            overdue=is_overdue(plans[opd.pk].status if opd.pk in plans else None, deadline, today),
        )
        for opd in opds
    ]
    return grid, deadline


def dashboard(*, indicator: Indicator, year: int, sort: str, descending: bool) -> Dashboard:
    """Bappeda's dashboard for an indicator and year: a fixed number of queries (one more
    when the snapshot names activities whose claim exceeded their list: their codes)."""
    state = year_state(indicator=indicator, year=year)
    grid, deadline = submission_grid(region_id=indicator.plan.region_id, year=year)
    rows = snapshot_rows(state.snapshot)
    overview = indicator_overview(indicator=indicator)
    return Dashboard(
        indicator=indicator,
        indicators=list(Indicator.objects.filter(plan_id=indicator.plan_id).order_by("code")),
        year=year,
        years=plan_years(indicator),
        overview=overview,
        state=state,
        rows=sort_rows(rows, sort, descending),
        grid=grid,
        deadline=deadline,
        places=places(indicator=indicator, year=year),
        sort=sort if sort in SORT_KEYS else "planned",
        descending=descending,
        overlap=overlap_view(state.snapshot, rows),
        capped=capped_codes(state.snapshot),
        achievements=achievements(overview),
    )


def opd_view(*, opd: Opd, indicator: Indicator, year: int) -> OpdView:
    """An OPD's own contribution and its rank by planned persons among contributing OPDs."""
    state = year_state(indicator=indicator, year=year)
    rows = snapshot_rows(state.snapshot)
    ranked = sorted((r for r in rows if r.planned > 0), key=lambda r: -r.planned)
    own = next((r for r in rows if r.opd_id == opd.pk), None)
    rank = next((i for i, r in enumerate(ranked, 1) if r.opd_id == opd.pk), None)
    return OpdView(
        opd=opd,
        indicator=indicator,
        year=year,
        state=state,
        row=own,
        rank=rank,
        ranked=len(ranked),
        work_plan=WorkPlan.objects.filter(opd=opd, year=year).first(),
        overlap=overlap_view(state.snapshot, rows),
    )


def public_page(*, indicator: Indicator, year: int) -> PublicPage:
    """Trajectory, targets and the city's totals and status per year: no OPD's plan data.

    Of the persons planned and achieved, only approved plans' sums are public.
    """
    states = {
        s.year: s
        for s in ContributionState.objects.filter(indicator=indicator)
        .with_approved_achieved()
        .with_plan_counts()
        .select_related("snapshot")
    }
    overview = indicator_overview(indicator=indicator)
    rates = achievements(overview)
    overview_rows = {row.year: row for row in overview.rows}
    years = []
    for y in plan_years(indicator):
        s = states.get(y)
        snapshot = s.snapshot if s else None
        years.append(
            YearState(
                year=y,
                snapshot=snapshot,
                pending=is_pending(s),
                achieved_approved=s.achieved_approved_total if s and snapshot else None,
                public_status=_approved_status(indicator, snapshot) if snapshot else None,
                approved_plans=s.approved_plans if s and snapshot else None,
                opd_count=s.opd_count if s and snapshot else None,
                row=overview_rows.get(y),
                achievement=rates.get(y),
            )
        )
    focus = next((s for s in years if s.year == year), None)
    page = PublicPage(
        indicator=indicator,
        overview=overview,
        years=years,
        year=year,
        focus=focus,
        actual_sources=actual_sources(overview),
        achievements=rates,
    )
    snapshot = focus.snapshot if focus else None
    if (
        focus is not None
        and snapshot is not None
        and focus.achieved_approved is not None
        and snapshot.projected_planned is not None  # the method projected this year
        and snapshot.reference_value is not None
        and snapshot.population
    ):
        reference, population = snapshot.reference_value, snapshot.population
        page.projected_planned = projection(
            reference, snapshot.planned_approved_total, population, indicator.direction
        )
        page.projected_achieved = projection(
            reference, focus.achieved_approved, population, indicator.direction
        )
    return page


def _approved_status(indicator: Indicator, snapshot: ContributionSnapshot) -> str:
    """The year's status as the approved plans alone make it (the method's step 9 with their
    coverage, the deduplicated one when the public may see it): what the public page shows
    beside their persons."""
    deduplicated = _public_deduplicated(snapshot)
    return year_status(
        direction=indicator.direction,
        target=snapshot.target_value,
        actual=snapshot.actual_value,
        missing=bool(snapshot.missing),
        required=snapshot.required,
        coverage=deduplicated
        if deduplicated is not None
        else coverage_of(snapshot.planned_approved_total, snapshot.required),
    ).value


def _public_deduplicated(snapshot: ContributionSnapshot | None) -> Decimal | None:
    """The approved plans' own deduplicated coverage (their lists alone, the submitted plans'
    left out: ``planned_approved_deduplicated``) when it is below the sum of their claims;
    else None."""
    if (
        snapshot is None
        or snapshot.status_basis != StatusBasis.DEDUPLICATED
        or snapshot.planned_approved_deduplicated >= snapshot.planned_approved_total
    ):
        return None
    return coverage_of(snapshot.planned_approved_deduplicated, snapshot.required)


def actual_sources(overview: IndicatorOverview) -> list[tuple[str, list[int]]]:
    """Each source of the indicator's actuals with the years it gave, first-seen order."""
    sources: dict[str, list[int]] = {}
    for row in overview.rows:
        if row.actual is not None and row.actual_source:
            sources.setdefault(row.actual_source, []).append(row.year)
    return list(sources.items())


def achievements(overview: IndicatorOverview) -> dict[int, Achievement]:
    """Each overview year's achievement rate (``targets.achievement``), by year, from the path
    and the city-wide actuals the overview already read: no query."""
    baseline = overview.indicator.baseline_value
    points = {point.year: point for point in overview.path}
    return {
        row.year: year_achievement(
            year=row.year, baseline=baseline, point=points.get(row.year), actual=row.actual
        )
        for row in overview.rows
    }
