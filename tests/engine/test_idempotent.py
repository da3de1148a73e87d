"""Recomputing is idempotent: the task run twice, or two recomputations at the same moment,
leave one snapshot with the same rows.

Redis delivers a late-acknowledged task again when a worker dies or the visibility timeout
passes, and the sweep may run while a queued task does; none of it may store twice. The
threaded test runs on PostgreSQL, where the state row's lock (SELECT ... FOR UPDATE)
serialises the two; SQLite has no such lock, and no real concurrency to test.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from opd import models as om
from opd.engine import compute, marking
from opd.engine.tasks import recompute_contribution
from targets import models as tm
from tests.engine.engine_world import (
    YEAR,
    assert_snapshot_matches,
    dirty_pairs,
    engine_world,
    expected_result,
    row_values,
    snapshots_of,
)
from tests.factories import ContributionStateFactory, IndicatorFactory


@pytest.mark.django_db
def test_the_task_run_twice_stores_one_snapshot_with_the_same_rows() -> None:
    world = engine_world(om.WorkPlan.Status.SUBMITTED)
    ContributionStateFactory(indicator=world.indicator, year=YEAR)

    first = recompute_contribution.apply(args=[world.indicator.pk, YEAR]).get()
    (snapshot,) = snapshots_of(world.indicator)
    rows = row_values(snapshot)
    assert first == snapshot.pk and len(rows) == 2  # the plan's OPD and the other one

    second = recompute_contribution.apply(args=[world.indicator.pk, YEAR]).get()
    assert second == first
    (again,) = snapshots_of(world.indicator)
    assert again.pk == snapshot.pk and again.sequence == 1
    assert row_values(again) == rows
    assert om.ContributionRow.objects.count() == len(rows)
    assert dirty_pairs() == set()
    assert_snapshot_matches(again, expected_result(world.indicator))


@pytest.mark.django_db
def test_a_task_for_a_deleted_indicator_does_nothing() -> None:
    """Deleting an indicator in the admin marks its years first; the queued tasks then find
    nothing to compute, which is not an error."""
    indicator = IndicatorFactory()
    indicator_id = indicator.pk
    indicator.delete()
    result = recompute_contribution.apply(args=[indicator_id, YEAR])
    assert result.successful() and result.get() is None
    assert not om.ContributionState.objects.exists()
    assert not om.ContributionSnapshot.objects.exists()


@pytest.mark.django_db
def test_a_failing_pair_does_not_hold_up_the_sweep(monkeypatch: pytest.MonkeyPatch) -> None:
    """The oldest flagged pair comes first in every sweep; if it keeps failing, the others
    are still computed, and it stays flagged for the next sweep."""
    world = engine_world(om.WorkPlan.Status.SUBMITTED)
    marking.mark_dirty(indicator_ids=[world.indicator.pk], years=[2017, 2018])
    real = compute.contribution_inputs

    def broken_2017(*, indicator: tm.Indicator, year: int) -> Any:
        if year == 2017:
            raise ValueError("bad figures for 2017")
        return real(indicator=indicator, year=year)

    monkeypatch.setattr(compute, "contribution_inputs", broken_2017)
    assert compute.sweep_dirty() == 1
    assert dirty_pairs() == {(world.indicator.pk, 2017)}
    assert [s.sequence for s in snapshots_of(world.indicator, 2018)] == [1]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("state_row", ["flagged", "none yet"])
def test_two_recomputations_at_once_store_one_snapshot(state_row: str) -> None:
    world = engine_world(om.WorkPlan.Status.SUBMITTED)
    if state_row == "flagged":
        ContributionStateFactory(indicator=world.indicator, year=YEAR)
    barrier = threading.Barrier(2, timeout=10)
    outcomes: list[Any] = []

    def recompute() -> None:
        try:
            barrier.wait()
            outcomes.append(compute.recompute(indicator_id=world.indicator.pk, year=YEAR).pk)
        except Exception as error:  # reported by the assertions below
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=recompute) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(outcomes) == 2 and all(isinstance(o, int) for o in outcomes), outcomes
    (snapshot,) = snapshots_of(world.indicator)
    assert outcomes == [snapshot.pk, snapshot.pk] and snapshot.sequence == 1
    rows = row_values(snapshot)
    assert len(rows) == 2 and om.ContributionRow.objects.count() == 2
    state = om.ContributionState.objects.get()
    assert (state.snapshot_id, state.dirty) == (snapshot.pk, False)
    assert_snapshot_matches(snapshot, expected_result(world.indicator))

    # A third run afterwards changes nothing either.
    assert compute.recompute(indicator_id=world.indicator.pk, year=YEAR).pk == snapshot.pk
    assert row_values(snapshots_of(world.indicator)[0]) == rows


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_change_during_a_recomputation_stays_flagged(monkeypatch: pytest.MonkeyPatch) -> None:
    """A change committed while a recomputation holds the state row (and has read the old
    inputs) is not swallowed when that recomputation clears the flag: ``mark_dirty`` writes
    the flag anyway, waiting for the lock, so the pair is flagged again afterwards."""
    world = engine_world(om.WorkPlan.Status.SUBMITTED)
    ContributionStateFactory(indicator=world.indicator, year=YEAR)  # flagged already
    inputs_read = threading.Event()
    change_waiting = threading.Event()
    real = compute.contribution_inputs
    errors: list[BaseException] = []

    def slow_inputs(*, indicator: tm.Indicator, year: int) -> Any:
        inputs = real(indicator=indicator, year=year)
        inputs_read.set()
        change_waiting.wait(10)  # hold the row lock until the change is under way
        return inputs

    def recompute() -> None:
        try:
            compute.recompute(indicator_id=world.indicator.pk, year=YEAR)
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    def change() -> None:
        try:
            inputs_read.wait(10)
            # The reviewer approves the plan: a change the running recomputation has not read.
            om.WorkPlan.objects.filter(pk=world.work_plan.pk).update(
                status=om.WorkPlan.Status.APPROVED
            )
            timer = threading.Timer(0.5, change_waiting.set)  # let mark_dirty block on the lock
            timer.start()
            marking.mark_work_plan_dirty(world.work_plan)
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            change_waiting.set()
            connection.close()

    enqueued: list[list[tuple[int, int]]] = []
    monkeypatch.setattr(compute, "contribution_inputs", slow_inputs)
    monkeypatch.setattr(marking, "_enqueue", enqueued.append)  # the broker is not the point
    threads = [threading.Thread(target=recompute), threading.Thread(target=change)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    monkeypatch.undo()

    assert errors == []
    assert enqueued == [[(world.indicator.pk, YEAR)]]
    (stale,) = snapshots_of(world.indicator)
    assert stale.planned_submitted_total == 40  # computed from the inputs before the approval
    assert dirty_pairs() == {(world.indicator.pk, YEAR)}  # so the pair is still owed

    assert compute.sweep_dirty() == 1
    assert [s.sequence for s in snapshots_of(world.indicator)] == [1, 2]
    assert snapshots_of(world.indicator)[1].planned_approved_total == 40
