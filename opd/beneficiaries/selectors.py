"""Reads of beneficiary lists shaped for the pages: counts only, never a person.

:func:`plan_overlaps` answers, for every activity of one work plan that has a list, how many
of its persons are also on a list of another OPD's activity in a plan of the same year and
region that counts (submitted or approved, as the engine and the dashboard's overlap matrix
count them): one grouped query for the whole plan, whatever the number of lists or persons
(design section 7: the persons are matched by their keyed hash inside the database, never
loaded into Python).

Small cells are suppressed on the page (:func:`plan_lists`): otherwise a member could upload a
list of one person and read whether that person is another OPD's beneficiary. A count below
:data:`MIN_PERSONS_SHOWN` is shown only as "fewer than" it, and a list of fewer persons than
that shows no overlap at all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django.db import connection
from django.db.models import Model

from opd.agencies.models import Opd
from opd.beneficiaries.models import DESILS, Beneficiary, BeneficiaryList
from opd.engine.method import COUNTED_STATUSES
from opd.models import Activity, Program, WorkPlan

#: The smallest overlap (and own list) whose count the plan page shows: k of small-cell
#: suppression, so that no count singles out a few persons of another OPD's lists.
MIN_PERSONS_SHOWN = 10


@dataclass(frozen=True)
class Overlap:
    """Persons of one activity's list who are also on a list of ``opd``'s activities; None
    when suppressed (from 1 to ``MIN_PERSONS_SHOWN`` - 1)."""

    opd_id: int
    opd_code: str
    opd_name: str
    persons: int | None


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
    statuses = ", ".join(["%s"] * len(COUNTED_STATUSES))
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
          AND other_plan.status IN ({statuses})
        GROUP BY mine_list.activity_id, other_opd.id, other_opd.code, other_opd.name
        ORDER BY mine_list.activity_id, other_opd.code, other_opd.id
    """  # noqa: S608 - table names from the models' metadata; every value is a parameter


def plan_overlaps(*, work_plan: WorkPlan, region_id: int) -> dict[int, list[Overlap]]:
    """Per activity of ``work_plan`` with a list, each other OPD of ``region_id`` whose
    activities in counted plans (submitted or approved) of the same year list some of the same
    persons, with how many distinct persons: one query. Activities without a shared person are
    absent. The exact counts: :func:`plan_lists` suppresses the small ones for the page."""
    found: dict[int, list[Overlap]] = defaultdict(list)
    counted = tuple(sorted(COUNTED_STATUSES))
    with connection.cursor() as cursor:
        cursor.execute(
            _overlap_sql(), [work_plan.pk, work_plan.year, region_id, work_plan.opd_id, *counted]
        )
        for activity_id, opd_id, code, name, persons in cursor.fetchall():
            found[activity_id].append(
                Overlap(opd_id=opd_id, opd_code=code, opd_name=name, persons=persons)
            )
    return dict(found)


@dataclass
class ListSummary:
    """What the plan page shows of one activity's list: its counts, desil mix and overlaps
    (small ones suppressed; none at all, ``overlap_withheld``, for a list that is too small)."""

    beneficiary_list: BeneficiaryList
    desils: DesilMix
    overlaps: list[Overlap] = field(default_factory=list)
    overlap_withheld: bool = False
    min_persons_shown: int = MIN_PERSONS_SHOWN


def suppressed(overlap: Overlap) -> Overlap:
    """The overlap as the page may show it: a count below ``MIN_PERSONS_SHOWN`` becomes None."""
    if overlap.persons is not None and overlap.persons < MIN_PERSONS_SHOWN:
        return replace(overlap, persons=None)
    return overlap


def plan_lists(*, work_plan: WorkPlan, activities: Iterable[Activity]) -> dict[int, ListSummary]:
    """Per activity with a list, its summary. ``activities`` come with their lists loaded
    (``select_related("beneficiary_list")``): one query in all, none without a list of at least
    ``MIN_PERSONS_SHOWN`` persons. Overlap counts are suppressed below ``MIN_PERSONS_SHOWN``;
    a list of fewer persons shows none (whoever is on it could be singled out)."""
    summaries: dict[int, ListSummary] = {}
    for activity in activities:
        beneficiary_list = getattr(activity, "beneficiary_list", None)
        if beneficiary_list is not None:
            summaries[activity.pk] = ListSummary(
                beneficiary_list=beneficiary_list,
                desils=desil_mix(beneficiary_list),
                overlap_withheld=beneficiary_list.persons < MIN_PERSONS_SHOWN,
            )
    if any(not summary.overlap_withheld for summary in summaries.values()):
        overlaps = plan_overlaps(work_plan=work_plan, region_id=work_plan.opd.region_id)
        for activity_id, found in overlaps.items():
            summary = summaries.get(activity_id)
            if summary is not None and not summary.overlap_withheld:
                summary.overlaps = [suppressed(overlap) for overlap in found]
    return summaries
