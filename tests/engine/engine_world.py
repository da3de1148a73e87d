"""Builders and probes for the contribution-engine tests.

:func:`engine_world` is the plan world of ``plan_world`` with the figures the method
needs (the 2018 target, the 2017 actual, the 2015 population), so a recomputation
gives real numbers: R = 8.75, T = 7.38, P = 120,952, N = 1,657.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import DecimalField
from kombu import pools as kombu_pools

from magelang.celery import app
from opd import models as om
from opd.engine.inputs import contribution_inputs
from opd.engine.method import YearResult, compute
from targets import models as tm
from tests.factories import ActualFactory, PopulationFactory, TargetFactory
from tests.workplans.plan_world import World

YEAR = 2018
PLAN_YEARS = range(2016, 2022)  # the years of the RPJMD plan the world is built on


def engine_world(status: str = om.WorkPlan.Status.DRAFT) -> World:
    world = World.build(status=status)
    TargetFactory(indicator=world.indicator, year=YEAR, value=Decimal("7.38"))
    ActualFactory(indicator=world.indicator, year=2017, value=Decimal("8.75"))
    PopulationFactory(region=world.work_plan.opd.region, year=2015, value=120_952)
    return world


def dirty_pairs() -> set[tuple[int, int]]:
    return set(om.ContributionState.objects.filter(dirty=True).values_list("indicator_id", "year"))


def snapshots_of(indicator: tm.Indicator, year: int = YEAR) -> list[om.ContributionSnapshot]:
    return list(
        om.ContributionSnapshot.objects.filter(indicator=indicator, year=year).order_by("sequence")
    )


def row_values(snapshot: om.ContributionSnapshot) -> list[tuple[Any, ...]]:
    """A snapshot's rows as plain tuples, comparable between runs."""
    return list(
        snapshot.rows.order_by("opd_id").values_list(
            "opd_id",
            "work_plan_status",
            "planned_submitted",
            "planned_approved",
            "planned",
            "achieved",
            "share",
            "aligned_budget",
            "total_budget",
            "alignment",
            "cost_per_person",
        )
    )


def expected_result(indicator: tm.Indicator, year: int = YEAR) -> YearResult:
    """What the pure method gives on the database's current inputs."""
    fresh = tm.Indicator.objects.select_related("plan").get(pk=indicator.pk)
    return compute(contribution_inputs(indicator=fresh, year=year), year)


def _same(obj: Any, name: str, computed: Any) -> bool:
    """A stored figure equals the computed one to the field's number of decimals."""
    stored = getattr(obj, name)
    if stored is None or computed is None:
        return stored is None and computed is None
    field = obj._meta.get_field(name)
    if isinstance(field, DecimalField):
        unit = Decimal(1).scaleb(-field.decimal_places)
        return abs(Decimal(stored) - Decimal(computed)) <= unit / 2
    return bool(stored == computed)


SNAPSHOT_FIGURES = {
    "target_value": "target",
    "reference_value": "reference",
    "reference_year": "reference_year",
    "required_change": "required_change",
    "population": "population",
    "population_year": "population_year",
    "required": "required",
    "planned_total": "planned",
    "planned_submitted_total": "planned_submitted",
    "planned_approved_total": "planned_approved",
    "achieved_total": "achieved",
    "coverage": "coverage",
    "actual_value": "actual",
    "projected_planned": "projected_planned",
    "projected_achieved": "projected_achieved",
    "planned_deduplicated": "planned_deduplicated",
    "achieved_deduplicated": "achieved_deduplicated",
    "coverage_deduplicated": "coverage_deduplicated",
    "status_basis": "status_basis",
}
ROW_FIGURES = (
    "planned",
    "planned_submitted",
    "planned_approved",
    "achieved",
    "planned_deduplicated",
    "achieved_deduplicated",
    "share",
    "aligned_budget",
    "total_budget",
    "alignment",
    "cost_per_person",
)


def assert_snapshot_matches(snapshot: om.ContributionSnapshot, result: YearResult) -> None:
    """Every stored figure equals the pure method's, to the stored number of decimals."""
    for name, attribute in SNAPSHOT_FIGURES.items():
        computed = getattr(result, attribute)
        assert _same(snapshot, name, computed), (name, getattr(snapshot, name), computed)
    assert snapshot.status == result.status.value
    rows = {row.opd_id: row for row in snapshot.rows.all()}
    assert set(rows) == {opd.opd_id for opd in result.opds}
    for opd in result.opds:
        row = rows[opd.opd_id]
        assert row.work_plan_status == (opd.status or "")
        for name in ROW_FIGURES:
            computed = getattr(opd, name)
            assert _same(row, name, computed), (opd.opd_id, name, getattr(row, name), computed)


def drop_broker_pools() -> None:
    """Close and forget every pooled broker connection, so the next publish connects anew to
    whatever ``broker_url`` says now (kombu keeps its pools in a registry keyed by URL)."""
    kombu_pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def celery_conf(**values: Any) -> Iterator[None]:
    """Change the Celery app's configuration for a block, dropping pooled broker connections
    before and after so the block's broker URL (and the restored one) is really used."""
    saved = {name: app.conf[name] for name in values}
    drop_broker_pools()
    app.conf.update(values)
    try:
        yield
    finally:
        drop_broker_pools()
        app.conf.update(saved)


def redis_url() -> str:
    return str(settings.REDIS_URL)


__all__ = [
    "YEAR",
    "assert_snapshot_matches",
    "celery_conf",
    "dirty_pairs",
    "engine_world",
    "expected_result",
    "redis_url",
    "row_values",
    "snapshots_of",
]
