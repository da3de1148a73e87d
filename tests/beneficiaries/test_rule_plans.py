"""The beneficiary region rule reads one row of each table, by key, whatever the tables hold.

The trigger runs once per inserted person, and PL/pgSQL soon plans it once for any row (a
generic plan, the row's values unknown). Written as one join, that plan merge-joined the
beneficiary lists with every activity in id order: a 50,000-person import over 18,000 activities
stalled for minutes. These tests plan the rule's condition as the trigger does
(``plan_cache_mode = force_generic_plan``) over analysed tables with many activities and few
lists, run it for a new list on the last activity, and count the rows each table gave.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from opd import models as om
from opd.rules import RULES
from tests.factories import ActivityFactory, KelurahanFactory, WorkPlanFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

RULE = next(rule for rule in RULES if rule.name == "beneficiary_kelurahan_in_region")
KEYED = ("opd_activity", "opd_program", "opd_workplan", "opd_opd", "opd_beneficiarylist")


def _nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def _rows_read(
    violation: str, beneficiary_list: om.BeneficiaryList, kelurahan_id: int
) -> dict[str, int]:
    """How many rows of each table ``violation`` reads for a person of ``beneficiary_list``
    living in ``kelurahan_id``, planned for any row, as the trigger plans it, and run."""
    condition = violation.replace("NEW.beneficiary_list_id", "$1").replace("NEW.kelurahan_id", "$2")
    assert "NEW." not in condition, "the test names every NEW column the rule reads"
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        cursor.execute(f"PREPARE rule_plan(bigint, bigint) AS SELECT {condition}")
        try:
            cursor.execute(
                "EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE rule_plan(%s, %s)",
                [beneficiary_list.pk, kelurahan_id],
            )
            (explained,) = cursor.fetchone()
        finally:
            cursor.execute("DEALLOCATE rule_plan")
    if isinstance(explained, str):
        explained = json.loads(explained)
    read: dict[str, int] = {}
    for node in _nodes(explained[0]["Plan"]):
        table = node.get("Relation Name")
        if table in KEYED:
            rows = node["Actual Rows"] + node.get("Rows Removed by Filter", 0)
            read[table] = read.get(table, 0) + rows * node["Actual Loops"]
    return read


@pytest.fixture
def many_activities() -> tuple[om.BeneficiaryList, int]:
    """An OPD's six work plans of 50 programs of 10 activities (3,000) with lists on its first
    four, the tables analysed, then a list on the last activity (as an import makes one); that
    list and a kelurahan of its region."""
    first = ActivityFactory()
    work_plan = first.program.work_plan
    plans = [work_plan] + [
        WorkPlanFactory(opd=work_plan.opd, plan=work_plan.plan, year=year)
        for year in range(2016, 2022)
        if year != work_plan.year
    ]
    programs = om.Program.objects.bulk_create(
        om.Program(work_plan=plan, code=f"9.{n:02d}", name="Program")
        for plan in plans
        for n in range(50)
    )
    om.Activity.objects.bulk_create(
        om.Activity(
            program=program,
            code=f"{program.code}.{n:03d}",
            name=first.name,
            output_indicator=first.output_indicator,
            output_target=first.output_target,
            output_unit=first.output_unit,
            budget=first.budget,
            funding_source=first.funding_source,
            target_group=first.target_group,
        )
        for program in programs
        for n in range(10)
    )
    activities = list(om.Activity.objects.order_by("pk"))
    for earlier in activities[:4]:  # a city's first lists, there when the tables were analysed
        om.BeneficiaryList.objects.create(activity=earlier, imported_at=timezone.now())
    kelurahan = KelurahanFactory(kecamatan__region=work_plan.opd.region)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join((*KEYED, "targets_kecamatan", "targets_kelurahan")))
    listed = om.BeneficiaryList.objects.create(activity=activities[-1], imported_at=timezone.now())
    return listed, kelurahan.pk


def test_the_rule_reads_one_activity_and_no_table_twice(many_activities):
    """Exactly one activity (read by key: the table that grows with the plans), and no other
    table more than once through: a small one (the 301 programs here) the planner may scan
    whole rather than by its index, its choice by the table's size, never once per activity."""
    listed, kelurahan = many_activities
    read = _rows_read(RULE.violation, listed, kelurahan)
    assert read["opd_activity"] == 1
    sizes = {
        "opd_beneficiarylist": om.BeneficiaryList.objects.count(),
        "opd_program": om.Program.objects.count(),
        "opd_workplan": om.WorkPlan.objects.count(),
        "opd_opd": om.Opd.objects.count(),
    }
    assert all(1 <= read[table] <= size for table, size in sizes.items()), (read, sizes)


def test_the_check_flags_a_join_walking_the_activities(many_activities):
    """The check itself: the rule as it was (one join) reads many activities here."""
    as_it_was = (
        "NOT EXISTS (SELECT 1 FROM opd_beneficiarylist b"
        " JOIN opd_activity a ON a.id = b.activity_id"
        " JOIN opd_program pr ON pr.id = a.program_id"
        " JOIN opd_workplan w ON w.id = pr.work_plan_id JOIN opd_opd o ON o.id = w.opd_id"
        " JOIN targets_kecamatan k ON k.region_id = o.region_id"
        " JOIN targets_kelurahan l ON l.kecamatan_id = k.id"
        " WHERE b.id = NEW.beneficiary_list_id AND l.id = NEW.kelurahan_id)"
    )
    listed, kelurahan = many_activities
    assert _rows_read(as_it_was, listed, kelurahan)["opd_activity"] > 1_000
