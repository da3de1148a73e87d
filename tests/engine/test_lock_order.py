"""The lock order of ``opd.transactions``, read from the SQL the services send.

A save locks its plan row and nothing joined to it (a locked OPD row deadlocks against a
recomputation committing its snapshot rows); state rows are written in ascending
(indicator, year) order, by every change; a recomputation locks its state row before it
reads anything. The load test (``test_load_saves``) shows the outcome under load; these
show each rule on its own.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from opd import models as om
from opd.clients import services as client_services
from opd.engine import compute, marking
from opd.workplans import services
from opd.workplans.services import ActivityData
from targets import models as tm
from tests.factories import (
    IndicatorFactory,
    PlanFactory,
    PopulationFactory,
    RegionFactory,
    TargetFactory,
)
from tests.workplans.plan_world import World

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

LOCKING = re.compile(r"\bFOR (NO KEY )?UPDATE\b")


def locking_queries(captured: CaptureQueriesContext) -> list[str]:
    return [query["sql"] for query in captured.captured_queries if LOCKING.search(query["sql"])]


def assert_locks_only_its_own_rows(sql: str) -> None:
    """A locking SELECT that joins other tables names its own table, alone, in ``OF``."""
    if " JOIN " not in sql:
        return
    table = re.search(r'\bFROM "(\w+)"', sql)
    assert table is not None, sql
    assert re.search(rf'\bFOR (NO KEY )?UPDATE OF "{table.group(1)}"$', sql), sql


def state_writes(captured: CaptureQueriesContext) -> list[tuple[int, int]]:
    """The (indicator, year) of every UPDATE of a state row, in the order they were sent."""
    pairs = []
    for query in captured.captured_queries:
        sql = query["sql"]
        if sql.startswith('UPDATE "opd_contributionstate"'):
            found = re.search(
                r'"indicator_id" = (\d+) AND "opd_contributionstate"."year" = (\d+)', sql
            )
            assert found, sql
            pairs.append((int(found.group(1)), int(found.group(2))))
    return pairs


def test_a_save_locks_its_plan_row_and_no_joined_row() -> None:
    world = World.build()
    with CaptureQueriesContext(connection) as captured:
        services.activity_update(
            activity_id=world.activity.pk,
            by=world.head,
            data=ActivityData(values={"budget": Decimal(1)}, contributions={}),
            seen_version=1,
        )
    queries = locking_queries(captured)
    plan_locks = [sql for sql in queries if 'FROM "opd_workplan"' in sql]
    assert len(plan_locks) == 1
    assert plan_locks[0].endswith('FOR UPDATE OF "opd_workplan"')  # not the OPD row
    for sql in queries:
        assert_locks_only_its_own_rows(sql)


def test_revoking_an_api_client_locks_the_client_row_only() -> None:
    world = World.build()
    client_services.api_client_create(
        name="sipd", scope=om.ApiClient.Scope.WRITE, opd=world.work_plan.opd
    )
    with CaptureQueriesContext(connection) as captured:
        client_services.api_client_revoke(name="sipd")
    (sql,) = locking_queries(captured)
    assert 'JOIN "auth_user"' in sql and sql.endswith('FOR UPDATE OF "opd_apiclient"')


def test_a_recomputation_locks_its_state_row_before_reading_anything() -> None:
    world = World.build()
    for _run in ("the first, which creates the state row", "a later one"):
        with CaptureQueriesContext(connection) as captured:
            compute.recompute(indicator_id=world.indicator.pk, year=world.work_plan.year)
        statements = [
            query["sql"]
            for query in captured.captured_queries
            if query["sql"].startswith(("SELECT", "INSERT", "UPDATE"))
        ]
        first_lock = next(i for i, sql in enumerate(statements) if LOCKING.search(sql))
        assert all('"opd_contributionstate"' in sql for sql in statements[: first_lock + 1])
        assert len(statements) > first_lock + 3  # the inputs are read after it
        for sql in locking_queries(captured):  # and it is the only row locked
            assert sql.startswith('SELECT "opd_contributionstate"'), sql
            assert_locks_only_its_own_rows(sql)


def test_a_population_change_marks_its_pairs_in_ascending_order() -> None:
    """Every change writes its state rows in one order, so two changes marking the same
    pairs cannot deadlock: here indicators listed by code (B before A) whose ids run the
    other way."""
    region = RegionFactory()
    plan = PlanFactory(region=region, first_year=2016, last_year=2018)
    late = IndicatorFactory(plan=plan, code="B", is_population_share=True)
    early = IndicatorFactory(plan=plan, code="A", is_population_share=True)
    assert early.pk > late.pk
    for indicator in (late, early):  # the rows exist: every mark is an UPDATE
        for year in plan.years():
            om.ContributionState.objects.create(indicator=indicator, year=year, dirty=False)
    with CaptureQueriesContext(connection) as captured:
        marked = marking.mark_region_dirty(region.pk, 2017)
    writes = state_writes(captured)
    assert marked == 4
    assert writes == sorted(writes)
    assert set(writes) == {(i.pk, y) for i in (late, early) for y in (2017, 2018)}


# --- the admin: one change, one call, ascending ----------------------------------------------------


def _two_indicators_with_state_rows() -> tuple[tm.Indicator, tm.Indicator]:
    """Indicators listed by code (A before B) whose ids run the other way, every state row
    present (so every mark is an UPDATE the capture can read)."""
    plan = PlanFactory(region=RegionFactory(), first_year=2016, last_year=2018)
    low = IndicatorFactory(plan=plan, code="B")
    high = IndicatorFactory(plan=plan, code="A")
    assert low.pk < high.pk
    for indicator in (low, high):
        for year in plan.years():
            om.ContributionState.objects.create(indicator=indicator, year=year, dirty=False)
    return low, high


def _count_mark_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many pairs each call of ``mark_pairs_dirty`` marked, call by call."""
    calls: list[int] = []
    mark = marking.mark_pairs_dirty

    def counting(pairs: Any) -> int:
        marked = mark(pairs)
        calls.append(marked)
        return marked

    monkeypatch.setattr(marking, "mark_pairs_dirty", counting)
    return calls


def test_moving_a_target_to_another_indicator_in_the_admin_marks_both_in_one_call(
    admin_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The row as it was (indicator A) and as it is (indicator B): A's pairs are not written
    before B's just because the old row is read first."""
    low, high = _two_indicators_with_state_rows()
    target = TargetFactory(indicator=high, year=2018)
    calls = _count_mark_calls(monkeypatch)
    data = {"indicator": low.pk, "year": 2018, "value": "7.20", "source": "RPJMD"}
    with CaptureQueriesContext(connection) as captured:
        response = admin_client.post(f"/admin/targets/target/{target.pk}/change/", data)
    assert response.status_code == 302
    assert tm.Target.objects.get(pk=target.pk).indicator == low
    writes = state_writes(captured)
    assert writes == sorted(writes)
    assert calls == [6]
    assert set(writes) == {(i.pk, y) for i in (low, high) for y in (2016, 2017, 2018)}


def test_moving_a_population_figure_to_an_earlier_year_marks_each_pair_once_in_order(
    admin_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    low, high = _two_indicators_with_state_rows()
    population = PopulationFactory(region=low.plan.region, year=2018)
    calls = _count_mark_calls(monkeypatch)
    data = {"region": population.region_id, "year": 2017, "value": "121000", "source": "BPS"}
    with CaptureQueriesContext(connection) as captured:
        response = admin_client.post(f"/admin/targets/population/{population.pk}/change/", data)
    assert response.status_code == 302
    writes = state_writes(captured)
    assert writes == sorted(set(writes))  # ascending, and no pair twice
    assert calls == [4]
    assert set(writes) == {(i.pk, y) for i in (low, high) for y in (2017, 2018)}


def test_a_bulk_delete_in_the_admin_marks_every_row_in_one_call_in_its_transaction(
    admin_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The changelist lists A's target before B's; the flags are still written in ascending
    order, in one call, in the transaction that deletes the rows (the delete action opens
    none of its own: a recomputation could clear flags committed before the delete)."""
    low, high = _two_indicators_with_state_rows()
    targets = [TargetFactory(indicator=high, year=2018), TargetFactory(indicator=low, year=2018)]
    calls = _count_mark_calls(monkeypatch)
    data = {
        "action": "delete_selected",
        "_selected_action": [target.pk for target in targets],
        "post": "yes",
    }
    with CaptureQueriesContext(connection) as captured:
        response = admin_client.post("/admin/targets/target/", data)
    assert response.status_code == 302
    assert not tm.Target.objects.exists()
    writes = state_writes(captured)
    assert writes == sorted(writes)
    assert calls == [6]
    assert set(writes) == {(i.pk, y) for i in (low, high) for y in (2016, 2017, 2018)}
    # The flags and the delete are inside one savepoint (the test's transaction holds the
    # outer one), so they commit together.
    statements = [query["sql"] for query in captured.captured_queries]
    first_write = next(i for i, sql in enumerate(statements) if "opd_contributionstate" in sql)
    delete = next(
        i for i, sql in enumerate(statements) if sql.startswith('DELETE FROM "targets_target"')
    )
    opened = {sql.split()[1]: i for i, sql in enumerate(statements) if sql.startswith("SAVEPOINT ")}
    released = {
        sql.split()[-1]: i
        for i, sql in enumerate(statements)
        if sql.startswith("RELEASE SAVEPOINT ")
    }
    assert any(opened[sid] < first_write and delete < released.get(sid, -1) for sid in opened), (
        statements
    )
