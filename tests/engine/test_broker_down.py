"""With the broker down, a save still succeeds at once, and no recomputation is lost.

The app publishes for real here (not eagerly), to a Redis that refuses connections
(``redis://127.0.0.1:1/0``) or to one that accepts and never answers. The save commits,
the (indicator, year) pair stays flagged, the failed enqueue is only logged, because
``mark_dirty`` registers it with ``transaction.on_commit(..., robust=True)``; the sweep
computes the pair later. No Redis is needed: these run everywhere.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
import redis
from django.db import transaction
from django.test import Client
from kombu import Producer
from kombu.exceptions import OperationalError as BrokerError

from magelang.celery import app
from opd import models as om
from opd.engine import compute, marking
from tests.engine.engine_world import (
    YEAR,
    assert_snapshot_matches,
    celery_conf,
    dirty_pairs,
    engine_world,
    expected_result,
    snapshots_of,
)
from tests.servers import silent_redis
from tests.workplans.plan_world import World

REFUSING_BROKER = "redis://127.0.0.1:1/0"


@pytest.fixture
def broker_down() -> Iterator[None]:
    with celery_conf(broker_url=REFUSING_BROKER, task_always_eager=False):
        yield


@pytest.fixture
def silent_broker() -> Iterator[str]:
    """A broker that accepts connections and never answers (a hung or half-open one)."""
    with silent_redis() as url, celery_conf(broker_url=url, task_always_eager=False):
        yield url


def form_values(html: str) -> dict[str, str]:
    """The values a browser posts back from the activity form (inputs and selects)."""
    form = html.split('<form method="post" action="/renja/', 2)[-1]
    values: dict[str, str] = {}
    for tag in re.findall(r"<input [^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and 'type="checkbox"' not in tag:
            values[name.group(1)] = value.group(1) if value else ""
    for name, options in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        selected = re.search(r'<option value="([^"]*)"[^>]*selected', options)
        values[name] = selected.group(1) if selected else ""
    for name, text in re.findall(r'<textarea name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        values[name] = text.strip()
    return values


def edit_url(world: World) -> str:
    return f"/renja/{world.work_plan.pk}/kegiatan/{world.activity.pk}/ubah/"


def computed_world() -> World:
    """A draft plan whose 2018 contribution is computed (sequence 1), nothing pending."""
    world = engine_world()
    compute.recompute(indicator_id=world.indicator.pk, year=YEAR)
    assert dirty_pairs() == set()
    return world


def head_session(world: World) -> tuple[Client, dict[str, str]]:
    client = Client()
    client.force_login(world.head)
    return client, form_values(client.get(edit_url(world)).content.decode())


@pytest.mark.django_db(transaction=True)
def test_a_save_with_the_broker_down_returns_at_once_and_nothing_is_lost(
    broker_down: None, caplog: pytest.LogCaptureFixture
) -> None:
    world = computed_world()
    client, form = head_session(world)

    started = time.monotonic()
    response = client.post(edit_url(world), {**form, "budget": "260.000.000"})
    took = time.monotonic() - started

    assert response.status_code == 302, response.content.decode()[:2000]
    assert took < 2, f"the save took {took:.2f} s with the broker down"
    world.activity.refresh_from_db()
    assert world.activity.budget == Decimal(260_000_000)  # saved
    assert dirty_pairs() == {(world.indicator.pk, YEAR)}  # and still owed a recomputation
    failures = [r for r in caplog.records if "in on_commit()" in r.getMessage()]
    assert len(failures) == 1 and failures[0].levelname == "ERROR"
    assert failures[0].exc_info and isinstance(failures[0].exc_info[1], BrokerError)

    # Later (the periodic sweep, or a worker once the broker is back): computed, flag cleared.
    assert compute.sweep_dirty() == 1
    assert dirty_pairs() == set()
    first, second = snapshots_of(world.indicator)
    assert (first.sequence, second.sequence) == (1, 2)
    state = om.ContributionState.objects.get(indicator=world.indicator, year=YEAR)
    assert state.snapshot_id == second.pk and state.dirty_since is None
    # The saved change is in the stored inputs (a draft's budget is not counted in the figures).
    opd_id = world.work_plan.opd_id
    budgets = [
        next(o["aligned_budget"] for o in snap.inputs["opds"] if o["opd_id"] == opd_id)
        for snap in (first, second)
    ]
    assert budgets == ["250000000", "260000000"]
    assert_snapshot_matches(second, expected_result(world.indicator))


@pytest.mark.django_db(transaction=True)
def test_robust_on_commit_is_what_keeps_the_request_alive(
    broker_down: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same save with the enqueue registered without ``robust=True``: the broker's error
    reaches the request (a 500 once the data is already committed)."""
    world = computed_world()
    client, form = head_session(world)
    fragile = SimpleNamespace(
        atomic=transaction.atomic,
        on_commit=lambda func, robust=False: transaction.on_commit(func),
    )
    monkeypatch.setattr(marking, "transaction", fragile)

    with pytest.raises(BrokerError):
        client.post(edit_url(world), {**form, "budget": "270.000.000"})

    world.activity.refresh_from_db()
    assert world.activity.budget == Decimal(270_000_000)  # committed before the failure
    assert dirty_pairs() == {(world.indicator.pk, YEAR)}


@pytest.fixture
def publishes(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Every publish, with the producer's connection and the ``retry`` it was given, and the
    options of every redis-py connection pool kombu builds meanwhile (what the sockets use)."""
    seen: list[dict[str, Any]] = []
    publish, pool_init = Producer.publish, redis.ConnectionPool.__init__

    def spy_publish(self: Producer, body: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append({"connection": self.connection, "retry": kwargs.get("retry"), "pools": []})
        return publish(self, body, *args, **kwargs)

    def spy_pool_init(self: redis.ConnectionPool, *args: Any, **kwargs: Any) -> None:
        if seen:
            seen[-1]["pools"].append(kwargs)
        pool_init(self, *args, **kwargs)

    monkeypatch.setattr(Producer, "publish", spy_publish)
    monkeypatch.setattr(redis.ConnectionPool, "__init__", spy_pool_init)
    return seen


def assert_gives_up_at_once(publish: dict[str, Any]) -> None:
    """The publish waits at most REQUEST_BROKER_TIMEOUT (0.5 s) on any socket, connecting or
    reading, and retries at no level: not the publish, not kombu's connect, not redis-py."""
    assert marking.REQUEST_BROKER_TIMEOUT <= 0.5
    assert publish["retry"] is False
    connection = publish["connection"]
    assert connection.connect_timeout <= 0.5
    options = connection.transport_options
    assert options["socket_timeout"] <= 0.5 and options["socket_connect_timeout"] <= 0.5
    assert options["max_retries"] == 0
    assert publish["pools"], "kombu built no Redis connection pool for the publish"
    for pool in publish["pools"]:
        assert 0 < pool["socket_timeout"] <= 0.5 and 0 < pool["socket_connect_timeout"] <= 0.5
        assert not pool.get("retry_on_timeout") and pool.get("retry") is None


@pytest.mark.django_db(transaction=True)
def test_a_broker_that_never_answers_is_given_up_on_and_the_save_goes_through(
    silent_broker: str, publishes: list[dict[str, Any]], caplog: pytest.LogCaptureFixture
) -> None:
    """A Redis that accepts connections and never answers: the request's publish goes through
    a connection of its own that gives up after 0.5 s, without retrying; the first failure
    ends the enqueue. The times measured are hang guards only, far above 0.5 s."""
    world = engine_world()
    outcome: dict[str, Any] = {}

    def enqueue() -> None:
        started = time.monotonic()
        try:
            marking._enqueue([(world.indicator.pk, YEAR), (world.indicator.pk, YEAR + 1)])
            outcome["error"] = None
        except Exception as error:  # asserted below
            outcome["error"] = error
        outcome["took"] = time.monotonic() - started

    # In a thread, so a regression fails here instead of hanging the suite.
    thread = threading.Thread(target=enqueue, daemon=True)
    thread.start()
    thread.join(30)
    assert not thread.is_alive(), "the publish to a silent broker still hangs after 30 s"
    assert isinstance(outcome["error"], BrokerError)
    (publish,) = publishes  # two pairs, but the first failure ends the enqueue
    assert_gives_up_at_once(publish)
    assert outcome["took"] < 2, f"the publish took {outcome['took']:.2f} s"
    # The worker keeps the app's own, longer timeouts: it waits on BRPOP.
    assert app.conf.broker_transport_options["socket_timeout"] > 0.5

    # Through the request: the save is committed, the pair stays owed a recomputation.
    publishes.clear()
    client, form = head_session(world)
    started = time.monotonic()
    response = client.post(edit_url(world), {**form, "budget": "255.000.000"})
    took = time.monotonic() - started
    assert response.status_code == 302
    (publish,) = publishes
    assert_gives_up_at_once(publish)
    assert took < 2, f"the save took {took:.2f} s"
    world.activity.refresh_from_db()
    assert world.activity.budget == Decimal(255_000_000)
    assert dirty_pairs() == {(world.indicator.pk, YEAR)}
    failures = [r for r in caplog.records if "in on_commit()" in r.getMessage()]
    assert len(failures) == 1 and isinstance(failures[0].exc_info[1], BrokerError)
