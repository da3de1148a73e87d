"""The region's poverty record: its rules in the database, each refused by name with the nearest
good row accepted (the seed, the merge into actuals and the table: ``test_poverty.py``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from targets.models import PovertyFigure, Region
from targets.poverty import PovertyMeasure
from tests.constraints import refused
from tests.factories import IndicatorFactory, RegionFactory

pytestmark = pytest.mark.django_db

P0, LINE = PovertyMeasure.RATE, PovertyMeasure.POVERTY_LINE


def figure(region: Region, **values: Any) -> PovertyFigure:
    fields = {"year": 2022, "measure": P0, "value": Decimal("7.10"), "source": "BPS"}
    return PovertyFigure.objects.create(region=region, **{**fields, **values})


# --- rules ---------------------------------------------------------------------------------------

CHECKS = [
    # constraint, nearest good row, bad row
    ("poverty_figure_measure_valid", {"measure": "p2"}, {"measure": "p3"}),
    ("poverty_figure_value_not_negative", {"value": Decimal(0)}, {"value": Decimal("-0.01")}),
    ("poverty_figure_rate_at_most_100", {"value": Decimal(100)}, {"value": Decimal("100.01")}),
    (
        "poverty_figure_rate_at_most_100",
        {"measure": "extreme_rate", "value": Decimal(100)},
        {"measure": "extreme_rate", "value": Decimal("100.01")},
    ),
    ("poverty_figure_year_plausible", {"year": 1945}, {"year": 1944}),
    ("poverty_figure_year_plausible", {"year": 2100}, {"year": 2101}),
    ("poverty_figure_source_not_empty", {"source": "x"}, {"source": ""}),
]


@pytest.mark.parametrize(("name", "good", "bad"), CHECKS, ids=[c[0] for c in CHECKS])
def test_the_database_refuses_a_bad_figure_by_name(name: str, good: dict, bad: dict) -> None:
    region = RegionFactory()
    with refused(name):
        figure(region, **bad)
    assert not PovertyFigure.objects.exists()
    assert figure(region, **good).pk


def test_counts_and_the_poverty_line_may_exceed_100() -> None:
    region = RegionFactory()
    figure(region, measure="poor_persons", value=Decimal(8650))
    figure(region, measure=LINE, value=Decimal(626614))
    assert PovertyFigure.objects.count() == 2


def test_one_figure_per_region_year_and_measure() -> None:
    region, other = RegionFactory(), RegionFactory()
    figure(region)
    with refused("poverty_figure_unique_measure"):
        figure(region, value=Decimal("7.00"))
    figure(region, measure=LINE, value=Decimal(500000))  # another measure
    figure(region, year=2023)  # another year
    figure(other)  # another region
    assert PovertyFigure.objects.count() == 4


def test_an_indicator_names_only_a_known_measure() -> None:
    with refused("indicator_record_measure_valid"):
        IndicatorFactory(record_measure="p9")
    assert IndicatorFactory(record_measure="").pk
    assert IndicatorFactory(record_measure=P0).pk
