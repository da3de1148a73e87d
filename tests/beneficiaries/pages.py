"""Helpers of the beneficiary page tests: signed-in clients, the pages' URLs, lists stored
through the service, and a second OPD of the same region and year."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from opd import models as om
from opd.beneficiaries.services import beneficiary_list_replace
from tests.beneficiaries.world import csv_file, nik
from tests.factories import ProgramFactory, WorkPlanFactory
from tests.workplans.plan_world import World, complete_activity, member


def signed_in(user: Any) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(user)
    return client


def upload_url(world: World, activity: om.Activity | None = None) -> str:
    activity = activity or world.activity
    return reverse("opd:beneficiary_upload", args=[world.work_plan.pk, activity.pk])


def delete_url(world: World) -> str:
    return reverse("opd:beneficiary_delete", args=[world.work_plan.pk, world.activity.pk])


def plan_url(world: World) -> str:
    return reverse("opd:work_plan", args=[world.work_plan.pk])


def the_file(data: bytes, name: str = "daftar.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def post_file(client: Client, world: World, data: bytes, *, version: int | None = None, **kw: Any):
    world.activity.refresh_from_db()
    return client.post(
        upload_url(world),
        {
            "file": the_file(data, kw.pop("name", "daftar.csv")),
            "seen_version": world.activity.version if version is None else version,
        },
        **kw,
    )


def store(activity: om.Activity, by: Any, numbers: range | list[int], kelurahan: str) -> None:
    """A list of the persons numbered ``numbers`` on ``activity``, through the service."""
    activity.refresh_from_db()
    beneficiary_list_replace(
        activity_id=activity.pk,
        by=by,
        name="daftar.csv",
        data=csv_file((nik(n), "", kelurahan, (n % 10) + 1) for n in numbers),
        seen_version=activity.version,
    )


@dataclass
class OtherOpd:
    """A second OPD of the world's region with a draft plan of the same year: one activity."""

    opd: om.Opd
    head: Any
    activity: om.Activity


def other_opd(world: World, *, code: str, name: str, year: int | None = None) -> OtherOpd:
    opd = world.work_plan.opd
    work_plan = WorkPlanFactory(
        opd__region=opd.region,
        opd__code=code,
        opd__name=name,
        plan=world.work_plan.plan,
        year=year or world.work_plan.year,
    )
    program = ProgramFactory(work_plan=work_plan, code=f"{code}.01")
    activity = complete_activity(program, kelurahan=world.kelurahan, code=f"{code}.01.001")
    return OtherOpd(opd=work_plan.opd, head=member(work_plan.opd), activity=activity)
