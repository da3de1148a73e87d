"""A real Celery worker, on Redis and PostgreSQL, computes the snapshot a submission asks for.

The worker is Celery's embedded test worker (``celery.contrib.testing.worker.start_worker``)
with the project's app, in a thread of this process, so it reads the test database; the
test is transactional, so the worker's connection sees what the service committed.

Nothing else may feed or steal its messages: the app publishes, for this test only, to a
queue named after this run (``task_default_queue``), purged before the worker starts and
deleted afterwards. Other transactional tests of the suite publish to the default queue
with ``REDIS_URL`` set, and nothing consumes it; none of that reaches this worker.
``perform_ping_check=False``: the ping check calls ``celery.ping`` and waits for its result,
which needs a result backend, and the project has none (results are ignored).
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_prerun

from magelang.celery import app
from opd import models as om
from opd.workplans import services
from tests.engine.engine_world import (
    YEAR,
    assert_snapshot_matches,
    celery_conf,
    engine_world,
    expected_result,
    redis_url,
    snapshots_of,
)

WAIT_SECONDS = 20


@pytest.fixture
def worker_queue() -> Iterator[str]:
    """This run's own queue, empty, as the app's default queue; deleted afterwards."""
    name = f"magelang-test-engine-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    with celery_conf(
        broker_url=redis_url(),
        task_always_eager=False,
        task_default_queue=name,
        worker_hijack_root_logger=False,
    ):
        queue = app.amqp.queues[name]  # created on demand, bound to its own direct exchange
        with app.connection_for_write() as conn:
            bound = queue(conn.default_channel)
            bound.declare()
            bound.purge()
        try:
            yield name
        finally:
            app.amqp.queues._consume_from = None  # the worker narrowed consumption to it
            with app.connection_for_write() as conn:
                bound = queue(conn.default_channel)
                bound.declare()  # the channel learns the binding, so delete() removes it too
                bound.delete()


def wait_for_computed_state(indicator_id: int, year: int) -> om.ContributionState | None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        state = om.ContributionState.objects.filter(
            indicator_id=indicator_id, year=year, dirty=False, snapshot__isnull=False
        ).first()
        if state is not None:
            return state
        time.sleep(0.1)
    return None


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_submitted_plan_is_computed_by_a_real_worker(worker_queue: str) -> None:
    assert app.conf.task_always_eager is False
    world = engine_world()  # a draft: nothing computed, no state yet
    assert not om.ContributionState.objects.exists()
    runs: list[dict[str, Any]] = []

    def record(task: Any = None, args: Any = None, **_: Any) -> None:
        runs.append(
            {
                "task": task.name,
                "args": list(args or ()),
                "eager": bool(task.request.is_eager),
                "queue": (task.request.delivery_info or {}).get("routing_key"),
                "in_worker_thread": threading.current_thread() is not threading.main_thread(),
            }
        )

    task_prerun.connect(record, weak=False)
    try:
        with start_worker(
            app,
            pool="solo",
            perform_ping_check=False,
            queues=[worker_queue],
            shutdown_timeout=20,
        ):
            started = time.monotonic()
            services.work_plan_submit(
                work_plan_id=world.work_plan.pk, by=world.head, seen_version=world.work_plan.version
            )
            # Committed: the pair is flagged, and the task is on its way to the worker.
            state = wait_for_computed_state(world.indicator.pk, YEAR)
            waited = time.monotonic() - started
    finally:
        task_prerun.disconnect(record)

    assert state is not None, f"no snapshot within {WAIT_SECONDS} s; tasks seen: {runs}"
    print(f"worker computed the snapshot {waited:.2f} s after the submission")
    assert runs == [
        {
            "task": "opd.tasks.recompute_contribution",
            "args": [world.indicator.pk, YEAR],
            "eager": False,
            "queue": worker_queue,
            "in_worker_thread": True,
        }
    ]
    (snapshot,) = snapshots_of(world.indicator)
    assert state.snapshot_id == snapshot.pk and snapshot.sequence == 1
    assert snapshot.planned_total == 40  # the plan is submitted: its 40 persons count
    assert snapshot.required == 1657
    assert_snapshot_matches(snapshot, expected_result(world.indicator))
