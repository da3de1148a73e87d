"""An aspiration's world: the work-plan world of ``tests/workplans/plan_world.py`` plus the
staff of the aspiration's kelurahan, of its kecamatan and of another kecamatan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from opd import models as om
from opd.aspirations import services
from tests.factories import AreaStaffFactory, KecamatanFactory, UserFactory
from tests.workplans.plan_world import World

INTAKE = {
    "forum": om.AspirationForum.MUSRENBANG_KELURAHAN,
    "year": 2018,
    "title": "Pelatihan menjahit bagi ibu rumah tangga",
    "description": "Usulan RW 04.",
    "category": om.AspirationCategory.ECONOMY,
    "priority": 2,
    "proposer": "Ibu Sri Lestari",
    "proposer_kind": "person",
    "proposer_contact": "0812 3456 7890",
    "received_on": date(2017, 1, 23),
}


def deployed_here(region: Any) -> None:
    """Make ``region`` the deployment's region (``DEFAULT_REGION_CODE``), the one Bappeda
    reviews (``roles.reviewed_region_id``): the world's reviewer acts for it."""
    from django.conf import settings

    type(region).objects.filter(pk=region.pk).update(code=settings.DEFAULT_REGION_CODE)
    region.refresh_from_db()


@dataclass
class AspirationWorld:
    plan: World
    kelurahan_staff: Any
    kecamatan_staff: Any
    other_area_staff: Any
    anonymous: Any

    @classmethod
    def build(cls, status: str = om.WorkPlan.Status.DRAFT) -> AspirationWorld:
        from django.contrib.auth.models import AnonymousUser

        plan = World.build(status=status)
        deployed_here(plan.work_plan.opd.region)
        kelurahan = plan.kelurahan
        other = KecamatanFactory(region=kelurahan.kecamatan.region, name="Magelang Selatan")
        return cls(
            plan=plan,
            kelurahan_staff=AreaStaffFactory(
                user=UserFactory(username="staf.kramat"), kelurahan=kelurahan
            ).user,
            kecamatan_staff=AreaStaffFactory(
                user=UserFactory(username="staf.kec.utara"),
                kelurahan=None,
                kecamatan=kelurahan.kecamatan,
            ).user,
            other_area_staff=AreaStaffFactory(
                user=UserFactory(username="staf.kec.selatan"), kelurahan=None, kecamatan=other
            ).user,
            anonymous=AnonymousUser(),
        )

    def who(self, name: str) -> Any:
        """A role by name: reviewer, head, staff, outsider (another OPD), kelurahan_staff,
        kecamatan_staff, other_area_staff, anonymous."""
        if hasattr(self.plan, name):
            return getattr(self.plan, name)
        return getattr(self, name)

    def record(self, **values: Any) -> om.Aspiration:
        return services.aspiration_create(
            by=self.plan.reviewer, values={**INTAKE, "kelurahan": self.plan.kelurahan, **values}
        )

    def at(self, status: str) -> om.Aspiration:
        """A recorded aspiration moved through the services up to ``status``."""
        reviewer, head = self.plan.reviewer, self.plan.head
        aspiration = self.record()
        steps = [
            ("verified", lambda a: services.aspiration_verify(
                aspiration_id=a.pk, by=reviewer, seen_version=a.version)),
            ("recommended", lambda a: services.aspiration_recommend(
                aspiration_id=a.pk, by=reviewer, seen_version=a.version,
                opd=self.plan.work_plan.opd)),
            ("accepted", lambda a: services.aspiration_accept(
                aspiration_id=a.pk, by=head, seen_version=a.version,
                activity=self.plan.activity)),
        ]  # fmt: skip
        for _stage, step in steps:
            if aspiration.status == status:
                break
            aspiration = step(aspiration)
        assert aspiration.status == status
        return aspiration
