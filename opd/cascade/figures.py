"""The cascade's rates below the indicator, pure Python, no Django.

An indicator's achievement rate closes a gap from a baseline (``targets.achievement``). The
Renstra and Renja lines under it have no baseline: what they report is counted from zero in
the year, so their rate is a plain share, as the quarterly evaluation (E.81) computes it:

- an activity's output: output achieved in the year's quarters ÷ its output target × 100;
- money: budget spent in the year's quarters ÷ the budget planned × 100 (for a Renstra
  program, the planned budget is the Renstra's indicative budget for the year).

Edges, decided here: no rate (None) when nothing is reported (``part`` is None) or when there
is nothing to divide by (no target, or a target or budget of zero, which asks for nothing);
a report beyond the target gives more than 100 (not capped, as the indicator's rate is not).
The rate is exact; :func:`targets.achievement.rounded` gives the figure shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

HUNDRED = Decimal(100)


def share(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """``part`` ÷ ``whole`` × 100, exact; None without ``part`` or with a zero or no ``whole``."""
    if part is None or whole is None or whole == 0:
        return None
    return Decimal(part) / Decimal(whole) * HUNDRED


def total(values: Iterable[Decimal | None]) -> Decimal | None:
    """The sum of the reported values; None when none is reported (not a reported zero)."""
    reported = [value for value in values if value is not None]
    return sum(reported, Decimal(0)) if reported else None
