"""The engine and the pages read an indicator's actuals through one rule: its city-wide
``Actual`` rows, the region's poverty record winning where the indicator reads one of its
measures (``Indicator.record_measure``), so a figure on the dashboard is the figure computed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from opd.engine.compute import recompute
from opd.engine.inputs import contribution_inputs
from targets import models as tm
from targets.poverty import PovertyFigure, PovertyMeasure
from targets.selectors import indicator_overview
from tests.engine.engine_world import YEAR, engine_world

pytestmark = pytest.mark.django_db


def _recorded(world: Any, value: str) -> None:
    world.indicator.record_measure = PovertyMeasure.RATE
    world.indicator.save(update_fields=["record_measure"])
    PovertyFigure.objects.create(
        region=world.work_plan.opd.region,
        year=2017,
        measure=PovertyMeasure.RATE,
        value=Decimal(value),
        source="BPS Kota Magelang (test)",
    )


def test_the_record_wins_over_the_plans_own_actual_in_the_engine(django_assert_num_queries):
    world = engine_world()  # the 2017 actual: 8.75
    _recorded(world, "8.70")
    indicator = tm.Indicator.objects.get(pk=world.indicator.pk)
    with django_assert_num_queries(6):  # as without a record: the union is one query
        inputs = contribution_inputs(indicator=indicator, year=YEAR)
    assert inputs.actuals[2017] == Decimal("8.70")
    snapshot = recompute(indicator_id=indicator.pk, year=YEAR)
    assert snapshot.reference_value == Decimal("8.70") and snapshot.reference_year == 2017


def test_without_a_measure_the_record_is_not_read():
    world = engine_world()
    PovertyFigure.objects.create(
        region=world.work_plan.opd.region,
        year=2017,
        measure=PovertyMeasure.RATE,
        value=Decimal("8.70"),
        source="BPS Kota Magelang (test)",
    )
    indicator = tm.Indicator.objects.get(pk=world.indicator.pk)
    assert contribution_inputs(indicator=indicator, year=YEAR).actuals[2017] == Decimal("8.75")


def test_the_pages_overview_shows_the_figure_the_engine_used_with_its_source(
    django_assert_num_queries,
):
    world = engine_world()
    _recorded(world, "8.70")
    indicator = tm.Indicator.objects.select_related("plan").get(pk=world.indicator.pk)
    with django_assert_num_queries(3):
        overview = indicator_overview(indicator=indicator)
    row = next(row for row in overview.rows if row.year == 2017)
    assert (row.actual, row.actual_source) == (Decimal("8.70"), "BPS Kota Magelang (test)")
