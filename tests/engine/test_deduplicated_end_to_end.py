"""Design section 7's worked example, end to end: the lists imported through the service, the
plans submitted, the year recomputed; the snapshot holds the section's figures exactly, and
neither it nor its stored inputs hold a NIK."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from opd import models as om
from opd.beneficiaries.services import beneficiary_list_replace
from opd.engine.compute import recompute
from opd.engine.inputs import contribution_inputs
from opd.workplans.services import work_plan_submit
from targets import models as tm
from tests.beneficiaries.world import TEST_KEY, csv_file, kk, nik
from tests.factories import (
    ActualFactory,
    ExpectedContributionFactory,
    OpdFactory,
    PopulationFactory,
    ProgramFactory,
    TargetFactory,
    WorkPlanFactory,
)
from tests.workplans.plan_world import World, complete_activity, member

YEAR = 2018
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def beneficiary_key(settings):
    settings.BENEFICIARY_KEY = TEST_KEY


@dataclass(eq=False)
class Agency:
    plan: om.WorkPlan
    head: Any
    activities: dict[str, om.Activity]


def _agency(world: World, code: str, name: str, claims: dict[str, tuple[int, str]]) -> Agency:
    if code == world.work_plan.opd.code:
        plan, head = world.work_plan, world.head
        world.contribution.delete()
        world.activity.delete()
        program = world.program
    else:
        opd = OpdFactory(region=world.work_plan.opd.region, code=code, name=name)
        plan = WorkPlanFactory(opd=opd, plan=world.work_plan.plan, year=YEAR)
        head = member(opd, username=f"kepala.{code}")
        program = ProgramFactory(work_plan=plan, code=f"{code}.01")
    activities = {}
    for number, (label, (claim, evidence)) in enumerate(claims.items(), start=1):
        activity = complete_activity(
            program, kelurahan=world.kelurahan, code=f"{code}.01.{number:03d}"
        )
        ExpectedContributionFactory(
            activity=activity,
            indicator=world.indicator,
            amount=Decimal(claim),
            evidence=evidence,
            evidence_basis="Data DTKS 2017" if evidence == "estimate" else "",
        )
        activities[label] = activity
    return Agency(plan, head, activities)


def _rows(numbers: range, place: str, desil: int | None) -> list[tuple[object, ...]]:
    return [(nik(n), kk(n // 4), place, desil) for n in numbers]


@pytest.fixture
def worked_example() -> dict[str, Any]:
    """Section 7's table: A1 (Dinsos, 300, 600 listed), A2 (Dinsos, 800, estimate), B1
    (Disnaker, 200, 400 listed), C1 (Dinkes, 50, 50 listed); 150 persons on A1 and B1, 20 on A1
    and C1, 10 of them on all three. N = 1,658 (R 8.75, T 7.38, P 121,000)."""
    world = World.build()
    TargetFactory(indicator=world.indicator, year=YEAR, value=Decimal("7.38"))
    ActualFactory(indicator=world.indicator, year=2017, value=Decimal("8.75"))
    PopulationFactory(region=world.work_plan.opd.region, year=YEAR, value=121_000)
    dinsos = _agency(world, "1.06", "Dinas Sosial", {"A1": (300, "list"), "A2": (800, "estimate")})
    disnaker = _agency(world, "2.07", "Dinas Tenaga Kerja", {"B1": (200, "list")})
    dinkes = _agency(world, "1.02", "Dinas Kesehatan", {"C1": (50, "list")})
    place = world.kelurahan.name
    everyone, a1_b1, a1_c1 = range(0, 10), range(10, 150), range(150, 160)
    lists = {
        # A1-only persons are in desil 2, every other row in desil 7: 440 of 880 in desil 1–4
        (dinsos, "A1"): _rows(everyone, place, 7)
        + _rows(a1_b1, place, 7)
        + _rows(a1_c1, place, 7)
        + _rows(range(160, 600), place, 2),
        (disnaker, "B1"): _rows(everyone, place, 7)
        + _rows(a1_b1, place, 7)
        + _rows(range(600, 850), place, 7),
        (dinkes, "C1"): _rows(everyone, place, 7)
        + _rows(a1_c1, place, 7)
        + _rows(range(850, 880), place, None),
    }
    for (agency, label), rows in lists.items():
        activity = agency.activities[label]
        activity.refresh_from_db()
        beneficiary_list_replace(
            activity_id=activity.pk,
            by=agency.head,
            name="daftar.csv",
            data=csv_file(rows),
            seen_version=activity.version,
        )
    for agency in (dinsos, disnaker, dinkes):
        agency.plan.refresh_from_db()
        work_plan_submit(
            work_plan_id=agency.plan.pk, by=agency.head, seen_version=agency.plan.version
        )
    return {"indicator": world.indicator, "dinsos": dinsos, "disnaker": disnaker, "dinkes": dinkes}


def test_the_worked_example_of_section_7_end_to_end(worked_example: dict[str, Any]) -> None:
    snapshot = recompute(indicator_id=worked_example["indicator"].pk, year=YEAR)
    assert snapshot.required == Decimal(1658)
    assert snapshot.planned_total == Decimal("1350.00")
    assert snapshot.planned_deduplicated == Decimal("1300.0000")
    assert snapshot.overlap == Decimal("50.0000")
    assert snapshot.coverage == pytest.approx(Decimal("0.814234"), abs=Decimal("0.000001"))
    assert snapshot.coverage_deduplicated == pytest.approx(
        Decimal("0.784077"), abs=Decimal("0.000001")
    )
    # gross coverage 0.814 says at_risk; the deduplicated 0.784 decides: off_track
    assert snapshot.status == "off_track"
    assert snapshot.status_basis == "deduplicated"
    assert snapshot.backed_share == Decimal("0.4074")
    assert snapshot.distinct_persons == 880
    assert snapshot.low_desil_share == Decimal("0.5000")
    assert snapshot.capped_activities == []
    assert snapshot.planned_approved_total == snapshot.planned_approved_deduplicated == 0
    ids = {name: worked_example[name].plan.opd_id for name in ("dinsos", "disnaker", "dinkes")}
    by_id = {row.opd_id: row for row in snapshot.rows.all()}
    assert by_id[ids["dinsos"]].planned == Decimal("1100.00")
    assert by_id[ids["dinsos"]].planned_deduplicated == Decimal("1077.0833")
    assert by_id[ids["disnaker"]].planned_deduplicated == Decimal("179.5833")
    assert by_id[ids["dinkes"]].planned_deduplicated == Decimal("43.3333")
    pair = {(p["opd_a"], p["opd_b"]): p["persons"] for p in snapshot.overlap_matrix}
    assert pair == {
        tuple(sorted((ids["dinsos"], ids["disnaker"]))): 150,
        tuple(sorted((ids["dinsos"], ids["dinkes"]))): 20,
        tuple(sorted((ids["disnaker"], ids["dinkes"]))): 10,
    }
    # nothing achieved yet: the achieved figures are 0 on both sides
    assert snapshot.achieved_total == snapshot.achieved_deduplicated == 0


def test_the_achieved_figures_are_deduplicated_on_the_same_lists(
    worked_example: dict[str, Any],
) -> None:
    """Half of each planned claim realised: every chance halves, so the figures are not simply
    half of the planned ones (1 − (1 − w/2)² is not (1 − (1 − w)²) / 2)."""
    for name in ("dinsos", "disnaker", "dinkes"):
        for activity in worked_example[name].activities.values():
            claim = activity.expected_contributions.get().amount
            realisation = om.Realisation.objects.create(activity=activity, quarter=1)
            om.AchievedContribution.objects.create(
                realisation=realisation, indicator=worked_example["indicator"], amount=claim / 2
            )
    snapshot = recompute(indicator_id=worked_example["indicator"].pk, year=YEAR)
    # listed persons: A1 only 440 × .25 + B1 only 250 × .25 + C1 only 30 × .5
    # + A1&B1 140 × (1 − .75²) + A1&C1 10 × (1 − .75 × .5) + all 10 × (1 − .75² × .5)
    listed = (
        Decimal(440) / 4
        + Decimal(250) / 4
        + Decimal(15)
        + Decimal(140) * Decimal("0.4375")
        + Decimal(10) * Decimal("0.625")
        + Decimal(10) * Decimal("0.71875")
    )
    assert snapshot.achieved_total == Decimal("675.00")
    assert snapshot.achieved_deduplicated == (listed + 400).quantize(Decimal("0.0001"))
    assert snapshot.status_basis == "deduplicated"


def test_the_lists_read_is_two_queries_whatever_the_persons(
    worked_example: dict[str, Any], django_assert_num_queries: Any
) -> None:
    indicator = tm.Indicator.objects.select_related("plan").get(pk=worked_example["indicator"].pk)
    with django_assert_num_queries(7):
        inputs = contribution_inputs(indicator=indicator, year=YEAR)
    assert sum(p.persons for p in inputs.patterns) == 880
    assert len(inputs.patterns) == 6  # A1, B1, C1, A1+B1, A1+C1, all three


def test_no_nik_in_the_snapshot_or_its_stored_inputs(worked_example: dict[str, Any]) -> None:
    """The raw digits of every listed NIK and KK appear nowhere in the snapshot, its rows or the
    inputs it keeps, nor in any text or bytes column of the beneficiary tables."""
    snapshot = recompute(indicator_id=worked_example["indicator"].pk, year=YEAR)
    stored = json.dumps(snapshot.inputs) + json.dumps(snapshot.overlap_matrix)
    stored += repr(list(snapshot.rows.values()))
    stored += repr(om.ContributionSnapshot.objects.filter(pk=snapshot.pk).values().get())
    assert "lists" in snapshot.inputs and "patterns" in snapshot.inputs
    for n in (0, 9, 159, 599, 879):
        assert nik(n) not in stored and kk(n // 4) not in stored
        assert nik(n)[6:] not in stored  # not even the serial part
    person, entry = om.Beneficiary._meta.db_table, om.BeneficiaryList._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {person}")  # noqa: S608
        rows = cursor.fetchall()
        cursor.execute(f"SELECT * FROM {entry}")  # noqa: S608
        rows += cursor.fetchall()
    dump = repr(rows).encode() + b"".join(
        bytes(cell) for row in rows for cell in row if isinstance(cell, bytes | memoryview)
    )
    for n in (0, 599, 879):
        assert nik(n).encode() not in dump and kk(n // 4).encode() not in dump


def test_without_lists_the_deduplicated_figures_are_the_gross_and_the_fingerprint_unchanged(
    worked_example: dict[str, Any],
) -> None:
    om.BeneficiaryList.objects.all().delete()
    snapshot = recompute(indicator_id=worked_example["indicator"].pk, year=YEAR)
    assert snapshot.status_basis == "gross"
    assert snapshot.status == "at_risk"  # 1,350 / 1,658 = 0.814
    assert snapshot.planned_deduplicated == snapshot.planned_total == Decimal(1350)
    assert (
        snapshot.overlap == 0 and snapshot.overlap_matrix == [] and snapshot.distinct_persons == 0
    )
    assert snapshot.backed_share is None
    assert "lists" not in snapshot.inputs and "patterns" not in snapshot.inputs
    for row in snapshot.rows.all():
        assert row.planned_deduplicated == row.planned
