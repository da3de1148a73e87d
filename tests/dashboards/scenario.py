"""The worked example of design section 5, built in the database for the dashboard tests.

Kota Magelang's poverty indicator (R 8.75 from 2017, T 7.38 for 2018, P 121,000
in 2018, so N 1,658), Dinas Sosial planning 900 persons and Dinas Tenaga Kerja
400 (both submitted; coverage 0.784, off track), Dinas Sosial's realisations
reporting 250 persons (projection 8.5434). A draft and a returned plan carry
large, recognisable figures that must never count nor show on the public page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings

from opd import models as om
from opd.engine.compute import recompute
from targets import models as tm
from tests.factories import (
    AchievedContributionFactory,
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
    RealisationFactory,
    RegionFactory,
    TargetFactory,
    WorkPlanFactory,
)
from tests.workplans.plan_world import member, reviewer

D = Decimal
DRAFT_SECRET = "Kegiatan rahasia draf"
RETURNED_SECRET = "Kegiatan dikembalikan"


@dataclass
class Scenario:
    region: tm.Region
    plan: tm.Plan
    indicator: tm.Indicator
    dinsos: om.Opd
    disnaker: om.Opd
    dinsos_plan: om.WorkPlan
    disnaker_plan: om.WorkPlan
    reviewer: Any
    head: Any
    other_head: Any
    activities: list[om.Activity] = field(default_factory=list)


def _plan(opd: om.Opd, plan: tm.Plan, status: str) -> om.WorkPlan:
    return WorkPlanFactory(opd=opd, plan=plan, year=2018, status=status)


def _activity(
    work_plan: om.WorkPlan,
    indicator: tm.Indicator,
    kelurahan: tm.Kelurahan,
    *,
    code: str,
    amount: Decimal,
    budget: Decimal,
    name: str = "Bantuan sosial keluarga miskin",
) -> om.Activity:
    program = om.Program.objects.filter(work_plan=work_plan).first() or ProgramFactory(
        work_plan=work_plan, code=f"{work_plan.opd.code}.01"
    )
    activity = ActivityFactory(
        program=program,
        code=code,
        name=name,
        budget=budget,
        kelurahan=kelurahan,
        next_year_target=D(110),
        next_year_budget=budget + D(10_000_000),
        notes="Catatan",
    )
    ExpectedContributionFactory(activity=activity, indicator=indicator, amount=amount)
    return activity


def build(*, extra_opds: int = 0, hidden_plans: bool = True, computed: bool = False) -> Scenario:
    """The worked example; ``hidden_plans`` adds the draft and the returned plan; ``computed``
    stores the 2018 snapshot, as the worker does once plans are saved (a page never computes
    one: house style 11)."""
    region = RegionFactory(code=settings.DEFAULT_REGION_CODE, name="Kota Magelang")
    plan = PlanFactory(region=region)
    indicator = IndicatorFactory(
        plan=plan, code=settings.HEADLINE_INDICATOR_CODE, baseline_value=D("9.05")
    )
    TargetFactory(indicator=indicator, year=2018, value=D("7.38"))
    TargetFactory(indicator=indicator, year=2021, value=D("6.12"))
    for year, value in {2016: "8.78", 2017: "8.75", 2019: "7.46", 2020: "7.58"}.items():
        ActualFactory(indicator=indicator, year=year, value=D(value))
    PopulationFactory(region=region, year=2015, value=120_952)
    PopulationFactory(region=region, year=2018, value=121_000)
    utara = KecamatanFactory(region=region, name="Magelang Utara", code="33.71.01")
    selatan = KecamatanFactory(region=region, name="Magelang Selatan", code="33.71.03")
    kramat = KelurahanFactory(kecamatan=utara, name="Kramat Utara", code="33.71.01.1001")
    tidar = KelurahanFactory(kecamatan=selatan, name="Tidar Selatan", code="33.71.03.1001")

    dinsos = OpdFactory(region=region, code="1.06", name="Dinas Sosial", short_name="Dinsos")
    disnaker = OpdFactory(region=region, code="2.07", name="Dinas Tenaga Kerja")
    dinsos_plan = _plan(dinsos, plan, om.WorkPlan.Status.SUBMITTED)
    disnaker_plan = _plan(disnaker, plan, om.WorkPlan.Status.SUBMITTED)
    a1 = _activity(
        dinsos_plan, indicator, kramat, code="1.06.01.001", amount=D(600), budget=D(300_000_000)
    )
    a2 = _activity(
        dinsos_plan, indicator, tidar, code="1.06.01.002", amount=D(300), budget=D(150_000_000)
    )
    a3 = _activity(
        disnaker_plan, indicator, tidar, code="2.07.01.001", amount=D(400), budget=D(200_000_000)
    )
    for quarter, amount in ((1, D(100)), (2, D(150))):
        realisation = RealisationFactory(
            activity=a1, quarter=quarter, budget_spent=D(60_000_000), output_achieved=D(40)
        )
        AchievedContributionFactory(realisation=realisation, indicator=indicator, amount=amount)

    if hidden_plans:
        draft = _plan(OpdFactory(region=region, code="3.01", name="Dinas Rahasia"), plan, "draft")
        _activity(
            draft,
            indicator,
            kramat,
            code="3.01.01.001",
            amount=D(77_777),
            budget=D(1),
            name=DRAFT_SECRET,
        )
        returned = _plan(
            OpdFactory(region=region, code="3.02", name="Dinas Kembali"), plan, "returned"
        )
        _activity(
            returned,
            indicator,
            tidar,
            code="3.02.01.001",
            amount=D(55_555),
            budget=D(2),
            name=RETURNED_SECRET,
        )

    for n in range(extra_opds):
        opd = OpdFactory(region=region, code=f"9.{n:03d}", name=f"Dinas Tambahan {n}")
        if n % 3:
            work_plan = _plan(opd, plan, om.WorkPlan.Status.APPROVED if n % 2 else "submitted")
            extra = _activity(
                work_plan,
                indicator,
                kramat if n % 2 else tidar,
                code=f"9.{n:03d}.1",
                amount=D(1),
                budget=D(1_000),
            )
            RealisationFactory(activity=extra, quarter=1)
        elif n % 2:
            _plan(opd, plan, "draft")

    if computed:
        recompute(indicator_id=indicator.pk, year=2018)
    return Scenario(
        region=region,
        plan=plan,
        indicator=indicator,
        dinsos=dinsos,
        disnaker=disnaker,
        dinsos_plan=dinsos_plan,
        disnaker_plan=disnaker_plan,
        reviewer=reviewer(),
        head=member(dinsos, username="kepala.dinsos"),
        other_head=member(disnaker, username="kepala.disnaker"),
        activities=[a1, a2, a3],
    )
