"""The target path of design section 5.1, computed without a database."""

from decimal import Decimal

import pytest

from targets.trajectory import PointKind, target_for_year, target_path

POVERTY = {"baseline_year": 2015, "baseline_value": Decimal("9.05")}
POVERTY_TARGETS = {2018: Decimal("7.38"), 2021: Decimal("6.12")}


def q4(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.0001"))


def test_poverty_path_matches_design_to_four_decimals():
    path = target_path(**POVERTY, targets=POVERTY_TARGETS)
    assert [(p.year, q4(p.value), p.kind) for p in path] == [
        (2015, Decimal("9.0500"), PointKind.BASELINE),
        (2016, Decimal("8.4933"), PointKind.INTERPOLATED),
        (2017, Decimal("7.9367"), PointKind.INTERPOLATED),
        (2018, Decimal("7.3800"), PointKind.STATED),
        (2019, Decimal("6.9600"), PointKind.INTERPOLATED),
        (2020, Decimal("6.5400"), PointKind.INTERPOLATED),
        (2021, Decimal("6.1200"), PointKind.STATED),
    ]


def test_values_are_exact_decimals_not_floats():
    path = target_path(**POVERTY, targets=POVERTY_TARGETS)
    assert all(isinstance(point.value, Decimal) for point in path)
    # 2016 lies exactly one third of the way: 9.05 - 1.67 / 3
    assert abs(path[1].value - (Decimal("9.05") - Decimal("1.67") / 3)) < Decimal("1e-20")


def test_up_indicator_interpolates_upwards():
    path = target_path(
        baseline_year=2015, baseline_value=Decimal("70"), targets={2017: Decimal("74")}
    )
    assert [(p.year, p.value, p.kind) for p in path] == [
        (2015, Decimal("70"), PointKind.BASELINE),
        (2016, Decimal("72"), PointKind.INTERPOLATED),
        (2017, Decimal("74"), PointKind.STATED),
    ]


def test_consecutive_stated_targets_need_no_interpolation():
    path = target_path(
        baseline_year=2015,
        baseline_value=Decimal("9"),
        targets={2016: Decimal("8.5"), 2017: Decimal("8")},
    )
    assert [p.kind for p in path] == [PointKind.BASELINE, PointKind.STATED, PointKind.STATED]


def test_baseline_wins_over_a_target_for_its_own_year_and_earlier_targets_are_ignored():
    path = target_path(
        baseline_year=2015,
        baseline_value=Decimal("9.05"),
        targets={2014: Decimal("1"), 2015: Decimal("2"), 2016: Decimal("8")},
    )
    assert [(p.year, p.value, p.kind) for p in path] == [
        (2015, Decimal("9.05"), PointKind.BASELINE),
        (2016, Decimal("8"), PointKind.STATED),
    ]


def test_no_targets_gives_the_baseline_alone():
    path = target_path(baseline_year=2015, baseline_value=Decimal("9.05"), targets={})
    assert [(p.year, p.kind) for p in path] == [(2015, PointKind.BASELINE)]


@pytest.mark.parametrize(("year", "expected"), [(2019, Decimal("6.96")), (2022, None)])
def test_target_for_year(year, expected):
    path = target_path(**POVERTY, targets=POVERTY_TARGETS)
    point = target_for_year(path, year)
    assert (q4(point.value) if point else None) == (q4(expected) if expected else None)


@pytest.mark.parametrize("year", [2014, 2010])
def test_a_year_before_the_baseline_has_no_target(year):
    path = target_path(**POVERTY, targets={**POVERTY_TARGETS, 2014: Decimal("9.5")})
    assert path[0].year == 2015
    assert target_for_year(path, year) is None
    assert target_for_year(path, 2015) == path[0]  # the baseline year is on the path
