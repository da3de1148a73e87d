"""Builders for work-plan tests: an OPD with its people, a plan ready to submit, a reviewer.

Plain functions over the factories, shared by the service, checklist, concurrency
and query-count tests. Everything is built in one region, so the cross-row rules
(kelurahan in the region, indicators of the plan) hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Permission

from opd import models as om
from targets import models as tm
from tests.factories import (
    ActivityFactory,
    ExpectedContributionFactory,
    IndicatorFactory,
    KecamatanFactory,
    KelurahanFactory,
    MembershipFactory,
    OpdFactory,
    ProgramFactory,
    UserFactory,
    WorkPlanFactory,
)

PASSWORD = "rahasia-demo-123"  # the factories' password


def reviewer(username: str = "bappeda", region: Any = None) -> Any:
    """A Bappeda reviewer: a plain user with ``opd.review_workplan``, no superuser shortcut,
    working for ``region`` (a ``BappedaRole``); without one, for the deployment's region."""
    user = UserFactory(username=username, first_name="Peninjau", last_name="Bappeda")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="opd", codename="review_workplan")
    )
    if region is not None:  # a second world's "bappeda" is the first one's (get_or_create)
        om.BappedaRole.objects.get_or_create(user=user, defaults={"region": region})
    return user


def member(opd: om.Opd, role: str = om.OpdMembership.Role.HEAD, **user: Any) -> Any:
    person = UserFactory(**user)
    MembershipFactory(opd=opd, user=person, role=role)
    return person


def complete_activity(program: om.Program, **values: Any) -> om.Activity:
    """An activity that passes every checklist item, placed in a kelurahan of the OPD's region."""
    if "kelurahan" not in values:
        region = program.work_plan.opd.region
        values["kelurahan"] = tm.Kelurahan.objects.filter(
            kecamatan__region=region
        ).first() or KelurahanFactory(kecamatan__region=region)
    return ActivityFactory(program=program, **values)


@dataclass
class World:
    """A draft plan with one program and one complete activity contributing to one indicator."""

    work_plan: om.WorkPlan
    head: Any
    staff: Any
    outsider: Any
    reviewer: Any
    indicator: tm.Indicator
    kelurahan: tm.Kelurahan
    program: om.Program
    activity: om.Activity
    contribution: om.ExpectedContribution

    @classmethod
    def build(cls, status: str = om.WorkPlan.Status.DRAFT) -> World:
        work_plan = WorkPlanFactory(status=status, opd__code="1.06", opd__name="Dinas Sosial")
        opd = work_plan.opd
        kelurahan = KelurahanFactory(
            kecamatan=KecamatanFactory(region=opd.region, name="Magelang Utara"),
            name="Kramat Utara",
        )
        indicator = IndicatorFactory(plan=work_plan.plan, code="KMS")
        program = ProgramFactory(work_plan=work_plan, code="1.06.01")
        activity = complete_activity(program, kelurahan=kelurahan, code="1.06.01.001")
        contribution = ExpectedContributionFactory(
            activity=activity, indicator=indicator, amount=Decimal(40)
        )
        return cls(
            work_plan=work_plan,
            head=member(opd, username="kepala", first_name="Kepala", last_name="Dinsos"),
            staff=member(opd, om.OpdMembership.Role.STAFF, username="staf"),
            outsider=member(OpdFactory(region=opd.region), username="kepala.lain"),
            reviewer=reviewer(region=opd.region),
            indicator=indicator,
            kelurahan=kelurahan,
            program=program,
            activity=activity,
            contribution=contribution,
        )

    def refresh(self) -> World:
        for row in (self.work_plan, self.program, self.activity):
            row.refresh_from_db()
        return self
