"""The achievement rate (tingkat capaian) of an indicator in a year, pure Python, no Django.

The rate is the share of the gap between the baseline and the year's target that the
year's actual closed, in percent:

- ``down`` indicator: (baseline − actual) ÷ (baseline − target) × 100
- ``up`` indicator: (actual − baseline) ÷ (target − baseline) × 100

The two are one ratio (numerator and denominator both change sign), so the rate needs
no direction: an actual that moved towards the target gives a positive rate whichever
way the indicator runs.

The inputs: the target is the year's point of the target path (:mod:`targets.trajectory`,
stated or interpolated), the baseline the indicator's baseline value, the actual the
year's recorded city-wide actual. The rate is an exact ``Decimal``; :func:`rounded`
gives the figure shown (two decimals, half up).

Edges, decided here:

- the actual at the target gives exactly 100, at the baseline exactly 0;
- an actual beyond the target gives more than 100: the rate is not capped, since it
  reports how far the year went, further than asked included;
- an actual that moved away from the target (the wrong way) gives a negative rate;
- no rate (None), with the reason (:class:`NoRate`), when the year is the baseline year
  (the gap is measured from it), when the target path does not reach the year, when the
  target equals the baseline (the target asks for no change: there is no gap to close),
  or when no actual is recorded for the year. Their order is the one listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from targets.trajectory import PathPoint, PointKind

SHOWN_PLACES = Decimal("0.01")
HUNDRED = Decimal(100)


class NoRate(StrEnum):
    """Why a year has no achievement rate."""

    BASELINE_YEAR = "baseline_year"
    NO_TARGET = "no_target"
    NO_CHANGE = "no_change"
    NO_ACTUAL = "no_actual"


@dataclass(frozen=True, slots=True)
class Achievement:
    """A year's rate in percent (exact), or None and the reason in ``missing``."""

    year: int
    rate: Decimal | None
    missing: NoRate | None

    @property
    def shown(self) -> Decimal | None:
        """The rate rounded for display (two decimals, half up), or None."""
        return rounded(self.rate)


def achievement_rate(
    *, baseline: Decimal, target: Decimal, actual: Decimal | None
) -> Decimal | None:
    """Return (baseline − actual) ÷ (baseline − target) × 100, exact; None without an actual
    or when the target equals the baseline."""
    if actual is None or target == baseline:
        return None
    rate = (Decimal(baseline) - Decimal(actual)) / (Decimal(baseline) - Decimal(target)) * HUNDRED
    return abs(rate) if rate.is_zero() else rate  # no −0 when the target lies above the baseline


def year_achievement(
    *, year: int, baseline: Decimal, point: PathPoint | None, actual: Decimal | None
) -> Achievement:
    """The achievement of ``year`` from its point of the target path (None when the path does
    not reach it) and its recorded actual (None when there is none)."""
    if point is not None and point.kind == PointKind.BASELINE:
        return Achievement(year, None, NoRate.BASELINE_YEAR)
    if point is None:
        return Achievement(year, None, NoRate.NO_TARGET)
    if point.value == baseline:
        return Achievement(year, None, NoRate.NO_CHANGE)
    if actual is None:
        return Achievement(year, None, NoRate.NO_ACTUAL)
    rate = achievement_rate(baseline=baseline, target=point.value, actual=actual)
    return Achievement(year, rate, None)


def rounded(rate: Decimal | None) -> Decimal | None:
    """``rate`` to two decimals, half up (a tie goes away from zero: −12.345 → −12.35); a
    negative rate that rounds to zero shows as 0.00, not −0.00."""
    if rate is None:
        return None
    shown = rate.quantize(SHOWN_PLACES, rounding=ROUND_HALF_UP)
    return abs(shown) if shown.is_zero() else shown
