"""Reads of beneficiary lists shaped for the pages: counts only, never a person.

:func:`plan_overlaps` answers, for every activity of one work plan that has a list, how many
of its persons are also on a list of another OPD's activity in a plan of the same year and
region: one grouped query for the whole plan, whatever the number of lists or persons
(design section 7: the persons are matched by their keyed hash inside the database, never
loaded into Python).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Model

from opd.agencies.models import Opd
from opd.beneficiaries.models import DESILS, Beneficiary, BeneficiaryList
from opd.models import Activity, Program, WorkPlan


@dataclass(frozen=True)
class Overlap:
    """Persons of one activity's list who are also on a list of ``opd``'s activities."""

    opd_id: int
    opd_code: str
    opd_name: str
    persons: int


@dataclass(frozen=True)
class DesilMix:
    """A list's persons per desil 1 to 10, then those without a desil."""

    counts: list[tuple[int, int]]
    without: int


def desil_mix(beneficiary_list: BeneficiaryList) -> DesilMix:
    """The list's stored counts as (desil, persons) pairs: no query."""
    counts = list(beneficiary_list.desil_counts or [])
    counts += [0] * (len(DESILS) - len(counts))
    return DesilMix(
        counts=list(zip(DESILS, counts, strict=False)),
        without=beneficiary_list.persons_without_desil,
    )


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _overlap_sql() -> str:
    beneficiary = _table(Beneficiary)
    lists = _table(BeneficiaryList)
    activity = _table(Activity)
    program = _table(Program)
    work_plan = _table(WorkPlan)
    opd = _table(Opd)
    return f"""
        SELECT mine_list.activity_id, other_opd.id, other_opd.code, other_opd.name,
               COUNT(DISTINCT mine.person)
        FROM {beneficiary} mine
        JOIN {lists} mine_list ON mine_list.id = mine.beneficiary_list_id
        JOIN {activity} mine_activity ON mine_activity.id = mine_list.activity_id
        JOIN {program} mine_program ON mine_program.id = mine_activity.program_id
        JOIN {beneficiary} other ON other.person = mine.person
        JOIN {lists} other_list ON other_list.id = other.beneficiary_list_id
        JOIN {activity} other_activity ON other_activity.id = other_list.activity_id
        JOIN {program} other_program ON other_program.id = other_activity.program_id
        JOIN {work_plan} other_plan ON other_plan.id = other_program.work_plan_id
        JOIN {opd} other_opd ON other_opd.id = other_plan.opd_id
        WHERE mine_program.work_plan_id = %s
          AND other_plan.year = %s
          AND other_opd.region_id = %s
          AND other_plan.opd_id <> %s
        GROUP BY mine_list.activity_id, other_opd.id, other_opd.code, other_opd.name
        ORDER BY mine_list.activity_id, other_opd.code, other_opd.id
    """  # noqa: S608 - table names from the models' metadata; every value is a parameter


def plan_overlaps(*, work_plan: WorkPlan, region_id: int) -> dict[int, list[Overlap]]:
    """Per activity of ``work_plan`` with a list, each other OPD of ``region_id`` whose
    activities in plans of the same year list some of the same persons, with how many
    distinct persons: one query. Activities without a shared person are absent."""
    found: dict[int, list[Overlap]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(_overlap_sql(), [work_plan.pk, work_plan.year, region_id, work_plan.opd_id])
        for activity_id, opd_id, code, name, persons in cursor.fetchall():
            found[activity_id].append(
                Overlap(opd_id=opd_id, opd_code=code, opd_name=name, persons=persons)
            )
    return dict(found)


@dataclass
class ListSummary:
    """What the plan page shows of one activity's list: its counts, desil mix and overlaps."""

    beneficiary_list: BeneficiaryList
    desils: DesilMix
    overlaps: list[Overlap] = field(default_factory=list)


def plan_lists(*, work_plan: WorkPlan, activities: Iterable[Activity]) -> dict[int, ListSummary]:
    """Per activity with a list, its summary. ``activities`` come with their lists loaded
    (``select_related("beneficiary_list")``): one query in all, none without any list."""
    summaries: dict[int, ListSummary] = {}
    for activity in activities:
        beneficiary_list = getattr(activity, "beneficiary_list", None)
        if beneficiary_list is not None:
            summaries[activity.pk] = ListSummary(
                beneficiary_list=beneficiary_list, desils=desil_mix(beneficiary_list)
            )
    if summaries:
        overlaps = plan_overlaps(work_plan=work_plan, region_id=work_plan.opd.region_id)
        for activity_id, found in overlaps.items():
            if activity_id in summaries:
                summaries[activity_id].overlaps = found
    return summaries
