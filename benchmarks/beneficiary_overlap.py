"""Benchmark of the deduplicated figures at city scale: an indicator's year with 20 OPDs, 60
activities with beneficiary lists of 1,000 persons each (60,000 listed, about 39,000 distinct),
recomputed through ``opd.engine.compute.recompute``, beside the bare grouped SQL over the same
rows (GROUP BY person collecting its activities, then GROUP BY that pattern).

The overlaps are the realistic kind: a core of 3,000 poorest persons each on about six lists of
different OPDs (one family receives PKH, BPNT and PBI at once), so about 3,000 distinct patterns
each with several OPDs for the Shapley step, and neighbouring activities sharing 100 persons.
Everything is made by arithmetic or a seeded generator (every run the same) inside one transaction in the seeded region's
plan, for a year the demo leaves empty, and rolled back at the end: the database is left as it
was. Returns the lines ``python -m benchmarks`` prints.
"""

from __future__ import annotations

import random
import statistics
import time
from decimal import Decimal
from typing import Any

YEAR = 2019
OPDS = 20
ACTIVITIES_PER_OPD = 3
LIST_SIZE = 1000
CORE = 3000  # persons 0..2,999: the poorest, on several lists
CORE_PER_LIST = 300
WINDOW_STEP = 600  # the rest of list j: persons CORE + j * 600 onwards, 700 of them
REPEAT = 3


class _RolledBack(Exception):
    pass


def list_members(j: int) -> list[int]:
    """The person numbers on the j-th list: 300 of the core, 700 of a window that overlaps the
    next list's by 100."""
    # Seeded: every run makes the same lists (no secret here, so S311 does not apply).
    core = random.Random(j).sample(range(CORE), CORE_PER_LIST)  # noqa: S311
    rest = [CORE + j * WINDOW_STEP + k for k in range(LIST_SIZE - CORE_PER_LIST)]
    return core + rest


def run() -> list[str]:
    from django.db import transaction

    lines: list[str] = []
    try:
        with transaction.atomic():
            lines = _measure()
            raise _RolledBack
    except _RolledBack:
        pass
    return lines


def _measure() -> list[str]:
    from django.db import IntegrityError, connection

    from opd.engine.compute import recompute

    indicator, activity_ids, build = _world()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE opd_beneficiary")  # the planner sees the new rows
            cursor.execute("ANALYZE opd_beneficiarylist")
        else:
            cursor.execute("ANALYZE")

    raw_timings = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        patterns, persons = _raw_patterns(activity_ids)
        raw_timings.append(time.perf_counter() - start)
    raw = statistics.median(raw_timings)
    world = (
        f"overlap, world     {build * 1000:8.1f} ms  {OPDS} OPDs, {len(activity_ids)} lists, "
        f"{len(activity_ids) * LIST_SIZE} listed persons ({persons} distinct) inserted"
    )
    raw_line = (
        f"overlap, raw SQL   {raw * 1000:8.1f} ms  median of {REPEAT}: GROUP BY person, then "
        f"pattern: {patterns} patterns"
    )
    start = time.perf_counter()
    try:
        snapshot = recompute(indicator_id=indicator.pk, year=YEAR)
    except IntegrityError as error:  # reported, so the other benchmarks still print
        first_line = str(error).splitlines()[0]
        return [world, raw_line, f"overlap, recompute  refused by the database: {first_line}"]
    first = time.perf_counter() - start
    timings = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        recompute(indicator_id=indicator.pk, year=YEAR)
        timings.append(time.perf_counter() - start)
    again = statistics.median(timings)
    snapshot.refresh_from_db()
    gross = snapshot.planned_total
    deduplicated = snapshot.planned_deduplicated
    return [
        world,
        f"overlap, recompute {first * 1000:8.1f} ms  first, stores the snapshot; "
        f"planned {gross} gross, {deduplicated} deduplicated",
        f"overlap, again     {again * 1000:8.1f} ms  median of {REPEAT}, inputs read and "
        f"computed, nothing new to store",
        f"{raw_line}; recompute = {again / raw:.1f} × the raw SQL ({first / raw:.1f} × when "
        "it stores)",
    ]


def _world() -> tuple[Any, list[int], float]:
    """The year's plans, activities, claims and lists: (indicator, activity ids, seconds)."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from opd.beneficiaries.hashing import identity_hash
    from opd.beneficiaries.models import Beneficiary, BeneficiaryList
    from opd.models import Activity, ExpectedContribution, Opd, Program, WorkPlan
    from targets import seed_magelang as facts
    from targets.models import Indicator, Kelurahan

    start = time.perf_counter()
    indicator = Indicator.objects.select_related("plan").get(code=facts.POVERTY["code"])
    region_id = indicator.plan.region_id
    user = get_user_model().objects.get(username="bappeda")
    now = timezone.now()
    places = list(
        Kelurahan.objects.filter(kecamatan__region_id=region_id).values_list("pk", flat=True)
    )
    secret = b"benchmark-key"
    hashes: dict[int, bytes] = {}
    activity_ids: list[int] = []
    for o in range(OPDS):
        opd = Opd.objects.create(
            region_id=region_id, code=f"9.{o:02d}", name=f"Benchmark OPD {o}", kind="dinas"
        )
        work_plan = WorkPlan.objects.create(
            opd=opd,
            plan=indicator.plan,
            year=YEAR,
            status=WorkPlan.Status.SUBMITTED,
            submitted_at=now,
            submitted_by=user,
        )
        program = Program.objects.create(work_plan=work_plan, code=f"9.{o:02d}.01", name="Bench")
        for a in range(ACTIVITIES_PER_OPD):
            j = o * ACTIVITIES_PER_OPD + a
            activity = Activity.objects.create(
                program=program,
                code=f"9.{o:02d}.01.{a:03d}",
                name=f"Benchmark activity {j}",
                output_indicator="Penerima",
                output_target=Decimal(LIST_SIZE),
                output_unit="orang",
                budget=Decimal(1),
            )
            ExpectedContribution.objects.create(
                activity=activity,
                indicator=indicator,
                amount=Decimal(300 + 100 * (j % 4)),  # w from 0.3 to 0.6
                evidence="list",
            )
            members = list_members(j)
            beneficiary_list = BeneficiaryList.objects.create(
                activity=activity, persons=len(members), imported_at=now
            )
            Beneficiary.objects.bulk_create(
                (
                    Beneficiary(
                        beneficiary_list=beneficiary_list,
                        person=hashes.setdefault(n, identity_hash(f"{n:016d}", secret)),
                        kelurahan_id=places[n % len(places)],
                        desil=None if n % 11 == 10 else 1 + n % 10,
                    )
                    for n in members
                ),
                batch_size=5000,
            )
            activity_ids.append(activity.pk)
    return indicator, activity_ids, time.perf_counter() - start


def _raw_patterns(activity_ids: list[int]) -> tuple[int, int]:
    """(patterns, distinct persons) by the bare grouped SQL over the lists' rows."""
    from django.db import connection

    if connection.vendor == "postgresql":
        pattern = "array_agg(l.activity_id ORDER BY l.activity_id)"
    else:
        pattern = "group_concat(l.activity_id, ',')"
    marks = ", ".join(["%s"] * len(activity_ids))
    sql = f"""
        SELECT pattern, COUNT(*) FROM (
            SELECT b.person, {pattern} AS pattern
            FROM opd_beneficiary b JOIN opd_beneficiarylist l ON l.id = b.beneficiary_list_id
            WHERE l.activity_id IN ({marks})
            GROUP BY b.person
        ) AS by_person
        GROUP BY pattern
    """  # noqa: S608 (fixed table names; the ids are parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, activity_ids)
        rows = cursor.fetchall()
    return len(rows), sum(count for _pattern, count in rows)
