"""The target path of an indicator (design section 5.1), pure Python, no Django.

The stated targets and the baseline are the known points; every year between
two known points gets the linear interpolation, marked ``interpolated``.
Values are exact ``Decimal``s; rounding is for display only.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class PointKind(StrEnum):
    BASELINE = "baseline"
    STATED = "stated"
    INTERPOLATED = "interpolated"


@dataclass(frozen=True, slots=True)
class PathPoint:
    year: int
    value: Decimal
    kind: PointKind


def target_path(
    *,
    baseline_year: int,
    baseline_value: Decimal,
    targets: Mapping[int, Decimal],
) -> list[PathPoint]:
    """Return the path from the baseline year to the last stated target, one point a year.

    A stated target for the baseline year itself is ignored: the baseline is the
    value of its year. Targets before the baseline year are ignored too, since
    nothing can be interpolated towards them.
    """
    known: dict[int, tuple[Decimal, PointKind]] = {
        year: (Decimal(value), PointKind.STATED)
        for year, value in targets.items()
        if year > baseline_year
    }
    known[baseline_year] = (Decimal(baseline_value), PointKind.BASELINE)
    years = sorted(known)
    path: list[PathPoint] = []
    for left, right in itertools.pairwise(years):
        left_value, left_kind = known[left]
        right_value = known[right][0]
        path.append(PathPoint(left, left_value, left_kind))
        step = (right_value - left_value) / (right - left)
        for year in range(left + 1, right):
            path.append(PathPoint(year, left_value + step * (year - left), PointKind.INTERPOLATED))
    last_value, last_kind = known[years[-1]]
    path.append(PathPoint(years[-1], last_value, last_kind))
    return path


def target_for_year(path: list[PathPoint], year: int) -> PathPoint | None:
    """Return the path's point for ``year``, or None when the path does not reach it."""
    return next((point for point in path if point.year == year), None)
