"""The rules of the evaluation's Renstra columns (:mod:`opd.dashboards.renstra_progress`),
without a database: column 5 of an activity and of a program, the sums of columns 6 and 13, the
achievement rate of column 14 (the exact .5 tie, an empty or zero target, beyond 100), and no
Django import. The export itself: ``test_evaluation_renstra.py``."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

from opd.dashboards.renstra_progress import (
    EMPTY,
    Pair,
    Period,
    RenstraColumns,
    activity_target,
    percent,
    program_target,
    renstra_columns,
    total,
)

D = Decimal
M = D(1_000_000)
PERIOD = Period(2016, 2021)
YEARS = range(2016, 2022)


def test_an_activitys_column_5_sums_the_periods_output_targets_and_has_no_rupiah():
    targets = {2016: D(10), 2017: D(20), 2018: D(30), 2019: D(40), 2020: D(50), 2021: D(60)}
    assert activity_target(targets, PERIOD) == Pair(D(210), None)  # 10+20+...+60


def test_a_year_without_a_target_leaves_column_5_empty_not_a_partial_sum():
    targets = {2016: D(10), 2017: D(20), 2018: None, 2019: D(40), 2020: D(50), 2021: D(60)}
    assert activity_target(targets, PERIOD) == EMPTY
    del targets[2018]
    assert activity_target(targets, PERIOD) == EMPTY
    # Years outside the period do not count.
    inside = {year: D(1) for year in YEARS}
    assert activity_target({**inside, 2015: D(99), 2022: D(99)}, PERIOD).output == D(6)


def test_a_programs_column_5_is_the_final_years_target_and_the_summed_budget():
    targets = {2016: D("9.05"), 2017: D("8.5"), 2021: D("6.12")}
    budgets = {year: D(100) * M for year in YEARS}
    assert program_target(targets, budgets, PERIOD) == Pair(D("6.12"), D(600) * M)
    # The final year without a target: no K (an earlier year's target is not the period's).
    assert program_target({2020: D(7)}, budgets, PERIOD).output is None
    # A year without a budget: no Rp.
    assert program_target(targets, {**budgets, 2019: None}, PERIOD).money is None


def test_total_sums_each_side_and_is_empty_where_nothing_is_known():
    assert total([]) == EMPTY
    assert total([Pair(D(1), D(2)), Pair(D(3), None)]) == Pair(D(4), D(2))
    assert total([Pair(None, D(5)), Pair(None, D(0))]) == Pair(None, D(5))
    assert total([Pair(D(0), D(0))]) == Pair(D(0), D(0))  # reported nothing: 0, not empty


def test_percent_rounds_the_exact_tie_half_up():
    # 1 / 32 × 100 = 3.125 exactly: half up gives 3.13 (half even would give 3.12).
    assert percent(D(1), D(32)) == D("3.13")
    # 3 / 32 × 100 = 9.375 exactly: 9.38 either way, so the tie above is the telling one.
    assert percent(D(3), D(32)) == D("9.38")
    assert percent(D("12.3449"), D(100)) == D("12.34")
    assert str(percent(D(0), D(7))) == "0.00"


def test_percent_is_empty_without_a_whole_and_not_capped_beyond_it():
    assert percent(D(5), D(0)) is None
    assert percent(D(5), None) is None
    assert percent(None, D(5)) is None
    assert percent(D(15), D(12)) == D("125.00")  # beyond the target: above 100


def test_a_row_without_a_renstra_line_has_every_renstra_cell_empty():
    columns = renstra_columns(
        linked=False,
        target=Pair(D(600), D(10)),
        before=[Pair(D(1), D(1))],
        this_year=Pair(D(5), D(5)),
    )
    assert columns == RenstraColumns(EMPTY, EMPTY, EMPTY, EMPTY)


def test_columns_13_and_14_add_the_earlier_years_to_this_one():
    columns = renstra_columns(
        linked=True,
        target=Pair(D(600), D(750) * M),
        before=[Pair(D(40), D(25) * M), Pair(D(80), D(100) * M)],
        this_year=Pair(D(60), D(110) * M),
    )
    assert columns.before == Pair(D(120), D(125) * M)  # 40 + 80, 25 M + 100 M
    assert columns.to_date == Pair(D(180), D(235) * M)  # 120 + 60, 125 M + 110 M
    assert columns.rate == Pair(D("30.00"), D("31.33"))  # 180/600; 235/750 = 31.333...


def test_nothing_before_adds_nothing_and_an_empty_or_zero_target_gives_no_rate():
    columns = renstra_columns(
        linked=True, target=Pair(D(0), None), before=[], this_year=Pair(D(3), D(2) * M)
    )
    assert columns.before == EMPTY
    assert columns.to_date == Pair(D(3), D(2) * M)
    assert columns.rate == EMPTY  # column 5 zero (K) or empty (Rp): empty, not 0
    program = renstra_columns(
        linked=True, target=Pair(D(60), D(0)), before=[], this_year=Pair(None, D(1))
    )
    assert program.to_date == Pair(None, D(1))
    assert program.rate == EMPTY  # no K realised (outcome), Rp target zero


def test_the_rules_import_no_django():
    code = (
        "import sys, opd.dashboards.renstra_progress; "
        "print(any(m.startswith('django') for m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
