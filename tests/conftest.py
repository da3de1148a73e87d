"""Shared fixtures, and the rule for tests that need a real service.

A test marked ``postgres``, ``redis`` or ``browser`` skips with the reason when
that service is missing on a laptop, and fails instead when ``CI=true``: in CI
a missing service is a broken set-up, never a reason to pass.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import socket
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.db import connection

CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@functools.cache
def _redis_problem() -> str | None:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        return "REDIS_URL is not set"
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), 1):
            return None
    except OSError as error:
        return f"Redis at {parsed.hostname}:{parsed.port or 6379} is unreachable ({error})"


def _service_problem(marker: str) -> str | None:
    if marker == "postgres":
        vendor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        if vendor != "postgresql":
            return f"needs PostgreSQL (DATABASE_URL points at {vendor})"
        return None
    if marker == "redis":
        return _redis_problem()
    if marker == "browser":
        if shutil.which(CHROMIUM) is None:
            return f"Chromium not found at {CHROMIUM}"
        return None
    return None


def pytest_runtest_setup(item: pytest.Item) -> None:
    for marker in ("postgres", "redis", "browser"):
        if item.get_closest_marker(marker) is None:
            continue
        problem = _service_problem(marker)
        if problem:
            if CI:
                pytest.fail(f"CI=true and this test {problem}", pytrace=False)
            pytest.skip(problem)


@pytest.fixture
def db_vendor(db: None) -> str:
    return connection.vendor


@pytest.fixture(scope="session")
def django_db_modify_db_settings() -> None:
    """Give each test run its own test database, so parallel runs on one server never collide."""
    test_settings = settings.DATABASES["default"].setdefault("TEST", {})
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        test_settings["NAME"] = f"test_{settings.DATABASES['default']['NAME']}_{os.getpid()}"


@pytest.fixture(autouse=True, scope="session")
def _own_cache_keys() -> Iterator[None]:
    """With Redis as the cache, this run's keys carry its own prefix, so parallel runs on one
    server never share a throttle count."""
    from django.test import override_settings

    caches = {
        alias: {**config, "KEY_PREFIX": f"magelang-tests-{os.getpid()}"}
        for alias, config in settings.CACHES.items()
    }
    with override_settings(CACHES=caches):
        yield
        empty_cache()


def empty_cache() -> None:
    """Drop every cached value of this run (throttle counts), and nothing of anyone else's.

    Not ``cache.clear()``: on Redis that empties the whole database, other runs' keys too.
    """
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache
    from redis.exceptions import ConnectionError as RedisConnectionError

    for cache in caches.all():
        if not isinstance(cache, RedisCache):
            cache.clear()
            continue
        # A Redis that is down holds nothing to drop; the tests that need it say so themselves.
        with contextlib.suppress(RedisConnectionError):
            client = cache._cache.get_client(write=True)
            keys = list(client.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
            if keys:
                client.delete(*keys)


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Every test starts with no throttle count left by another."""
    empty_cache()
    yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hashing demo passwords with PBKDF2 dominates test time; tests need no real hashing cost."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def _own_celery_queue() -> Iterator[None]:
    """With a real broker, tasks published by the suite go to a queue of this run, dropped at
    the end, so no stale test task waits in Redis for a later worker."""
    if not os.environ.get("REDIS_URL"):
        yield
        return
    from magelang.celery import app

    queue = f"magelang-tests-{os.getpid()}"
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    yield
    app.conf.task_default_queue = previous
    with contextlib.suppress(Exception), app.connection_for_write() as conn:  # never fail the run
        conn.default_channel.queue_delete(queue)
