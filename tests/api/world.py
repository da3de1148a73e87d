"""A seeded world for the API tests: one region, OPD A with a 2018 plan and a 2017 approved
plan with a realisation, OPD B, an indicator with figures, contribution snapshots, and every
kind of caller (tokens and sessions)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

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
    TargetFactory,
    WorkPlanFactory,
)
from tests.workplans.plan_world import World, complete_activity

ROLES = ("anonymous", "read", "write_own", "write_other", "member", "reviewer")


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
        return client


def build(status: str = om.WorkPlan.Status.DRAFT) -> ApiWorld:
    plan = World.build(status)
    opd = plan.work_plan.opd
    region = opd.region
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
    )


def etag(obj: Any) -> str:
    obj.refresh_from_db()
    return f'"{obj.version}"'


def region_of(world: ApiWorld) -> tm.Region:
    return world.opd.region
