"""Who may use the beneficiary list pages: each page × each role, the database unchanged on
every refusal. A member of the plan's OPD uploads and deletes while the plan is editable;
a reviewer sees the counts on the plan but uploads nothing; another OPD's member does not see
the plan (404), nor does the Bappeda of another kota of the province (``stranger``); the
province's Bappeda (``province``) reads the plan and its templates but uploads nothing (403);
an anonymous visitor is sent to sign in; a submitted plan takes no list."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from opd import models as om
from targets import models as tm
from tests.beneficiaries.pages import (
    delete_url,
    other_opd,
    plan_url,
    post_file,
    signed_in,
    store,
    the_file,
    upload_url,
)
from tests.beneficiaries.world import csv_file, nik, persons
from tests.factories import RegionFactory
from tests.workplans.plan_world import reviewer

pytestmark = pytest.mark.django_db


def scoped_bappeda(world) -> dict[str, object]:
    """Put the plan's region under a province; the Bappeda of another kota of that province
    (``stranger``) and of the province (``province``)."""
    province = RegionFactory(kind=tm.Region.Kind.PROVINCE)
    tm.Region.objects.filter(pk=world.work_plan.opd.region_id).update(parent=province)
    return {
        "stranger": reviewer("bappeda.lain", region=RegionFactory(parent=province)),
        "province": reviewer("bappeda.provinsi", region=province),
    }


def as_role(world, role: str) -> Client:
    if role == "anonymous":
        client = Client()
        client.cookies["django_language"] = "en"
        return client
    if role in ("stranger", "province"):
        return signed_in(scoped_bappeda(world)[role])
    return signed_in({"reviewer": world.reviewer, "outsider": world.outsider}[role])


def stored(world) -> list[tuple[int, bytes]]:
    return [
        (row.beneficiary_list.persons, bytes(row.person))
        for row in om.Beneficiary.objects.select_related("beneficiary_list").order_by("pk")
    ]


REFUSED = {"anonymous": 302, "reviewer": 403, "outsider": 404, "stranger": 404, "province": 403}


@pytest.mark.parametrize("role", list(REFUSED))
def test_only_the_plans_opd_uploads_or_deletes(world, role):
    store(world.activity, world.staff, range(1, 4), "Kramat Utara")
    before = stored(world)
    client = as_role(world, role)
    world.activity.refresh_from_db()
    version = world.activity.version
    answers = [
        client.get(upload_url(world)),
        post_file(client, world, csv_file(persons(5, "Kramat Utara", start=20))),
        client.get(delete_url(world)),
        client.post(delete_url(world), {"seen_version": version, "confirm": "1"}),
    ]
    for answer in answers:
        assert answer.status_code == REFUSED[role]
        if role == "anonymous":
            assert answer["Location"].startswith("/akun/masuk/")
    assert stored(world) == before
    world.activity.refresh_from_db()
    assert world.activity.version == version


@pytest.mark.parametrize("role", ["anonymous", "outsider", "stranger"])
def test_the_templates_need_the_plan_visible(world, role):
    client = as_role(world, role)
    for kind in ("xlsx", "csv"):
        answer = client.get(f"/renja/{world.work_plan.pk}/penerima-manfaat/templat.{kind}")
        assert answer.status_code == REFUSED[role]


def test_a_reviewer_sees_the_counts_but_no_upload_control(world):
    store(world.activity, world.staff, range(1, 4), "Kramat Utara")
    html = signed_in(world.reviewer).get(plan_url(world)).content.decode()
    assert 'data-testid="activity-list-1.06.01.001"' in html
    assert "3 persons" in html
    assert 'data-testid="list-upload"' not in html
    for kind in ("xlsx", "csv"):
        answer = signed_in(world.reviewer).get(
            f"/renja/{world.work_plan.pk}/penerima-manfaat/templat.{kind}"
        )
        assert answer.status_code == 200


def test_the_province_reads_the_counts_and_templates_but_uploads_nothing(world):
    store(world.activity, world.staff, range(1, 4), "Kramat Utara")
    client = as_role(world, "province")
    html = client.get(plan_url(world)).content.decode()
    assert "3 persons" in html
    assert 'data-testid="list-upload"' not in html
    for kind in ("xlsx", "csv"):
        answer = client.get(f"/renja/{world.work_plan.pk}/penerima-manfaat/templat.{kind}")
        assert answer.status_code == 200


def test_members_see_the_upload_control_while_the_plan_is_editable(world):
    for user in (world.head, world.staff):
        html = signed_in(user).get(plan_url(world)).content.decode()
        assert html.count('data-testid="list-upload"') == 1
        assert upload_url(world) in html
        assert "Upload list" in html


@pytest.mark.parametrize("status", ["submitted", "approved"])
def test_a_locked_plan_takes_no_list(world, status):
    store(world.activity, world.staff, range(1, 4), "Kramat Utara")
    before = stored(world)
    om.WorkPlan.objects.filter(pk=world.work_plan.pk).update(
        status=status, submitted_at=timezone.now(), reviewed_at=timezone.now()
    )
    client = signed_in(world.staff)
    html = client.get(plan_url(world)).content.decode()
    assert 'data-testid="list-upload"' not in html
    assert "3 persons" in html  # the counts still show
    upload = post_file(client, world, csv_file([(nik(30), "", "Kramat Utara", 1)]))
    assert upload.status_code == 302 and upload["Location"] == plan_url(world)
    world.activity.refresh_from_db()
    delete = client.post(
        delete_url(world), {"seen_version": world.activity.version, "confirm": "1"}, follow=True
    )
    assert f"The work plan is {status} and cannot be changed." in delete.content.decode()
    assert stored(world) == before


def test_another_plans_activity_is_not_found(world):
    """An activity id of another plan under this plan's URL: 404, nothing stored."""
    other = other_opd(world, code="1.07", name="Dinas Tenaga Kerja")
    url = f"/renja/{world.work_plan.pk}/kegiatan/{other.activity.pk}/penerima-manfaat/"
    client = signed_in(world.staff)
    assert client.get(url).status_code == 404
    other.activity.refresh_from_db()
    answer = client.post(
        url,
        {
            "file": the_file(csv_file(persons(2, "Kramat Utara"))),
            "seen_version": other.activity.version,
        },
    )
    assert answer.status_code == 404
    assert not om.BeneficiaryList.objects.exists()


def test_an_htmx_upload_to_a_plan_locked_meanwhile_goes_back_to_the_plan(world):
    om.WorkPlan.objects.filter(pk=world.work_plan.pk).update(
        status="submitted", submitted_at=timezone.now()
    )
    client = signed_in(world.staff)
    answer = post_file(client, world, csv_file(persons(2, "Kramat Utara")), HTTP_HX_REQUEST="true")
    assert answer["HX-Redirect"] == plan_url(world)
    assert not om.BeneficiaryList.objects.exists()
    page = client.get(plan_url(world)).content.decode()
    assert "The work plan is submitted and cannot be changed." in page
