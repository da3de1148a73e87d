"""The region's poverty record: the seed's figures, the merge of the record into a plan's
actuals (``targets.poverty.actuals_for``) and the table (its rules: ``test_constraints_poverty.py``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opd.seeding import load_magelang
from targets import seed_magelang as facts
from targets.models import Actual, Indicator, PovertyFigure, Region
from targets.poverty import PovertyMeasure, actuals_for, region_record
from tests.factories import ActualFactory, IndicatorFactory, KecamatanFactory, RegionFactory

pytestmark = pytest.mark.django_db

P0, LINE = PovertyMeasure.RATE, PovertyMeasure.POVERTY_LINE


def figure(region: Region, **values: Any) -> PovertyFigure:
    fields = {"year": 2022, "measure": P0, "value": Decimal("7.10"), "source": "BPS"}
    return PovertyFigure.objects.create(region=region, **{**fields, **values})


# --- actuals_for ---------------------------------------------------------------------------------


def test_without_a_measure_the_actuals_are_the_indicators_city_wide_rows() -> None:
    indicator = IndicatorFactory()
    ActualFactory(indicator=indicator, year=2016, value=Decimal("8.78"))
    place = KecamatanFactory(region=indicator.plan.region)
    ActualFactory(indicator=indicator, year=2017, value=Decimal("3.00"), kecamatan=place)
    figure(indicator.plan.region, year=2016, value=Decimal("1.00"))  # not read: no measure
    assert actuals_for(indicator) == {2016: Decimal("8.78")}


def test_the_record_wins_a_shared_year_and_adds_its_own_years() -> None:
    indicator = IndicatorFactory(record_measure=P0)
    region = indicator.plan.region
    ActualFactory(indicator=indicator, year=2016, value=Decimal("8.78"))
    ActualFactory(indicator=indicator, year=2017, value=Decimal("8.75"))
    figure(region, year=2017, value=Decimal("8.70"))
    figure(region, year=2024, value=Decimal("5.94"))  # beyond the plan's period
    figure(region, year=2019, measure=LINE, value=Decimal(481282))  # another measure
    figure(RegionFactory(), year=2018, value=Decimal("1.00"))  # another region
    indicator = Indicator.objects.get(pk=indicator.pk)  # its plan not loaded
    with CaptureQueriesContext(connection) as queries:
        actuals = actuals_for(indicator)
    assert actuals == {2016: Decimal("8.78"), 2017: Decimal("8.70"), 2024: Decimal("5.94")}
    assert list(actuals) == [2016, 2017, 2024]
    assert len(queries) == 1


def test_another_measure_reads_its_own_figures() -> None:
    indicator = IndicatorFactory(
        record_measure=LINE, unit="Rp", is_population_share=False, baseline_value=Decimal(1)
    )
    figure(indicator.plan.region, year=2019, measure=LINE, value=Decimal(481282))
    figure(indicator.plan.region, year=2019, value=Decimal("7.46"))
    assert actuals_for(indicator) == {2019: Decimal(481282)}


# --- the seed ------------------------------------------------------------------------------------

BAPPEDA = "Bappeda Kota Magelang, rapat koordinasi penanggulangan kemiskinan (data 2022)"
PRESS = "BPS, sebagaimana dikutip media"
SEEDED = {
    (2015, "p0"): ("9.05", "BPS, sebagaimana dikutip media (kondisi awal RPJMD)"),
    (2016, "p0"): ("8.78", PRESS),
    (2017, "p0"): ("8.75", PRESS),
    (2019, "p0"): ("7.46", PRESS),
    (2020, "p0"): ("7.58", PRESS),
    (2021, "p0"): ("7.75", PRESS),
    (2019, "poverty_line"): ("481282", PRESS),
    (2020, "poverty_line"): ("525099", PRESS),
    (2022, "p0"): ("7.10", BAPPEDA),
    (2022, "poor_persons"): ("8650", BAPPEDA),
    (2022, "extreme_rate"): ("0.13", BAPPEDA),
    (2022, "extreme_persons"): ("163", BAPPEDA),
    (2024, "p0"): ("5.94", PRESS),
    (2024, "poor_persons"): ("7250", PRESS),
    (2024, "poverty_line"): ("626614", PRESS),
}


def test_the_seed_holds_the_published_figures_exactly_with_their_sources() -> None:
    load_magelang()
    region = Region.objects.get(code="33.71")
    stored = {
        (f.year, f.measure): (f.value, f.source, f.released_on)
        for f in PovertyFigure.objects.filter(region=region)
    }
    assert stored == {
        key: (Decimal(value), source, None) for key, (value, source) in SEEDED.items()
    }
    # Never invented: no figure for 2018 or 2023, no depth or severity index at all.
    assert not PovertyFigure.objects.filter(year__in=[2018, 2023]).exists()
    assert not PovertyFigure.objects.filter(measure__in=["p1", "p2"]).exists()


def test_the_record_repeats_every_poverty_actual_the_plan_holds() -> None:
    load_magelang()
    indicator = Indicator.objects.get(code="KEMISKINAN")
    assert indicator.record_measure == "p0"
    own = {
        a.year: (a.value, a.source)
        for a in Actual.objects.filter(indicator=indicator, kecamatan=None, kelurahan=None)
    }
    record = {f.year: (f.value, f.source) for f in PovertyFigure.objects.filter(measure="p0")}
    assert {year: record[year] for year in own} == own
    assert record[2015] == (Decimal("9.05"), indicator.baseline_source)
    assert actuals_for(indicator) == {year: value for year, (value, _s) in record.items()}


def test_loading_the_seed_twice_changes_nothing_and_fills_an_older_indicator() -> None:
    load_magelang()
    Indicator.objects.update(record_measure="")  # as seeded before the record existed
    load_magelang()
    assert Indicator.objects.get(code="KEMISKINAN").record_measure == "p0"
    report = load_magelang()
    assert not report.created and not report.conflicts
    assert PovertyFigure.objects.count() == len(facts.POVERTY_RECORD) == len(SEEDED)


# --- the record as a table -----------------------------------------------------------------------


def test_the_table_runs_from_the_first_to_the_last_year_with_numbered_notes() -> None:
    region = RegionFactory()
    released = date(2024, 7, 1)
    figure(region, year=2022, value=Decimal("7.1"), source="Bappeda")
    figure(region, year=2024, value=Decimal("5.94"), source="BPS", released_on=released)
    figure(
        region, year=2024, measure=LINE, value=Decimal(626614), source="BPS", released_on=released
    )
    figure(region, year=2022, measure="poor_persons", value=Decimal(8650), source="Bappeda")
    with CaptureQueriesContext(connection) as queries:
        record = region_record(region)
    assert len(queries) == 1
    assert [row.year for row in record.rows] == [2022, 2023, 2024]
    columns = [value for value, _label, _unit in record.measures]
    assert columns == PovertyMeasure.values
    y2022, y2023, y2024 = record.rows
    assert all(cell is None for cell in y2023.cells)
    # In the active language (Indonesian by default): two decimals, whole persons, Rupiah.
    assert y2022.cells[0].text == "7,10" and y2022.cells[0].note == 1
    assert y2022.cells[1].text == "8.650" and y2022.cells[1].note == 1
    assert y2024.cells[2].text == "Rp\xa0626.614" and y2024.cells[2].note == 2
    assert [(n.number, n.source, n.released_on) for n in record.notes] == [
        (1, "Bappeda", None),
        (2, "BPS", released),
    ]


def test_a_region_without_figures_has_an_empty_table() -> None:
    assert region_record(RegionFactory()).rows == []
