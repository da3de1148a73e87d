"""Health and readiness probes for operators and container health checks.

``GET /healthz`` answers ``{"status": "ok"}`` (200) as long as the process serves requests;
it touches nothing else. ``GET /readyz`` checks four parts and answers 200 when every one is
ok, 503 otherwise::

    {"status": "ok" | "fail",
     "failing": ["worker", ...],                 # the names of the parts not ok, in order
     "parts": {
       "database": {"ok": true},
       "redis":    {"ok": true},                 # "configured": false without Redis
       "worker":   {"ok": true, "last_seen": "2025-01-31T09:00:00+00:00", "age_s": 12},
                                                 # "eager": true when tasks run in process
       "engine":   {"ok": true, "dirty": 0, "oldest_age_s": null}}}

A part that is not ok carries ``"reason"``, a short English sentence naming the exception's
class at most; the details (host names, messages) go to the log, never to the caller.

Every check is bounded in time. Redis calls give up after 0.5 s (socket timeouts, no retry),
and the workers are asked only when Redis answered. The database is asked in a thread of its
own, meanwhile, and waited for at most 1 s; its connection is the probe's own and, on
PostgreSQL, read only, so the probe cannot write. With Redis or PostgreSQL down or frozen the
answer comes within about a second. No check raises: a failure is a part that is not ok.

:class:`ProbeMiddleware` answers both paths before every other middleware: see its docstring
for why, and what that leaves out.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Count, Min
from django.db.utils import load_backend
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.urls import resolve
from django.utils import timezone

from magelang.celery import app as celery_app
from opd.engine.marking import REQUEST_BROKER_TIMEOUT, request_broker_connection
from opd.models import ContributionState

log = logging.getLogger(__name__)

Part = dict[str, Any]
View = Callable[[HttpRequest], HttpResponse]

#: The paths :class:`ProbeMiddleware` answers itself (their views are in ``magelang/urls.py``).
PROBE_PATHS = frozenset({"/healthz", "/readyz"})
#: The longest a Redis call waits, to connect or for an answer: a save's bound.
REDIS_TIMEOUT = REQUEST_BROKER_TIMEOUT
#: The longest the request waits for the database's two checks.
DATABASE_TIMEOUT = 1.0
#: The longest the probe's own database connection waits to connect, or for a statement; the
#: thread left behind when the request stopped waiting ends by then (libpq's minimum is 2 s).
DATABASE_STATEMENT_TIMEOUT_S = 2
#: How long a ping collects the workers' answers (it stops at the first).
PING_TIMEOUT = 0.5
#: The workers are pinged at most this often (or every half READY_WORKER_MAX_AGE, if shorter),
#: by all the web processes together: a busy probe does not broadcast on every call.
PING_INTERVAL = 30.0
#: Every node but beat's (``celerybeat@<host>``, which answers pings with remote control on).
NOT_BEAT = "(?!celerybeat@)"
LAST_ANSWER_KEY = "health:worker-answered-at"
PING_LOCK_KEY = "health:worker-pinged"
NOT_CHECKED_ENGINE: Part = {"ok": False, "reason": "not checked: the database did not answer"}


# --- views ------------------------------------------------------------------------------------


def probe(view: View) -> View:
    """GET and HEAD only (405 otherwise); never cached; HEAD gets the status without a body."""

    @functools.wraps(view)
    def answer(request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            response: HttpResponse = HttpResponseNotAllowed(["GET", "HEAD"])
        else:
            response = view(request)
            if request.method == "HEAD":
                response.content = b""
        response["Cache-Control"] = "no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response

    return answer


@probe
def healthz(request: HttpRequest) -> HttpResponse:
    """200 whenever the process answers: no database, no Redis, no session."""
    return JsonResponse({"status": "ok"})


@probe
def readyz(request: HttpRequest) -> HttpResponse:
    """200 when every part is ready, else 503; the body is :func:`readiness`'s report."""
    try:
        report = readiness()
    except Exception:  # the checks catch their own errors; this is the last guard
        log.exception("Readiness check failed unexpectedly.")
        report = {"status": "fail", "failing": ["readyz"], "parts": {}}
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)


class ProbeMiddleware:
    """Answer ``/healthz`` and ``/readyz`` ahead of ``SecurityMiddleware`` and everything after
    it (a request-id middleware may come first, so the probe's log lines carry the id).

    Why: a container health check calls ``http://localhost:8000/readyz`` over plain HTTP, with
    ``Host: localhost``. Further down the stack, ``SECURE_SSL_REDIRECT`` would send it to
    https and the host check (``ALLOWED_HOSTS``, production lists only the public name) would
    answer 400; sessions, CSRF, the language and the lockout have nothing to do with a probe.

    What is left out, and why that is safe: the Host header is never read (``get_host()`` is
    not called), so it can poison nothing: the answers build no URL, set no cookie, depend on
    nothing the caller sends and are ``no-store``. The body says only whether parts are up and
    how long the backlog is, never a host name or an error message. Every other path goes
    through the whole stack as before.
    """

    def __init__(self, get_response: View) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info in PROBE_PATHS:
            view: View = resolve(request.path_info).func
            return view(request)
        return self.get_response(request)


# --- readiness --------------------------------------------------------------------------------


def readiness() -> dict[str, Any]:
    """The report of every part: the database's checks run in a thread meanwhile Redis and the
    workers are asked, so the slower of the two bounds the whole."""
    started = time.monotonic()
    database_checks = Background(database_parts)
    redis_part = check_redis()
    worker_part = check_worker(redis_ok=redis_part["ok"])
    found = database_checks.result(timeout=DATABASE_TIMEOUT - (time.monotonic() - started))
    if found is None:
        log.warning("Readiness: the database did not answer within %s s.", DATABASE_TIMEOUT)
        database_part: Part = {"ok": False, "reason": f"no answer within {DATABASE_TIMEOUT:g} s"}
        engine_part = dict(NOT_CHECKED_ENGINE)
    else:
        database_part, engine_part = found
    parts = {
        "database": database_part,
        "redis": redis_part,
        "worker": worker_part,
        "engine": engine_part,
    }
    failing = [name for name, part in parts.items() if not part["ok"]]
    return {"status": "fail" if failing else "ok", "failing": failing, "parts": parts}


class Background:
    """Run ``function`` in a daemon thread; :meth:`result` waits for it a bounded time."""

    def __init__(self, function: Callable[[], Any]) -> None:
        self.found: list[Any] = []
        self.thread = threading.Thread(
            target=lambda: self.found.append(function()), name="readyz", daemon=True
        )
        self.thread.start()

    def result(self, timeout: float) -> Any | None:
        """What the function returned, or None when it has not returned within ``timeout``."""
        self.thread.join(max(timeout, 0))
        return self.found[0] if self.found else None


def database_parts() -> tuple[Part, Part]:
    """The database part (``SELECT 1``) and the engine part, on a connection of this thread's
    own (:func:`probe_connection`), closed at the end."""
    try:
        connections[DEFAULT_DB_ALIAS] = probe_connection()  # this thread's only
        select_one()
    except Exception as error:
        log.warning("Readiness: the database check failed.", exc_info=True)
        return {"ok": False, "reason": f"query failed ({type(error).__name__})"}, dict(
            NOT_CHECKED_ENGINE
        )
    else:
        return {"ok": True}, check_engine()
    finally:
        connections[DEFAULT_DB_ALIAS].close()


def probe_connection() -> Any:
    """A new connection to the default database, unconnected yet. On PostgreSQL it waits at
    most :data:`DATABASE_STATEMENT_TIMEOUT_S` to connect or for a statement, and every
    transaction on it is read only: the probe cannot write (a read never writes)."""
    config = dict(connections.settings[DEFAULT_DB_ALIAS])
    if config["ENGINE"] == "django.db.backends.postgresql":
        limit = DATABASE_STATEMENT_TIMEOUT_S
        options = dict(config.get("OPTIONS") or {})
        flags = f"-c default_transaction_read_only=on -c statement_timeout={limit * 1000}"
        options["options"] = f"{options.get('options', '')} {flags}".strip()
        options["connect_timeout"] = limit
        config["OPTIONS"] = options
    return load_backend(config["ENGINE"]).DatabaseWrapper(config, DEFAULT_DB_ALIAS)


def select_one() -> None:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_engine() -> Part:
    """The backlog: how many (indicator, year) pairs wait for a recomputation, and how long
    the oldest has waited; not ok past ``READY_BACKLOG_MAX_AGE`` (the sweep runs every five
    minutes, so a backlog that old means the sweep or the workers are not keeping up)."""
    try:
        backlog = ContributionState.objects.filter(dirty=True).aggregate(
            dirty=Count("pk"), oldest=Min("dirty_since")
        )
    except Exception as error:
        log.warning("Readiness: the backlog query failed.", exc_info=True)
        return {"ok": False, "reason": f"query failed ({type(error).__name__})"}
    oldest = backlog["oldest"]
    age = None if oldest is None else max(0, int((timezone.now() - oldest).total_seconds()))
    limit = settings.READY_BACKLOG_MAX_AGE
    part: Part = {"ok": age is None or age <= limit, "dirty": backlog["dirty"], "oldest_age_s": age}
    if not part["ok"]:
        part["reason"] = f"the oldest pending recomputation has waited {age} s (limit {limit} s)"
    return part


def redis_servers() -> dict[str, tuple[list[str], str]]:
    """The Redis servers the portal uses, one entry per server: the roles it plays (broker,
    cache) and a URL to reach it."""
    urls: list[tuple[str, str]] = []
    broker = str(celery_app.conf.broker_url or "").split(";")[0]
    if broker.startswith(("redis://", "rediss://")):
        urls.append(("broker", broker))
    cache_config = settings.CACHES["default"]
    if cache_config["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        location: Any = cache_config["LOCATION"]  # a URL, or several: the first is the primary
        first = location[0] if isinstance(location, (list, tuple)) else location.split(",")[0]
        urls.append(("cache", str(first)))
    servers: dict[str, tuple[list[str], str]] = {}
    for role, url in urls:
        parts = urlsplit(url)
        roles, _url = servers.setdefault(f"{parts.hostname}:{parts.port or 6379}", ([], url))
        roles.append(role)
    return servers


def check_redis() -> Part:
    """Each Redis server answers PING within :data:`REDIS_TIMEOUT`; ok without Redis."""
    servers = redis_servers()
    if not servers:
        return {"ok": True, "configured": False}
    failures = []
    for roles, url in servers.values():
        client = redis.Redis.from_url(
            url, socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT
        )
        try:
            client.ping()
        except Exception as error:
            log.warning("Readiness: Redis (%s) did not answer.", ", ".join(roles), exc_info=True)
            failures.append(f"Redis ({', '.join(roles)}) did not answer ({type(error).__name__})")
        finally:
            client.close()
    return {"ok": False, "reason": "; ".join(failures)} if failures else {"ok": True}


def check_worker(*, redis_ok: bool) -> Part:
    """A Celery worker answered a ping within ``READY_WORKER_MAX_AGE`` seconds.

    The time of the last answer is kept in the cache, shared by the web processes; the workers
    are pinged only when it is older than the ping interval, and by one probe at a time, so a
    worker is declared gone after missing two pings in a row. With tasks run eagerly (no Redis,
    development) there is no worker to wait for.
    """
    if celery_app.conf.task_always_eager:
        return {"ok": True, "eager": True}
    if not redis_ok:
        return {"ok": False, "reason": "not checked: Redis does not answer", "last_seen": None}
    max_age = settings.READY_WORKER_MAX_AGE
    now = time.time()
    try:
        answered_at = last_worker_answer(now, interval=min(PING_INTERVAL, max_age / 2))
    except Exception as error:
        log.warning("Readiness: could not read the workers' last answer.", exc_info=True)
        return {"ok": False, "reason": f"cache failed ({type(error).__name__})", "last_seen": None}
    if answered_at is None:
        return {"ok": False, "reason": "no worker has answered a ping", "last_seen": None}
    age = max(0, int(now - answered_at))
    last_seen = datetime.fromtimestamp(answered_at, tz=UTC).isoformat(timespec="seconds")
    part: Part = {"ok": age <= max_age, "last_seen": last_seen, "age_s": age}
    if not part["ok"]:
        part["reason"] = f"no worker answered for {age} s (limit {max_age} s)"
    return part


def last_worker_answer(now: float, *, interval: float) -> float | None:
    """When a worker last answered (a Unix time), pinging the workers first if that is older
    than ``interval`` and no other probe pinged within it; None when no answer is recorded."""
    answered_at = cache.get(LAST_ANSWER_KEY)
    if not isinstance(answered_at, (int, float)):
        answered_at = None
    if answered_at is not None and now - answered_at < interval:
        return float(answered_at)
    if not cache.add(PING_LOCK_KEY, now, timeout=max(1, round(interval))):
        return answered_at
    if ping_workers():
        cache.set(LAST_ANSWER_KEY, now, timeout=None)
        return now
    return answered_at


def ping_workers() -> bool:
    """Whether a worker answered a ping within :data:`PING_TIMEOUT`; False on a broker error.

    What ``app.control.ping(timeout=0.5, limit=1)`` does, on the request's bounded broker
    connection (0.5 s timeouts, no reconnection), because ``app.control`` publishes through
    the app's producer pool (the workers' longer timeouts) and kombu's mailbox publishes with
    ``retry=True`` and no limit, which reconnects without end to a Redis that stopped answering.
    """
    try:
        with request_broker_connection() as connection:
            connection.ensure = functools.partial(connection.ensure, max_retries=0)
            # The replies are read with BRPOP, which otherwise blocks 1 s whatever the timeout.
            connection.transport_options["polling_interval"] = PING_TIMEOUT
            mailbox = celery_app.control.mailbox(connection)  # a copy bound to the connection
            mailbox.producer_pool = None  # publish on this connection
            replies = mailbox._broadcast(
                "ping", reply=True, timeout=PING_TIMEOUT, limit=1, pattern=NOT_BEAT, matcher="pcre"
            )
    except Exception:
        log.warning("Readiness: could not ping the workers.", exc_info=True)
        return False
    return bool(replies)
