"""Recompute every (indicator, year) pair set-based: a year at a time, a fixed number of queries.

:func:`recompute_every_year` is what the nightly run and the operators' command do
(``compute.recompute_all``). It stores exactly what :func:`opd.engine.compute.recompute` would
store for each pair, one after another: the same fingerprint decides whether the inputs changed
(an unchanged pair keeps its snapshot, no new one), the same snapshot and rows are stored
(``opd.engine.snapshots``), and each state row ends clean and pointing at the pair's newest
snapshot. Only the shape of the work differs: per year, one grouped read of every pair's inputs
(:func:`opd.engine.batch_inputs.year_inputs`), the pure method per pair in Python, then bulk
writes.

Queries: one for the run (which indicators cover which years), then per year batch

* 2 to lock: the missing state rows inserted (``ON CONFLICT DO NOTHING``), every state row of
  the year locked;
* :data:`~opd.engine.batch_inputs.YEAR_INPUT_QUERIES` (6) to read the inputs, and 1 for the
  pairs' newest snapshots;
* 1 to insert the new snapshots and 1 for their rows, only when some pair's inputs changed;
* 1 to update the state rows;

so 10 or 12 per year, 1 + 10·Y to 1 + 12·Y for Y years, whatever the number of indicators,
regions, OPDs, activities or listed persons. (One more, in a year batch, when an indicator was
deleted after the run began; SQLite reads the inputs in one more and splits a bulk insert into
several statements; inside a caller's transaction each year adds its SAVEPOINT and RELEASE.)

Locks: each year batch is a transaction of its own that locks that year's state rows, ascending
by indicator (the order every change writes them in, ``opd.transactions``), before it reads
anything, and holds them until it commits. A save marking a pair waits at most for the batch of
that pair's year, never for the whole run. The house order holds: no plan row is locked, the
state rows come first, the snapshots are written last. A change committed while a year's batch
runs marks its pairs after the batch commits (the mark waits for the row lock), so they stay
flagged for the sweep, exactly as with the per-pair path.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from opd.engine.batch_inputs import year_inputs
from opd.engine.method import compute
from opd.engine.snapshots import (
    document_fingerprint,
    inputs_document,
    row_values,
    snapshot_values,
)
from opd.models import ContributionRow, ContributionSnapshot, ContributionState
from targets.models import Indicator


@dataclass(frozen=True)
class RecomputeStats:
    """What a run did: pairs computed, of them how many stored a new snapshot (their inputs had
    changed), and how many year batches (transactions) it took."""

    pairs: int = 0
    stored: int = 0
    years: int = 0

    @property
    def unchanged(self) -> int:
        """Pairs whose inputs had not changed: checked, nothing stored."""
        return self.pairs - self.stored

    def __add__(self, other: RecomputeStats) -> RecomputeStats:
        return RecomputeStats(
            self.pairs + other.pairs, self.stored + other.stored, self.years + other.years
        )


def recompute_every_year(
    *,
    years: Iterable[int] | None = None,
    indicator_code: str | None = None,
    progress: Callable[[int, int, int], None] | None = None,
) -> RecomputeStats:
    """Recompute every indicator for every year of its plan (or the given years), a year batch
    at a time in ascending years; ``progress(year, done, total)`` after each year."""
    work = work_by_year(years=years, indicator_code=indicator_code)
    total = sum(len(ids) for ids in work.values())
    stats = RecomputeStats()
    for year in sorted(work):
        stats += recompute_year(year=year, indicator_ids=work[year])
        if progress:
            progress(year, stats.pairs, total)
    return stats


def work_by_year(
    *, years: Iterable[int] | None = None, indicator_code: str | None = None
) -> dict[int, list[int]]:
    """``{year: [indicator ids]}``: every indicator for every year of its plan, kept to
    ``years`` and to the indicators with ``indicator_code`` when given. One query."""
    indicators = Indicator.objects.order_by("pk")
    if indicator_code:
        indicators = indicators.filter(code=indicator_code)
    wanted = set(years) if years is not None else None
    work: dict[int, list[int]] = {}
    for pk, first, last in indicators.values_list("pk", "plan__first_year", "plan__last_year"):
        for year in range(first, last + 1):
            if wanted is None or year in wanted:
                work.setdefault(year, []).append(pk)
    return work


@transaction.atomic
def recompute_year(*, year: int, indicator_ids: Collection[int]) -> RecomputeStats:
    """Recompute the pairs of ``year`` with these indicators in one transaction: 10 queries, 12
    when some pair's inputs changed. An indicator deleted meanwhile is skipped."""
    now = timezone.now()
    states = _lock_states(year, sorted(set(indicator_ids)), now)
    inputs = year_inputs(year=year, indicator_ids=states)
    gone = [indicator_id for indicator_id in states if indicator_id not in inputs]
    if gone:  # deleted after the run began: the state rows inserted above must not stay
        ContributionState.objects.filter(year=year, indicator_id__in=gone).delete()
    newest = _newest_snapshots(year, list(inputs))
    stored = []
    for indicator_id, pair_inputs in inputs.items():
        document = inputs_document(pair_inputs)
        print_ = document_fingerprint(document, year)
        sequence, seen = newest.get(indicator_id, (0, None))
        if seen == print_:
            continue  # unchanged: the newest snapshot stays the current one
        result = compute(pair_inputs, year)
        values = snapshot_values(
            indicator_id=indicator_id,
            year=year,
            inputs=pair_inputs,
            result=result,
            fingerprint_=print_,
            sequence=sequence + 1,
            at=now,
            document=document,
        )
        stored.append((ContributionSnapshot(**values), result))
    if stored:
        ContributionSnapshot.objects.bulk_create([snapshot for snapshot, _result in stored])
        _insert_rows(
            [row for snapshot, result in stored for row in row_values(snapshot.pk, result)]
        )
    # Each pair's newest snapshot is now the one to show: the one just stored, or the unchanged
    # one. Only this run writes snapshots of these pairs while it holds their state rows.
    newest_id = ContributionSnapshot.objects.filter(
        indicator=OuterRef("indicator"), year=OuterRef("year")
    ).order_by("-sequence")
    ContributionState.objects.filter(year=year, indicator_id__in=list(inputs)).update(
        dirty=False,
        dirty_since=None,
        computed_at=now,
        snapshot=Subquery(newest_id.values("pk")[:1]),
    )
    return RecomputeStats(pairs=len(inputs), stored=len(stored), years=1)


def _lock_states(year: int, indicator_ids: list[int], now: datetime) -> list[int]:
    """Lock the year's state rows of ``indicator_ids`` (created, flagged, on a first
    computation), ascending by indicator; returns the ids of those locked. Two queries."""
    ContributionState.objects.bulk_create(
        [
            ContributionState(indicator_id=indicator_id, year=year, dirty=True, dirty_since=now)
            for indicator_id in indicator_ids
        ],
        ignore_conflicts=True,
    )
    return list(
        ContributionState.objects.select_for_update(of=("self",))
        .filter(year=year, indicator_id__in=indicator_ids)
        .order_by("indicator_id")
        .values_list("indicator_id", flat=True)
    )


def _newest_snapshots(year: int, indicator_ids: list[int]) -> dict[int, tuple[int, str]]:
    """``{indicator id: (sequence, fingerprint)}`` of each pair's newest snapshot: one query,
    read after the lock, so a snapshot another worker stored before it is seen."""
    newest = ContributionSnapshot.objects.filter(
        indicator=OuterRef("indicator"), year=year
    ).order_by("-sequence")
    rows = ContributionSnapshot.objects.filter(
        year=year,
        indicator_id__in=indicator_ids,
        sequence=Subquery(newest.values("sequence")[:1]),
    ).values_list("indicator_id", "sequence", "fingerprint")
    return {indicator_id: (sequence, print_) for indicator_id, sequence, print_ in rows}


def _insert_rows(rows: list[dict[str, Any]]) -> None:
    """Insert the snapshots' rows (:func:`~opd.engine.snapshots.row_values`, a field left out
    taking its default): one statement. On PostgreSQL each column goes as one array, unnested
    into rows, the values as ``bulk_create`` would send them (decimals, ids and text pass
    through unchanged), without building and preparing a model instance per row: at ten
    regions a cold run stores 2,640 rows of 18 columns, and ``bulk_create`` spent longer
    preparing them than the database took to insert them."""
    fields = [field for field in ContributionRow._meta.concrete_fields if not field.primary_key]
    if connection.vendor != "postgresql":
        ContributionRow.objects.bulk_create([ContributionRow(**row) for row in rows])
        return
    defaults = {field.attname: field.get_default() for field in fields}
    columns = [[row.get(name, default) for row in rows] for name, default in defaults.items()]
    quote = connection.ops.quote_name
    arrays = ", ".join(f"%s::{field.db_type(connection)}[]" for field in fields)
    sql = (
        f"INSERT INTO {quote(ContributionRow._meta.db_table)} "  # noqa: S608 (model names)
        f"({', '.join(quote(field.column) for field in fields)}) SELECT * FROM unnest({arrays})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, columns)
