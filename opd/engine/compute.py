"""Recompute an indicator's year and store its snapshot; sweep what is still dirty.

:func:`recompute` locks the state row, so two workers never store the same snapshot twice; it
stores a new snapshot only when the inputs' fingerprint differs from the current one, keeping
every earlier snapshot as history. It reads through ``opd.engine.inputs`` and computes with the
pure ``opd.engine.method``; nothing here marks or enqueues. :func:`recompute_all` does the same
for every pair, set-based, through ``opd.engine.batch``; both store through
``opd.engine.snapshots``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from opd.engine.batch import recompute_every_year
from opd.engine.inputs import contribution_inputs
from opd.engine.method import IndicatorInputs, YearResult, compute
from opd.engine.snapshots import fingerprint, row_objects, snapshot_values
from opd.engine.snapshots import inputs_document as inputs_document  # where callers found it
from opd.models import ContributionRow, ContributionSnapshot, ContributionState
from targets.models import Indicator

log = logging.getLogger(__name__)


@transaction.atomic
def recompute(*, indicator_id: int, year: int) -> ContributionSnapshot:
    """Compute and store the year's snapshot; idempotent, serialised per (indicator, year).

    Raises ``Indicator.DoesNotExist`` when the indicator was deleted meanwhile.
    """
    # The state row is locked before anything is read: a change that marked the pair before
    # the lock was taken is committed by now, and every input, the indicator's own figures
    # too, is read after it. It is the only row locked (see ``opd.transactions``).
    state = _lock_state(indicator_id, year)
    indicator = Indicator.objects.select_related("plan").get(pk=indicator_id)
    inputs = contribution_inputs(indicator=indicator, year=year)
    print_ = fingerprint(inputs, year)
    now = timezone.now()
    latest = (
        ContributionSnapshot.objects.filter(indicator_id=indicator_id, year=year)
        .order_by("-sequence")
        .first()
    )
    if latest is not None and latest.fingerprint == print_:
        snapshot = latest
    else:
        snapshot = _store(
            indicator=indicator,
            year=year,
            inputs=inputs,
            result=compute(inputs, year),
            fingerprint_=print_,
            sequence=(latest.sequence + 1) if latest else 1,
            at=now,
        )
    state.dirty = False
    state.dirty_since = None
    state.computed_at = now
    state.snapshot = snapshot
    state.save(update_fields=["dirty", "dirty_since", "computed_at", "snapshot"])
    return snapshot


def _lock_state(indicator_id: int, year: int) -> ContributionState:
    """The pair's state row, locked until the transaction ends; created on a first computation."""
    # No select_related: PostgreSQL refuses FOR UPDATE on the nullable side of an outer
    # join (the snapshot is null until the first computation).
    rows = ContributionState.objects.select_for_update(of=("self",)).filter(
        indicator_id=indicator_id, year=year
    )
    state = rows.first()
    if state is None:
        ContributionState.objects.get_or_create(
            indicator_id=indicator_id,
            year=year,
            defaults={"dirty": True, "dirty_since": timezone.now()},
        )
        state = rows.get()
    return state


def _store(
    *,
    indicator: Indicator,
    year: int,
    inputs: IndicatorInputs,
    result: YearResult,
    fingerprint_: str,
    sequence: int,
    at: Any,
) -> ContributionSnapshot:
    snapshot = ContributionSnapshot.objects.create(
        **snapshot_values(
            indicator_id=indicator.pk,
            year=year,
            inputs=inputs,
            result=result,
            fingerprint_=fingerprint_,
            sequence=sequence,
            at=at,
        )
    )
    snapshot.indicator = indicator  # already loaded: no query for whoever reads it
    ContributionRow.objects.bulk_create(row_objects(snapshot.pk, result))
    return snapshot


def sweep_dirty(*, limit: int = 500) -> int:
    """Recompute every (indicator, year) still flagged; returns how many were done.

    One pair that fails is logged and stays flagged; the others are still computed, so a
    pair that keeps failing cannot hold up the rest (it is the oldest, so always first).
    """
    pending = list(
        ContributionState.objects.filter(dirty=True)
        .order_by("dirty_since", "pk")
        .values_list("indicator_id", "year")[:limit]
    )
    done = 0
    for indicator_id, year in pending:
        try:
            recompute(indicator_id=indicator_id, year=year)
        except Exception:
            log.exception(
                "Recomputing indicator %s for %s failed; it stays pending.", indicator_id, year
            )
        else:
            done += 1
    return done


def recompute_all(
    *,
    years: Iterable[int] | None = None,
    indicator_code: str | None = None,
    progress: Callable[[int, int, int], None] | None = None,
) -> int:
    """Recompute every indicator for every year of its plan (or the given years); returns how
    many (indicator, year) pairs were computed.

    Set-based, a year batch at a time (:func:`opd.engine.batch.recompute_every_year`, which
    also says what each run did): what it stores is what :func:`recompute` would store for
    each pair. ``progress(year, done, total)`` is called after each year, for the operators'
    command.
    """
    return recompute_every_year(years=years, indicator_code=indicator_code, progress=progress).pairs
