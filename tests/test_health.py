"""The probes: /healthz answers from the process alone; /readyz names each part's state.

Most tests record a recent worker answer in the cache (:func:`worker_answered`), so the worker
part is ok without a worker; one test starts a real Celery worker on Redis and watches the part
turn ok, then fail once the worker is gone. The database checks run on a connection of their
own, in a thread: tests that need rows seen there commit them (``transaction=True``).
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.cache import cache
from django.db import InternalError, OperationalError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from kombu.matcher import match
from kombu.pidbox import Mailbox

from magelang import health
from magelang.celery import app
from tests.engine.engine_world import celery_conf, redis_url
from tests.factories import ContributionStateFactory, IndicatorFactory
from tests.servers import silent_redis

ROOT = Path(__file__).resolve().parent.parent
REFUSING_REDIS = "redis://127.0.0.1:1/0"
WAIT_SECONDS = 20


def worker_answered(seconds_ago: float = 0) -> None:
    cache.set(health.LAST_ANSWER_KEY, time.time() - seconds_ago, timeout=None)


def get(path: str, **extra: Any) -> Any:
    return Client().get(path, **extra)


@pytest.fixture
def redis_at(settings: Any) -> Iterator[Any]:
    """Point the broker and the cache at another Redis URL for a block."""

    def point(url: str) -> Any:
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": url,
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            }
        }
        return celery_conf(broker_url=url, task_always_eager=False)

    yield point


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A TCP server that accepts connections and never answers: a frozen Redis."""
    with silent_redis() as url:
        yield url


# --- /healthz ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_answers_without_a_query(django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(0):
        response = get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies


def test_the_probe_paths_are_the_named_urls() -> None:
    assert {reverse("healthz"), reverse("readyz")} == health.PROBE_PATHS


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_head_answers_and_other_methods_are_refused(path: str) -> None:
    worker_answered()
    head = Client().head(path)
    assert head.status_code == 200 and head.content == b""
    assert head["Cache-Control"] == "no-store"
    for method in ("post", "put", "delete"):
        refused = getattr(Client(), method)(path)
        assert refused.status_code == 405, method
        assert refused["Allow"] == "GET, HEAD"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_https_redirect_and_host_check_leave_the_probes_alone(path: str, settings: Any) -> None:
    """A container health check calls http://localhost:8000 whatever the production names."""
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["perencanaan.example.go.id"]
    worker_answered()
    response = get(path, HTTP_HOST="localhost:8000")
    assert response.status_code == 200, response.content
    # Every other path keeps both.
    assert get("/akun/masuk/", HTTP_HOST="localhost:8000").status_code == 400
    redirected = get("/akun/masuk/", HTTP_HOST="perencanaan.example.go.id")
    assert redirected.status_code == 301
    assert redirected["Location"] == "https://perencanaan.example.go.id/akun/masuk/"


def test_production_settings_answer_the_probe_over_http_on_localhost() -> None:
    """The real production middleware order, in a fresh interpreter."""
    code = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/healthz', HTTP_HOST='localhost:8000'); "
        "print(r.status_code, r.get('Location'), r.content.decode())"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "magelang.settings",
        "DJANGO_ENV": "production",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "perencanaan.example.go.id",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "BENEFICIARY_KEY": secrets.token_urlsafe(48),
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == '200 None {"status": "ok"}'


# --- /readyz ----------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db
def test_readyz_is_200_when_every_part_is_ok(django_assert_num_queries: Any) -> None:
    worker_answered(seconds_ago=5)
    with django_assert_num_queries(0):  # the request's own connection: the checks use another
        response = get("/readyz", HTTP_COOKIE="sessionid=abc; django_language=en")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok" and body["failing"] == []
    assert list(body["parts"]) == ["database", "redis", "worker", "engine"]
    assert body["parts"]["database"] == {"ok": True}
    assert body["parts"]["redis"] == {"ok": True}
    assert body["parts"]["worker"]["ok"] is True and body["parts"]["worker"]["age_s"] >= 5
    assert body["parts"]["engine"] == {"ok": True, "dirty": 0, "oldest_age_s": None}
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"] == "application/json"
    assert not response.cookies  # no session, CSRF or language cookie


@pytest.mark.django_db
def test_a_failing_database_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    worker_answered()

    def refuse() -> None:
        raise OperationalError("could not connect to server at db:5432")

    monkeypatch.setattr(health, "select_one", refuse)
    response = get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert "database" in body["failing"] and body["status"] == "fail"
    assert body["parts"]["database"] == {"ok": False, "reason": "query failed (OperationalError)"}
    assert body["parts"]["engine"]["reason"] == "not checked: the database did not answer"
    assert "db:5432" not in response.content.decode()  # details go to the log, not the caller


@pytest.mark.django_db
def test_a_database_that_does_not_answer_is_not_waited_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    worker_answered()
    release = threading.Event()
    monkeypatch.setattr(health, "select_one", lambda: release.wait(WAIT_SECONDS))
    try:
        response = get("/readyz")
    finally:
        release.set()
    assert response.status_code == 503
    assert response.json()["parts"]["database"] == {
        "ok": False,
        "reason": "no answer within 1 s",
    }


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_checks_connection_cannot_write() -> None:
    """The house rule (a read never writes), enforced by PostgreSQL for the probe."""
    connection = health.probe_connection()
    try:
        with connection.cursor() as cursor, pytest.raises(InternalError, match="read-only"):
            cursor.execute("UPDATE opd_contributionstate SET dirty = dirty")
    finally:
        connection.close()


@pytest.mark.django_db
def test_an_unreachable_redis_is_named_and_the_answer_still_comes(redis_at: Any) -> None:
    with redis_at(REFUSING_REDIS):
        response = get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["redis", "worker"]
    assert body["parts"]["redis"] == {
        "ok": False,
        "reason": "Redis (broker, cache) did not answer (ConnectionError)",
    }
    assert body["parts"]["worker"]["reason"] == "not checked: Redis does not answer"


@pytest.mark.django_db
def test_a_frozen_redis_is_named_within_two_seconds(redis_at: Any, silent_server: str) -> None:
    with redis_at(silent_server):
        started = time.monotonic()
        response = get("/readyz")
        took = time.monotonic() - started
    assert response.status_code == 503
    assert response.json()["parts"]["redis"]["reason"].endswith("(TimeoutError)")
    assert took < 2, f"/readyz took {took:.2f} s with Redis frozen"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_engine_counts_the_backlog_and_fails_when_it_is_old(settings: Any) -> None:
    worker_answered()
    indicator = IndicatorFactory()
    now = timezone.now()
    ContributionStateFactory(indicator=indicator, year=2017, dirty_since=now - timedelta(hours=1))
    ContributionStateFactory(indicator=indicator, year=2018, dirty_since=now)
    ContributionStateFactory(indicator=indicator, year=2019, dirty=False, dirty_since=None)

    response = get("/readyz")
    assert response.status_code == 503
    engine = response.json()["parts"]["engine"]
    assert response.json()["failing"] == ["engine"]
    assert engine["dirty"] == 2 and engine["oldest_age_s"] >= 3600
    assert engine["reason"].startswith("the oldest pending recomputation has waited")
    assert engine["reason"].endswith("(limit 900 s)")

    settings.READY_BACKLOG_MAX_AGE = 2 * 3600
    engine = get("/readyz").json()["parts"]["engine"]
    assert engine["ok"] is True and engine["dirty"] == 2 and "reason" not in engine


# --- the worker part --------------------------------------------------------------------------


class FakePings:
    """Stands in for the broadcast: each call pops the next answer (True: a worker answered)."""

    def __init__(self) -> None:
        self.answers: list[bool] = []
        self.calls = 0

    def __call__(self) -> bool:
        self.calls += 1
        return self.answers.pop(0) if self.answers else False


@pytest.fixture
def pings(monkeypatch: pytest.MonkeyPatch) -> FakePings:
    fake = FakePings()
    monkeypatch.setattr(health, "ping_workers", fake)
    return fake


def test_the_workers_are_pinged_only_when_the_last_answer_is_old(pings: FakePings) -> None:
    worker_answered(seconds_ago=10)
    part = health.check_worker(redis_ok=True)
    assert part["ok"] is True and part["age_s"] == 10 and pings.calls == 0

    worker_answered(seconds_ago=40)  # older than the 30 s interval: ask again
    pings.answers.append(True)
    part = health.check_worker(redis_ok=True)
    assert part["ok"] is True and part["age_s"] == 0 and pings.calls == 1
    assert health.check_worker(redis_ok=True)["ok"] is True and pings.calls == 1


def test_a_worker_silent_past_the_max_age_fails_and_is_pinged_once(pings: FakePings) -> None:
    worker_answered(seconds_ago=75)
    part = health.check_worker(redis_ok=True)
    assert part["ok"] is False and pings.calls == 1
    assert part["reason"] == "no worker answered for 75 s (limit 60 s)"
    assert part["last_seen"].endswith("+00:00") and part["age_s"] == 75
    # Another probe within the interval reads the record and does not broadcast again.
    assert health.check_worker(redis_ok=True)["ok"] is False and pings.calls == 1


def test_no_recorded_answer_and_no_reply_fails(pings: FakePings) -> None:
    assert health.check_worker(redis_ok=True) == {
        "ok": False,
        "reason": "no worker has answered a ping",
        "last_seen": None,
    }
    assert pings.calls == 1


def test_without_redis_the_worker_part_fails_unasked(pings: FakePings) -> None:
    worker_answered()
    part = health.check_worker(redis_ok=False)
    assert part == {"ok": False, "reason": "not checked: Redis does not answer", "last_seen": None}
    assert pings.calls == 0


def test_eager_tasks_need_no_worker_nor_redis(pings: FakePings, settings: Any) -> None:
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    with celery_conf(broker_url="memory://", task_always_eager=True):
        assert health.check_redis() == {"ok": True, "configured": False}
        assert health.check_worker(redis_ok=True) == {"ok": True, "eager": True}
    assert pings.calls == 0


def test_the_ping_is_answered_by_workers_not_by_beat() -> None:
    """Beat answers pings too (``celerybeat@<host>``, remote control on): it is no worker."""
    assert not match("celerybeat@web-1", health.NOT_BEAT, "pcre")
    assert match("celery@worker-1", health.NOT_BEAT, "pcre")
    assert match("reports@worker-2", health.NOT_BEAT, "pcre")


@pytest.fixture
def own_worker_channel(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A queue and a control mailbox of this test's own, so no other run's worker answers."""
    name = f"magelang-test-health-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    mailbox = Mailbox(
        name, type="fanout", accept=app.conf.accept_content, serializer=app.conf.task_serializer
    )
    monkeypatch.setattr(app.control, "mailbox", mailbox)
    with celery_conf(
        broker_url=redis_url(),
        task_always_eager=False,
        task_default_queue=name,
        worker_hijack_root_logger=False,
    ):
        queue = app.amqp.queues[name]
        try:
            yield name
        finally:
            app.amqp.queues._consume_from = None  # the worker narrowed consumption to it
            with app.connection_for_write() as conn:
                bound = queue(conn.default_channel)
                bound.declare()
                bound.delete()


def worker_part_once(condition: Any) -> dict[str, Any] | None:
    """The worker part of the first /readyz answer that meets ``condition``, polling."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        part: dict[str, Any] = get("/readyz").json()["parts"]["worker"]
        if condition(part):
            return part
        time.sleep(0.2)
    return None


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db
def test_a_live_worker_makes_the_part_ok_and_it_fails_once_the_worker_is_gone(
    own_worker_channel: str, settings: Any
) -> None:
    settings.READY_WORKER_MAX_AGE = 2  # pinged every second: quick, and no timing asserted
    assert health.check_worker(redis_ok=True)["ok"] is False  # nobody has answered yet
    cache.delete(health.PING_LOCK_KEY)
    with start_worker(
        app, pool="solo", perform_ping_check=False, queues=[own_worker_channel], shutdown_timeout=20
    ):
        seen = worker_part_once(lambda part: part["ok"])
    assert seen is not None, f"no worker answered within {WAIT_SECONDS} s"
    assert seen["last_seen"] is not None and "reason" not in seen

    gone = worker_part_once(lambda part: not part["ok"])
    assert gone is not None, f"the worker part stayed ok {WAIT_SECONDS} s after the worker stopped"
    assert gone["reason"].startswith("no worker answered for")
    assert gone["reason"].endswith("(limit 2 s)")
    assert gone["last_seen"] is not None
