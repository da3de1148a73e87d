"""Programs through the API, and reopening a plan.

A work plan started through the API could not be filled: there was no way to add the
program its activities belong to. The rules are the browser's (``opd.workplans.services``).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from opd import models as om
from tests.api.world import build, etag

pytestmark = pytest.mark.django_db


def test_a_plan_started_through_the_api_can_be_filled_through_it() -> None:
    world = build()
    api = world.client("write_own")
    started = api.post("/api/v1/work-plans/", {"opd": world.opd.pk, "year": 2019}, format="json")
    assert started.status_code == 201, started.json()
    plan_id = started.json()["id"]

    created = api.post(
        "/api/v1/programs/",
        {
            "work_plan": plan_id,
            "code": "1.06.03",
            "name": "Program Perlindungan Sosial",
            "outcome_indicator": "Persentase PMKS tertangani",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created["ETag"] == '"1"'
    program = created.json()
    assert program["work_plan"] == plan_id and program["version"] == 1
    assert om.AuditEntry.objects.filter(
        object_type="program", object_id=program["id"], action="create"
    ).exists()

    activity = api.post(
        "/api/v1/activities/",
        {"program": program["id"], "code": "1.06.03.001", "name": "Bantuan sosial"},
        format="json",
    )
    assert activity.status_code == 201, activity.json()
    assert activity.json()["work_plan"] == plan_id


def test_program_changes_need_the_etag_and_follow_the_plan_state() -> None:
    world = build()
    api = world.client("write_own")
    url = f"/api/v1/programs/{world.plan.program.pk}/"
    read = api.get(url)
    assert read.status_code == 200 and read["ETag"] == '"1"'

    assert api.patch(url, {"name": "Baru"}, format="json").status_code == 428
    stale = api.patch(url, {"name": "Baru"}, format="json", HTTP_IF_MATCH='"7"')
    assert stale.status_code == 412
    done = api.patch(url, {"name": "Program Baru"}, format="json", HTTP_IF_MATCH=read["ETag"])
    assert done.status_code == 200, done.json()
    assert done.json()["name"] == "Program Baru" and done["ETag"] == '"2"'

    moved = api.patch(
        url, {"work_plan": world.approved_plan.pk}, format="json", HTTP_IF_MATCH=done["ETag"]
    )
    assert moved.status_code == 400 and "work_plan" in moved.json()

    # A program with activities is emptied first, as in the browser.
    refused = api.delete(url, HTTP_IF_MATCH=done["ETag"])
    assert refused.status_code == 409
    assert om.Program.objects.filter(pk=world.plan.program.pk).exists()

    approved = world.approved_plan.programs.get()
    frozen = api.patch(
        f"/api/v1/programs/{approved.pk}/",
        {"name": "Diubah"},
        format="json",
        HTTP_IF_MATCH=etag(approved),
    )
    assert frozen.status_code == 409


def test_an_empty_program_is_deleted() -> None:
    world = build()
    api = world.client("member")
    created = api.post(
        "/api/v1/programs/",
        {"work_plan": world.plan.work_plan.pk, "code": "1.06.09", "name": "Sementara"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    url = f"/api/v1/programs/{created.json()['id']}/"
    assert api.delete(url, HTTP_IF_MATCH=created["ETag"]).status_code == 204
    assert api.get(url).status_code == 404


def test_a_second_program_with_the_same_code_is_refused_in_words() -> None:
    world = build()
    response = world.client("write_own").post(
        "/api/v1/programs/",
        {"work_plan": world.plan.work_plan.pk, "code": world.plan.program.code, "name": "Dua"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    (message,) = response.json()["non_field_errors"]
    assert message == "Program with this Work plan and Code already exists."


def test_programs_are_filtered_by_year_opd_and_work_plan() -> None:
    world = build()
    api = world.client("reviewer")
    every = api.get("/api/v1/programs/").json()
    assert every["count"] == 2
    by_year = api.get("/api/v1/programs/", {"year": 2017}).json()["results"]
    assert [row["id"] for row in by_year] == [world.approved_plan.programs.get().pk]
    by_plan = api.get("/api/v1/programs/", {"work_plan": world.plan.work_plan.pk}).json()
    assert [row["id"] for row in by_plan["results"]] == [world.plan.program.pk]
    assert api.get("/api/v1/programs/", {"opd": "1.06"}).json()["count"] == 2
    assert api.get("/api/v1/programs/", {"opd": world.other_opd.pk}).json()["count"] == 0
    assert api.get("/api/v1/programs/", {"year": "abc"}).status_code == 400


def test_outcome_target_and_unit_go_through_the_api() -> None:
    """The program form's outcome target and unit (item 13) are the API's too."""
    world = build()
    api = world.client("write_own")
    url = f"/api/v1/programs/{world.plan.program.pk}/"
    done = api.patch(
        url,
        {"outcome_target": "85.50", "outcome_unit": "persen"},
        format="json",
        HTTP_IF_MATCH=etag(world.plan.program),
    )
    assert done.status_code == 200, done.json()
    assert done.json()["outcome_target"] == "85.50" and done.json()["outcome_unit"] == "persen"
    world.plan.program.refresh_from_db()
    assert world.plan.program.outcome_target == Decimal("85.50")
    negative = api.patch(url, {"outcome_target": "-1"}, format="json", HTTP_IF_MATCH=done["ETag"])
    assert negative.status_code == 400 and "outcome_target" in negative.json()


def test_bappeda_reopens_an_approved_plan_with_a_reason() -> None:
    world = build(om.WorkPlan.Status.APPROVED)
    plan = world.plan.work_plan
    url = f"/api/v1/work-plans/{plan.pk}/reopen/"
    reviewer = world.client("reviewer")

    assert reviewer.post(url, {"reason": "Revisi"}, format="json").status_code == 428
    blank = reviewer.post(url, {"reason": "  "}, format="json", HTTP_IF_MATCH=etag(plan))
    assert blank.status_code == 400 and "reason" in blank.json()
    member = world.client("member").post(
        url, {"reason": "Revisi"}, format="json", HTTP_IF_MATCH=etag(plan)
    )
    assert member.status_code == 403

    done = reviewer.post(
        url, {"reason": "Revisi pagu APBD-P"}, format="json", HTTP_IF_MATCH=etag(plan)
    )
    assert done.status_code == 200, done.json()
    plan.refresh_from_db()
    assert plan.status not in (om.WorkPlan.Status.APPROVED, om.WorkPlan.Status.SUBMITTED)
    assert done.json()["status"] == plan.status and done["ETag"] == f'"{plan.version}"'
    reason = om.ReviewComment.objects.get(work_plan=plan, kind=om.ReviewComment.Kind.REOPEN)
    assert reason.text == "Revisi pagu APBD-P"

    # Reopened, the OPD changes it again through the API.
    program = world.client("write_own").patch(
        f"/api/v1/programs/{world.plan.program.pk}/",
        {"name": "Setelah dibuka"},
        format="json",
        HTTP_IF_MATCH=etag(world.plan.program),
    )
    assert program.status_code == 200, program.json()

    again = reviewer.post(url, {"reason": "Lagi"}, format="json", HTTP_IF_MATCH=etag(plan))
    assert again.status_code == 409
