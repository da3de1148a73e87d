"""The Renstra columns of the quarterly evaluation (E.81), pure Python, no Django.

Each value column of the evaluation is a pair: K (kinerja, the output or outcome) and Rp. A
Renja row (a program or an activity) fills columns 5, 6, 13 and 14 from the Renstra line it
carries out (``Program.renstra_program``, ``Activity.renstra_activity``), in these steps:

1. **No link, no Renstra figure.** A Renja line without a Renstra line leaves columns 5, 6, 13
   and 14 empty, K and Rp alike: nothing in them could be read without that line.
2. **The period** is the Renstra's RPJMD period, from its first year to its last, both in.
3. **Column 5, an activity (Target Renstra PD pada akhir periode).** K is the sum of the
   activity's yearly output targets over the period: outputs (families helped, houses
   rebuilt) add up year by year. Rp is empty: a Renstra plans its money per program only (an
   activity has no indicative budget of its own), and sharing the program's out among its
   activities would invent a figure.
4. **Column 5, a program.** K is the outcome target of the period's final year: an outcome
   (often a percentage, or a count that stands at a level) is not summable, and the target at
   the end of the period is what the Renstra promises. Rp is the sum of the program's yearly
   indicative budgets over the period.
5. **An incomplete Renstra line gives no column 5.** A sum over the period is empty when a
   year of the period has no figure (a partial sum would read as the five-year target), and a
   program's K is empty when the final year has no target. A draft Renstra may be incomplete;
   an approved one has every year (its checklist refuses it otherwise).
6. **Column 6 (Realisasi capaian Renstra s/d Renja tahun lalu)** sums what the Renja lines
   linked to the same Renstra line realised in the years of the period before the evaluated
   one: K the outputs achieved, Rp the money spent, over all their quarters. A program's K
   stays empty (outcomes are not reported by quarter) and its Rp sums its activities' money.
   It is empty when no Renja line of an earlier year of the period is linked to the Renstra
   line (those years may predate the portal: nothing is known, which is not zero); it is 0
   when such lines exist and reported nothing.
7. **Column 12** is the sum of the four quarters (columns 8–11) of the evaluated year. An
   activity without a report has 0 (its line exists and reported nothing); a program's K is
   empty, as in step 6.
8. **Column 13 (Realisasi Renstra s/d tahun ini)** is column 6 + column 12, K and Rp each.
   An empty column 6 adds nothing (step 6: nothing recorded before); both empty gives empty.
9. **Column 14 (Tingkat capaian Renstra)** is column 13 ÷ column 5 × 100, K and Rp each,
   rounded to two decimals half up (:func:`percent`, the one rounding of every percent column
   of the evaluation, the Renja's achievement included). It is empty, never 0 and never an
   error, when column 5 is empty or zero or column 13 is empty. It is not capped: a
   realisation beyond the target gives more than 100.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from targets.achievement import HUNDRED, rounded


@dataclass(frozen=True, slots=True)
class Pair:
    """A value column of the evaluation: K (the output or outcome) and Rp; None is empty."""

    output: Decimal | None = None
    money: Decimal | None = None


EMPTY = Pair()


@dataclass(frozen=True, slots=True)
class Period:
    """The Renstra's period, ``first`` to ``last`` year, both in (step 2)."""

    first: int
    last: int

    def years(self) -> range:
        return range(self.first, self.last + 1)


@dataclass(frozen=True, slots=True)
class RenstraColumns:
    """Columns 5, 6, 13 and 14 of one Renja row."""

    target: Pair = EMPTY  # 5
    before: Pair = EMPTY  # 6
    to_date: Pair = EMPTY  # 13
    rate: Pair = EMPTY  # 14 (percent, rounded)


def _over_period(by_year: Mapping[int, Decimal | None], period: Period) -> Decimal | None:
    """The sum of ``by_year`` over the period, None when a year of it has no figure (step 5)."""
    values = [by_year.get(year) for year in period.years()]
    if any(value is None for value in values):
        return None
    return sum((v for v in values if v is not None), Decimal(0))


def activity_target(targets: Mapping[int, Decimal | None], period: Period) -> Pair:
    """Column 5 of an activity row: K the period's yearly output targets summed, Rp empty
    (steps 3 and 5)."""
    return Pair(_over_period(targets, period), None)


def program_target(
    targets: Mapping[int, Decimal | None], budgets: Mapping[int, Decimal | None], period: Period
) -> Pair:
    """Column 5 of a program row: K the final year's outcome target, Rp the period's yearly
    indicative budgets summed (steps 4 and 5)."""
    return Pair(targets.get(period.last), _over_period(budgets, period))


def _sum_present(values: Iterable[Decimal | None]) -> Decimal | None:
    present = [value for value in values if value is not None]
    return sum(present, Decimal(0)) if present else None


def total(pairs: Iterable[Pair]) -> Pair:
    """K and Rp of ``pairs`` summed each, a side empty when no pair has a figure on it (no
    pairs at all: both empty). Column 6 over the earlier lines (step 6)."""
    listed = list(pairs)
    return Pair(_sum_present(p.output for p in listed), _sum_present(p.money for p in listed))


def percent(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """``part`` ÷ ``whole`` × 100 to two decimals, half up (step 9); None when either is
    missing or ``whole`` is zero."""
    if part is None or whole is None or whole == 0:
        return None
    return rounded(Decimal(part) * HUNDRED / Decimal(whole))


def renstra_columns(
    *, linked: bool, target: Pair, before: Iterable[Pair], this_year: Pair
) -> RenstraColumns:
    """Columns 5, 6, 13 and 14 of a Renja row from its Renstra line's ``target`` (column 5,
    from :func:`activity_target` or :func:`program_target`), what the earlier years' linked
    lines realised (``before``, one pair each) and ``this_year`` (column 12).

    All four empty when the row is not ``linked`` (step 1)."""
    if not linked:
        return RenstraColumns()
    earlier = total(before)
    to_date = Pair(
        _sum_present([earlier.output, this_year.output]),
        _sum_present([earlier.money, this_year.money]),
    )
    rate = Pair(percent(to_date.output, target.output), percent(to_date.money, target.money))
    return RenstraColumns(target, earlier, to_date, rate)
