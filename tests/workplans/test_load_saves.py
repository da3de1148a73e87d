"""Load: 200 back-to-back saves from two OPDs through gunicorn while a real worker recomputes.

A save used to lock its OPD row along with the plan, then wait for a
contribution state row held by a recomputation, whose snapshot rows wait at COMMIT for a
key-share lock on that OPD row: ``deadlock detected``, a 500 for the user.

gunicorn (3 sync workers) and a Celery worker (prefork, 2 processes) run as subprocesses on
this run's test database, the worker on a queue of this test only. Two threads, one per OPD,
each with the write token of its OPD, save their own activity 100 times back to back through
the API (``PATCH`` with the ``If-Match`` ETag of the previous answer). Each save marks the
shared (indicator, year) pair dirty and enqueues its recomputation; a third thread keeps
publishing recomputations too, so the worker computes the whole time. Every save must
succeed (each thread owns its activity, so no 412 either), no answer may be a 5xx, the
history must hold one update per save, and the worker must have computed the last budgets.
"""

from __future__ import annotations

import contextlib
import ctypes
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.cache import cache

from magelang.celery import app
from opd import models as om
from opd.clients import services as client_services
from opd.engine.tasks import recompute_contribution
from tests.engine.engine_world import YEAR, engine_world, redis_url
from tests.factories import ExpectedContributionFactory, OpdFactory, ProgramFactory, WorkPlanFactory
from tests.workplans.plan_world import complete_activity

ROOT = Path(__file__).resolve().parents[2]
SAVES_PER_OPD = 100
START_SECONDS = 45  # for gunicorn or the worker to come up (a busy CI machine)
RUN_SECONDS = 120  # hang guard for the saves, not a speed assertion
DRAIN_SECONDS = 60  # for the worker to compute what the last saves marked


@dataclass
class Saver:
    """One OPD's client: its activity, its token, and what each of its saves got."""

    name: str
    activity_id: int
    token: str
    first_budget: int
    statuses: Counter[int | str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)


def _listening_socket() -> socket.socket:
    """A socket bound to a free port and listening, handed to gunicorn (``--bind fd://N``):
    no other process can take the port between choosing it and gunicorn binding it."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    return listener


def _test_database_url() -> str:
    """The URL of this run's test database (``NAME`` is the test database's by now)."""
    db = settings.DATABASES["default"]
    user = quote(db.get("USER") or "postgres")
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    return f"postgres://{user}{password}@{host}:{db.get('PORT') or 5432}/{db['NAME']}"


def _environment(queue: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="magelang.settings",
        DATABASE_URL=_test_database_url(),
        REDIS_URL=redis_url(),
        CELERY_TASK_DEFAULT_QUEUE=queue,
        API_THROTTLE_TOKEN="100000/min",  # the load, not the throttle, is under test
        # This run's throttle counts on the shared Redis, never a developer's server's (the
        # run's own prefix: tests/conftest.py, which drops its keys at the end).
        CACHE_KEY_PREFIX=cache.key_prefix,
        PYTHONUNBUFFERED="1",
    )
    return env


PR_SET_PDEATHSIG = 1  # prctl(2)


def _die_with_this_process() -> Callable[[], None]:
    """A ``preexec_fn`` that has the kernel SIGKILL the child when pytest ends, even by
    SIGKILL, when no ``finally`` runs. (It is the spawning thread's death, strictly: the
    main thread's, which lasts as long as pytest.) The child's own children die with it
    too: see ``_process``."""
    parent = os.getpid()
    libc = ctypes.CDLL("libc.so.6", use_errno=True)  # loaded here: the child only calls it

    def preexec() -> None:
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL) != 0:
            os._exit(127)
        if os.getppid() != parent:  # pytest died before the prctl
            os._exit(1)

    return preexec


#: gunicorn's ``post_fork`` hook: each worker, too, is killed by the kernel when its master
#: dies. A sync worker would notice on its own (it compares its parent pid) only when it next
#: wakes up: up to half of ``--timeout`` later, holding its database connection meanwhile.
GUNICORN_CONFIG = """\
import ctypes, os, signal

def post_fork(server, worker):
    if ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL) != 0:
        os._exit(127)
    if os.getppid() != server.pid:  # the master died before the prctl
        os._exit(1)
"""


@contextlib.contextmanager
def _process(
    command: list[str], env: dict[str, str], log: IO[bytes], pass_fds: tuple[int, ...] = ()
) -> Iterator[Any]:
    """Run ``command`` in its own process group; stop that group (and only it) afterwards.

    Should pytest itself be killed, the kernel kills the process (``_die_with_this_process``),
    and its children with it: gunicorn's workers by the same means (``GUNICORN_CONFIG``), the
    Celery pool's processes by billiard's own. Nothing stays connected to the test database.
    """
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=_die_with_this_process(),
        pass_fds=pass_fds,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)


def _tail(path: Path, lines: int = 60) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def _request(
    conn: http.client.HTTPConnection, method: str, url: str, token: str, **extra: Any
) -> tuple[int, dict[str, str], bytes]:
    headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
    body = None
    if "json" in extra:
        body = json.dumps(extra["json"])
        headers["Content-Type"] = "application/json"
    if "etag" in extra:
        headers["If-Match"] = extra["etag"]
    conn.request(method, url, body=body, headers=headers)
    response = conn.getresponse()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()


def _wait_for_gunicorn(port: int, saver: Saver, process: Any, log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, f"gunicorn exited:\n{_tail(log)}"
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            status, _headers, body = _request(
                conn, "GET", f"/api/v1/activities/{saver.activity_id}/", saver.token
            )
        except OSError:
            time.sleep(0.2)
            continue
        finally:
            conn.close()
        assert status == 200, (status, body[:500])
        return
    pytest.fail(f"gunicorn did not answer within {START_SECONDS} s:\n{_tail(log)}")


def _wait_for_worker(process: Any, log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the worker exited:\n{_tail(log)}"
        if " ready." in log.read_text(errors="replace"):
            return
        time.sleep(0.2)
    pytest.fail(f"the worker was not ready within {START_SECONDS} s:\n{_tail(log)}")


def _save_back_to_back(port: int, saver: Saver, deadline: float) -> None:
    """PATCH the activity's budget SAVES_PER_OPD times, each with the previous answer's ETag."""
    url = f"/api/v1/activities/{saver.activity_id}/"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        status, headers, body = _request(conn, "GET", url, saver.token)
        assert status == 200, (status, body[:500])
        etag = headers["etag"]
        for n in range(1, SAVES_PER_OPD + 1):
            if time.monotonic() > deadline:
                saver.failures.append(f"out of time after {n - 1} saves")
                return
            budget = saver.first_budget + n
            try:
                status, headers, body = _request(
                    conn, "PATCH", url, saver.token, json={"budget": f"{budget}.00"}, etag=etag
                )
            except (OSError, http.client.HTTPException) as error:
                saver.statuses[type(error).__name__] += 1
                saver.failures.append(f"save {n}: {error!r}")
                conn.close()
                continue
            saver.statuses[status] += 1
            if status == 200:
                etag = headers["etag"]
                continue
            saver.failures.append(f"save {n}: {status} {body[:300]!r}")
            status, headers, _body = _request(conn, "GET", url, saver.token)  # read it again
            etag = headers.get("etag", etag)
    finally:
        conn.close()


def _keep_the_worker_busy(indicator_id: int, queue: str, stop: threading.Event) -> None:
    """Keep a few recomputations of the shared pair waiting in the queue while the saves run,
    so the worker never idles between the ones the saves enqueue."""
    with app.connection_for_write() as conn:
        redis = conn.default_channel.client
        while not stop.wait(0.01):
            if redis.llen(queue) < 3:
                recompute_contribution.apply_async(
                    args=[indicator_id, YEAR], queue=queue, connection=conn
                )


def _two_opds() -> tuple[Any, list[tuple[str, om.Activity]]]:
    """The engine world's OPD and a second one of the region, each with a draft 2018 plan
    whose activity claims persons of the same indicator."""
    world = engine_world()
    second_plan = WorkPlanFactory(
        opd=OpdFactory(region=world.work_plan.opd.region, code="1.02", name="Dinas Kesehatan"),
        plan=world.work_plan.plan,
        year=YEAR,
    )
    program = ProgramFactory(work_plan=second_plan, code="1.02.01")
    activity = complete_activity(program, kelurahan=world.kelurahan, code="1.02.01.001")
    ExpectedContributionFactory(activity=activity, indicator=world.indicator, amount=Decimal(25))
    return world, [("dinsos", world.activity), ("dinkes", activity)]


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_two_opds_save_back_to_back_while_the_worker_recomputes(tmp_path: Path) -> None:
    world, activities = _two_opds()
    savers = []
    for index, (name, activity) in enumerate(activities):
        _client, token = client_services.api_client_create(
            name=f"load-{name}", scope=om.ApiClient.Scope.WRITE, opd=activity.program.work_plan.opd
        )
        savers.append(Saver(name, activity.pk, token, first_budget=(index + 1) * 100_000_000))

    queue = f"magelang-load-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    env = _environment(queue)
    listener = _listening_socket()
    port = int(listener.getsockname()[1])
    web_log, worker_log = tmp_path / "gunicorn.log", tmp_path / "worker.log"
    config = tmp_path / "gunicorn.conf.py"
    config.write_text(GUNICORN_CONFIG)
    gunicorn = [
        sys.executable, "-m", "gunicorn", "magelang.wsgi:application", "--config", str(config),
        "--bind", f"fd://{listener.fileno()}", "--workers", "3", "--timeout", "60",
        "--graceful-timeout", "5", "--error-logfile", "-",
    ]  # fmt: skip
    worker = [
        sys.executable, "-m", "celery", "-A", "magelang", "worker", "--queues", queue,
        "--pool", "prefork", "--concurrency", "2", "--loglevel", "INFO",
        "--hostname", f"{queue}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip
    stop = threading.Event()
    with (
        listener,
        web_log.open("wb") as web_out,
        worker_log.open("wb") as worker_out,
        _process(gunicorn, env, web_out, pass_fds=(listener.fileno(),)) as web,
        _process(worker, env, worker_out) as celery_worker,
    ):
        try:
            _wait_for_gunicorn(port, savers[0], web, web_log)
            _wait_for_worker(celery_worker, worker_log)
            snapshots_before = om.ContributionSnapshot.objects.count()
            deadline = time.monotonic() + RUN_SECONDS
            threads = [
                threading.Thread(target=_save_back_to_back, args=(port, saver, deadline))
                for saver in savers
            ]
            busy = threading.Thread(
                target=_keep_the_worker_busy, args=(world.indicator.pk, queue, stop), daemon=True
            )
            busy.start()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(RUN_SECONDS + 30)
            stop.set()
            busy.join(10)
            assert not any(thread.is_alive() for thread in threads), "the saves still hang"
            computed_meanwhile = om.ContributionSnapshot.objects.count() - snapshots_before

            throttled_here = [
                key
                for key in cache._cache.get_client().scan_iter(match=f"{cache.key_prefix}:*")
                if b":throttle_" in key
            ]

            # The worker catches up: the pair is computed on the last budgets of both OPDs.
            drained = time.monotonic() + DRAIN_SECONDS
            while om.ContributionState.objects.filter(dirty=True).exists():
                assert time.monotonic() < drained, f"still dirty:\n{_tail(worker_log)}"
                time.sleep(0.2)
        finally:
            stop.set()
            with contextlib.suppress(Exception), app.connection_for_write() as conn:
                conn.default_channel.queue_delete(queue)

    assert throttled_here, "gunicorn counted the saves' throttle under another key prefix"
    report = {saver.name: dict(saver.statuses) for saver in savers}
    retried = web_log.read_text(errors="replace").count("running it again")
    print(
        f"statuses: {report}; snapshots computed during the saves: {computed_meanwhile}; "
        f"transactions run again after losing a race: {retried}"
    )
    server_errors = {
        saver.name: [failure for failure in saver.failures if " 5" in failure[:12]]
        for saver in savers
    }
    five_xx = sum(
        count for saver in savers for status, count in saver.statuses.items()
        if isinstance(status, int) and status >= 500
    )  # fmt: skip
    first = {name: failures[:3] for name, failures in server_errors.items()}
    assert five_xx == 0, f"{five_xx} × 5xx, the first: {first}\n{_tail(web_log)}"
    for saver in savers:
        assert saver.statuses == {200: SAVES_PER_OPD}, (saver.name, saver.failures[:5])
        activity = om.Activity.objects.get(pk=saver.activity_id)
        assert activity.budget == saver.first_budget + SAVES_PER_OPD
        assert activity.version == 1 + SAVES_PER_OPD
        updates = om.AuditEntry.objects.filter(
            object_type="activity", object_id=saver.activity_id, action=om.AuditEntry.Action.UPDATE
        )
        assert updates.count() == SAVES_PER_OPD  # the history holds every save
    # The worker really computed while the saves ran, and its last snapshot has the last budgets.
    assert computed_meanwhile >= 10, f"only {computed_meanwhile} snapshots:\n{_tail(worker_log)}"
    state = om.ContributionState.objects.select_related("snapshot").get(
        indicator=world.indicator, year=YEAR
    )
    budgets = {row["opd_id"]: row["aligned_budget"] for row in state.snapshot.inputs["opds"]}
    for saver, (_name, activity) in zip(savers, activities, strict=True):
        opd_id = activity.program.work_plan.opd_id
        assert Decimal(budgets[opd_id]) == saver.first_budget + SAVES_PER_OPD


def test_a_spawned_process_dies_when_pytest_is_killed() -> None:
    """The load test's gunicorn and worker must not outlive a pytest killed by CI, which runs
    no ``finally``. A stand-in for pytest (a fork of it) starts a process as the load test
    does; the stand-in is killed with SIGKILL; the process must be gone at once."""
    read_end, write_end = os.pipe()
    stand_in = os.fork()
    if stand_in == 0:  # the stand-in: never returns into pytest
        try:
            os.close(read_end)
            with open(os.devnull, "wb") as log, _process(["sleep", "60"], {}, log) as child:
                os.write(write_end, str(child.pid).encode())
                time.sleep(60)
        finally:
            os._exit(0)
    os.close(write_end)
    try:
        child_pid = int(os.read(read_end, 20) or 0)  # as soon as the stand-in writes it
    finally:
        os.close(read_end)
    assert child_pid, "the stand-in started nothing"
    os.kill(stand_in, signal.SIGKILL)
    os.waitpid(stand_in, 0)
    deadline = time.monotonic() + 5
    while _alive(child_pid):
        if time.monotonic() > deadline:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child_pid, signal.SIGKILL)
            pytest.fail("the process outlived the pytest that started it")
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie waiting for its new parent to reap it does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"
