"""Reads shaped for pages: each runs a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from targets.models import Indicator, Population
from targets.poverty import actuals_with_sources
from targets.trajectory import PathPoint, PointKind, target_path


@dataclass(frozen=True)
class YearRow:
    year: int
    target: Decimal | None
    target_kind: PointKind | None
    actual: Decimal | None
    actual_source: str
    population: int | None


@dataclass(frozen=True)
class IndicatorOverview:
    indicator: Indicator
    path: list[PathPoint]
    rows: list[YearRow]


def headline_indicator(region_id: int | None = None) -> Indicator | None:
    """The headline indicator (poverty) of the region ``region_id``, by default the
    deployment's (``DEFAULT_REGION_CODE``), from its latest plan; None if not seeded."""
    where: dict[str, object] = (
        {"plan__region_id": region_id}
        if region_id is not None
        else {"plan__region__code": settings.DEFAULT_REGION_CODE}
    )
    return (
        Indicator.objects.select_related("plan__region")
        .filter(code=settings.HEADLINE_INDICATOR_CODE, **where)
        .order_by("-plan__first_year")
        .first()
    )


def indicator_overview(*, indicator: Indicator) -> IndicatorOverview:
    """Targets (stated and interpolated), region-wide actuals and population, year by year.

    Runs three queries whatever the number of years.
    """
    plan = indicator.plan
    stated = {target.year: target.value for target in indicator.targets.all()}
    path = target_path(
        baseline_year=indicator.baseline_year,
        baseline_value=indicator.baseline_value,
        targets=stated,
    )
    actuals = actuals_with_sources(indicator)  # the engine's rule, with sources
    population = dict(
        Population.objects.filter(region_id=plan.region_id).values_list("year", "value")
    )
    by_year = {point.year: point for point in path}
    first = min(indicator.baseline_year, plan.first_year)
    rows = []
    for year in range(first, plan.last_year + 1):
        point = by_year.get(year)
        actual = actuals.get(year)
        if year == indicator.baseline_year and actual is None:
            actual_value: Decimal | None = indicator.baseline_value
            actual_source = indicator.baseline_source
        else:
            actual_value, actual_source = actual if actual else (None, "")
        rows.append(
            YearRow(
                year=year,
                target=point.value if point else None,
                target_kind=point.kind if point else None,
                actual=actual_value,
                actual_source=actual_source,
                population=population.get(year),
            )
        )
    return IndicatorOverview(indicator=indicator, path=path, rows=rows)
