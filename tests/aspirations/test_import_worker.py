"""A confirmed import runs on a real Celery worker (Redis, PostgreSQL), as in production.

The worker is Celery's embedded test worker in a thread of this process, consuming a queue of
this test only (see ``tests/engine/test_worker.py`` for why); the test is transactional, so
the worker's connection sees the staged import once the confirmation commits.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_prerun

from magelang.celery import app
from opd import models as om
from opd.aspirations import import_jobs, imports
from tests.aspirations.import_world import ImportWorld, many, xlsx
from tests.engine.engine_world import celery_conf, redis_url

WAIT_SECONDS = 30


@pytest.fixture
def worker_queue() -> Iterator[str]:
    name = f"magelang-test-import-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    with celery_conf(
        broker_url=redis_url(),
        task_always_eager=False,
        task_default_queue=name,
        worker_hijack_root_logger=False,
    ):
        queue = app.amqp.queues[name]
        with app.connection_for_write() as conn:
            bound = queue(conn.default_channel)
            bound.declare()
            bound.purge()
        try:
            yield name
        finally:
            app.amqp.queues._consume_from = None
            with app.connection_for_write() as conn:
                bound = queue(conn.default_channel)
                bound.declare()
                bound.delete()


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_confirmed_import_runs_on_a_real_worker(settings: Any, worker_queue: str) -> None:
    world = ImportWorld.build(settings)
    user = world.who("kelurahan_staff")
    checked = imports.check_file(user=user, name="u.xlsx", data=xlsx(many(1500)))
    assert checked.bad == []
    batch = imports.stage(user=user, name="u.xlsx", checked=checked)
    runs: list[tuple[str, list[Any], bool]] = []

    def record(task: Any = None, args: Any = None, **_: Any) -> None:
        runs.append((task.name, list(args or ()), bool(task.request.is_eager)))

    task_prerun.connect(record, weak=False)
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, queues=[worker_queue], shutdown_timeout=20
        ):
            assert import_jobs.start(batch=batch, by=user) is True
            assert import_jobs.start(batch=batch, by=user) is False
            deadline = time.monotonic() + WAIT_SECONDS
            while time.monotonic() < deadline:
                batch.refresh_from_db()
                if batch.state in ("done", "failed"):
                    break
                time.sleep(0.2)
    finally:
        task_prerun.disconnect(record)
    assert runs == [("opd.tasks.import_aspirations", [batch.pk], False)]
    assert (batch.state, batch.imported, batch.error) == ("done", 1500, "")
    assert om.Aspiration.objects.count() == 1500
    assert om.AspirationEvent.objects.filter(kind="intake", actor=user).count() == 1500
