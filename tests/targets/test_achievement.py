"""The achievement rate (tingkat capaian), computed without a database: both directions and
every edge the module decides."""

import subprocess
import sys
from decimal import Decimal

import pytest

from targets.achievement import (
    Achievement,
    NoRate,
    achievement_rate,
    rounded,
    year_achievement,
)
from targets.trajectory import target_for_year, target_path

D = Decimal

# Poverty (down): baseline 9.05 in 2015, 7.38 stated for 2018, 6.12 for 2021.
POVERTY = target_path(
    baseline_year=2015, baseline_value=D("9.05"), targets={2018: D("7.38"), 2021: D("6.12")}
)
# An `up` indicator: 70 in 2015, 74 stated for 2017 (2016 interpolated: 72).
UP = target_path(baseline_year=2015, baseline_value=D("70"), targets={2017: D("74")})


def poverty(year: int, actual: str | None) -> Achievement:
    return year_achievement(
        year=year,
        baseline=D("9.05"),
        point=target_for_year(POVERTY, year),
        actual=None if actual is None else D(actual),
    )


def up(year: int, actual: str | None) -> Achievement:
    return year_achievement(
        year=year,
        baseline=D("70"),
        point=target_for_year(UP, year),
        actual=None if actual is None else D(actual),
    )


# --- down ---------------------------------------------------------------------------------


def test_down_actual_at_the_target_is_exactly_100():
    assert poverty(2018, "7.38") == Achievement(2018, D(100), None)


def test_down_actual_at_the_baseline_is_exactly_0():
    assert poverty(2018, "9.05").rate == 0


def test_down_part_of_the_gap_closed():
    # 2018: (9.05 − 8.00) ÷ (9.05 − 7.38) × 100 = 1.05 ÷ 1.67 × 100 = 62.874251…
    result = poverty(2018, "8.00")
    assert result.rate is not None and abs(result.rate - D("105") / D("1.67")) < D("1e-24")
    assert result.shown == D("62.87")


def test_down_beyond_the_target_is_above_100_not_capped():
    # 2018: (9.05 − 7.00) ÷ 1.67 × 100 = 122.754491…
    assert poverty(2018, "7.00").shown == D("122.75")


def test_down_the_wrong_way_is_negative():
    # 2018: (9.05 − 9.50) ÷ 1.67 × 100 = −26.946107…
    assert poverty(2018, "9.50").shown == D("-26.95")


def test_down_against_an_interpolated_target():
    # 2016's target is 9.05 − 1.67 ÷ 3; an actual of 8.75 closed 0.30 of 0.5567: 53.892215…
    assert poverty(2016, "8.75").shown == D("53.89")
    # 2020's interpolated target (6.54) itself is 100 exactly.
    assert poverty(2020, "6.54").rate == 100


# --- up -----------------------------------------------------------------------------------


def test_up_actual_at_the_target_is_exactly_100_and_at_the_baseline_0():
    assert up(2017, "74").rate == 100
    assert up(2017, "70").rate == 0


def test_up_at_the_baseline_is_0_not_minus_0():
    # (70 − 70) ÷ (70 − 74) is −0 in Decimal arithmetic; the rate is a plain 0.
    rate = up(2017, "70").rate
    assert rate is not None and rate.is_zero() and not rate.is_signed()
    assert str(rounded(rate)) == "0.00"


def test_up_beyond_the_target_is_above_100():
    # 2016's interpolated target is 72: (73 − 70) ÷ (72 − 70) × 100 = 150.
    assert up(2016, "73").rate == 150


def test_up_the_wrong_way_is_negative():
    # 2017: (68 − 70) ÷ (74 − 70) × 100 = −50.
    assert up(2017, "68").rate == -50


@pytest.mark.parametrize(
    ("baseline", "target", "actual"),
    [("70", "74", "71"), ("70", "74", "79"), ("70", "74", "66.5"), ("9.05", "7.38", "8.1")],
)
def test_the_up_formula_is_the_down_formula(baseline, target, actual):
    """(actual − baseline) ÷ (target − baseline) is the same ratio, for either direction."""
    b, t, a = D(baseline), D(target), D(actual)
    assert achievement_rate(baseline=b, target=t, actual=a) == (a - b) / (t - b) * 100


# --- no rate ------------------------------------------------------------------------------


def test_baseline_equal_to_target_has_no_rate_the_target_asks_for_no_change():
    flat = target_path(baseline_year=2015, baseline_value=D("5"), targets={2018: D("5")})
    for actual in (D("5"), D("4"), None):
        result = year_achievement(
            year=2018, baseline=D("5"), point=target_for_year(flat, 2018), actual=actual
        )
        assert result == Achievement(2018, None, NoRate.NO_CHANGE)
    assert achievement_rate(baseline=D("5"), target=D("5.000"), actual=D("4")) is None


def test_no_actual_has_no_rate():
    assert poverty(2019, None) == Achievement(2019, None, NoRate.NO_ACTUAL)
    assert achievement_rate(baseline=D("9.05"), target=D("7.38"), actual=None) is None


def test_the_baseline_year_has_no_rate():
    assert poverty(2015, "9.05") == Achievement(2015, None, NoRate.BASELINE_YEAR)


def test_a_year_the_path_does_not_reach_has_no_rate():
    assert poverty(2014, "9.50") == Achievement(2014, None, NoRate.NO_TARGET)
    assert poverty(2022, "5.00") == Achievement(2022, None, NoRate.NO_TARGET)


# --- rounding for display only ------------------------------------------------------------


def test_the_half_tie_is_rounded_up_for_display_and_the_rate_kept_exact():
    # (100 − 87.655) ÷ (100 − 0) × 100 = 12.345 exactly: half up gives 12.35 (half even 12.34).
    rate = achievement_rate(baseline=D("100"), target=D("0"), actual=D("87.655"))
    assert rate == D("12.345")
    assert rounded(rate) == D("12.35")
    assert rounded(D("-12.345")) == D("-12.35")  # away from zero
    assert rounded(D("12.3449999")) == D("12.34")
    assert str(rounded(D("-0.004"))) == "0.00"  # not −0.00
    assert str(rounded(D("-0.005"))) == "-0.01"
    assert rounded(None) is None


def test_the_module_imports_no_django():
    code = (
        "import sys, targets.achievement; print(any(m.startswith('django') for m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
