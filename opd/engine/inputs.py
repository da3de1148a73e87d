"""The engine's one narrow read: everything the method needs for one indicator's year."""

from __future__ import annotations

from dataclasses import fields
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from opd.engine.method import IndicatorInputs, OpdInput
from opd.models import (
    AchievedContribution,
    Activity,
    ExpectedContribution,
    Opd,
    WorkPlan,
)
from targets.models import Actual, Indicator, Population, Target


def _plan_sum(queryset: Any, path: str, field: str) -> Coalesce:
    """Σ ``field`` over ``queryset`` rows of the outer work plan (a correlated subquery)."""
    total = (
        queryset.filter(**{path: OuterRef("pk")})
        .order_by()
        .values(path)
        .annotate(total=Sum(field))
        .values("total")
    )
    money: DecimalField[Decimal, Decimal] = DecimalField(max_digits=20, decimal_places=2)
    return Coalesce(Subquery(total, output_field=money), Value(0, output_field=money))


def contribution_inputs(*, indicator: Indicator, year: int) -> IndicatorInputs:
    """Everything the contribution method needs for an indicator and year: five queries.

    Every OPD of the plan's region is listed, with its work plan's status for the
    year (None without one) and the plan's sums for the indicator; the pure module
    decides which plans count. The region is reached through ``indicator.plan_id``, so
    the count stays five whether or not the caller loaded the indicator's plan.
    """
    in_region = {"region__plans": indicator.plan_id}
    plans = (
        WorkPlan.objects.filter(opd__region__plans=indicator.plan_id, year=year)
        .annotate(
            planned=_plan_sum(
                ExpectedContribution.objects.filter(indicator=indicator),
                "activity__program__work_plan",
                "amount",
            ),
            achieved=_plan_sum(
                AchievedContribution.objects.filter(indicator=indicator),
                "realisation__activity__program__work_plan",
                "amount",
            ),
            aligned_budget=_plan_sum(
                Activity.objects.filter(
                    expected_contributions__indicator=indicator,
                    expected_contributions__amount__gt=0,
                ),
                "program__work_plan",
                "budget",
            ),
            total_budget=_plan_sum(Activity.objects.all(), "program__work_plan", "budget"),
        )
        .values(*(field.name for field in fields(OpdInput)))
    )
    by_opd = {row["opd_id"]: OpdInput(**row) for row in plans}
    opds = [
        by_opd.get(opd_id) or OpdInput(opd_id=opd_id, status=None)  # no plan: nothing counts
        for opd_id in Opd.objects.filter(**in_region).order_by("pk").values_list("pk", flat=True)
    ]
    return IndicatorInputs(
        direction=indicator.direction,
        is_population_share=indicator.is_population_share,
        baseline_year=indicator.baseline_year,
        baseline_value=indicator.baseline_value,
        targets=dict(Target.objects.filter(indicator=indicator).values_list("year", "value")),
        actuals=dict(
            Actual.objects.filter(
                indicator=indicator, kecamatan__isnull=True, kelurahan__isnull=True
            ).values_list("year", "value")
        ),
        population=dict(Population.objects.filter(**in_region).values_list("year", "value")),
        opds=opds,
    )
