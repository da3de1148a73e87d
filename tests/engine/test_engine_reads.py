"""The contribution engine seen from outside: the narrow read of its inputs, the demo
data's snapshot, the operators' command and the figures on the plan page.

Enqueuing is recorded instead of published (the ``enqueued`` fixture of
``conftest.py``); the recomputation is then run directly, as the worker or the sweep would.
"""

from __future__ import annotations

import re
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from opd import models as om
from opd.engine import compute
from opd.engine.inputs import contribution_inputs
from opd.workplans import services
from targets import models as tm
from tests.engine.engine_world import (
    PLAN_YEARS,
    YEAR,
    assert_snapshot_matches,
    dirty_pairs,
    engine_world,
    expected_result,
)
from tests.factories import (
    AchievedContributionFactory,
    ActivityFactory,
    ActualFactory,
    ExpectedContributionFactory,
    IndicatorFactory,
    KelurahanFactory,
    OpdFactory,
    PlanFactory,
    PopulationFactory,
    ProgramFactory,
    RealisationFactory,
    RegionFactory,
    TargetFactory,
    WorkPlanFactory,
)

pytestmark = pytest.mark.django_db

Status = om.WorkPlan.Status

# --- the demo data --------------------------------------------------------------------------------


def test_the_demo_snapshot_for_2018_is_the_pure_method_on_the_same_inputs(
    enqueued: list[tuple[int, int]],
) -> None:
    call_command("load_magelang", "--demo", stdout=StringIO())
    indicator = tm.Indicator.objects.select_related("plan").get(code="KEMISKINAN")
    assert dirty_pairs() == {(indicator.pk, year) for year in PLAN_YEARS}
    assert compute.sweep_dirty() == 6

    state = om.ContributionState.objects.select_related("snapshot").get(
        indicator=indicator, year=2018
    )
    snapshot = state.snapshot
    assert snapshot is not None and snapshot.sequence == 1
    assert (snapshot.reference_value, snapshot.reference_year) == (Decimal("8.75"), 2017)
    assert snapshot.target_value == Decimal("7.38")
    assert (snapshot.population, snapshot.population_year) == (120_952, 2015)
    assert snapshot.required == 1657  # 1.37 / 100 × 120,952 = 1,657.04
    assert snapshot.planned_total == 1300
    # Dinas Sosial's plan is approved (it reports realisation), Dinas Tenaga Kerja's submitted.
    assert (snapshot.planned_approved_total, snapshot.planned_submitted_total) == (900, 400)
    assert snapshot.achieved_total == 250
    assert snapshot.coverage is not None
    assert snapshot.coverage.quantize(Decimal("0.0001")) == Decimal("0.7846")
    assert snapshot.status == "off_track"
    planned = {row.opd.code: row.planned for row in snapshot.rows.select_related("opd")}
    assert (planned["1.06"], planned["2.07"]) == (900, 400)
    assert planned["1.02"] == planned["1.04"] == 0  # drafts do not count

    inputs = contribution_inputs(indicator=indicator, year=2018)
    assert snapshot.inputs == {"year": 2018, **compute.inputs_document(inputs)}
    assert_snapshot_matches(snapshot, expected_result(indicator, 2018))


# --- the narrow read ------------------------------------------------------------------------------


def _region_with_opds(count: int) -> tm.Indicator:
    region = RegionFactory()
    plan = PlanFactory(region=region)
    indicator = IndicatorFactory(plan=plan)
    TargetFactory(indicator=indicator)
    PopulationFactory(region=region)
    for number in range(count):
        work_plan = WorkPlanFactory(
            opd=OpdFactory(region=region), plan=plan, status=Status.APPROVED
        )
        activity = ActivityFactory(program=ProgramFactory(work_plan=work_plan))
        ExpectedContributionFactory(activity=activity, indicator=indicator, amount=number + 1)
        realisation = RealisationFactory(activity=activity)
        AchievedContributionFactory(realisation=realisation, indicator=indicator, amount=1)
    OpdFactory(region=region)  # an OPD without a plan is listed too
    return indicator


@pytest.mark.parametrize("count", [2, 50])
def test_contribution_inputs_runs_six_queries_whatever_the_number_of_opds(
    count: int, django_assert_num_queries: Any
) -> None:
    indicator = tm.Indicator.objects.get(pk=_region_with_opds(count).pk)  # plan not loaded
    with django_assert_num_queries(6):
        inputs = contribution_inputs(indicator=indicator, year=2018)
    assert len(inputs.opds) == count + 1
    assert sum(opd.planned for opd in inputs.opds) == count * (count + 1) / 2
    assert sum(opd.achieved for opd in inputs.opds) == count
    assert [opd.status for opd in inputs.opds].count(None) == 1


def test_local_actuals_never_become_the_citys_reference() -> None:
    """A kecamatan's or kelurahan's figure for 2018 is not the city's 2018 actual: R(2019)
    stays the city's 2017 figure and 2018 has no actual (kills dropping either filter)."""
    world = engine_world(Status.SUBMITTED)
    region = world.work_plan.opd.region
    kecamatan = world.kelurahan.kecamatan
    ActualFactory(indicator=world.indicator, year=2018, value=Decimal("3.10"), kecamatan=kecamatan)
    ActualFactory(
        indicator=world.indicator, year=2018, value=Decimal("2.20"), kelurahan=world.kelurahan
    )
    other = KelurahanFactory(kecamatan__region=region)
    ActualFactory(indicator=world.indicator, year=2016, value=Decimal("1.30"), kelurahan=other)

    for year in (2017, 2018, 2019):
        assert contribution_inputs(indicator=world.indicator, year=year).actuals == {
            2017: Decimal("8.75")
        }
    for year in (2018, 2019):
        snapshot = compute.recompute(indicator_id=world.indicator.pk, year=year)
        assert (snapshot.reference_value, snapshot.reference_year) == (Decimal("8.75"), 2017)
        assert snapshot.actual_value is None
    assert compute.recompute(indicator_id=world.indicator.pk, year=2017).reference_year == 2015


# --- the operators' command -----------------------------------------------------------------------


def test_the_command_prints_a_line_per_year_and_stores_nothing_twice() -> None:
    world = engine_world(Status.SUBMITTED)
    out = StringIO()
    call_command("recompute_contributions", stdout=out)
    lines = out.getvalue().strip().splitlines()
    progress = [line for line in lines if re.match(r"^\d{4}: ", line)]
    assert [line[:4] for line in progress] == [str(year) for year in PLAN_YEARS]
    for number, line in enumerate(progress, start=1):
        assert re.search(rf"\b{number}\b.*\b6\b", line), line
    assert len(lines) == len(progress) + 1  # and the closing line
    assert om.ContributionSnapshot.objects.count() == 6

    out = StringIO()
    call_command("recompute_contributions", "--year", "2018", "--indicator", "KMS", stdout=out)
    assert [line[:5] for line in out.getvalue().strip().splitlines()[:-1]] == ["2018:"]
    assert om.ContributionSnapshot.objects.count() == 6  # unchanged inputs: nothing new
    assert world.indicator.pk in set(
        om.ContributionSnapshot.objects.values_list("indicator_id", flat=True)
    )


def test_the_command_refuses_an_unknown_indicator_code() -> None:
    engine_world()
    with pytest.raises(CommandError, match="TIDAKADA"):
        call_command("recompute_contributions", "--indicator", "TIDAKADA", stdout=StringIO())
    assert not om.ContributionSnapshot.objects.exists()
    assert not om.ContributionState.objects.exists()


# --- the plan page --------------------------------------------------------------------------------


def _cell(html: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</', html, re.S)
    assert match, f"{testid} not on the page"
    return match.group(1).strip()


def test_the_plan_page_shows_the_opds_figures_from_the_snapshot_and_the_pending_flag(
    enqueued: list[tuple[int, int]],
) -> None:
    world = engine_world(Status.SUBMITTED)
    client = Client()
    client.force_login(world.head)
    url = f"/renja/{world.work_plan.pk}/"

    html = client.get(url).content.decode()  # never computed: pending, no figures yet
    assert 'data-testid="contribution-pending"' in html
    assert 'data-testid="own-planned"' not in html

    compute.recompute(indicator_id=world.indicator.pk, year=YEAR)
    html = client.get(url).content.decode()
    assert 'data-testid="contribution-pending"' not in html
    assert _cell(html, "own-planned").startswith("40")
    assert _cell(html, "own-achieved") == "0"
    assert _cell(html, "own-share") == "2,4%"  # 40 / 1,657
    assert "1.657" in html  # of N required
    assert 'data-testid="city-status"' in html

    # The reviewer approves: the year is pending again, the last figures still shown.
    reviewer_plan = om.WorkPlan.objects.get(pk=world.work_plan.pk)
    services.work_plan_approve(
        work_plan_id=reviewer_plan.pk, by=world.reviewer, seen_version=reviewer_plan.version
    )
    html = client.get(url).content.decode()
    assert 'data-testid="contribution-pending"' in html
    assert _cell(html, "own-planned").startswith("40")

    assert compute.sweep_dirty() == 1
    html = client.get(url).content.decode()
    assert 'data-testid="contribution-pending"' not in html
    state = om.ContributionState.objects.select_related("snapshot").get()
    assert state.snapshot is not None and state.snapshot.planned_approved_total == 40
