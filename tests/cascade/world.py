"""The cascade tests' world: the default region's RPJMD with one mission, goal, objective and
two indicators (poverty with targets and a 2018 actual; another one unplaced), two OPDs' 2018
plans claiming contributions, realisations reporting some, and a reviewer and a member each."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.test import Client
from django.utils import timezone

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
from tests.renstra.makers import (
    make_activity,
    make_activity_year,
    make_program,
    make_program_year,
    make_renstra,
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
        reviewer=reviewer(region=region),
        member=member(social, username="kepala.dinsos"),
        stranger=member(OpdFactory(region=region, code="9.99"), username="orang.lain"),
    )


@dataclass
class RenstraWorld:
    social_line: om.RenstraProgram  # Dinas Sosial, approved, serves poverty; 1.06.05 carries it
    labour_line: om.RenstraProgram  # Dinas Tenaga Kerja, a draft, serves poverty
    ipm_line: om.RenstraProgram  # Dinas Sosial, serves IPM; its Renja program claims poverty
    survey: om.Activity  # Dinas Sosial 1.06.05.003: under 1.06.05, claims nothing
    cross: om.Activity  # Dinas Sosial 1.06.06.001: claims 10 poverty persons


def add_renstras(world: World) -> RenstraWorld:
    """The OPDs' Renstras over ``build``'s world, and the Renja's links to them.

    Dinas Sosial's (approved): 1.06.05 serving poverty (2018: target 400 KK, Rp 300,000,000;
    2019 other figures), carried out by the Renja's 1.06.05, whose 1.06.05.001 (aid) is linked
    to the Renstra activity 1.06.05.001 (2018 target 110); a new 1.06.05.003 under it claims
    nothing and spent Rp 500 for 4 of 10 outputs. 1.06.06 serving IPM, carried out by a Renja
    program whose only activity claims 10 poverty persons. Dinas Tenaga Kerja's (a draft):
    2.07.02 serving poverty, carried out by the Renja's 2.07.02.
    """
    now = timezone.now()
    social = make_renstra(
        opd=world.social, plan=world.plan, status="approved", submitted_at=now, reviewed_at=now
    )
    labour = make_renstra(opd=world.labour, plan=world.plan)
    social_line = make_program(
        renstra=social, code="1.06.05", name="Perlindungan sosial", indicator=world.poverty
    )
    make_program_year(
        program=social_line, year=2018, target=Decimal(400), budget=Decimal(300_000_000)
    )
    make_program_year(program=social_line, year=2019, target=Decimal(9), budget=Decimal(9))
    aid_line = make_activity(program=social_line, code="1.06.05.001", name="Bantuan sosial")
    make_activity_year(activity=aid_line, year=2018, target=Decimal(110))
    make_activity_year(activity=aid_line, year=2019, target=Decimal(999))
    labour_line = make_program(
        renstra=labour, code="2.07.02", name="Penempatan", indicator=world.poverty
    )
    make_program_year(program=labour_line, year=2018, target=Decimal(70), budget=Decimal(800))
    ipm_line = make_program(
        renstra=social, code="1.06.06", name="Pendidikan", indicator=world.other_indicator
    )
    om.Program.objects.filter(pk=world.social_program.pk).update(renstra_program=social_line)
    om.Activity.objects.filter(pk=world.aid.pk).update(renstra_activity=aid_line)
    om.Program.objects.filter(pk=world.jobs.program_id).update(renstra_program=labour_line)
    survey = ActivityFactory(
        program=world.social_program,
        code="1.06.05.003",
        name="Pendataan",
        budget=Decimal(2000),
        output_target=Decimal(10),
    )
    RealisationFactory(activity=survey, budget_spent=Decimal(500), output_achieved=Decimal(4))
    cross_program = ProgramFactory(
        work_plan=world.social_program.work_plan,
        code="1.06.06",
        name="Pendidikan",
        renstra_program=ipm_line,
    )
    cross = ActivityFactory(program=cross_program, code="1.06.06.001", budget=Decimal(700))
    ExpectedContributionFactory(activity=cross, indicator=world.poverty, amount=Decimal(10))
    return RenstraWorld(
        social_line=social_line,
        labour_line=labour_line,
        ipm_line=ipm_line,
        survey=survey,
        cross=cross,
    )
