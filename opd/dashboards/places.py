"""Where the activities take place: activities, budget and expected contribution per
kecamatan and kelurahan, for the dashboards (split from ``selectors``, which re-exports it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, Subquery, Sum

from opd.engine.method import COUNTED_STATUSES
from opd.models import Activity, ExpectedContribution
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
    """
    counted: dict[str, Any] = {
        "program__work_plan__opd__region_id": indicator.plan.region_id,
        "program__work_plan__year": year,
        "program__work_plan__status__in": COUNTED_STATUSES,
    }
    if opd_id is not None:
        counted["program__work_plan__opd_id"] = opd_id
    activities = Activity.objects.filter(**counted)
    contributions = ExpectedContribution.objects.filter(
        indicator=indicator, **{f"activity__{k}": v for k, v in counted.items()}
    )

    def per_place(queryset: Any, path: str, total: Any) -> Subquery:
        return Subquery(
            queryset.filter(**{path: OuterRef("pk")})
            .order_by()
            .values(path)
            .annotate(total=total)
            .values("total")
        )

    kelurahan_rows = (
        Kelurahan.objects.filter(kecamatan__region_id=indicator.plan.region_id)
        .annotate(
            n=per_place(activities, "kelurahan", Count("pk")),
            budget=per_place(activities, "kelurahan", Sum("budget")),
            contribution=per_place(contributions, "activity__kelurahan", Sum("amount")),
        )
        .values("name", "kecamatan__name", "n", "budget", "contribution")
        .order_by("kecamatan__code", "code")
    )
    unplaced = (
        activities.filter(kelurahan__isnull=True)
        .annotate(own=per_place(contributions, "activity", Sum("amount")))
        .aggregate(n=Count("pk"), budget=Sum("budget"), contribution=Sum("own"))
    )
    by_kecamatan: dict[str, KecamatanRow] = {}
    rows = list(kelurahan_rows)
    if unplaced["n"]:
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
