"""The cascade tests' world: the default region's RPJMD with one mission, goal, objective and
two indicators (poverty with targets and a 2018 actual; another one unplaced), two OPDs' 2018
plans claiming contributions, realisations reporting some, and a reviewer and a member each."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.test import Client

from opd import models as om
from targets import models as tm
from tests.factories import (
    AchievedContributionFactory,
    ActivityFactory,
    ActualFactory,
    ExpectedContributionFactory,
    GoalFactory,
    IndicatorFactory,
    MissionFactory,
    ObjectiveFactory,
    OpdFactory,
    PlanFactory,
    ProgramFactory,
    RealisationFactory,
    RegionFactory,
    TargetFactory,
    WorkPlanFactory,
)
from tests.workplans.plan_world import member, reviewer


@dataclass
class World:
    plan: tm.Plan
    poverty: tm.Indicator
    other_indicator: tm.Indicator
    social: om.Opd
    labour: om.Opd
    social_program: om.Program
    aid: om.Activity  # Dinas Sosial, claims 120 poverty persons, reports 30 + 15
    training: om.Activity  # Dinas Sosial, claims 80
    jobs: om.Activity  # Dinas Tenaga Kerja, claims 50, reports 20
    reviewer: Any
    member: Any  # of Dinas Sosial
    stranger: Any  # of an OPD with no plan


def client_for(user: Any) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    if user is not None:
        client.force_login(user)
    return client


def build() -> World:
    region = RegionFactory(code=settings.DEFAULT_REGION_CODE, name="Kota Magelang")
    plan = PlanFactory(region=region)
    mission = MissionFactory(plan=plan, number=2, text="Masyarakat sejahtera")
    goal = GoalFactory(mission=mission, number=1, text="Menurunkan kemiskinan")
    objective = ObjectiveFactory(goal=goal, number=3, text="Berkurangnya penduduk miskin")
    poverty = IndicatorFactory(plan=plan, objective=objective, code="KEMISKINAN")
    TargetFactory(indicator=poverty, year=2018, value=Decimal("7.38"))
    ActualFactory(indicator=poverty, year=2018, value=Decimal("7.50"))
    other = IndicatorFactory(
        plan=plan,
        code="IPM",
        name="Indeks pembangunan manusia",
        unit="indeks",
        direction="up",
        is_population_share=False,
        baseline_value=Decimal("77"),
    )
    social = OpdFactory(region=region, code="1.06", name="Dinas Sosial")
    labour = OpdFactory(region=region, code="2.07", name="Dinas Tenaga Kerja")
    social_plan = WorkPlanFactory(opd=social, plan=plan, year=2018, status="approved")
    social_program = ProgramFactory(work_plan=social_plan, code="1.06.05", name="Perlindungan")
    aid = ActivityFactory(program=social_program, code="1.06.05.001", name="Bantuan sosial")
    training = ActivityFactory(
        program=social_program, code="1.06.05.002", name="Pelatihan", budget=Decimal(1000)
    )
    ExpectedContributionFactory(activity=aid, indicator=poverty, amount=Decimal(120))
    ExpectedContributionFactory(activity=aid, indicator=other, amount=Decimal(2))
    ExpectedContributionFactory(activity=training, indicator=poverty, amount=Decimal(80))
    for quarter, persons in ((1, 30), (2, 15)):
        realisation = RealisationFactory(activity=aid, quarter=quarter)
        AchievedContributionFactory(
            realisation=realisation, indicator=poverty, amount=Decimal(persons)
        )
    AchievedContributionFactory(  # another indicator's report: not poverty's
        realisation=om.Realisation.objects.get(activity=aid, quarter=1),
        indicator=other,
        amount=Decimal(1),
    )
    labour_plan = WorkPlanFactory(opd=labour, plan=plan, year=2018, status="submitted")
    jobs = ActivityFactory(
        program=ProgramFactory(work_plan=labour_plan, code="2.07.02", name="Penempatan kerja"),
        code="2.07.02.001",
        name="Pelatihan kerja",
        budget=Decimal(500),
    )
    ExpectedContributionFactory(activity=jobs, indicator=poverty, amount=Decimal(50))
    AchievedContributionFactory(
        realisation=RealisationFactory(activity=jobs), indicator=poverty, amount=Decimal(20)
    )
    return World(
        plan=plan,
        poverty=poverty,
        other_indicator=other,
        social=social,
        labour=labour,
        social_program=social_program,
        aid=aid,
        training=training,
        jobs=jobs,
        reviewer=reviewer(),
        member=member(social, username="kepala.dinsos"),
        stranger=member(OpdFactory(region=region, code="9.99"), username="orang.lain"),
    )
