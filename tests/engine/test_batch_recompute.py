"""The set-based recomputation (``opd.engine.batch``) stores what the per-pair path stores, in a
fixed number of queries per year batch.

The per-pair path is ``compute.recompute`` over every pair, as ``recompute_all`` ran before:
both are run from the same database state (a savepoint rolled back between them), and what
they leave (snapshots, rows, state rows) is compared field by field, the timestamps aside.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from opd import models as om
from opd.engine import batch, compute
from opd.engine.batch_inputs import YEAR_INPUT_QUERIES, year_inputs
from opd.engine.inputs import contribution_inputs
from targets import models as tm
from tests.engine.batch_world import BatchWorld, build
from tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


def per_pair(world: BatchWorld) -> None:
    """Today's per-pair path: every pair, one ``recompute`` each."""
    for indicator_id, year in world.pairs():
        compute.recompute(indicator_id=indicator_id, year=year)


def stored() -> dict[str, Any]:
    """Everything a recomputation leaves, keyed by (indicator, year, sequence), no ids or times."""
    key = {
        pk: (indicator_id, year, sequence)
        for pk, indicator_id, year, sequence in om.ContributionSnapshot.objects.values_list(
            "pk", "indicator_id", "year", "sequence"
        )
    }
    snapshots = {}
    for row in om.ContributionSnapshot.objects.values():
        del row["computed_at"]
        snapshots[key[row.pop("id")]] = row
    rows: dict[Any, list[dict[str, Any]]] = {}
    for row in om.ContributionRow.objects.order_by("snapshot_id", "opd_id").values():
        del row["id"]
        rows.setdefault(key[row.pop("snapshot_id")], []).append(row)
    states = {
        (state["indicator_id"], state["year"]): (
            state["dirty"],
            state["dirty_since"],
            key.get(state["snapshot_id"]),
            state["computed_at"] is not None,
        )
        for state in om.ContributionState.objects.values()
    }
    return {"snapshots": snapshots, "rows": rows, "states": states}


def outcome(run: Callable[[], Any]) -> dict[str, Any]:
    """What ``run`` leaves, rolled back afterwards so the next run starts from the same state."""
    found: dict[str, Any] = {}
    try:
        with transaction.atomic():
            run()
            found = stored()
            raise Rollback
    except Rollback:
        pass
    return found


def test_the_year_read_gives_every_pair_the_per_pair_inputs_and_fingerprint() -> None:
    world = build()
    pairs = world.pairs()
    for year in sorted({year for _indicator, year in pairs}):
        ids = [indicator_id for indicator_id, y in pairs if y == year]
        found = year_inputs(year=year, indicator_ids=ids)
        assert sorted(found) == sorted(ids)
        for indicator_id in ids:
            indicator = tm.Indicator.objects.get(pk=indicator_id)
            expected = contribution_inputs(indicator=indicator, year=year)
            assert found[indicator_id] == expected, (indicator.code, year)
            assert compute.fingerprint(found[indicator_id], year) == compute.fingerprint(
                expected, year
            )
    # The world reaches what it means to: lists narrowed per indicator, the record's actual.
    kms, tpt = (year_inputs(year=2018, indicator_ids=[i.pk])[i.pk] for i in (world.kms, world.tpt))
    assert len(kms.lists) == 2 and len(tpt.lists) == 2  # L1, L2 and L2, L3; never the draft's
    assert sum(p.persons for p in kms.patterns) == 51  # persons 0–49 and 500
    assert sum(p.low_desil for p in kms.patterns) == 30  # person 0 is low on L1, not on L2
    assert sum(p.low_desil for p in tpt.patterns) == 1  # person 1, desil 3 on L3
    assert kms.actuals[2017] == Decimal("8.60") and tpt.actuals == {2017: Decimal("61.2")}


def test_the_batch_stores_exactly_what_the_per_pair_path_stores() -> None:
    world = build()
    per_pair(world)  # every pair computed once: sequence 1 everywhere
    # Then: a claim on KMS in 2018 changes, a TPT target moves (every TPT year changes), one
    # state row is lost, some pairs are flagged, and a new indicator has no snapshot yet.
    claim = om.ExpectedContribution.objects.filter(
        indicator=world.kms, activity=world.activities["1.2018.0"]
    )
    assert claim.update(amount=Decimal(99)) == 1
    tm.Target.objects.filter(indicator=world.tpt, year=2019).update(value=Decimal(66))
    om.ContributionState.objects.filter(indicator=world.kmb, year=2017).delete()
    om.ContributionState.objects.filter(indicator=world.kms).update(
        dirty=True, dirty_since=timezone.now()
    )
    newcomer = IndicatorFactory(plan=world.kmb.plan, code="NEW")

    before = outcome(lambda: per_pair(world))
    after = outcome(lambda: batch.recompute_every_year())
    assert after == before

    sequences: dict[tuple[int, int], int] = {}
    for indicator_id, year, sequence in after["snapshots"]:
        sequences[indicator_id, year] = max(sequence, sequences.get((indicator_id, year), 0))
    changed = {(world.kms.pk, 2018)} | {(world.tpt.pk, y) for y in range(2016, 2022)}
    changed |= {(newcomer.pk, y) for y in (2017, 2018, 2019)}
    assert {pair for pair, sequence in sequences.items() if sequence == 2} == changed - {
        (newcomer.pk, y) for y in (2017, 2018, 2019)
    }
    unchanged = set(world.pairs()) - changed
    assert unchanged and all(
        (*pair, 2) not in after["snapshots"] for pair in unchanged
    )  # no new snapshot for them
    assert all(state[:3] == (False, None, state[2]) for state in after["states"].values())
    assert all(state[2] is not None for state in after["states"].values())
    assert after["snapshots"][world.kms.pk, 2018, 2]["status_basis"] == "deduplicated"


def test_a_first_run_stores_what_the_per_pair_path_stores() -> None:
    world = build(opds=2)
    assert outcome(lambda: batch.recompute_every_year()) == outcome(lambda: per_pair(world))


@pytest.mark.postgres
@pytest.mark.parametrize("opds", [2, 6])
def test_a_year_batch_takes_the_same_queries_whatever_the_opds_and_activities(
    opds: int, django_assert_num_queries: Any
) -> None:
    """1 for the run, then per year 10 (12 when something is stored); the savepoint of each
    year's transaction is 2 more here, inside the test's transaction. (It was 15 and 17 until
    the targets, actuals, poverty records and populations were read in one query, not four,
    the OPDs with their plans for the year in one, not two, and the planned and achieved sums
    in one, not two.)"""
    build(opds=opds, activities=opds)
    savepoint = 2
    assert YEAR_INPUT_QUERIES == 6
    with django_assert_num_queries(1 + 12 + savepoint):
        stats = batch.recompute_every_year(years=[2018])
    assert (stats.pairs, stats.stored, stats.years) == (3, 3, 1)
    with django_assert_num_queries(1 + 10 + savepoint):
        stats = batch.recompute_every_year(years=[2018])
    assert (stats.pairs, stats.stored, stats.unchanged) == (3, 0, 3)
    # Each year adds its batch: 2017–2019 (KMS, TPT and KMB), then 2016–2021 for all.
    with django_assert_num_queries(1 + 12 * 2 + 10 + 3 * savepoint):
        assert batch.recompute_every_year(years=[2017, 2018, 2019]).stored == 6
    with django_assert_num_queries(1 + 12 * 3 + 10 * 3 + 6 * savepoint):
        assert batch.recompute_every_year().stored == 6


@pytest.mark.postgres
def test_a_year_batch_locks_its_state_rows_in_order_before_reading_anything() -> None:
    world = build(opds=2)
    ids = [world.tpt.pk, world.kms.pk, world.kmb.pk]
    with CaptureQueriesContext(connection) as captured:
        batch.recompute_year(year=2018, indicator_ids=ids)
    # A union starts with "(", a raw read may set a planner option first (SET LOCAL ...;).
    bare = [
        re.sub(r"^(SET LOCAL [^;]+;\s*)+", "", q["sql"].strip()).lstrip("(")
        for q in captured.captured_queries
    ]
    statements = [sql for sql in bare if sql.startswith(("SELECT", "INSERT"))]
    assert statements[0].startswith('INSERT INTO "opd_contributionstate"')
    assert "ON CONFLICT DO NOTHING" in statements[0]
    lock = statements[1]
    assert lock.startswith('SELECT "opd_contributionstate"')
    assert 'SELECT "opd_contributionstate"."indicator_id" AS "indicator_id"' in lock
    assert lock.endswith('ORDER BY 1 ASC FOR UPDATE OF "opd_contributionstate"')
    locking = [sql for sql in statements if re.search(r"\bFOR (NO KEY )?UPDATE\b", sql)]
    assert locking == [lock]  # the only rows locked; no plan, OPD or snapshot row
    assert len(statements) > 2 + YEAR_INPUT_QUERIES  # the inputs are read after it
    inserted = re.search(r"\(ARRAY\[([\d,]+)\]\)::bigint\[\]", statements[0])
    assert inserted, statements[0]
    assert [int(i) for i in inserted.group(1).split(",")] == sorted(ids)  # ascending too


def test_an_indicator_deleted_since_the_run_began_is_skipped() -> None:
    world = build(opds=2)
    gone = IndicatorFactory(plan=world.kms.plan, code="GONE")
    gone_id = gone.pk
    gone.delete()
    stats = batch.recompute_year(year=2018, indicator_ids=[world.kms.pk, gone_id])
    assert (stats.pairs, stats.stored) == (1, 1)
    assert list(om.ContributionState.objects.values_list("indicator_id", flat=True)) == [
        world.kms.pk
    ]


def test_recompute_all_returns_the_pairs_and_reports_each_year() -> None:
    world = build(opds=2)
    seen: list[tuple[int, int, int]] = []
    done = compute.recompute_all(indicator_code="KMB", progress=lambda *args: seen.append(args))
    assert done == 3
    assert seen == [(2017, 1, 3), (2018, 2, 3), (2019, 3, 3)]
    assert set(om.ContributionState.objects.values_list("indicator_id", "dirty")) == {
        (world.kmb.pk, False)
    }


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_planner_options_of_a_year_batch_end_with_its_transaction(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The batch's reads turn JIT and merge joins off with SET LOCAL: the session keeps its
    own settings once the batches have committed."""
    build(opds=2)

    def settings() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('jit'), current_setting('enable_mergejoin')")
            return list(cursor.fetchone())

    with connection.cursor() as cursor:  # whatever the server's own configuration says
        cursor.execute("SET jit = on; SET enable_mergejoin = on")
    before = settings()
    inside: list[list[str]] = []
    real = batch.year_inputs

    def spying(**kwargs: Any) -> Any:
        found = real(**kwargs)
        inside.append(settings())
        return found

    monkeypatch.setattr(batch, "year_inputs", spying)
    assert batch.recompute_every_year(years=[2018, 2019]).pairs == 6
    assert inside == [["off", "off"]] * 2  # while each year's inputs were read
    assert settings() == before == ["on", "on"]
    with connection.cursor() as cursor:
        cursor.execute("RESET jit; RESET enable_mergejoin")
