"""A read never writes (house style 11): a dashboard, the OPD view or the contribution CSV asked
for before the year's first computation shows that the figures are being computed, enqueues
their recomputation and stores nothing; the worker's recomputation then makes them appear.

Nothing is lost when that enqueue fails: a flagged pair is swept, and the nightly recomputation
covers every indicator for every year of its plan, so also a pair nobody ever marked.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from opd import models as om
from opd.dashboards import selectors
from opd.engine import compute, marking
from opd.engine.models import is_pending
from opd.engine.tasks import recompute_contribution
from opd.workplans.selectors import contribution_summary
from tests.dashboards import scenario
from tests.engine.engine_world import celery_conf

pytestmark = pytest.mark.django_db

YEAR = 2018
WRITES = ("INSERT", "UPDATE", "DELETE")
# The pages a figure is missing from: (who asks, url name, what shows that it is being computed)
PAGES = {
    "dashboard": ("reviewer", "dashboards:dashboard"),
    "opd view": ("head", "dashboards:opd"),
    "contributions csv": ("reviewer", "dashboards:contributions_csv"),
}


def shown(message: str) -> str:
    with translation.override("id"):
        return translation.gettext(message)


@pytest.fixture
def enqueued(monkeypatch: pytest.MonkeyPatch) -> list[list[tuple[int, int]]]:
    """Every enqueue of a request, with its pairs (no broker is asked)."""
    calls: list[list[tuple[int, int]]] = []
    monkeypatch.setattr(marking, "_enqueue", lambda pairs: calls.append(list(pairs)))
    return calls


@pytest.fixture
def world() -> scenario.Scenario:
    """The worked example before any computation: no state row, no snapshot."""
    return scenario.build()


def stored() -> tuple[int, int, int]:
    return (
        om.ContributionState.objects.count(),
        om.ContributionSnapshot.objects.count(),
        om.ContributionRow.objects.count(),
    )


def url_of(name: str) -> str:
    _who, url_name = PAGES[name]
    return reverse(url_name, args=[YEAR] if name == "contributions csv" else [])


def get(world: scenario.Scenario, name: str) -> tuple[Any, list[str]]:
    """The page as its user sees it, and the SQL it ran."""
    client = Client()
    client.force_login(getattr(world, PAGES[name][0]))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url_of(name))
    return response, [q["sql"] for q in queries.captured_queries]


def writes(sql: list[str]) -> list[str]:
    return [s for s in sql if s.lstrip().upper().startswith(WRITES)]


def assert_being_computed(name: str, response: Any) -> None:
    html = response.content.decode()
    assert 'data-testid="pending"' in html, name
    if name == "contributions csv":
        # No file with the headers alone, which a program would read as "nobody contributes".
        assert response.status_code == 503
        assert response["Content-Type"].startswith("text/html")
        assert int(response["Retry-After"]) > 0
        assert "Content-Disposition" not in response
        assert shown("The figures are being computed") in html
    else:
        assert response.status_code == 200
        assert shown("Not computed yet.") in html


@pytest.mark.parametrize("name", list(PAGES))
def test_a_missing_figure_is_enqueued_shown_as_being_computed_and_nothing_is_written(
    world: scenario.Scenario, enqueued: list[list[tuple[int, int]]], name: str
) -> None:
    before = stored()
    response, sql = get(world, name)

    assert_being_computed(name, response)
    assert stored() == before == (0, 0, 0)  # not even a state row
    assert writes(sql) == []
    assert enqueued == [[(world.indicator.pk, YEAR)]]


@pytest.mark.parametrize("name", list(PAGES))
def test_a_flagged_pair_without_a_snapshot_stays_as_it_was(
    world: scenario.Scenario, enqueued: list[list[tuple[int, int]]], name: str
) -> None:
    """The seed (or a save) marked the pair and the worker has not run yet: the flag is left
    as it is, for the sweep, and the page asks for the recomputation once more."""
    since = timezone.now()
    om.ContributionState.objects.create(
        indicator=world.indicator, year=YEAR, dirty=True, dirty_since=since
    )
    response, sql = get(world, name)

    assert_being_computed(name, response)
    assert writes(sql) == []
    state = om.ContributionState.objects.get()
    assert (state.dirty, state.dirty_since, state.snapshot_id) == (True, since, None)
    assert enqueued == [[(world.indicator.pk, YEAR)]]


@pytest.mark.parametrize("name", list(PAGES))
def test_the_figures_appear_once_the_worker_has_recomputed(
    world: scenario.Scenario, enqueued: list[list[tuple[int, int]]], name: str
) -> None:
    response, _sql = get(world, name)
    assert_being_computed(name, response)
    ((pair,),) = enqueued

    recompute_contribution(*pair)  # what the worker does with the enqueued task

    response, sql = get(world, name)
    assert response.status_code == 200
    assert writes(sql) == []
    content = response.content.decode("utf-8-sig")
    assert 'data-testid="pending"' not in content
    if name == "dashboard":
        assert 'data-testid="required">1.658<' in content
    elif name == "opd view":
        assert 'data-testid="own-planned">900<' in content
    else:
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert any(line.startswith("1.06;Dinas Sosial;") for line in content.splitlines())
    assert len(enqueued) == 1  # with a snapshot, nothing more is asked for


@pytest.mark.parametrize("name", ["dashboard", "opd view"])
def test_a_page_runs_as_many_queries_before_the_first_computation_as_after_it(
    world: scenario.Scenario, enqueued: list[list[tuple[int, int]]], name: str
) -> None:
    _response, before = get(world, name)
    compute.recompute(indicator_id=world.indicator.pk, year=YEAR)
    _response, after = get(world, name)
    assert len(before) == len(after), (len(before), len(after))


# --- the broker down: the page still answers, and the figure still comes ------------------------


@pytest.fixture
def broker_down() -> Iterator[None]:
    with celery_conf(broker_url="redis://127.0.0.1:1/0", task_always_eager=False):
        yield


@pytest.mark.parametrize("name", list(PAGES))
def test_with_the_broker_down_the_page_answers_at_once_and_the_nightly_run_computes_it(
    world: scenario.Scenario, broker_down: None, caplog: pytest.LogCaptureFixture, name: str
) -> None:
    """No state row at all, so the sweep has nothing to find: the nightly recomputation of
    every indicator's every plan year is what computes the pair."""
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="opd.engine.marking"):
        response, sql = get(world, name)
    took = time.monotonic() - started

    assert_being_computed(name, response)
    assert took < 2, f"the page took {took:.2f} s with the broker down"
    assert writes(sql) == [] and stored() == (0, 0, 0)
    assert [r.levelname for r in caplog.records if r.name == "opd.engine.marking"] == ["WARNING"]
    assert compute.sweep_dirty() == 0  # nothing flagged

    assert compute.recompute_all(years=[YEAR]) == 1  # the nightly run, for the year

    response, _sql = get(world, name)
    assert response.status_code == 200
    assert 'data-testid="pending"' not in response.content.decode("utf-8-sig")


def test_request_recompute_never_raises_and_writes_nothing(
    world: scenario.Scenario, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def refuse(pairs: list[tuple[int, int]]) -> None:
        raise OSError("broker gone")

    monkeypatch.setattr(marking, "_enqueue", refuse)
    pair = (world.indicator.pk, YEAR)
    with CaptureQueriesContext(connection) as queries:
        assert marking.request_recompute([pair, pair]) == 1
        assert marking.request_recompute([]) == 0
    assert len(queries) == 0
    assert "broker gone" in caplog.text


def test_request_recompute_publishes_on_the_bounded_request_connection(
    world: scenario.Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same publish as a save's: ``_enqueue``, on ``request_broker_connection`` (0.5 s, no
    retry; its limits are tested in tests/engine/test_broker_down.py), one task per pair."""
    published: list[tuple[Any, dict[str, Any]]] = []
    task_class = type(recompute_contribution._get_current_object())

    def record(self: Any, args: Any = None, **options: Any) -> None:
        published.append((tuple(args), options))

    monkeypatch.setattr(task_class, "apply_async", record)
    connections: list[Any] = []
    real = marking.request_broker_connection

    def spy() -> Any:
        connections.append(real())
        return connections[-1]

    monkeypatch.setattr(marking, "request_broker_connection", spy)
    marking.request_recompute([(world.indicator.pk, 2019), (world.indicator.pk, YEAR)])
    assert [args for args, _options in published] == [
        (world.indicator.pk, YEAR),
        (world.indicator.pk, 2019),
    ]
    assert len(connections) == 1
    assert all(o["retry"] is False and o["connection"] is connections[0] for _a, o in published)


# --- the pending rule, one definition ---------------------------------------------------------


def test_the_pending_rule(world: scenario.Scenario, enqueued: list[list[tuple[int, int]]]) -> None:
    """Pending: no state row, a flagged row, or a row without a snapshot; and the dashboards,
    the public page and the work plan's summary all say the same."""

    def everywhere() -> set[bool]:
        indicator, state = world.indicator, om.ContributionState.objects.first()
        public = selectors.public_page(indicator=indicator, year=YEAR).focus
        assert public is not None
        (summary,) = contribution_summary(opd_id=world.dinsos.pk, year=YEAR, indicators=[indicator])
        return {
            is_pending(state),
            selectors.year_state(indicator=indicator, year=YEAR).pending,
            public.pending,
            summary.pending,
        }

    assert everywhere() == {True}  # no state row
    om.ContributionState.objects.create(
        indicator=world.indicator, year=YEAR, dirty=False, dirty_since=None
    )
    assert everywhere() == {True}  # a row, no snapshot (e.g. the snapshot deleted)
    compute.recompute(indicator_id=world.indicator.pk, year=YEAR)
    assert everywhere() == {False}
    om.ContributionState.objects.update(dirty=True, dirty_since=timezone.now())
    assert everywhere() == {True}
    assert is_pending(None)
