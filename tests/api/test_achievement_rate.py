"""The indicator resource's target path gives each year's city-wide actual and achievement rate
(tingkat capaian), with the reason when there is none; the schema documents both."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from tests.factories import ActualFactory, IndicatorFactory, KecamatanFactory, TargetFactory

pytestmark = pytest.mark.django_db

D = Decimal


def path_of(indicator) -> dict[int, dict]:
    response = APIClient().get(f"/api/v1/indicators/{indicator.pk}/")
    assert response.status_code == 200
    return {point["year"]: point for point in response.json()["target_path"]}


def test_down_indicator_rates_year_by_year() -> None:
    """Baseline 9.05 (2015), 7.38 stated for 2018, 6.12 for 2021."""
    indicator = IndicatorFactory(baseline_value=D("9.05"))
    TargetFactory(indicator=indicator, year=2018, value=D("7.38"))
    TargetFactory(indicator=indicator, year=2021, value=D("6.12"))
    actuals = {2016: "8.78", 2017: "8.75", 2018: "7.00", 2019: "7.46", 2021: "9.50"}
    for year, value in actuals.items():
        ActualFactory(indicator=indicator, year=year, value=D(value))
    # A kecamatan's actual is not the city's: 2020 stays without one.
    kecamatan = KecamatanFactory(region=indicator.plan.region)
    ActualFactory(indicator=indicator, year=2020, value=D("1.00"), kecamatan=kecamatan)

    path = path_of(indicator)
    rates = {year: point["achievement_rate"] for year, point in path.items()}
    assert rates == {
        2015: None,
        2016: "48.50",  # 0.27 of 0.5567 (interpolated target 8.4933)
        2017: "26.95",  # 0.30 of 1.1133
        2018: "122.75",  # beyond the target: (9.05 − 7.00) ÷ 1.67, not capped
        2019: "76.08",  # 1.59 ÷ 2.09
        2020: None,
        2021: "-15.36",  # the wrong way: (9.05 − 9.50) ÷ 2.93
    }
    missing = {year: point["achievement_rate_missing"] for year, point in path.items()}
    assert missing == {
        2015: "baseline_year",
        2016: None,
        2017: None,
        2018: None,
        2019: None,
        2020: "no_actual",
        2021: None,
    }
    assert path[2018]["actual"] == "7.0000" and path[2020]["actual"] is None
    assert path[2018]["value"] == "7.3800"


def test_up_indicator_at_the_target_is_100_and_at_the_baseline_0() -> None:
    indicator = IndicatorFactory(direction="up", baseline_value=D("70"))
    TargetFactory(indicator=indicator, year=2017, value=D("74"))
    TargetFactory(indicator=indicator, year=2019, value=D("78"))
    for year, value in {2016: "73", 2017: "74", 2018: "70", 2019: "68"}.items():
        ActualFactory(indicator=indicator, year=year, value=D(value))
    path = path_of(indicator)
    assert [path[year]["achievement_rate"] for year in (2016, 2017, 2018, 2019)] == [
        "150.00",  # 3 of 2: beyond the interpolated 72
        "100.00",
        "0.00",
        "-25.00",  # 2 below the baseline, of 8
    ]


def test_a_target_equal_to_the_baseline_has_no_rate() -> None:
    indicator = IndicatorFactory(baseline_value=D("9.05"))
    TargetFactory(indicator=indicator, year=2017, value=D("9.05"))
    ActualFactory(indicator=indicator, year=2017, value=D("8.00"))
    point = path_of(indicator)[2017]
    assert point["achievement_rate"] is None
    assert point["achievement_rate_missing"] == "no_change"
    assert point["actual"] == "8.0000"


def test_the_displayed_rate_rounds_the_tie_half_up() -> None:
    # (9.05 − 8.8031) ÷ (9.05 − 7.05) × 100 = 12.345 exactly: 12.35 (half even gives 12.34).
    indicator = IndicatorFactory(baseline_value=D("9.05"))
    TargetFactory(indicator=indicator, year=2018, value=D("7.05"))
    ActualFactory(indicator=indicator, year=2018, value=D("8.8031"))
    assert path_of(indicator)[2018]["achievement_rate"] == "12.35"


def test_the_schema_documents_the_rate_and_its_reason(tmp_path) -> None:
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(tmp_path / "s.yaml"))
    text = (tmp_path / "s.yaml").read_text()
    point = text.split("\n    PathPoint:", 1)[1].split("\n    P", 1)[0]
    rate = point.split("\n        achievement_rate:", 1)[1].split("\n        a", 1)[0]
    assert "nullable: true" in rate and "format: decimal" in rate
    assert "(baseline − actual) ÷ (baseline − target) × 100" in rate
    assert "(actual − baseline) ÷ (target − baseline) × 100" in rate
    assert "Not capped" in rate
    reason = point.split("\n        achievement_rate_missing:", 1)[1]
    for value in ("baseline_year", "no_target", "no_change", "no_actual"):
        assert f"- {value}" in reason
    assert "\n        actual:" in point
