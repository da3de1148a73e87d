"""The work-plan workflow services: create, submit, return, approve, reopen, deadlines.

What each does, what it refuses, what it records. Each refusal (wrong role, wrong
state, stale version, checklist) is checked to leave the database exactly as it was:
``nothing_changes`` compares every row of the work-plan tables before and after.
Each write is checked for its audit entry: who, what, and the old and new values as
the history page shows them.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from opd import models as om
from opd.workplans import services
from opd.workplans.services import ChecklistFailed, StaleEdit, WorkflowError
from tests.factories import ActivityFactory, PlanFactory
from tests.workplans.plan_world import World, complete_activity, member
from tests.workplans.service_checks import (
    _update_activity,
    audit,
    last_audit,
    nothing_changes,
    plan_version,
)

pytestmark = pytest.mark.django_db

Status = om.WorkPlan.Status
Action = om.AuditEntry.Action


@pytest.fixture
def world() -> World:
    return World.build()


@pytest.fixture
def submitted() -> World:
    return World.build(status=Status.SUBMITTED)


@pytest.fixture
def approved() -> World:
    return World.build(status=Status.APPROVED)


# --- work_plan_create -----------------------------------------------------------------------------


def test_work_plan_create_starts_a_draft_under_the_covering_rpjmd(world):
    work_plan = services.work_plan_create(opd=world.work_plan.opd, year=2019, by=world.head)
    assert (work_plan.status, work_plan.version, work_plan.year) == (Status.DRAFT, 1, 2019)
    assert work_plan.plan == world.work_plan.plan
    (entry,) = audit(work_plan)
    assert (entry.action, entry.actor, entry.actor_name) == (
        Action.CREATE,
        world.head,
        "Kepala Dinsos",
    )
    assert (entry.object_type, entry.object_id) == ("workplan", work_plan.pk)
    assert (entry.version, entry.plan_version) == (1, 1)


def test_work_plan_create_picks_the_plan_of_the_year(world):
    region = world.work_plan.opd.region
    later = PlanFactory(region=region, first_year=2022, last_year=2026, name="RPJMD 2021–2026")
    work_plan = services.work_plan_create(opd=world.work_plan.opd, year=2022, by=world.staff)
    assert work_plan.plan == later


@pytest.mark.parametrize(
    ("who", "year", "error"),
    [
        ("outsider", 2019, PermissionDenied),
        ("reviewer", 2019, PermissionDenied),
        ("head", 2018, WorkflowError),  # one plan per OPD and year
        ("head", 2022, WorkflowError),  # no RPJMD covers the year
    ],
)
def test_work_plan_create_refused(world, who, year, error):
    with nothing_changes(), pytest.raises(error):
        services.work_plan_create(opd=world.work_plan.opd, year=year, by=getattr(world, who))


# --- work_plan_submit -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["head", "staff"])
@pytest.mark.parametrize("status", [Status.DRAFT, Status.RETURNED])
def test_submit_a_complete_plan(who, status):
    world = World.build(status=status)
    by = getattr(world, who)
    seen = world.work_plan.version
    work_plan = services.work_plan_submit(work_plan_id=world.work_plan.pk, by=by, seen_version=seen)
    work_plan.refresh_from_db()
    assert work_plan.status == Status.SUBMITTED
    assert work_plan.submitted_by == by and work_plan.submitted_at is not None
    assert work_plan.version == seen + 1
    entry = last_audit()
    assert (entry.action, entry.actor, entry.object_id) == (Action.SUBMIT, by, work_plan.pk)
    # Values, not labels: the history renders them in each viewer's language.
    assert entry.changes == {"status": {"old": str(status), "new": "submitted"}}
    assert entry.version == entry.plan_version == work_plan.version


@pytest.mark.parametrize("who", ["reviewer", "outsider"])
def test_submit_refused_to_others_than_the_opd(world, who):
    with nothing_changes(), pytest.raises(PermissionDenied):
        services.work_plan_submit(
            work_plan_id=world.work_plan.pk, by=getattr(world, who), seen_version=1
        )


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.APPROVED])
def test_submit_refused_unless_draft_or_returned(status):
    world = World.build(status=status)
    with nothing_changes(), pytest.raises(WorkflowError):
        services.work_plan_submit(work_plan_id=world.work_plan.pk, by=world.head, seen_version=1)


def test_submit_of_a_stale_plan_is_refused_with_what_changed(world):
    seen = world.work_plan.version  # the head opened the plan page...
    _update_activity(world, world.staff, world.activity.version, budget=Decimal(300_000_000))
    with nothing_changes(), pytest.raises(StaleEdit) as stale:  # ...and submits it unseen
        services.work_plan_submit(work_plan_id=world.work_plan.pk, by=world.head, seen_version=seen)
    assert stale.value.current_version == seen + 1
    (change,) = stale.value.changes
    assert (change.action, change.object_id, change.actor) == (
        Action.UPDATE,
        world.activity.pk,
        world.staff,
    )
    assert change.changes == {"budget": {"old": "250000000", "new": "300000000"}}


def test_submit_refused_while_the_checklist_finds_problems(world):
    om.Activity.objects.filter(pk=world.activity.pk).update(target_group="")
    with nothing_changes(), pytest.raises(ChecklistFailed) as failed:
        services.work_plan_submit(work_plan_id=world.work_plan.pk, by=world.head, seen_version=1)
    (problem,) = failed.value.problems
    assert (problem.code, problem.activity_id) == ("target_group", world.activity.pk)


# --- work_plan_return -----------------------------------------------------------------------------


def test_return_with_comments_on_the_plan_and_on_activities(submitted):
    world = submitted
    other = complete_activity(world.program, code="1.06.01.002")
    silent = complete_activity(world.program, code="1.06.01.003")
    work_plan = services.work_plan_return(
        work_plan_id=world.work_plan.pk,
        by=world.reviewer,
        seen_version=1,
        comment="  Lengkapi lokasi kegiatan.  ",
        activity_comments={
            world.activity.pk: "Target terlalu rendah.",
            other.pk: "Sumber dana?",
            silent.pk: "   ",
        },
    )
    work_plan.refresh_from_db()
    assert work_plan.status == Status.RETURNED
    assert work_plan.reviewed_by == world.reviewer and work_plan.reviewed_at is not None
    comments = {
        c.activity_id: (c.kind, c.text, c.author)
        for c in om.ReviewComment.objects.filter(work_plan=work_plan)
    }
    assert comments == {
        None: ("return", "Lengkapi lokasi kegiatan.", world.reviewer),
        world.activity.pk: ("return", "Target terlalu rendah.", world.reviewer),
        other.pk: ("return", "Sumber dana?", world.reviewer),
    }
    entry = last_audit()
    assert (entry.action, entry.actor, entry.note) == (
        Action.RETURN,
        world.reviewer,
        "Lengkapi lokasi kegiatan.",
    )
    assert entry.changes["status"] == {
        "old": "submitted",
        "new": "returned",
    }


@pytest.mark.parametrize(
    ("who", "status", "comment", "error"),
    [
        ("head", Status.SUBMITTED, "Lengkapi.", PermissionDenied),
        ("outsider", Status.SUBMITTED, "Lengkapi.", PermissionDenied),
        ("reviewer", Status.DRAFT, "Lengkapi.", WorkflowError),
        ("reviewer", Status.APPROVED, "Lengkapi.", WorkflowError),
        ("reviewer", Status.SUBMITTED, " \n ", WorkflowError),  # a comment is required
    ],
)
def test_return_refused(who, status, comment, error):
    world = World.build(status=status)
    with nothing_changes(), pytest.raises(error):
        services.work_plan_return(
            work_plan_id=world.work_plan.pk, by=getattr(world, who), seen_version=1, comment=comment
        )


def test_return_refuses_a_comment_on_an_activity_of_another_plan(submitted):
    foreign = ActivityFactory()
    with nothing_changes(), pytest.raises(WorkflowError):
        services.work_plan_return(
            work_plan_id=submitted.work_plan.pk,
            by=submitted.reviewer,
            seen_version=1,
            comment="Lengkapi.",
            activity_comments={foreign.pk: "Bukan kegiatan rencana ini."},
        )


def test_return_of_a_stale_plan_is_refused(submitted):
    om.WorkPlan.objects.filter(pk=submitted.work_plan.pk).update(version=2)
    with nothing_changes(), pytest.raises(StaleEdit) as stale:
        services.work_plan_return(
            work_plan_id=submitted.work_plan.pk,
            by=submitted.reviewer,
            seen_version=1,
            comment="Lengkapi.",
        )
    assert stale.value.current_version == 2


# --- work_plan_approve ----------------------------------------------------------------------------


def test_approve_locks_the_plan(submitted):
    world = submitted
    work_plan = services.work_plan_approve(
        work_plan_id=world.work_plan.pk, by=world.reviewer, seen_version=1
    )
    work_plan.refresh_from_db()
    assert (work_plan.status, work_plan.version) == (Status.APPROVED, 2)
    assert work_plan.reviewed_by == world.reviewer
    entry = last_audit()
    assert (entry.action, entry.actor, entry.version) == (Action.APPROVE, world.reviewer, 2)
    assert entry.changes == {"status": {"old": "submitted", "new": "approved"}}
    world.refresh()
    locked_out = [
        lambda: _update_activity(world, world.head, world.activity.version, budget=Decimal(1)),
        lambda: services.activity_delete(
            activity_id=world.activity.pk, by=world.head, seen_version=world.activity.version
        ),
        lambda: services.program_create(
            work_plan_id=work_plan.pk, by=world.head, values={"code": "9", "name": "Baru"}
        ),
        lambda: services.program_update(
            program_id=world.program.pk, by=world.head, values={"name": "X"}, seen_version=1
        ),
        lambda: services.work_plan_submit(work_plan_id=work_plan.pk, by=world.head, seen_version=2),
    ]
    for change in locked_out:
        with nothing_changes(), pytest.raises(WorkflowError):
            change()


@pytest.mark.parametrize(
    ("who", "status", "error"),
    [
        ("head", Status.SUBMITTED, PermissionDenied),
        ("staff", Status.SUBMITTED, PermissionDenied),
        ("reviewer", Status.DRAFT, WorkflowError),
        ("reviewer", Status.RETURNED, WorkflowError),
        ("reviewer", Status.APPROVED, WorkflowError),
    ],
)
def test_approve_refused(who, status, error):
    world = World.build(status=status)
    with nothing_changes(), pytest.raises(error):
        services.work_plan_approve(
            work_plan_id=world.work_plan.pk, by=getattr(world, who), seen_version=1
        )


def test_approve_of_a_stale_plan_is_refused(submitted):
    om.WorkPlan.objects.filter(pk=submitted.work_plan.pk).update(version=3)
    with nothing_changes(), pytest.raises(StaleEdit) as stale:
        services.work_plan_approve(
            work_plan_id=submitted.work_plan.pk, by=submitted.reviewer, seen_version=2
        )
    assert stale.value.current_version == 3


# --- work_plan_reopen -----------------------------------------------------------------------------


def test_reopen_with_a_reason_unlocks_the_plan(approved):
    world = approved
    work_plan = services.work_plan_reopen(
        work_plan_id=world.work_plan.pk,
        by=world.reviewer,
        seen_version=1,
        reason=" Pagu berubah setelah APBD-P. ",
    )
    work_plan.refresh_from_db()
    assert (work_plan.status, work_plan.version) == (Status.REOPENED, 2)
    comment = om.ReviewComment.objects.get(work_plan=work_plan)
    assert (comment.kind, comment.text, comment.author, comment.activity) == (
        "reopen",
        "Pagu berubah setelah APBD-P.",
        world.reviewer,
        None,
    )
    entry = last_audit()
    assert (entry.action, entry.actor, entry.note) == (
        Action.REOPEN,
        world.reviewer,
        "Pagu berubah setelah APBD-P.",
    )
    assert entry.changes == {"status": {"old": "approved", "new": "reopened"}}
    # The OPD may change it again, and submit it again.
    activity = _update_activity(world, world.head, 1, budget=Decimal(200_000_000))
    assert activity.version == 2
    work_plan.refresh_from_db()
    services.work_plan_submit(
        work_plan_id=work_plan.pk, by=world.head, seen_version=work_plan.version
    )
    work_plan.refresh_from_db()
    assert work_plan.status == Status.SUBMITTED


@pytest.mark.parametrize(
    ("who", "status", "reason", "error"),
    [
        ("head", Status.APPROVED, "Pagu berubah.", PermissionDenied),
        ("outsider", Status.APPROVED, "Pagu berubah.", PermissionDenied),
        ("reviewer", Status.SUBMITTED, "Pagu berubah.", WorkflowError),
        ("reviewer", Status.DRAFT, "Pagu berubah.", WorkflowError),
        ("reviewer", Status.APPROVED, "  ", WorkflowError),  # a reason is required
    ],
)
def test_reopen_refused(who, status, reason, error):
    world = World.build(status=status)
    with nothing_changes(), pytest.raises(error):
        services.work_plan_reopen(
            work_plan_id=world.work_plan.pk, by=getattr(world, who), seen_version=1, reason=reason
        )


def test_reopen_of_a_stale_plan_is_refused(approved):
    om.WorkPlan.objects.filter(pk=approved.work_plan.pk).update(version=2)
    with nothing_changes(), pytest.raises(StaleEdit):
        services.work_plan_reopen(
            work_plan_id=approved.work_plan.pk, by=approved.reviewer, seen_version=1, reason="X"
        )


def test_the_whole_workflow_is_in_the_history(world):
    def version() -> int:
        return plan_version(world)

    plan = world.work_plan.pk
    services.work_plan_submit(work_plan_id=plan, by=world.head, seen_version=version())
    services.work_plan_return(
        work_plan_id=plan,
        by=world.reviewer,
        seen_version=version(),
        comment="Naikkan target.",
        activity_comments={world.activity.pk: "Target 100 KK terlalu rendah."},
    )
    _update_activity(world, world.staff, 1, output_target=Decimal(150))
    services.work_plan_submit(work_plan_id=plan, by=world.head, seen_version=version())
    services.work_plan_approve(work_plan_id=plan, by=world.reviewer, seen_version=version())
    services.work_plan_reopen(
        work_plan_id=plan, by=world.reviewer, seen_version=version(), reason="APBD-P."
    )
    history = [(e.action, e.object_type, e.actor, e.plan_version) for e in audit(world.work_plan)]
    assert history == [
        (Action.SUBMIT, "workplan", world.head, 2),
        (Action.RETURN, "workplan", world.reviewer, 3),
        (Action.UPDATE, "activity", world.staff, 4),
        (Action.SUBMIT, "workplan", world.head, 5),
        (Action.APPROVE, "workplan", world.reviewer, 6),
        (Action.REOPEN, "workplan", world.reviewer, 7),
    ]
    assert audit(world.work_plan)[2].changes == {"output_target": {"old": "100", "new": "150"}}


# --- deadlines ------------------------------------------------------------------------------------


def test_deadline_set_and_moved(world):
    region = world.work_plan.opd.region
    deadline = services.deadline_set(
        region=region, year=2018, due_date=date(2017, 9, 8), by=world.reviewer
    )
    assert (deadline.due_date, deadline.set_by) == (date(2017, 9, 8), world.reviewer)
    other = reviewer_of(world)
    moved = services.deadline_set(region=region, year=2018, due_date=date(2017, 9, 15), by=other)
    assert moved.pk == deadline.pk
    assert om.SubmissionDeadline.objects.get().due_date == date(2017, 9, 15)
    assert om.SubmissionDeadline.objects.get().set_by == other


@pytest.mark.parametrize("who", ["head", "staff"])
def test_deadline_set_refused_to_opd_members(world, who):
    with nothing_changes(), pytest.raises(PermissionDenied):
        services.deadline_set(
            region=world.work_plan.opd.region,
            year=2018,
            due_date=date(2017, 9, 8),
            by=getattr(world, who),
        )


def reviewer_of(world: World) -> Any:
    from tests.workplans.plan_world import reviewer

    return reviewer("bappeda2", region=world.work_plan.opd.region)


def test_member_helper_gives_an_opd_role(world):
    person = member(world.work_plan.opd, om.OpdMembership.Role.STAFF)
    assert om.OpdMembership.objects.get(user=person).role == "staff"
