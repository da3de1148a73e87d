"""Where the activities take place: activities, budget and expected contribution per
kecamatan and kelurahan, for the dashboards (split from ``selectors``, which re-exports it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, FilteredRelation, Q, Sum

from opd.engine.method import COUNTED_STATUSES
from opd.models import Activity
from targets.models import Indicator, Kelurahan


@dataclass
class KelurahanRow:
    name: str
    activities: int
    budget: Decimal
    contribution: Decimal


@dataclass
class KecamatanRow:
    name: str
    kelurahan: list[KelurahanRow] = field(default_factory=list)

    @property
    def activities(self) -> int:
        return sum(k.activities for k in self.kelurahan)

    @property
    def budget(self) -> Decimal:
        return sum((k.budget for k in self.kelurahan), Decimal(0))

    @property
    def contribution(self) -> Decimal:
        return sum((k.contribution for k in self.kelurahan), Decimal(0))


def places(*, indicator: Indicator, year: int, opd_id: int | None = None) -> list[KecamatanRow]:
    """Activities, budget and expected contribution per kecamatan and kelurahan: 2 queries.

    Every kelurahan of the region is listed, with 0 where no activity takes place, so the
    gaps show; activities without a place come last. Only plans that count (submitted or
    approved) are included, as in the method.

    The activities are read once, grouped by kelurahan, each joined to its contribution to
    ``indicator`` (at most one: ``expected_contribution_unique_indicator``, so the join never
    repeats an activity's budget); a correlated count per kelurahan read them three times.
    """
    counted: dict[str, Any] = {
        "program__work_plan__opd__region_id": indicator.plan.region_id,
        "program__work_plan__year": year,
        "program__work_plan__status__in": COUNTED_STATUSES,
    }
    if opd_id is not None:
        counted["program__work_plan__opd_id"] = opd_id
    grouped = (
        Activity.objects.filter(**counted)
        .annotate(
            claim=FilteredRelation(
                "expected_contributions",
                condition=Q(expected_contributions__indicator=indicator),
            )
        )
        .order_by()
        .values("kelurahan_id")
        .annotate(n=Count("pk"), budget=Sum("budget"), contribution=Sum("claim__amount"))
    )
    totals = {row["kelurahan_id"]: row for row in grouped}
    none: dict[str, Any] = {}
    kelurahan_rows: list[dict[str, Any]] = [
        {**row, **{k: totals.get(row["pk"], none).get(k) for k in ("n", "budget", "contribution")}}
        for row in Kelurahan.objects.filter(kecamatan__region_id=indicator.plan.region_id)
        .values("pk", "name", "kecamatan__name")
        .order_by("kecamatan__code", "code")
    ]
    by_kecamatan: dict[str, KecamatanRow] = {}
    rows = kelurahan_rows
    unplaced = totals.get(None)
    if unplaced is not None and unplaced["n"]:
        rows.append({"name": None, "kecamatan__name": None, **unplaced})
    for row in rows:
        kecamatan = row["kecamatan__name"] or "–"
        by_kecamatan.setdefault(kecamatan, KecamatanRow(name=kecamatan)).kelurahan.append(
            KelurahanRow(
                name=row["name"] or "–",
                activities=row["n"] or 0,
                budget=row["budget"] or Decimal(0),
                contribution=row["contribution"] or Decimal(0),
            )
        )
    return list(by_kecamatan.values())
