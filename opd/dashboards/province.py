"""The province roll-up: each region under a province (or the country) with its headline
indicator's stored figures for a year, and their sum.

It reads the current snapshots only (``ContributionState.snapshot``), never computes: a region
whose year has no snapshot yet shows that its figures are being computed, and its
recomputation is enqueued (``marking.request_recompute``: nothing written). Three queries,
whatever the number of regions: the regions, their headline indicators with their plans, the
states of the year with their snapshots.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Q

from opd.engine import marking
from opd.engine.method import coverage_of
from opd.engine.models import StatusBasis, is_pending
from opd.models import ContributionSnapshot, ContributionState, SnapshotStatus
from targets.models import Indicator, Region

#: The statuses that put a region on the roll-up's list of regions off track.
OFF_TRACK = frozenset({SnapshotStatus.OFF_TRACK, SnapshotStatus.MISSED})
#: Kinds of region whose plans and snapshots the roll-up lists (those under a province).
LISTED_KINDS = (Region.Kind.CITY, Region.Kind.REGENCY)
#: The snapshot's large fields the roll-up never shows: left unread.
_UNREAD = ("snapshot__inputs", "snapshot__overlap_matrix", "snapshot__capped_activities")


@dataclass
class RegionRow:
    """One region under the province: its headline indicator (None when its plan has none)
    and the year's current snapshot (None until computed)."""

    region: Region
    indicator: Indicator | None
    snapshot: ContributionSnapshot | None
    pending: bool

    @property
    def status_label(self) -> str:
        return str(SnapshotStatus(self.snapshot.status).label) if self.snapshot else ""

    @property
    def off_track(self) -> bool:
        return self.snapshot is not None and self.snapshot.status in OFF_TRACK

    @property
    def deduplicated(self) -> bool:
        return self.snapshot is not None and self.snapshot.status_basis == StatusBasis.DEDUPLICATED


@dataclass
class RollUp:
    region: Region
    year: int
    years: list[int]
    rows: list[RegionRow] = field(default_factory=list)

    @property
    def computed(self) -> list[ContributionSnapshot]:
        return [row.snapshot for row in self.rows if row.snapshot is not None]

    @property
    def off_track(self) -> list[RegionRow]:
        return [row for row in self.rows if row.off_track]

    @property
    def has_lists(self) -> bool:
        """Whether any region's figures are deduplicated by beneficiary lists: the table then
        shows the deduplicated columns beside the gross ones."""
        return any(row.deduplicated for row in self.rows)

    def _sum(self, name: str) -> Decimal:
        return sum((getattr(s, name) or Decimal(0) for s in self.computed), Decimal(0))

    @property
    def required(self) -> Decimal:
        return self._sum("required")

    @property
    def planned(self) -> Decimal:
        return self._sum("planned_total")

    @property
    def planned_deduplicated(self) -> Decimal:
        return self._sum("planned_deduplicated")

    @property
    def achieved(self) -> Decimal:
        return self._sum("achieved_total")

    @property
    def achieved_deduplicated(self) -> Decimal:
        return self._sum("achieved_deduplicated")

    @property
    def coverage(self) -> Decimal | None:
        """The computed regions' planned persons over their required persons."""
        return coverage_of(self.planned, self.required) if self.computed else None


def _headline(indicators: list[Indicator], year: int) -> Indicator | None:
    """Of one region's headline indicators (one per plan, latest plan first), the one whose
    plan covers ``year``, else the latest."""
    for indicator in indicators:
        if year in indicator.plan.years():
            return indicator
    return indicators[0] if indicators else None


def regions_under(region: Region) -> list[Region]:
    """The kota and kabupaten under ``region`` (a province's own; the country's, through its
    provinces), by province and code: one query."""
    return list(
        Region.objects.filter(Q(parent=region) | Q(parent__parent=region), kind__in=LISTED_KINDS)
        .select_related("parent")
        .order_by("parent__code", "code")
    )


def roll_up(*, region: Region, year: int | None) -> RollUp:
    """Each region under ``region`` with its stored figures for ``year`` (by default
    ``RENJA_DEFAULT_YEAR``, else the first year of any plan): three queries, no write."""
    regions = regions_under(region)
    by_region: dict[int, list[Indicator]] = {r.pk: [] for r in regions}
    for indicator in (
        Indicator.objects.filter(
            plan__region__in=[r.pk for r in regions], code=settings.HEADLINE_INDICATOR_CODE
        )
        .select_related("plan")
        .order_by("-plan__first_year")
    ):
        by_region[indicator.plan.region_id].append(indicator)
    years = sorted({y for found in by_region.values() for i in found for y in i.plan.years()})
    if year is None:
        year = settings.RENJA_DEFAULT_YEAR
    if years and year not in years:
        year = settings.RENJA_DEFAULT_YEAR if settings.RENJA_DEFAULT_YEAR in years else years[0]
    headline = {pk: _headline(found, year) for pk, found in by_region.items()}
    states = {
        state.indicator_id: state
        for state in ContributionState.objects.filter(
            indicator__in=[i.pk for i in headline.values() if i is not None], year=year
        )
        .select_related("snapshot")
        .defer(*_UNREAD)
    }
    rows = []
    for r in regions:
        headline_of = headline[r.pk]
        state = states.get(headline_of.pk) if headline_of else None
        rows.append(
            RegionRow(
                region=r,
                indicator=headline_of,
                snapshot=state.snapshot if state else None,
                pending=headline_of is not None and is_pending(state),
            )
        )
    marking.request_recompute(
        (row.indicator.pk, year)
        for row in rows
        if row.indicator is not None and row.snapshot is None and year in row.indicator.plan.years()
    )
    return RollUp(region=region, year=year, years=years, rows=rows)
