"""Recompute an indicator's year and store its snapshot; sweep what is still dirty.

:func:`recompute` locks the state row, so two workers never store the same snapshot twice; it
stores a new snapshot only when the inputs' fingerprint differs from the current one, keeping
every earlier snapshot as history. It reads through ``opd.engine.inputs`` and computes with the
pure ``opd.engine.method``; nothing here marks or enqueues.
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
from django.utils import timezone

from opd.engine.inputs import contribution_inputs
from opd.engine.method import IndicatorInputs, YearResult, compute
from opd.models import ContributionRow, ContributionSnapshot, ContributionState
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
    # Without lists the document (and so the fingerprint) is what it was before section 7.
    for key in ("lists", "patterns"):
        if not document[key]:
            del document[key]
    return document


def fingerprint(inputs: IndicatorInputs, year: int) -> str:
    canonical = json.dumps({"year": year, **inputs_document(inputs)}, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


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
        **_deduplicated_fields(result),
    )
    ContributionRow.objects.bulk_create(
        ContributionRow(
            snapshot=snapshot,
            opd_id=row.opd_id,
            work_plan_status=row.status or "",
            **{
                name: getattr(row, name)
                for name in (*ContributionRow.FIGURES, *ContributionRow.PLAN_BUDGETS)
            },
        )
        for row in result.opds
    )
    return snapshot


def _deduplicated_fields(result: YearResult) -> dict[str, Any]:
    """The snapshot's section 7 fields; without lists the deduplicated figures are the gross."""
    dedup = result.deduplicated
    fields_: dict[str, Any] = {
        "status_basis": result.status_basis,
        "planned_deduplicated": result.planned_deduplicated,
        "planned_approved_deduplicated": result.planned_approved_deduplicated,
        "achieved_deduplicated": result.achieved_deduplicated,
        "coverage_deduplicated": result.coverage_deduplicated,
        "overlap": result.planned - result.planned_deduplicated,
    }
    if dedup is not None:
        fields_ |= {
            "backed_share": dedup.planned.backed_share,
            "distinct_persons": dedup.distinct_persons,
            "low_desil_share": dedup.low_desil_share,
            "overlap_matrix": [
                {"opd_a": pair.opd_a, "opd_b": pair.opd_b, "persons": pair.persons}
                for pair in dedup.matrix
            ],
            "capped_activities": list(dedup.capped),
        }
    return fields_


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
