"""The contribution engine through its services: what marks which years and what a
recomputation stores (what the operators and the OPDs see is in ``test_engine_reads.py``).

Enqueuing is recorded instead of published (the ``enqueued`` fixture of ``conftest.py``; the
broker has tests of its own); the recomputation is then run directly, as the worker or the
sweep would.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from opd import models as om
from opd.engine import compute
from opd.engine.tasks import recompute_contribution
from opd.workplans import services
from opd.workplans.services import ActivityData
from targets import models as tm
from tests.engine.engine_world import (
    PLAN_YEARS,
    YEAR,
    assert_snapshot_matches,
    dirty_pairs,
    engine_world,
    expected_result,
    row_values,
    snapshots_of,
)
from tests.factories import IndicatorFactory
from tests.workplans.plan_world import World

pytestmark = pytest.mark.django_db

Status = om.WorkPlan.Status


class Rollback(Exception):
    pass


# --- unchanged inputs ------------------------------------------------------------------------------


def test_recomputing_unchanged_inputs_stores_nothing_new() -> None:
    world = engine_world(Status.SUBMITTED)
    first = compute.recompute(indicator_id=world.indicator.pk, year=YEAR)
    rows = row_values(first)
    state = om.ContributionState.objects.get()
    computed_at = state.computed_at

    again = compute.recompute(indicator_id=world.indicator.pk, year=YEAR)
    assert again.pk == first.pk
    assert [s.pk for s in snapshots_of(world.indicator)] == [first.pk]
    assert row_values(again) == rows
    assert om.ContributionRow.objects.count() == len(rows)
    state.refresh_from_db()
    assert state.snapshot_id == first.pk and not state.dirty
    assert state.computed_at >= computed_at  # checked again, not stored again


# --- each change marks the right pairs, in its own transaction -------------------------------------


def _figures_world(status: str) -> tuple[World, tm.Indicator]:
    """The engine world, a second indicator of the plan (not a population share) and an
    indicator of another region's plan; every year of all of them computed and clean."""
    world = engine_world(status)
    second = IndicatorFactory(
        plan=world.work_plan.plan,
        code="TPT",
        name="Tingkat pengangguran terbuka",
        is_population_share=False,
        baseline_value=Decimal("6.2"),
    )
    IndicatorFactory(code="LAIN")  # another region's plan: never marked by this world
    compute.recompute_all()
    assert dirty_pairs() == set()
    return world, second


def submit(world: World, client: Client) -> None:
    services.work_plan_submit(
        work_plan_id=world.work_plan.pk, by=world.head, seen_version=world.work_plan.version
    )


def add_contribution(world: World, client: Client) -> None:
    values = {name: getattr(world.activity, name) for name in services.ACTIVITY_FIELDS}
    services.activity_update(
        activity_id=world.activity.pk,
        by=world.head,
        data=ActivityData(values=values, contributions={world.indicator.pk: Decimal(65)}),
        seen_version=world.activity.version,
    )


def report_realisation(world: World, client: Client) -> None:
    services.realisation_save(
        activity_id=world.activity.pk,
        quarter=1,
        by=world.head,
        values={"budget_spent": Decimal(60_000_000), "output_achieved": Decimal(25)},
        contributions={world.indicator.pk: Decimal(12)},
        seen_version=None,
    )


def create_a_plan(world: World, client: Client) -> None:
    """Another OPD of the region starts its plan for the year (its head is ``outsider``)."""
    services.work_plan_create(
        opd=world.outsider.opd_memberships.get().opd, year=YEAR, by=world.outsider
    )


def admin_post(
    client: Client, model: type[Any], view: str, data: dict[str, Any], *args: Any
) -> None:
    meta = model._meta
    url = f"/admin/{meta.app_label}/{meta.model_name}/" + (
        f"{args[0]}/change/" if view == "change" else "add/"
    )
    response = client.post(url, data)
    assert response.status_code == 302, re.findall(
        r"errorlist.*?</ul>", response.content.decode(), re.S
    )


def edit_actual(world: World, client: Client) -> None:
    actual = tm.Actual.objects.get(indicator=world.indicator, year=2017)
    data = {"indicator": world.indicator.pk, "year": 2017, "value": "8.60", "source": "BPS"}
    admin_post(client, tm.Actual, "change", data, actual.pk)


def edit_target(world: World, client: Client) -> None:
    target = tm.Target.objects.get(indicator=world.indicator, year=YEAR)
    data = {"indicator": world.indicator.pk, "year": YEAR, "value": "7.20", "source": "RPJMD"}
    admin_post(client, tm.Target, "change", data, target.pk)


def add_population(world: World, client: Client) -> None:
    data = {
        "region": world.work_plan.opd.region_id,
        "year": 2020,
        "value": "121526",
        "source": "SP2020",
    }
    admin_post(client, tm.Population, "add", data)


CHANGES: dict[str, tuple[str, Callable[[World, Client], None], int]] = {
    # name: (plan status, change, the year whose KMS snapshot must move)
    "create a plan": (Status.DRAFT, create_a_plan, YEAR),
    "submit a plan": (Status.DRAFT, submit, YEAR),
    "add an activity's contribution": (Status.DRAFT, add_contribution, YEAR),
    "report a realisation": (Status.APPROVED, report_realisation, YEAR),
    "edit an actual in the admin": (Status.SUBMITTED, edit_actual, YEAR),
    "edit a target in the admin": (Status.SUBMITTED, edit_target, YEAR),
    "add a population figure in the admin": (Status.SUBMITTED, add_population, 2020),
}


def expected_pairs(name: str, world: World, second: tm.Indicator) -> set[tuple[int, int]]:
    kms = world.indicator.pk
    if name.endswith("in the admin"):
        if "population" in name:  # population-share indicators of the region, from 2020 on
            return {(kms, 2020), (kms, 2021)}
        return {(kms, year) for year in PLAN_YEARS}  # every year of the indicator
    return {(kms, YEAR), (second.pk, YEAR)}  # every indicator of the plan, the plan's year


@pytest.mark.parametrize("name", list(CHANGES))
def test_a_change_marks_its_pairs_in_its_transaction_then_adds_a_snapshot(
    name: str,
    admin_client: Client,
    enqueued: list[tuple[int, int]],
    django_capture_on_commit_callbacks: Any,
) -> None:
    status, change, year = CHANGES[name]
    world, second = _figures_world(status)
    expected = expected_pairs(name, world, second)
    (earlier,) = snapshots_of(world.indicator, year)
    figures_before = expected_result(world.indicator, year)

    # Inside the change's transaction the pairs are flagged; rolled back, so is the flag.
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Rollback),
        transaction.atomic(),
    ):
        change(world, admin_client)
        assert dirty_pairs() == expected
        raise Rollback
    assert dirty_pairs() == set()
    assert callbacks == [] and enqueued == []
    assert expected_result(world.indicator, year) == figures_before  # the change is gone too

    # Committed: flagged with the change, and enqueued once it commits.
    world.refresh()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        change(world, admin_client)
        assert dirty_pairs() == expected
        assert enqueued == []  # not before the commit
    assert len(callbacks) >= 1
    assert set(enqueued) == expected

    # The recomputation adds a snapshot with sequence + 1 and keeps the earlier one.
    assert compute.sweep_dirty() == len(expected)
    assert dirty_pairs() == set()
    kept, current = snapshots_of(world.indicator, year)
    assert (kept.pk, kept.sequence, current.sequence) == (earlier.pk, 1, 2)
    assert kept.fingerprint == earlier.fingerprint != current.fingerprint
    state = om.ContributionState.objects.get(indicator=world.indicator, year=year)
    assert state.snapshot_id == current.pk
    assert_snapshot_matches(current, expected_result(world.indicator, year))


def test_a_new_work_plan_is_in_the_stored_snapshot_once_it_commits(
    enqueued: list[tuple[int, int]], django_capture_on_commit_callbacks: Any
) -> None:
    """Not only after the nightly sweep: the OPD's row shows its draft plan right away."""
    world, second = _figures_world(Status.SUBMITTED)
    other = world.outsider.opd_memberships.get().opd
    with django_capture_on_commit_callbacks(execute=True):
        work_plan = services.work_plan_create(opd=other, year=YEAR, by=world.outsider)
        assert dirty_pairs() == {(world.indicator.pk, YEAR), (second.pk, YEAR)}
    assert set(enqueued) == {(world.indicator.pk, YEAR), (second.pk, YEAR)}

    for indicator_id, year in enqueued:  # as the worker does with each enqueued pair
        recompute_contribution(indicator_id, year)
    assert dirty_pairs() == set()
    state = om.ContributionState.objects.get(indicator=world.indicator, year=YEAR)
    assert state.snapshot is not None and state.snapshot.sequence == 2
    row = state.snapshot.rows.get(opd=other)
    assert row.work_plan_status == work_plan.status == Status.DRAFT


def test_an_indicator_whose_inputs_did_not_change_keeps_its_snapshot(
    enqueued: list[tuple[int, int]],
) -> None:
    """The contribution change touches KMS only: TPT is marked with the plan, recomputed,
    and stores nothing new."""
    world, second = _figures_world(Status.DRAFT)
    add_contribution(world, Client())
    assert compute.sweep_dirty() == 2
    assert [s.sequence for s in snapshots_of(second)] == [1]
    assert [s.sequence for s in snapshots_of(world.indicator)] == [1, 2]


# --- A → B → A ------------------------------------------------------------------------------------


def test_inputs_a_then_b_then_a_end_with_a_third_snapshot_of_a(
    enqueued: list[tuple[int, int]],
) -> None:
    world = engine_world(Status.APPROVED)

    def report(persons: int, seen: int | None) -> om.ContributionSnapshot:
        services.realisation_save(
            activity_id=world.activity.pk,
            quarter=1,
            by=world.head,
            values={"budget_spent": Decimal(60_000_000), "output_achieved": Decimal(25)},
            contributions={world.indicator.pk: Decimal(persons)},
            seen_version=seen,
        )
        return compute.recompute(indicator_id=world.indicator.pk, year=YEAR)

    a = report(10, None)
    b = report(30, 1)
    a_again = report(10, 2)

    assert [s.sequence for s in snapshots_of(world.indicator)] == [1, 2, 3]
    assert (a.sequence, b.sequence, a_again.sequence) == (1, 2, 3)
    assert om.ContributionState.objects.get().snapshot_id == a_again.pk
    assert a_again.fingerprint == a.fingerprint != b.fingerprint
    figures = ("achieved_total", "projected_achieved", "projected_planned", "coverage", "status")
    assert [getattr(a_again, f) for f in figures] == [getattr(a, f) for f in figures]
    assert a_again.achieved_total == 10 and b.achieved_total == 30
    assert row_values(a_again) == row_values(a)
    assert a_again.inputs == a.inputs
