"""The contribution engine's services: mark years dirty, recompute, store snapshots.

A change that feeds a result (a work plan's status, an activity's budget or
contributions, a realisation, an actual, a target, a population figure) calls
:func:`mark_dirty` inside its transaction: the (indicator, year) state row is
flagged, and the recomputation is enqueued once the transaction commits. The
enqueue is bounded and robust: with the broker down the save still succeeds
and the flag stays set, and the periodic :func:`sweep_dirty` catches up.

:func:`recompute` locks the state row, so two workers never store the same
snapshot twice; it stores a new snapshot only when the inputs' fingerprint
differs from the current one, keeping every earlier snapshot as history.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import asdict
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from kombu import Connection

from opd.contributions import IndicatorInputs, YearResult, compute
from opd.models import ContributionRow, ContributionSnapshot, ContributionState, WorkPlan
from opd.selectors import contribution_inputs
from targets.models import Indicator

log = logging.getLogger(__name__)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value else "0"
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in sorted(value.items())}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def inputs_document(inputs: IndicatorInputs) -> dict[str, Any]:
    """The inputs as plain JSON (decimals as strings), stored with the snapshot."""
    document = _plain(asdict(inputs))
    document["opds"] = sorted(document["opds"], key=lambda row: row["opd_id"])
    return document


def fingerprint(inputs: IndicatorInputs, year: int) -> str:
    canonical = json.dumps({"year": year, **inputs_document(inputs)}, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


# --- marking --------------------------------------------------------------------------------------


def mark_dirty(*, indicator_ids: Iterable[int], years: Iterable[int]) -> int:
    """Flag every (indicator, year) pair of ``indicator_ids`` × ``years`` for recomputation
    and enqueue it after commit; returns how many pairs."""
    years = list(years)
    return mark_pairs_dirty({(i, y) for i in indicator_ids for y in years})


def mark_pairs_dirty(pairs: Iterable[tuple[int, int]]) -> int:
    """Flag (indicator, year) pairs for recomputation and enqueue it after commit.

    The flag is written even when it is already set: a recomputation running now may
    have read the inputs before this change and be about to clear it. The write waits
    for that recomputation's row lock and sets the flag again after it, so the change is
    never left out of every snapshot. Pairs are written in ascending order, so two changes
    marking the same pairs cannot deadlock (a change marks all its pairs in one call: see
    the lock order in ``opd.transactions``).
    """
    pairs = sorted(set(pairs))
    now = timezone.now()
    for indicator_id, year in pairs:
        _state, created = ContributionState.objects.get_or_create(
            indicator_id=indicator_id, year=year, defaults={"dirty": True, "dirty_since": now}
        )
        if not created:
            ContributionState.objects.filter(indicator_id=indicator_id, year=year).update(
                dirty=True, dirty_since=Coalesce("dirty_since", Value(now))
            )
    if pairs:
        transaction.on_commit(lambda: _enqueue(pairs), robust=True)
    return len(pairs)


def mark_work_plan_dirty(work_plan: WorkPlan) -> int:
    """Mark the pairs of :func:`pairs_for_work_plan`; returns how many."""
    return mark_pairs_dirty(pairs_for_work_plan(work_plan))


def mark_indicator_dirty(indicator: Indicator) -> int:
    """Mark the pairs of :func:`pairs_for_indicator`; returns how many."""
    return mark_pairs_dirty(pairs_for_indicator(indicator))


def mark_region_dirty(region_id: int, from_year: int) -> int:
    """Mark the pairs of :func:`pairs_for_region`; returns how many."""
    return mark_pairs_dirty(pairs_for_region(region_id, from_year))


# A change that touches more than one of these (an admin change moving a figure to another
# indicator, a bulk delete) collects their pairs and marks them in one call.


def pairs_for_work_plan(work_plan: WorkPlan) -> set[tuple[int, int]]:
    """A work plan's change touches every indicator of its RPJMD plan for its year."""
    indicator_ids = Indicator.objects.filter(plan_id=work_plan.plan_id).values_list("pk", flat=True)
    return {(indicator_id, work_plan.year) for indicator_id in indicator_ids}


def pairs_for_indicator(indicator: Indicator) -> set[tuple[int, int]]:
    """A target, actual or baseline change can move every year of the plan."""
    return {(indicator.pk, year) for year in indicator.plan.years()}


def pairs_for_region(region_id: int, from_year: int) -> set[tuple[int, int]]:
    """A population figure feeds every population-share indicator from its year on."""
    indicators = Indicator.objects.filter(
        plan__region_id=region_id, is_population_share=True
    ).select_related("plan")
    return {
        (indicator.pk, year)
        for indicator in indicators
        for year in indicator.plan.years()
        if year >= from_year
    }


#: The longest a save waits for the broker: to connect, or for any one answer.
REQUEST_BROKER_TIMEOUT = 0.5


def request_broker_connection() -> Connection:
    """A broker connection for publishing from a request, which gives up rather than wait.

    It waits at most :data:`REQUEST_BROKER_TIMEOUT` to connect or for an answer, and never
    retries (kombu's ``max_retries``): with a broker that is down or frozen, the state row
    stays dirty and the sweep catches up. kombu's Redis transport ignores ``connect_timeout``
    for its sockets, hence ``socket_connect_timeout`` and ``socket_timeout``. The worker keeps
    the app's own, longer timeouts (settings): it waits on BRPOP.
    """
    from opd.tasks import recompute_contribution

    return recompute_contribution.app.connection_for_write(
        connect_timeout=REQUEST_BROKER_TIMEOUT,
        transport_options={
            "socket_connect_timeout": REQUEST_BROKER_TIMEOUT,
            "socket_timeout": REQUEST_BROKER_TIMEOUT,
            "max_retries": 0,
        },
    )


def _enqueue(pairs: list[tuple[int, int]]) -> None:
    """Publish a recomputation per pair, on a connection of its own (see above), with no
    publish retry; the first broker error ends it (and is raised, for ``on_commit`` to log)."""
    from opd.tasks import recompute_contribution

    with request_broker_connection() as connection:
        for indicator_id, year in pairs:
            recompute_contribution.apply_async(
                args=[indicator_id, year], connection=connection, retry=False
            )


# --- recomputing ----------------------------------------------------------------------------------


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
        indicator=indicator,
        year=year,
        sequence=sequence,
        computed_at=at,
        fingerprint=fingerprint_,
        inputs={"year": year, **inputs_document(inputs)},
        target_value=result.target,
        target_kind=result.target_kind or "",
        reference_value=result.reference,
        reference_year=result.reference_year,
        required_change=result.required_change,
        population=result.population,
        population_year=result.population_year,
        required=result.required,
        planned_total=result.planned,
        planned_submitted_total=result.planned_submitted,
        planned_approved_total=result.planned_approved,
        achieved_total=result.achieved,
        coverage=result.coverage,
        actual_value=result.actual,
        projected_planned=result.projected_planned,
        projected_achieved=result.projected_achieved,
        status=result.status.value,
        missing=",".join(result.missing),
    )
    ContributionRow.objects.bulk_create(
        ContributionRow(
            snapshot=snapshot,
            opd_id=row.opd_id,
            work_plan_status=row.status or "",
            planned_submitted=row.planned_submitted,
            planned_approved=row.planned_approved,
            planned=row.planned,
            achieved=row.achieved,
            share=row.share,
            aligned_budget=row.aligned_budget,
            total_budget=row.total_budget,
            alignment=row.alignment,
            cost_per_person=row.cost_per_person,
            plan_aligned_budget=row.plan_aligned_budget,
            plan_total_budget=row.plan_total_budget,
        )
        for row in result.opds
    )
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
    """Recompute every indicator for every year of its plan (or the given years).

    ``progress(year, done, total)`` is called after each year, for the operators' command.
    """
    indicators = Indicator.objects.select_related("plan").order_by("plan_id", "code")
    if indicator_code:
        indicators = indicators.filter(code=indicator_code)
    wanted = set(years) if years is not None else None
    work: dict[int, list[int]] = {}
    for indicator in indicators:
        for year in indicator.plan.years():
            if wanted is None or year in wanted:
                work.setdefault(year, []).append(indicator.pk)
    total = sum(len(ids) for ids in work.values())
    done = 0
    for year in sorted(work):
        for indicator_id in work[year]:
            recompute(indicator_id=indicator_id, year=year)
            done += 1
        if progress:
            progress(year, done, total)
    return done
