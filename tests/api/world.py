"""A seeded world for the API tests: one region, OPD A with a 2018 plan and a 2017 approved
plan with a realisation, OPD B, an indicator with figures, contribution snapshots, and every
kind of caller (tokens and sessions).

The region is the deployment's (``DEFAULT_REGION_CODE``), so the lists' default scope for a
caller of no region (signed out, a read token) is the world's, as for a city's deployment. Its
Bappeda reviewer holds a ``BappedaRole`` for it; ``stranger`` is the Bappeda of another kota,
``province`` the Bappeda of the province the world's region sits under (who reads it and reviews
none of it).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from rest_framework.test import APIClient

from opd import models as om
from opd.clients import services as client_services
from opd.engine import compute
from targets import models as tm
from tests.factories import (
    AchievedContributionFactory,
    ActualFactory,
    AspirationFactory,
    ExpectedContributionFactory,
    OpdFactory,
    PopulationFactory,
    ProgramFactory,
    RealisationFactory,
    RegionFactory,
    TargetFactory,
    WorkPlanFactory,
)
from tests.workplans.plan_world import World, complete_activity, reviewer

ROLES = (
    "anonymous",
    "read",
    "write_own",
    "write_other",
    "member",
    "reviewer",
    "stranger",
    "province",
)


@dataclass
class ApiWorld:
    plan: World
    approved_plan: om.WorkPlan
    approved_activity: om.Activity
    realisation: om.Realisation
    other_opd: om.Opd
    aspiration: om.Aspiration
    contribution: om.ContributionState
    tokens: dict[str, str]
    bappeda: dict[str, Any]

    @property
    def opd(self) -> om.Opd:
        return self.plan.work_plan.opd

    def client(self, role: str) -> APIClient:
        client = APIClient()
        if role in self.tokens:
            client.credentials(HTTP_AUTHORIZATION=f"Token {self.tokens[role]}")
        elif role == "member":
            client.force_login(self.plan.staff)
        elif role == "reviewer":
            client.force_login(self.plan.reviewer)
        elif role in self.bappeda:
            client.force_login(self.bappeda[role])
        return client


def build(status: str = om.WorkPlan.Status.DRAFT) -> ApiWorld:
    plan = World.build(status)
    opd = plan.work_plan.opd
    region = opd.region
    province = RegionFactory(code="33", name="Jawa Tengah", kind=tm.Region.Kind.PROVINCE)
    tm.Region.objects.filter(pk=region.pk).update(
        code=settings.DEFAULT_REGION_CODE, parent=province
    )
    region.refresh_from_db()
    om.BappedaRole.objects.get_or_create(user=plan.reviewer, defaults={"region": region})
    bappeda = {
        "stranger": bappeda_of(RegionFactory(code="33.08", name="Kabupaten Magelang")),
        "province": bappeda_of(province),
    }
    TargetFactory(indicator=plan.indicator, year=2018, value=Decimal("7.38"))
    TargetFactory(indicator=plan.indicator, year=2021, value=Decimal("6.12"))
    ActualFactory(indicator=plan.indicator, year=2017, value=Decimal("8.75"))
    PopulationFactory(region=region, year=2015, value=120_952)
    approved_plan = WorkPlanFactory(
        opd=opd, plan=plan.work_plan.plan, year=2017, status=om.WorkPlan.Status.APPROVED
    )
    approved_activity = complete_activity(
        ProgramFactory(work_plan=approved_plan, code="1.06.02"),
        kelurahan=plan.kelurahan,
        code="1.06.02.001",
    )
    ExpectedContributionFactory(
        activity=approved_activity, indicator=plan.indicator, amount=Decimal(30)
    )
    realisation = RealisationFactory(activity=approved_activity, quarter=1)
    AchievedContributionFactory(
        realisation=realisation, indicator=plan.indicator, amount=Decimal(10)
    )
    other_opd = OpdFactory(region=region, code="1.07", name="Dinas Tenaga Kerja")
    aspiration = AspirationFactory(region=region, kelurahan=plan.kelurahan)
    for year in (2017, 2018):
        compute.recompute(indicator_id=plan.indicator.pk, year=year)
    contribution = om.ContributionState.objects.get(indicator=plan.indicator, year=2018)
    tokens = {
        "read": client_services.api_client_create(name="sistem-baca", scope="read", opd=None)[1],
        "write_own": client_services.api_client_create(
            name="sistem-dinsos", scope="write", opd=opd
        )[1],
        "write_other": client_services.api_client_create(
            name="sistem-disnaker", scope="write", opd=other_opd
        )[1],
    }
    return ApiWorld(
        plan=plan,
        approved_plan=approved_plan,
        approved_activity=approved_activity,
        realisation=realisation,
        other_opd=other_opd,
        aspiration=aspiration,
        contribution=contribution,
        tokens=tokens,
        bappeda=bappeda,
    )


def bappeda_of(region: tm.Region) -> Any:
    """A Bappeda user working for ``region`` (its ``BappedaRole``)."""
    user = reviewer(f"bappeda.{region.code}")
    om.BappedaRole.objects.create(user=user, region=region)
    return user


def etag(obj: Any) -> str:
    obj.refresh_from_db()
    return f'"{obj.version}"'


def region_of(world: ApiWorld) -> tm.Region:
    return world.opd.region
