"""The engine's one narrow read: everything the method needs for one indicator's year."""

from __future__ import annotations

from dataclasses import fields
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import DecimalField, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from opd.beneficiaries.models import Beneficiary, BeneficiaryList
from opd.engine.dedup import ListInput, PatternInput
from opd.engine.method import COUNTED_STATUSES, IndicatorInputs, OpdInput
from opd.models import (
    AchievedContribution,
    Activity,
    ExpectedContribution,
    Opd,
    WorkPlan,
)
from targets.models import Indicator, Population, Target
from targets.poverty import actuals_for


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
    """Everything the contribution method needs for an indicator and year: six queries, and a
    seventh, the persons by pattern of lists, when any counted activity has a list.

    Every OPD of the plan's region is listed, with its work plan's status for the
    year (None without one) and the plan's sums for the indicator; the pure module
    decides which plans count. The region is reached through ``indicator.plan_id``, so
    the count stays the same whether or not the caller loaded the indicator's plan.
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
    lists = listed_activities(indicator=indicator, year=year)
    return IndicatorInputs(
        lists=lists,
        patterns=list_patterns(lists),
        direction=indicator.direction,
        is_population_share=indicator.is_population_share,
        baseline_year=indicator.baseline_year,
        baseline_value=indicator.baseline_value,
        targets=dict(Target.objects.filter(indicator=indicator).values_list("year", "value")),
        # the city-wide actuals, the region's poverty record winning where the indicator reads it
        actuals=actuals_for(indicator),
        population=dict(Population.objects.filter(**in_region).values_list("year", "value")),
        opds=opds,
    )


def listed_activities(*, indicator: Indicator, year: int) -> list[ListInput]:
    """The counted activities of the year with a beneficiary list and a claim on the indicator
    (design section 7): one query, in activity order."""
    achieved = (
        AchievedContribution.objects.filter(
            indicator=indicator, realisation__activity=OuterRef("activity_id")
        )
        .order_by()
        .values("realisation__activity")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    amount: DecimalField[Decimal, Decimal] = DecimalField(max_digits=20, decimal_places=2)
    rows = (
        BeneficiaryList.objects.filter(
            persons__gt=0,
            activity__program__work_plan__year=year,
            activity__program__work_plan__status__in=COUNTED_STATUSES,
            activity__program__work_plan__opd__region__plans=indicator.plan_id,
            activity__expected_contributions__indicator=indicator,
        )
        .annotate(
            opd_id=F("activity__program__work_plan__opd_id"),
            planned=F("activity__expected_contributions__amount"),
            achieved=Coalesce(Subquery(achieved, output_field=amount), Value(0, amount)),
        )
        .order_by("activity_id")
        .values_list("activity_id", "opd_id", "persons", "planned", "achieved")
    )
    return [
        ListInput(activity_id, opd_id, persons, Decimal(planned), Decimal(achieved))
        for activity_id, opd_id, persons, planned, achieved in rows
    ]


def list_patterns(lists: list[ListInput]) -> list[PatternInput]:
    """The listed persons grouped by the set of those lists naming them: one grouped query
    (GROUP BY person, then by pattern) that hands back a row per pattern, never per person."""
    if not lists:
        return []
    person, entry = Beneficiary._meta.db_table, BeneficiaryList._meta.db_table
    if connection.vendor == "postgresql":
        activities = "string_agg(l.activity_id::text, ',' ORDER BY l.activity_id)"
    else:  # SQLite: group_concat's order is not guaranteed; the pattern is read as a set
        activities = "group_concat(l.activity_id, ',')"
    marks = ", ".join(["%s"] * len(lists))
    sql = f"""
        SELECT activities, COUNT(*), SUM(low), SUM(with_desil)
        FROM (
            SELECT {activities} AS activities,
                   MAX(CASE WHEN b.desil BETWEEN 1 AND 4 THEN 1 ELSE 0 END) AS low,
                   MAX(CASE WHEN b.desil IS NULL THEN 0 ELSE 1 END) AS with_desil
            FROM {person} b JOIN {entry} l ON l.id = b.beneficiary_list_id
            WHERE l.activity_id IN ({marks})
            GROUP BY b.person
        ) AS by_person
        GROUP BY activities
    """  # noqa: S608 (table names from the models; the ids are parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, [row.activity_id for row in lists])
        found = cursor.fetchall()
    merged: dict[tuple[int, ...], list[int]] = {}
    for text, persons, low, with_desil in found:
        key = tuple(sorted(int(part) for part in text.split(",")))
        counts = merged.setdefault(key, [0, 0, 0])
        counts[0] += persons
        counts[1] += int(low)
        counts[2] += int(with_desil)
    return [PatternInput(key, *counts) for key, counts in sorted(merged.items())]
