"""The engine's narrow read for a whole year: every indicator's inputs at once, grouped.

:func:`year_inputs` gives, for each indicator asked for, exactly the :class:`IndicatorInputs`
that :func:`opd.engine.inputs.contribution_inputs` reads for that one indicator and year, in
a fixed number of queries whatever the number of indicators, regions, OPDs, activities or
listed persons: each figure is read once for all of them, grouped by work plan and indicator
(or by region), and fitted to each indicator in Python. The rules of what counts stay in the
per-pair module: the listed activities start from the same :func:`counted_lists` and carry the
same :func:`list_claims`, the persons are grouped by the same :func:`person_groups`, and the
OPDs' budgets are summed over their plans' activities as
:func:`~opd.engine.inputs._plan_sum` sums them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    DecimalField,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from opd.engine.dedup import ListInput, PatternInput
from opd.engine.inputs import (
    LIST_COLUMNS,
    PersonGroup,
    counted_lists,
    fold_patterns,
    list_claims,
    list_input,
    person_groups,
)
from opd.engine.method import ZERO, IndicatorInputs, OpdInput
from opd.models import (
    AchievedContribution,
    Activity,
    ExpectedContribution,
    Opd,
    Program,
    Realisation,
    WorkPlan,
)
from targets.models import Actual, Indicator, Population, Target
from targets.poverty import PovertyFigure

#: How many queries :func:`year_inputs` sends, whatever it reads (none when no indicator is left),
#: on PostgreSQL; SQLite, without ``LATERAL``, sends one more (:func:`_claim_joins`).
YEAR_INPUT_QUERIES = 6

Yearly = dict[Any, dict[int, Any]]
TAGS = ("target", "actual", "record", "population")

INDICATOR_COLUMNS = (
    "pk",
    "plan__region_id",
    "direction",
    "is_population_share",
    "baseline_year",
    "baseline_value",
    "record_measure",
)


def year_inputs(*, year: int, indicator_ids: Collection[int]) -> dict[int, IndicatorInputs]:
    """``{indicator id: inputs}`` for ``year``: :data:`YEAR_INPUT_QUERIES` queries.

    An indicator deleted meanwhile is left out. Run it after locking the pairs' state rows, as
    the per-pair path does: every figure is then read after any change that marked them.
    """
    indicators = list(
        Indicator.objects.filter(pk__in=list(indicator_ids))
        .order_by("pk")
        .values_list(*INDICATOR_COLUMNS)
    )
    if not indicators:
        return {}
    ids = [row[0] for row in indicators]
    regions = sorted({row[1] for row in indicators})
    targets, own_actuals, record, population = _yearly_figures(ids, regions)
    opds, plans = _opds_and_plans(year, regions)
    claims = _claims(year, ids)
    lists = _lists(year, ids, regions)
    groups = _person_groups(lists)
    inputs = {}
    for pk, region_id, direction, population_share, baseline_year, baseline, measure in indicators:
        actuals = dict(own_actuals.get(pk, {}))
        if measure:  # the region's record wins over the plan's own copy (``actuals_for``)
            actuals |= record.get((region_id, measure), {})
        listed = [entry for entry in lists.get(pk, []) if entry[0] == region_id]
        pair_lists = [entry[1] for entry in listed]
        inputs[pk] = IndicatorInputs(
            lists=pair_lists,
            patterns=groups.patterns(pair_lists),
            direction=direction,
            is_population_share=population_share,
            baseline_year=baseline_year,
            baseline_value=baseline,
            targets=targets.get(pk, {}),
            actuals=dict(sorted(actuals.items())),
            population=population.get(region_id, {}),
            opds=[_opd_input(opd_id, pk, plans, claims) for opd_id in opds[region_id]],
        )
    return inputs


def _yearly_figures(ids: list[int], regions: list[int]) -> tuple[Yearly, Yearly, Yearly, Yearly]:
    """``{key: {year: value}}`` of the indicators' targets and city-wide actuals (key: the
    indicator), of the regions' poverty records (key: region and measure) and populations (key:
    the region): one query, the four reads joined by ``UNION ALL`` with a tag each.

    Every measure of the regions' records is read (a few per year), so the query does not
    depend on whether any indicator reads one. The union gives every value as a decimal;
    the populations, counts of persons, are made integers again as their own read gives them.
    """

    def tagged(rows: Any, tag: str, key: str, measure: str | None = None) -> Any:
        rows = rows.order_by().annotate(tag=Value(tag))
        if measure is None:
            rows, measure = rows.annotate(no_measure=Value("")), "no_measure"
        return rows.values_list("tag", key, measure, "year", "value")

    own = {"kecamatan__isnull": True, "kelurahan__isnull": True}
    union = tagged(Target.objects.filter(indicator_id__in=ids), "target", "indicator_id").union(
        tagged(Actual.objects.filter(indicator_id__in=ids, **own), "actual", "indicator_id"),
        tagged(
            PovertyFigure.objects.filter(region_id__in=regions), "record", "region_id", "measure"
        ),
        tagged(Population.objects.filter(region_id__in=regions), "population", "region_id"),
        all=True,
    )
    found: dict[str, Yearly] = {tag: defaultdict(dict) for tag in TAGS}
    for tag, key, measure, year, value in union:
        if tag == "record":
            found[tag][key, measure][year] = value
        elif tag == "population":
            found[tag][key][year] = int(value)
        else:
            found[tag][key][year] = value
    return found["target"], found["actual"], found["record"], found["population"]


def _opds_and_plans(
    year: int, regions: list[int]
) -> tuple[dict[int, list[int]], dict[int, tuple[int, str, Decimal]]]:
    """``{region id: [OPD ids, ascending]}`` and ``{OPD id: (work plan id, status, Σ budget
    of its activities)}`` of the OPDs with a plan for the year: one query, every OPD of the
    regions joined to its plan for the year (at most one) and that plan's total budget, as
    :func:`~opd.engine.inputs._plan_sum` sums it for the per-pair read."""
    total = (
        Activity.objects.filter(program__work_plan=OuterRef("plan__pk"))
        .order_by()
        .values("program__work_plan")
        .annotate(total=Sum("budget"))
        .values("total")
    )
    money: DecimalField[Decimal, Decimal] = DecimalField(max_digits=20, decimal_places=2)
    rows = (
        Opd.objects.filter(region_id__in=regions)
        .order_by("pk")
        .annotate(plan=FilteredRelation("work_plans", condition=Q(work_plans__year=year)))
        .annotate(total=Coalesce(Subquery(total, output_field=money), Value(0, money)))
        .values_list("region_id", "pk", "plan__pk", "plan__status", "total")
    )
    opds: dict[int, list[int]] = defaultdict(list)
    plans: dict[int, tuple[int, str, Decimal]] = {}
    for region_id, opd_id, plan_id, status, budget in rows:
        opds[region_id].append(opd_id)
        if plan_id is not None:
            plans[opd_id] = (plan_id, status, budget)
    return opds, plans


Sums = dict[tuple[int, int], dict[str, Decimal]]


def _claims(year: int, ids: list[int]) -> Sums:
    """``{(work plan id, indicator id): {"planned", "aligned_budget", "achieved"}}``: Σ the
    expected contributions, Σ the budget of activities claiming more than 0, Σ the achieved
    contributions (None where there is none) over the year's work plans: one query on
    PostgreSQL (:data:`CLAIMS`), two grouped ORM joins elsewhere."""
    rows = _claim_sums(year, ids) if connection.vendor == "postgresql" else _claim_joins(year, ids)
    return {
        (work_plan_id, indicator_id): {
            "planned": planned,
            "aligned_budget": aligned,
            "achieved": achieved,
        }
        for work_plan_id, indicator_id, planned, aligned, achieved in rows
    }


# On PostgreSQL the sums walk the year's activities once (work plan, program, activity, by
# index) and look up each one's claims, and its realisations' contributions, by index
# (``LATERAL``; ``OFFSET 0`` keeps the planner from flattening it back into joins). Joined
# plainly, as the ORM writes them, the planner hashes every claim and every realisation of
# every year, once per year batch: at ten regions (180,000 activities, 570,000 realisations)
# those two reads took most of a run, and this one takes about 45 % of their time (province,
# 630,000 activities: about 60 %; a city of 18,000 activities with almost no achieved
# contributions loses some 7 ms a year, as the ORM's joins started from those few). The
# loop's estimate is high enough for PostgreSQL to compile the query (JIT), which takes longer
# than running it, so JIT is off for the rest of the year batch (SET LOCAL ends with its
# transaction). So are merge joins, for the lists read next (:func:`_lists`): the planner
# merged the few lists with every activity in id order, a walk of thousands of activities to
# find a handful (5 ms a year at city scale; 0.6 ms with the lists looked up by key).
CLAIMS = """
    SET LOCAL jit = off;
    SET LOCAL enable_mergejoin = off;
    SELECT p.{plan_of_program}, x.indicator,
           SUM(x.planned), SUM(a.{budget}) FILTER (WHERE x.planned > 0), SUM(x.achieved)
    FROM {work_plan} w
    JOIN {program} p ON p.{plan_of_program} = w.id
    JOIN {activity} a ON a.{program_of_activity} = p.id
    CROSS JOIN LATERAL (
        SELECT e.{expected_indicator} AS indicator, e.{expected_amount} AS planned,
               NULL::numeric AS achieved
        FROM {expected} e
        WHERE e.{expected_activity} = a.id AND e.{expected_indicator} = ANY(%s)
        UNION ALL
        SELECT c.{achieved_indicator}, NULL, c.{achieved_amount}
        FROM {realisation} r JOIN {achieved} c ON c.{achieved_realisation} = r.id
        WHERE r.{realisation_activity} = a.id AND c.{achieved_indicator} = ANY(%s)
        OFFSET 0
    ) AS x
    WHERE w.{year} = %s
    GROUP BY 1, 2
"""


def _claim_sums(year: int, ids: list[int]) -> list[tuple[Any, ...]]:
    """:data:`CLAIMS` for the year and indicators."""
    column, table = _column, _table
    e, c, r = ExpectedContribution, AchievedContribution, Realisation
    sql = CLAIMS.format(
        plan_of_program=column(Program, "work_plan"),
        budget=column(Activity, "budget"),
        work_plan=table(WorkPlan),
        program=table(Program),
        activity=table(Activity),
        program_of_activity=column(Activity, "program"),
        expected=table(e),
        expected_indicator=column(e, "indicator"),
        expected_amount=column(e, "amount"),
        expected_activity=column(e, "activity"),
        achieved=table(c),
        achieved_indicator=column(c, "indicator"),
        achieved_amount=column(c, "amount"),
        achieved_realisation=column(c, "realisation"),
        realisation=table(r),
        realisation_activity=column(r, "activity"),
        year=column(WorkPlan, "year"),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [ids, ids, year])
        return cursor.fetchall()


def _claim_joins(year: int, ids: list[int]) -> list[tuple[Any, ...]]:
    """The rows of :func:`_claim_sums` from two grouped ORM joins (SQLite: no ``LATERAL``)."""
    sums: dict[tuple[int, int], list[Any]] = defaultdict(lambda: [None, None, None])
    expected = (
        ExpectedContribution.objects.filter(
            indicator_id__in=ids, activity__program__work_plan__year=year
        )
        .order_by()
        .values_list("activity__program__work_plan_id", "indicator_id")
        .annotate(planned=Sum("amount"), aligned=Sum("activity__budget", filter=Q(amount__gt=0)))
    )
    for work_plan_id, indicator_id, planned, aligned in expected:
        sums[work_plan_id, indicator_id][:2] = [planned, aligned]
    achieved = (
        AchievedContribution.objects.filter(
            indicator_id__in=ids, realisation__activity__program__work_plan__year=year
        )
        .order_by()
        .values_list("realisation__activity__program__work_plan_id", "indicator_id")
        .annotate(achieved=Sum("amount"))
    )
    for work_plan_id, indicator_id, total in achieved:
        sums[work_plan_id, indicator_id][2] = total
    return [(*key, *values) for key, values in sums.items()]


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _column(model: Any, name: str) -> str:
    """The quoted column of ``model``'s field ``name``."""
    return connection.ops.quote_name(model._meta.get_field(name).column)


def _opd_input(
    opd_id: int, indicator_id: int, plans: dict[int, tuple[int, str, Decimal]], claims: Sums
) -> OpdInput:
    plan = plans.get(opd_id)
    if plan is None:  # no plan: nothing counts
        return OpdInput(opd_id=opd_id, status=None)
    work_plan_id, status, total = plan
    sums = claims.get((work_plan_id, indicator_id), {})
    return OpdInput(
        opd_id=opd_id,
        status=status,
        planned=sums.get("planned") or ZERO,
        achieved=sums.get("achieved") or ZERO,
        aligned_budget=sums.get("aligned_budget") or ZERO,
        total_budget=total,
    )


def _listed(year: int, ids: list[int], regions: list[int]) -> Any:
    """The year's counted lists of the regions' OPDs with a claim on one of the indicators."""
    return counted_lists(year).filter(
        activity__program__work_plan__opd__region_id__in=regions,
        activity__expected_contributions__indicator_id__in=ids,
    )


def _lists(year: int, ids: list[int], regions: list[int]) -> dict[int, list[tuple[int, ListInput]]]:
    """``{indicator id: [(region id of the OPD, listed activity)]}`` in activity order: one
    query; the caller keeps the rows of the indicator's own region. Read after the claims'
    sums, so without merge joins on PostgreSQL (:data:`LATERAL_SUMS`)."""
    lists = _listed(year, ids, regions).annotate(
        claimed=F("activity__expected_contributions__indicator_id"),
        region=F("activity__program__work_plan__opd__region_id"),
    )
    rows = (
        list_claims(lists, OuterRef("claimed"))
        .order_by("claimed", "activity_id")
        .values_list("claimed", "region", *LIST_COLUMNS)
    )
    found: dict[int, list[tuple[int, ListInput]]] = defaultdict(list)
    for indicator_id, region_id, *columns in rows:
        found[indicator_id].append((region_id, list_input(tuple(columns))))
    return found


class _Groups:
    """The person groups of the year, found by activity: an indicator's patterns fold only the
    groups naming one of its lists, not every group of every region."""

    def __init__(self, groups: list[PersonGroup]) -> None:
        self.groups = groups
        self.by_activity: dict[int, list[int]] = defaultdict(list)
        for index, group in enumerate(groups):
            for activity_id in group.activities:
                self.by_activity[activity_id].append(index)

    def patterns(self, lists: list[ListInput]) -> list[PatternInput]:
        if not lists:
            return []
        keep = frozenset(entry.activity_id for entry in lists)
        found = sorted({index for a in keep for index in self.by_activity.get(a, ())})
        return fold_patterns((self.groups[index] for index in found), keep)


def _person_groups(lists: dict[int, list[tuple[int, ListInput]]]) -> _Groups:
    """The persons on every list any of the indicators may count, grouped once for all of them
    (:func:`person_groups`); each indicator narrows them to its own lists. The lists are those
    :func:`_lists` read, passed by id: read again as a subquery, the planner walked the year's
    activities once more to find a handful of lists. One query, lists or none."""
    listed = sorted({entry.activity_id for found in lists.values() for _region, entry in found})
    marks = ", ".join(["%s"] * len(listed)) or "NULL"  # IN (NULL): nobody, still one query
    return _Groups(person_groups(marks, listed))
