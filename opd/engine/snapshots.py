"""What a snapshot stores, written once for both recomputations: the inputs' document and
fingerprint, and the result's fields mapped onto the snapshot and its rows.

:func:`opd.engine.compute.recompute` (one pair) and :mod:`opd.engine.batch` (every pair of a
year at once) both store through :func:`snapshot_values` and :func:`row_values` (the per-pair
path as :func:`row_objects`), and both decide whether anything changed by :func:`fingerprint`,
so the two paths cannot drift apart. Nothing here reads or writes the database.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from decimal import Decimal
from typing import Any

from opd.engine.method import IndicatorInputs, YearResult
from opd.models import ContributionRow


def _plain(value: Any) -> Any:
    """``value`` as plain JSON: what ``_plain(dataclasses.asdict(value))`` gives, a dataclass
    becoming the dict of its fields in name order, without asdict's deep copy (the fingerprint
    of every pair of a full run goes through here)."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value else "0"
    names = getattr(type(value), "__dataclass_fields__", None)
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in sorted(names)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in sorted(value.items())}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def inputs_document(inputs: IndicatorInputs) -> dict[str, Any]:
    """The inputs as plain JSON (decimals as strings), stored with the snapshot."""
    document: dict[str, Any] = _plain(inputs)
    document["opds"] = sorted(document["opds"], key=lambda row: row["opd_id"])
    # Without lists the document (and so the fingerprint) is what it was before section 7.
    for key in ("lists", "patterns"):
        if not document[key]:
            del document[key]
    return document


def fingerprint(inputs: IndicatorInputs, year: int) -> str:
    return document_fingerprint(inputs_document(inputs), year)


def document_fingerprint(document: dict[str, Any], year: int) -> str:
    """The fingerprint of inputs already made a document (:func:`inputs_document`)."""
    canonical = json.dumps({"year": year, **document}, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def snapshot_values(
    *,
    indicator_id: int,
    year: int,
    inputs: IndicatorInputs,
    result: YearResult,
    fingerprint_: str,
    sequence: int,
    at: datetime,
    document: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The fields of a new ``ContributionSnapshot`` (its rows: :func:`row_objects`);
    ``document``, when given, is ``inputs_document(inputs)`` already made."""
    if document is None:
        document = inputs_document(inputs)
    return {
        "indicator_id": indicator_id,
        "year": year,
        "sequence": sequence,
        "computed_at": at,
        "fingerprint": fingerprint_,
        "inputs": {"year": year, **document},
        "target_value": result.target,
        "target_kind": result.target_kind or "",
        "reference_value": result.reference,
        "reference_year": result.reference_year,
        "required_change": result.required_change,
        "population": result.population,
        "population_year": result.population_year,
        "required": result.required,
        "planned_total": result.planned,
        "planned_submitted_total": result.planned_submitted,
        "planned_approved_total": result.planned_approved,
        "achieved_total": result.achieved,
        "coverage": result.coverage,
        "actual_value": result.actual,
        "projected_planned": result.projected_planned,
        "projected_achieved": result.projected_achieved,
        "status": result.status.value,
        "missing": ",".join(result.missing),
        **_deduplicated_fields(result),
    }


def row_values(snapshot_id: int, result: YearResult) -> list[dict[str, Any]]:
    """The fields of the snapshot's rows, one per OPD of the result."""
    names = (*ContributionRow.FIGURES, *ContributionRow.PLAN_BUDGETS)
    return [
        {
            "snapshot_id": snapshot_id,
            "opd_id": row.opd_id,
            "work_plan_status": row.status or "",
            **{name: getattr(row, name) for name in names},
        }
        for row in result.opds
    ]


def row_objects(snapshot_id: int, result: YearResult) -> list[ContributionRow]:
    """The snapshot's rows, one per OPD of the result, unsaved (for ``bulk_create``)."""
    return [ContributionRow(**values) for values in row_values(snapshot_id, result)]


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
