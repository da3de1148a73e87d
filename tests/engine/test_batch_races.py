"""The set-based recomputation against saves running at the same moment (PostgreSQL, threads).

A year batch holds its year's state rows from before it reads until it commits: a change to a
pair of that year waits for it and leaves the pair flagged (the batch read the old inputs); a
change to a pair of a year already done does not wait at all (its batch has committed: the run
holds no lock across years).
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, transaction

from opd import models as om
from opd.engine import batch, compute, marking
from tests.engine.batch_world import build
from tests.engine.engine_world import dirty_pairs, snapshots_of

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_change_during_a_year_batch_stays_flagged_and_another_year_does_not_wait(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world = build(opds=2)
    batch.recompute_every_year()
    assert dirty_pairs() == set()
    work_plan = world.activities["0.2019.0"].program.work_plan
    assert work_plan.status == "submitted"
    inputs_read, change_waiting, released = threading.Event(), threading.Event(), threading.Event()
    other_year_marked: list[bool] = []
    errors: list[BaseException] = []
    real = batch.year_inputs

    def slow_inputs(*, year: int, indicator_ids: Any) -> Any:
        inputs = real(year=year, indicator_ids=indicator_ids)
        if year == 2019:
            inputs_read.set()
            change_waiting.wait(10)  # hold 2019's state rows until the change is under way
            released.set()
        return inputs

    def run() -> None:
        try:
            batch.recompute_every_year(years=[2018, 2019])
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    def change() -> None:
        try:
            inputs_read.wait(10)
            with transaction.atomic():  # a save for 2018, whose batch has committed
                marking.mark_pairs_dirty([(world.kms.pk, 2018)])
            other_year_marked.append(released.is_set())  # False: done while 2019 still runs
            # The reviewer approves a 2019 plan: a change the running batch has not read.
            with transaction.atomic():
                om.WorkPlan.objects.filter(pk=work_plan.pk).update(status="approved")
                timer = threading.Timer(0.5, change_waiting.set)  # let the mark block
                timer.start()
                marking.mark_work_plan_dirty(work_plan)
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            change_waiting.set()
            connection.close()

    monkeypatch.setattr(batch, "year_inputs", slow_inputs)
    monkeypatch.setattr(marking, "_enqueue", lambda pairs: None)  # the broker is not the point
    threads = [threading.Thread(target=run), threading.Thread(target=change)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    monkeypatch.undo()

    assert errors == []
    assert other_year_marked == [False]  # the 2018 save did not wait for 2019's batch
    # 2019's pairs of the plan's region were computed from the inputs before the approval, so
    # they stay flagged; so does the 2018 pair, marked after its batch.
    assert dirty_pairs() == {(world.kms.pk, 2018), (world.kms.pk, 2019), (world.tpt.pk, 2019)}
    (stale,) = snapshots_of(world.kms, 2019)
    approved_before = stale.planned_approved_total

    monkeypatch.setattr(marking, "_enqueue", lambda pairs: None)
    assert compute.sweep_dirty() == 3
    assert [s.sequence for s in snapshots_of(world.kms, 2019)] == [1, 2]
    assert snapshots_of(world.kms, 2019)[1].planned_approved_total > approved_before
    assert [s.sequence for s in snapshots_of(world.kms, 2018)] == [1]  # nothing changed there
    assert dirty_pairs() == set()
