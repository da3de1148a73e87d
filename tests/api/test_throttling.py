"""Throttling counts per real caller and across workers.

A caller cannot reset its count by sending a new ``X-Forwarded-For`` each time: only the hops
added by the ``NUM_PROXIES`` proxies in front of the portal are believed. With ``REDIS_URL`` set,
the counts live in Redis, so every gunicorn worker (and every server) shares them.
"""

from __future__ import annotations

import os

import pytest
import redis
from django.conf import settings as django_settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.test import override_settings
from rest_framework.test import APIClient

from magelang.api.throttling import AnonThrottle
from magelang.client_ip import client_ip

pytestmark = pytest.mark.django_db

URL = "/api/v1/regions/"


def statuses(forwarded_for: list[str], **extra: str) -> list[int]:
    return [
        APIClient().get(URL, HTTP_X_FORWARDED_FOR=xff, **extra).status_code for xff in forwarded_for
    ]


def test_the_proxy_count_comes_from_the_environment_and_defaults_to_none_trusted() -> None:
    assert int(os.environ.get("NUM_PROXIES", "0")) == django_settings.NUM_PROXIES
    assert django_settings.REST_FRAMEWORK["NUM_PROXIES"] == django_settings.NUM_PROXIES


def test_a_varied_forwarded_for_header_is_still_throttled_without_proxies(settings) -> None:
    settings.NUM_PROXIES = 0
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "anon": "3/min"}
    assert statuses([f"203.0.113.{n}" for n in range(5)]) == [200] * 3 + [429] * 2


def test_behind_one_proxy_the_last_hop_is_the_caller(settings) -> None:
    settings.NUM_PROXIES = 1
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "anon": "3/min"}
    # Whatever the caller prepends, the proxy appends the address it saw: one caller.
    assert statuses([f"1.1.1.{n}, 198.51.100.7" for n in range(4)]) == [200] * 3 + [429]
    # A caller the proxy saw at another address has its own allowance.
    assert statuses(["198.51.100.8"]) == [200]


def test_the_address_rule_is_the_one_axes_uses(settings, rf) -> None:
    from axes.helpers import get_client_ip_address

    request = rf.get(URL, HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.7", REMOTE_ADDR="10.0.0.1")
    settings.NUM_PROXIES = 0
    assert get_client_ip_address(request) == AnonThrottle().get_ident(request) == "10.0.0.1"
    settings.NUM_PROXIES = 1
    assert get_client_ip_address(request) == AnonThrottle().get_ident(request) == "198.51.100.7"


@pytest.mark.parametrize(
    ("forwarded_for", "proxies", "caller"),
    [
        ("198.51.100.7", 1, "198.51.100.7"),
        ("2001:db8::7", 1, "2001:db8::7"),
        ("not-an-ip", 1, "10.0.0.1"),  # refused by PostgreSQL's inet: was a 500 at sign-in
        ("1.1.1.1, not-an-ip", 1, "10.0.0.1"),
        ("", 1, "10.0.0.1"),
        ("198.51.100.7", 2, "10.0.0.1"),  # fewer hops than proxies: not through our proxies
        ("203.0.113.9, 198.51.100.7", 2, "203.0.113.9"),
    ],
)
def test_only_a_well_formed_hop_of_our_proxies_is_believed(
    settings, rf, forwarded_for: str, proxies: int, caller: str
) -> None:
    settings.NUM_PROXIES = proxies
    request = rf.get(URL, HTTP_X_FORWARDED_FOR=forwarded_for, REMOTE_ADDR="10.0.0.1")
    assert client_ip(request) == caller


@pytest.mark.postgres
def test_a_made_up_forwarded_for_neither_fails_sign_in_nor_escapes_the_lockout(settings) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    settings.NUM_PROXIES = 1
    get_user_model().objects.create_user(username="pejabat", password="benar-sekali-123")
    answers = [
        Client()
        .post(
            "/akun/masuk/",
            {"username": "pejabat", "password": "salah"},
            HTTP_X_FORWARDED_FOR=f"caller-{n}",
            REMOTE_ADDR="10.0.0.1",
        )
        .status_code
        for n in range(6)
    ]
    assert answers == [200] * 4 + [429] * 2  # the fifth failure locks


@pytest.mark.redis
def test_with_redis_the_counts_are_shared_by_every_worker(settings) -> None:
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "anon": "3/min"}
    cache = caches["default"]
    assert isinstance(cache, RedisCache)
    assert statuses(["", ""], REMOTE_ADDR="192.0.2.10") == [200, 200]

    # Another worker: its own connection, as another process would open it.
    config = django_settings.CACHES["default"]
    other_worker = RedisCache(
        config["LOCATION"], {k: v for k, v in config.items() if k != "BACKEND"}
    )
    key = AnonThrottle.cache_format % {"scope": "anon", "ident": "192.0.2.10"}
    assert len(other_worker.get(key)) == 2
    # And the raw key is in Redis itself, under the cache's own prefix.
    raw = redis.Redis.from_url(config["LOCATION"])
    assert raw.exists(cache.make_key(key)) == 1
    assert cache.make_key(key).startswith(f"{config['KEY_PREFIX']}:")

    other_worker.set(key, [*cache.get(key), cache.get(key)[0]], 60)  # a third request elsewhere
    assert statuses([""], REMOTE_ADDR="192.0.2.10") == [429]


@pytest.mark.redis
def test_the_cache_is_kept_apart_from_the_celery_queue() -> None:
    config = django_settings.CACHES["default"]
    assert config["KEY_PREFIX"]
    cache_db = redis.Redis.from_url(config["LOCATION"]).connection_pool.connection_kwargs["db"]
    broker_db = redis.Redis.from_url(django_settings.CELERY_BROKER_URL).connection_pool
    assert cache_db != broker_db.connection_kwargs["db"]
    # A frozen Redis must not hang a request: every socket operation is bounded.
    assert 0 < config["OPTIONS"]["socket_timeout"] <= 2
    assert 0 < config["OPTIONS"]["socket_connect_timeout"] <= 2


def test_an_unreachable_cache_does_not_take_the_api_down() -> None:
    unreachable = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    # Restored inside the test, so the fixtures that empty the cache afterwards find it again.
    with override_settings(CACHES=unreachable):
        assert APIClient().get(URL).status_code == 200


@pytest.mark.parametrize(
    ("url", "cache_url"),
    [
        ("redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/1"),
        ("redis://redis:6379", "redis://redis:6379/1"),
        ("rediss://:secret@cache.example:6380/4", "rediss://:secret@cache.example:6380/5"),
        ("redis://h:6379/14", "redis://h:6379/15"),
    ],
)
def test_the_cache_database_is_the_one_after_celerys(url: str, cache_url: str) -> None:
    from magelang.settings import redis_url_next_db

    assert redis_url_next_db(url) == cache_url


@pytest.mark.parametrize(
    "url", ["unix:///run/redis.sock", "redis://h:6379/?db=2", "redis://h:6379/15"]
)
def test_an_address_without_a_database_number_asks_for_cache_redis_url(url: str) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from magelang.settings import redis_url_next_db

    with pytest.raises(ImproperlyConfigured, match="CACHE_REDIS_URL"):
        redis_url_next_db(url)


@pytest.mark.redis
def test_a_frozen_cache_holds_a_request_no_longer_than_a_frozen_broker() -> None:
    from opd.engine.marking import REQUEST_BROKER_TIMEOUT

    options = django_settings.CACHES["default"]["OPTIONS"]
    assert 0 < options["socket_connect_timeout"] <= REQUEST_BROKER_TIMEOUT
    assert 0 < options["socket_timeout"] <= REQUEST_BROKER_TIMEOUT
