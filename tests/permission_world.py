"""The world of the permission tests (``test_permissions.py``, ``test_tampering.py``).

OPD A and OPD B of one region, each with a 2018 work plan, a program and a complete
activity, and one user per role: ``anonymous``, ``member`` (head of OPD A), ``other``
(head of OPD B), ``reviewer`` (Bappeda), ``admin`` (a superuser of no OPD), ``stranger``
(Bappeda of Kota Surakarta, another kota of the same province, with an OPD, plan and
activity of its own) and ``province`` (Bappeda of the province above both, which reads and
reviews nothing of its own). Also what
the requests send (an activity's beneficiary list too), and ``snapshot`` of the rows a refused
request must leave alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from opd import models as om
from opd.beneficiaries.hashing import identity_hash
from opd.beneficiaries.rows import HEADERS
from targets import models as tm
from tests.factories import (
    ActivityFactory,
    ExpectedContributionFactory,
    IndicatorFactory,
    KelurahanFactory,
    MembershipFactory,
    OpdFactory,
    PlanFactory,
    ProgramFactory,
    RegionFactory,
    UserFactory,
    WorkPlanFactory,
)

DRAFT, SUBMITTED, RETURNED, APPROVED = "draft", "submitted", "returned", "approved"


# Rows a refused request must leave alone.
WATCHED = (
    om.WorkPlan,
    om.Program,
    om.Activity,
    om.ExpectedContribution,
    om.Realisation,
    om.AchievedContribution,
    om.AuditEntry,
    om.ReviewComment,
    om.SubmissionDeadline,
    om.Aspiration,
    om.AspirationEvent,
    om.BeneficiaryList,
    om.Beneficiary,
)


def snapshot() -> dict[str, list[dict[str, Any]]]:
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in WATCHED}


# --- the world -----------------------------------------------------------------------------------


@dataclass
class World:
    users: dict[str, Any]
    opd_a: om.Opd
    opd_b: om.Opd
    plan_a: om.WorkPlan
    program_a: om.Program
    activity_a: om.Activity
    plan_b: om.WorkPlan
    program_b: om.Program
    activity_b: om.Activity
    indicator: Any
    kelurahan: Any

    def client(self, role: str) -> Client:
        client = Client()
        if self.users[role] is not None:
            client.force_login(self.users[role])
        return client

    def set_status(self, status: str) -> None:
        om.WorkPlan.objects.filter(pk=self.plan_a.pk).update(
            status=status, submitted_at=None if status == DRAFT else timezone.now()
        )
        self.plan_a.refresh_from_db()


def _complete_activity(program: om.Program, kelurahan: Any, indicator: Any) -> om.Activity:
    """An activity that passes the checklist, contributing to the plan's indicator."""
    activity = ActivityFactory(program=program, kelurahan=kelurahan)
    ExpectedContributionFactory(activity=activity, indicator=indicator, amount=Decimal(120))
    return activity


def _elsewhere(region: tm.Region, group: Group) -> tuple[Any, Any]:
    """Put ``region`` under a province; add another kota of that province with an OPD, an RPJMD
    and a 2018 plan with a complete activity; return that kota's Bappeda (``stranger``) and the
    province's (``province``)."""
    province = RegionFactory(code="33", name="Provinsi Jawa Tengah", kind=tm.Region.Kind.PROVINCE)
    tm.Region.objects.filter(pk=region.pk).update(parent=province)
    region.refresh_from_db()
    city = RegionFactory(code="33.72", name="Kota Surakarta", parent=province)
    rpjmd = PlanFactory(region=city)
    opd = OpdFactory(region=city, code="1.06", name="Dinas Sosial Surakarta")
    program = ProgramFactory(work_plan=WorkPlanFactory(opd=opd, plan=rpjmd, year=2018))
    _complete_activity(
        program, KelurahanFactory(kecamatan__region=city), IndicatorFactory(plan=rpjmd)
    )
    people = []
    for username, works_for in (("bappeda.surakarta", city), ("bappeda.jateng", province)):
        person = UserFactory(username=username)
        person.groups.add(group)
        om.BappedaRole.objects.create(user=person, region=works_for)
        people.append(person)
    return people[0], people[1]


def build_world() -> World:
    """OPD A and B of one region, each with a 2018 plan and a complete activity, and a user
    per role (``users["anonymous"]`` is None)."""
    region = RegionFactory(code=settings.DEFAULT_REGION_CODE, name="Kota Magelang")
    rpjmd = PlanFactory(region=region)
    indicator = IndicatorFactory(plan=rpjmd)
    kelurahan = KelurahanFactory(kecamatan__region=region)
    opd_a = OpdFactory(region=region, code="1.06", name="Dinas Sosial")
    opd_b = OpdFactory(region=region, code="2.07", name="Dinas Tenaga Kerja")

    member = MembershipFactory(opd=opd_a, user__username="kepala.a").user
    other = MembershipFactory(opd=opd_b, user__username="kepala.b").user
    reviewer = UserFactory(username="bappeda")
    group, _ = Group.objects.get_or_create(name="Peninjau Bappeda")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="opd", codename="review_workplan")
    )
    reviewer.groups.add(group)
    stranger, province_reviewer = _elsewhere(region, group)
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)

    plan_a = WorkPlanFactory(opd=opd_a, plan=rpjmd, year=2018)
    program_a = ProgramFactory(work_plan=plan_a)
    activity_a = _complete_activity(program_a, kelurahan, indicator)
    plan_b = WorkPlanFactory(opd=opd_b, plan=rpjmd, year=2018)
    program_b = ProgramFactory(work_plan=plan_b)
    activity_b = _complete_activity(program_b, kelurahan, indicator)
    return World(
        users={
            "anonymous": None,
            "member": member,
            "other": other,
            "reviewer": reviewer,
            "admin": admin,
            "stranger": stranger,
            "province": province_reviewer,
        },
        opd_a=opd_a,
        opd_b=opd_b,
        plan_a=plan_a,
        program_a=program_a,
        activity_a=activity_a,
        plan_b=plan_b,
        program_b=program_b,
        activity_b=activity_b,
        indicator=indicator,
        kelurahan=kelurahan,
    )


# --- what each request sends ---------------------------------------------------------------------


def activity_data(
    w: World, activity: om.Activity | None = None, **overrides: Any
) -> dict[str, Any]:
    """A complete, valid activity form for A's plan (a new activity unless one is given)."""
    data = {
        "program": w.program_a.pk,
        "code": activity.code if activity else "1.06.01.900",
        "name": "Pelatihan keterampilan kerja",
        "output_indicator": "Warga miskin terlatih",
        "output_target": "40",
        "output_unit": "orang",
        "budget": "150000000",
        "funding_source": om.Activity.FundingSource.APBD_KOTA,
        "kelurahan": w.kelurahan.pk,
        "target_group": "Warga miskin usia kerja",
        "next_year_target": "",
        "next_year_budget": "",
        "notes": "",
        f"contribution_{w.indicator.pk}": "30",
    }
    if activity is not None:
        data["seen_version"] = activity.version
    data.update(overrides)
    return data


def realisation_data(w: World, **overrides: Any) -> dict[str, Any]:
    data = {
        "quarter": 1,
        "budget_spent": "50000000",
        "output_achieved": "10",
        "notes": "",
        f"contribution_{w.indicator.pk}": "12",
    }
    data.update(overrides)
    return data


def beneficiary_file(w: World, first: int = 1, count: int = 3) -> SimpleUploadedFile:
    """A clean CSV list of ``count`` synthetic persons in the world's kelurahan."""
    lines = [";".join(HEADERS)] + [
        f"337199{n:010d};;{w.kelurahan.code};1" for n in range(first, first + count)
    ]
    return SimpleUploadedFile(
        "daftar.csv", ("\n".join(lines) + "\n").encode(), content_type="text/csv"
    )


def beneficiary_list(w: World, persons: int = 2) -> om.BeneficiaryList:
    """A list on A's activity, written directly (whatever the plan's state), as hashes."""
    stored = om.BeneficiaryList.objects.create(
        activity=w.activity_a, persons=persons, imported_at=timezone.now()
    )
    om.Beneficiary.objects.bulk_create(
        om.Beneficiary(
            beneficiary_list=stored,
            person=identity_hash(f"337199{n:010d}"),
            kelurahan=w.kelurahan,
        )
        for n in range(1, persons + 1)
    )
    return stored


def _url(name: str, *args: int) -> str:
    return reverse(name if name == "home" else f"opd:{name}", args=args)
