"""Regions in a tree for the region-scope tests: a province with cities under it, each with its
plan, headline indicator, target, population and an OPD, and the Bappeda users of each level.

``build_scoped`` puts Kota Magelang (the worked example of ``scenario``, region A) and a second
city (region B, with its own recognisable figures) under one province, with a Bappeda of A, of
B and of the province. ``province_with`` builds a province of ``n`` cities whose snapshots are
stored directly (no computation), for the roll-up's query count.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone

from opd import models as om
from opd.engine.compute import recompute
from targets import models as tm
from tests.dashboards import scenario
from tests.factories import (
    ActivityFactory,
    ActualFactory,
    ExpectedContributionFactory,
    IndicatorFactory,
    KecamatanFactory,
    KelurahanFactory,
    OpdFactory,
    PlanFactory,
    PopulationFactory,
    ProgramFactory,
    RegionFactory,
    TargetFactory,
    UserFactory,
    WorkPlanFactory,
)
from tests.workplans.plan_world import reviewer

D = Decimal
B_OPD = "Dinas Bravo Sejahtera"  # appears only on region B's pages
B_PLANNED = D(4321)


def bappeda(username: str, region: tm.Region | None) -> Any:
    """A Bappeda user (``opd.review_workplan``) working for ``region`` (a ``BappedaRole``)."""
    user = reviewer(username)
    if region is not None:
        om.BappedaRole.objects.create(user=user, region=region)
    return user


def province(code: str = "33", name: str = "Provinsi Jawa Tengah") -> tm.Region:
    return RegionFactory(code=code, name=name, kind=tm.Region.Kind.PROVINCE)


def city(
    parent: tm.Region, code: str, name: str, *, planned: Decimal, opd_name: str = ""
) -> tuple[tm.Region, tm.Indicator, om.Opd, om.WorkPlan]:
    """A city under ``parent`` with its plan, headline indicator (R 8.75, T 7.38 in 2018,
    P 100,000: N 1,370), one OPD whose submitted 2018 plan claims ``planned`` persons."""
    region = RegionFactory(code=code, name=name, parent=parent)
    plan = PlanFactory(region=region)
    indicator = IndicatorFactory(plan=plan, code=settings.HEADLINE_INDICATOR_CODE)
    TargetFactory(indicator=indicator, year=2018, value=D("7.38"))
    ActualFactory(indicator=indicator, year=2017, value=D("8.75"))
    PopulationFactory(region=region, year=2018, value=100_000)
    kelurahan = KelurahanFactory(kecamatan=KecamatanFactory(region=region))
    opd = OpdFactory(region=region, code=f"{code}.1", name=opd_name or f"Dinas Sosial {name}")
    work_plan = WorkPlanFactory(opd=opd, plan=plan, year=2018, status=om.WorkPlan.Status.SUBMITTED)
    program = ProgramFactory(work_plan=work_plan, code=f"{code}.01")
    activity = ActivityFactory(program=program, code=f"{code}.01.001", kelurahan=kelurahan)
    ExpectedContributionFactory(activity=activity, indicator=indicator, amount=planned)
    return region, indicator, opd, work_plan


@dataclass
class ScopedWorld:
    province: tm.Region
    a: scenario.Scenario  # Kota Magelang, the deployment's region
    b: tm.Region
    b_opd: om.Opd
    b_plan: om.WorkPlan
    users: dict[str, Any]


def build_scoped() -> ScopedWorld:
    """Province P with cities A (Kota Magelang, computed) and B (computed), and one user per
    role: ``anonymous``, ``member_a`` (head of A's Dinas Sosial), ``bappeda_a``, ``bappeda_b``,
    ``bappeda_province`` and ``superuser`` (no role: the deployment's region, A)."""
    p = province()
    a = scenario.build(computed=True)
    tm.Region.objects.filter(pk=a.region.pk).update(parent=p)
    a.region.refresh_from_db()
    b, b_indicator, b_opd, b_plan = city(
        p, "33.72", "Kota Bravo", planned=B_PLANNED, opd_name=B_OPD
    )
    recompute(indicator_id=b_indicator.pk, year=2018)
    users = {
        "anonymous": None,
        "member_a": a.head,
        "bappeda_a": bappeda("bappeda.a", a.region),
        "bappeda_b": bappeda("bappeda.b", b),
        "bappeda_province": bappeda("bappeda.provinsi", p),
        "superuser": UserFactory(username="admin", is_superuser=True, is_staff=True),
    }
    return ScopedWorld(province=p, a=a, b=b, b_opd=b_opd, b_plan=b_plan, users=users)


def store_snapshot(
    indicator: tm.Indicator, *, year: int, required: Decimal, planned: Decimal, status: str
) -> om.ContributionSnapshot:
    """A current snapshot stored as the worker would leave it (no computation)."""
    snapshot = om.ContributionSnapshot.objects.create(
        indicator=indicator,
        year=year,
        sequence=1,
        computed_at=timezone.now(),
        fingerprint="f" * 64,
        target_value=D("7.38"),
        required=required,
        planned_total=planned,
        planned_submitted_total=planned,
        planned_deduplicated=planned,
        achieved_total=D(0),
        coverage=planned / required,
        status=status,
    )
    om.ContributionState.objects.create(
        indicator=indicator,
        year=year,
        dirty=False,
        computed_at=snapshot.computed_at,
        snapshot=snapshot,
    )
    return snapshot


def province_with(n: int, *, code: str) -> tm.Region:
    """A province of ``n`` cities, each with its plan, headline indicator, target and a stored
    2018 snapshot (every third one off track)."""
    p = province(code=code, name=f"Provinsi {code}")
    for i in range(n):
        region = RegionFactory(code=f"{code}.{i + 1:02d}", name=f"Kota {code}-{i}", parent=p)
        plan = PlanFactory(region=region)
        indicator = IndicatorFactory(plan=plan, code=settings.HEADLINE_INDICATOR_CODE)
        TargetFactory(indicator=indicator, year=2018, value=D("7.38"))
        store_snapshot(
            indicator,
            year=2018,
            required=D(1000),
            planned=D(100 * (i + 1)),
            status="off_track" if i % 3 == 0 else "on_track",
        )
    return p
