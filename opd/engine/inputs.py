"""The engine's one narrow read: everything the method needs for one indicator's year."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import DecimalField, F, OuterRef, QuerySet, Subquery, Sum, Value
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


def counted_lists(year: int) -> QuerySet[BeneficiaryList]:
    """The lists naming anyone, of activities in the year's counted work plans: where every read
    of the listed activities starts, for one indicator or a whole year (design section 7)."""
    return BeneficiaryList.objects.filter(
        persons__gt=0,
        activity__program__work_plan__year=year,
        activity__program__work_plan__status__in=COUNTED_STATUSES,
    )


#: A listed activity's columns, in :class:`ListInput`'s order (annotated by :func:`list_claims`).
LIST_COLUMNS = ("activity_id", "opd_id", "persons", "planned", "achieved")


def list_claims(lists: QuerySet[BeneficiaryList], indicator: Any) -> QuerySet[BeneficiaryList]:
    """``lists``, already filtered on their activity's claim on an indicator, annotated with the
    :data:`LIST_COLUMNS`: the activity's OPD, its planned claim (the filtered claim's amount) and
    Σ its achieved contributions to ``indicator`` (an indicator, or an ``OuterRef``)."""
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
    return lists.annotate(
        opd_id=F("activity__program__work_plan__opd_id"),
        planned=F("activity__expected_contributions__amount"),
        achieved=Coalesce(Subquery(achieved, output_field=amount), Value(0, amount)),
    )


def list_input(row: tuple[Any, ...]) -> ListInput:
    """A row of :data:`LIST_COLUMNS` as the method's input."""
    activity_id, opd_id, persons, planned, achieved = row
    return ListInput(activity_id, opd_id, persons, Decimal(planned), Decimal(achieved))


def listed_activities(*, indicator: Indicator, year: int) -> list[ListInput]:
    """The counted activities of the year with a beneficiary list and a claim on the indicator
    (design section 7): one query, in activity order."""
    lists = counted_lists(year).filter(
        activity__program__work_plan__opd__region__plans=indicator.plan_id,
        activity__expected_contributions__indicator=indicator,
    )
    rows = list_claims(lists, indicator).order_by("activity_id").values_list(*LIST_COLUMNS)
    return [list_input(row) for row in rows]


def list_patterns(lists: list[ListInput]) -> list[PatternInput]:
    """The listed persons grouped by the set of those lists naming them: one grouped query
    (GROUP BY person, then by pattern) that hands back a row per pattern, never per person."""
    if not lists:
        return []
    marks = ", ".join(["%s"] * len(lists))
    return fold_patterns(person_groups(marks, [row.activity_id for row in lists]))


@dataclass(frozen=True)
class PersonGroup:
    """The persons listed by exactly ``activities``, and of those activities the ones whose
    list gives them a desil in 1–4 (``low``) or any desil (``with_desil``)."""

    activities: frozenset[int]
    low: frozenset[int]
    with_desil: frozenset[int]
    persons: int


def person_groups(activities: str, params: Sequence[Any]) -> list[PersonGroup]:
    """The persons on the lists of the activities ``l.activity_id IN (activities)`` (SQL with
    its ``params``), grouped by the activities naming them and, for the desil, by the lists
    giving one: one query, a row per group, never per person.

    Keeping which lists give the desil lets a caller narrow the groups to any subset of the
    activities (:func:`fold_patterns`) and still count a person's desil only from that subset's
    lists, as a read of the subset alone would.
    """
    person, entry = Beneficiary._meta.db_table, BeneficiaryList._meta.db_table
    if connection.vendor == "postgresql":

        def ids(value: str) -> str:
            return f"string_agg(({value})::text, ',' ORDER BY l.activity_id)"

    else:  # SQLite: group_concat's order is not guaranteed; the sets are read as sets

        def ids(value: str) -> str:
            return f"group_concat({value}, ',')"

    sql = f"""
        SELECT activities, low, with_desil, COUNT(*)
        FROM (
            SELECT {ids("l.activity_id")} AS activities,
                   {ids("CASE WHEN b.desil BETWEEN 1 AND 4 THEN l.activity_id END")} AS low,
                   {ids("CASE WHEN b.desil IS NOT NULL THEN l.activity_id END")} AS with_desil
            FROM {person} b JOIN {entry} l ON l.id = b.beneficiary_list_id
            WHERE l.activity_id IN ({activities})
            GROUP BY b.person
        ) AS by_person
        GROUP BY activities, low, with_desil
    """  # noqa: S608 (table names from the models; the ids are parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        found = cursor.fetchall()

    def as_set(text: str | None) -> frozenset[int]:
        return frozenset(int(part) for part in text.split(",")) if text else frozenset()

    return [
        PersonGroup(as_set(activities), as_set(low), as_set(with_desil), persons)
        for activities, low, with_desil, persons in found
    ]


def fold_patterns(
    groups: Iterable[PersonGroup], keep: AbstractSet[int] | None = None
) -> list[PatternInput]:
    """The method's patterns from person groups, narrowed to the activities ``keep`` (all when
    None): a person counts under the kept activities naming them (not at all when none does),
    and in desil 1–4 (or with a desil) when a kept activity's list says so."""
    merged: dict[tuple[int, ...], list[int]] = {}
    for group in groups:
        activities = group.activities if keep is None else group.activities & keep
        if not activities:
            continue
        counts = merged.setdefault(tuple(sorted(activities)), [0, 0, 0])
        counts[0] += group.persons
        if group.low if keep is None else group.low & keep:
            counts[1] += group.persons
        if group.with_desil if keep is None else group.with_desil & keep:
            counts[2] += group.persons
    return [PatternInput(key, *counts) for key, counts in sorted(merged.items())]
