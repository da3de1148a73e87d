"""Every write service of the work plans: what it does, what it refuses, what it records.

Each refusal (wrong role, wrong state, stale version, checklist) is checked to leave
the database exactly as it was: ``nothing_changes`` compares every row of the
work-plan tables before and after. Each write is checked for its audit entry:
who, what, and the old and new values as the history page shows them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from opd import models as om
from opd.workplans import services
from opd.workplans.services import ActivityData, ChecklistFailed, StaleEdit, WorkflowError
from tests.factories import (
    ActivityFactory,
    IndicatorFactory,
    PlanFactory,
    ProgramFactory,
    RealisationFactory,
)
from tests.workplans.plan_world import World, complete_activity, member

pytestmark = pytest.mark.django_db

Status = om.WorkPlan.Status
Action = om.AuditEntry.Action

STATE_MODELS = (
    om.WorkPlan,
    om.Program,
    om.Activity,
    om.ExpectedContribution,
    om.Realisation,
    om.AchievedContribution,
    om.ReviewComment,
    om.AuditEntry,
    om.SubmissionDeadline,
)


def db_state() -> dict[str, list[dict[str, Any]]]:
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in STATE_MODELS}


@contextmanager
def nothing_changes() -> Iterator[None]:
    """The block (a refused call) leaves every work-plan row as it was."""
    before = db_state()
    yield
    assert db_state() == before


def audit(work_plan: om.WorkPlan) -> list[om.AuditEntry]:
    """The plan's audit entries, oldest first."""
    return list(om.AuditEntry.objects.filter(work_plan=work_plan).order_by("at", "pk"))


def last_audit() -> om.AuditEntry:
    return om.AuditEntry.objects.order_by("-pk").first()


def plan_version(world: World) -> int:
    return om.WorkPlan.objects.values_list("version", flat=True).get(pk=world.work_plan.pk)


@pytest.fixture
def world() -> World:
    return World.build()


@pytest.fixture
def submitted() -> World:
    return World.build(status=Status.SUBMITTED)


@pytest.fixture
def approved() -> World:
    return World.build(status=Status.APPROVED)


def _activity_values(world: World, **changes: Any) -> dict[str, Any]:
    """The activity's editable values as the form hands them to the service."""
    activity = world.activity
    values = {name: getattr(activity, name) for name in services.ACTIVITY_FIELDS}
    return {**values, **changes}


def _update_activity(world: World, by: Any, seen_version: int, **changes: Any) -> om.Activity:
    contributions = changes.pop("contributions", {})
    return services.activity_update(
        activity_id=world.activity.pk,
        by=by,
        data=ActivityData(values=_activity_values(world, **changes), contributions=contributions),
        seen_version=seen_version,
    )


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


# --- programs -------------------------------------------------------------------------------------


def test_program_create(world):
    program = services.program_create(
        work_plan_id=world.work_plan.pk,
        by=world.staff,
        values={"code": "1.06.02", "name": "Program Pemberdayaan Sosial", "outcome_indicator": ""},
    )
    assert (program.work_plan, program.version) == (world.work_plan, 1)
    assert plan_version(world) == 2
    entry = last_audit()
    assert (entry.action, entry.actor, entry.object_type, entry.object_id) == (
        Action.CREATE,
        world.staff,
        "program",
        program.pk,
    )
    assert (entry.version, entry.plan_version) == (1, 2)
    assert entry.changes == {
        "code": {"old": None, "new": "1.06.02"},
        "name": {"old": None, "new": "Program Pemberdayaan Sosial"},
    }


def test_program_update(world):
    program = services.program_update(
        program_id=world.program.pk,
        by=world.head,
        values={"code": "1.06.01", "name": "Program Rehabilitasi Sosial", "outcome_indicator": ""},
        seen_version=1,
    )
    program.refresh_from_db()
    assert (program.name, program.version) == ("Program Rehabilitasi Sosial", 2)
    assert plan_version(world) == 2
    entry = last_audit()
    assert (entry.action, entry.actor, entry.version) == (Action.UPDATE, world.head, 2)
    assert entry.changes == {
        "name": {
            "old": "Program Perlindungan dan Jaminan Sosial",
            "new": "Program Rehabilitasi Sosial",
        }
    }


def test_program_update_stale_is_refused_with_what_changed(world):
    services.program_update(
        program_id=world.program.pk,
        by=world.staff,
        values={"outcome_indicator": "Keluarga miskin mandiri"},
        seen_version=1,
    )
    with nothing_changes(), pytest.raises(StaleEdit) as stale:
        services.program_update(
            program_id=world.program.pk, by=world.head, values={"name": "Lain"}, seen_version=1
        )
    assert stale.value.current_version == 2
    (change,) = stale.value.changes
    assert change.actor == world.staff
    assert change.changes == {"outcome_indicator": {"old": None, "new": "Keluarga miskin mandiri"}}


def test_program_delete_an_empty_program(world):
    empty = ProgramFactory(work_plan=world.work_plan, code="1.06.02", name="Program Kosong")
    services.program_delete(program_id=empty.pk, by=world.head, seen_version=1)
    assert not om.Program.objects.filter(pk=empty.pk).exists()
    entry = last_audit()
    assert (entry.action, entry.object_type, entry.object_id, entry.object_label) == (
        Action.DELETE,
        "program",
        empty.pk,
        "1.06.02 Program Kosong",
    )
    assert entry.changes == {
        "code": {"old": "1.06.02", "new": None},
        "name": {"old": "Program Kosong", "new": None},
    }
    assert plan_version(world) == 2


def test_program_delete_refused_while_it_has_activities(world):
    with nothing_changes(), pytest.raises(WorkflowError):
        services.program_delete(program_id=world.program.pk, by=world.head, seen_version=1)


def test_program_delete_stale_is_refused(world):
    empty = ProgramFactory(work_plan=world.work_plan)
    services.program_update(
        program_id=empty.pk, by=world.staff, values={"name": "Baru"}, seen_version=1
    )
    with nothing_changes(), pytest.raises(StaleEdit):
        services.program_delete(program_id=empty.pk, by=world.head, seen_version=1)


PROGRAM_CALLS = {
    "create": lambda w, by: services.program_create(
        work_plan_id=w.work_plan.pk, by=by, values={"code": "9", "name": "Baru"}
    ),
    "update": lambda w, by: services.program_update(
        program_id=w.program.pk, by=by, values={"name": "Baru"}, seen_version=1
    ),
    "delete": lambda w, by: services.program_delete(
        program_id=w.work_plan.programs.get(code="9.99").pk, by=by, seen_version=1
    ),
}


@pytest.mark.parametrize("call", list(PROGRAM_CALLS))
@pytest.mark.parametrize(
    ("who", "status", "error"),
    [
        ("reviewer", Status.DRAFT, PermissionDenied),
        ("outsider", Status.DRAFT, PermissionDenied),
        ("head", Status.SUBMITTED, WorkflowError),
        ("head", Status.APPROVED, WorkflowError),
    ],
)
def test_program_changes_refused(call, who, status, error):
    world = World.build(status=status)
    ProgramFactory(work_plan=world.work_plan, code="9.99")  # an empty one to delete
    with nothing_changes(), pytest.raises(error):
        PROGRAM_CALLS[call](world, getattr(world, who))


# --- activities -----------------------------------------------------------------------------------


def test_activity_create_with_contributions(world):
    activity = services.activity_create(
        work_plan_id=world.work_plan.pk,
        by=world.head,
        data=ActivityData(
            values={
                "program": world.program,
                "code": "1.06.01.002",
                "name": "Pelatihan keterampilan",
                "output_indicator": "Warga miskin terlatih",
                "output_target": Decimal(60),
                "output_unit": "orang",
                "budget": Decimal("125000000.00"),
                "funding_source": "apbd_kota",
                "kelurahan": world.kelurahan,
                "target_group": "Warga miskin usia kerja",
            },
            contributions={world.indicator.pk: Decimal(25)},
        ),
    )
    assert activity.version == 1
    assert list(activity.expected_contributions.values_list("indicator", "amount")) == [
        (world.indicator.pk, Decimal(25))
    ]
    assert plan_version(world) == 2
    entry = last_audit()
    assert (entry.action, entry.actor, entry.object_type, entry.object_id, entry.version) == (
        Action.CREATE,
        world.head,
        "activity",
        activity.pk,
        1,
    )
    assert entry.changes == {
        name: {"old": None, "new": new}
        for name, new in {
            "program": str(world.program),
            "code": "1.06.01.002",
            "name": "Pelatihan keterampilan",
            "output_indicator": "Warga miskin terlatih",
            "output_target": "60",
            "output_unit": "orang",
            "budget": "125000000",
            "funding_source": "apbd_kota",
            "kelurahan": "Kramat Utara",
            "target_group": "Warga miskin usia kerja",
            "contribution:KMS": "25",
        }.items()
    }


def test_activity_create_refuses_a_program_of_another_plan(world):
    foreign = ProgramFactory()
    data = ActivityData(values={"program": foreign, "code": "1", "name": "X"})
    with nothing_changes(), pytest.raises(PermissionDenied):
        services.activity_create(work_plan_id=world.work_plan.pk, by=world.head, data=data)


def test_activity_create_refuses_an_indicator_of_another_plan(world):
    data = ActivityData(
        values={"program": world.program, "code": "1", "name": "X"},
        contributions={IndicatorFactory().pk: Decimal(5)},
    )
    with nothing_changes(), pytest.raises(WorkflowError):
        services.activity_create(work_plan_id=world.work_plan.pk, by=world.head, data=data)


def test_activity_update_changes_values_and_contributions(world):
    rate = IndicatorFactory(plan=world.work_plan.plan, code="IPM", is_population_share=False)
    activity = _update_activity(
        world,
        world.staff,
        1,
        budget=Decimal("300000000.00"),
        target_group="Keluarga miskin dan rentan",
        contributions={world.indicator.pk: Decimal(60), rate.pk: Decimal("0.5")},
    )
    activity.refresh_from_db()
    assert (activity.budget, activity.version) == (Decimal(300_000_000), 2)
    assert dict(activity.expected_contributions.values_list("indicator__code", "amount")) == {
        "KMS": Decimal(60),
        "IPM": Decimal("0.5"),
    }
    assert plan_version(world) == 2
    entry = last_audit()
    assert (entry.action, entry.actor, entry.version, entry.plan_version) == (
        Action.UPDATE,
        world.staff,
        2,
        2,
    )
    assert entry.changes == {
        "budget": {"old": "250000000", "new": "300000000"},
        "target_group": {"old": "Keluarga miskin", "new": "Keluarga miskin dan rentan"},
        "contribution:KMS": {"old": "40", "new": "60"},
        "contribution:IPM": {"old": None, "new": "0.5"},
    }


def test_activity_update_removes_a_contribution(world):
    _update_activity(world, world.head, 1, contributions={world.indicator.pk: None})
    assert not om.ExpectedContribution.objects.filter(activity=world.activity).exists()
    assert last_audit().changes == {"contribution:KMS": {"old": "40", "new": None}}


def test_activity_update_stale_is_refused_and_can_be_redone(world):
    _update_activity(world, world.staff, 1, budget=Decimal(260_000_000))
    with nothing_changes(), pytest.raises(StaleEdit) as stale:
        _update_activity(world, world.head, 1, budget=Decimal(270_000_000))
    assert stale.value.current_version == 2
    (change,) = stale.value.changes
    assert (change.actor, change.version) == (world.staff, 2)
    assert change.changes == {"budget": {"old": "250000000", "new": "260000000"}}
    # Saved again on the version it now knows, the head's change goes through.
    _update_activity(world, world.head, stale.value.current_version, budget=Decimal(270_000_000))
    budgets = [e.changes["budget"] for e in audit(world.work_plan)]
    assert budgets == [
        {"old": "250000000", "new": "260000000"},
        {"old": "260000000", "new": "270000000"},
    ]


def test_activity_update_refuses_a_program_of_another_plan(world):
    foreign = ProgramFactory()
    with nothing_changes(), pytest.raises(PermissionDenied):
        _update_activity(world, world.head, 1, program=foreign)


def test_activity_may_move_to_another_program_of_the_plan(world):
    other = ProgramFactory(work_plan=world.work_plan, code="1.06.02", name="Program Lain")
    activity = _update_activity(world, world.head, 1, program=other)
    assert activity.program == other
    assert last_audit().changes == {
        "program": {"old": str(world.program), "new": "1.06.02 Program Lain"}
    }


def test_activity_delete(world):
    services.activity_delete(activity_id=world.activity.pk, by=world.head, seen_version=1)
    assert not om.Activity.objects.filter(pk=world.activity.pk).exists()
    assert not om.ExpectedContribution.objects.filter(pk=world.contribution.pk).exists()
    entry = last_audit()
    assert (entry.action, entry.object_type, entry.object_id, entry.actor) == (
        Action.DELETE,
        "activity",
        world.activity.pk,
        world.head,
    )
    assert entry.changes["budget"] == {"old": "250000000", "new": None}
    assert entry.changes["contribution:KMS"] == {"old": "40", "new": None}
    assert plan_version(world) == 2


def test_activity_delete_stale_is_refused(world):
    _update_activity(world, world.staff, 1, notes="Dicek ulang.")
    with nothing_changes(), pytest.raises(StaleEdit):
        services.activity_delete(activity_id=world.activity.pk, by=world.head, seen_version=1)


ACTIVITY_CALLS = {
    "create": lambda w, by: services.activity_create(
        work_plan_id=w.work_plan.pk,
        by=by,
        data=ActivityData(values={"program": w.program, "code": "9", "name": "Baru"}),
    ),
    "update": lambda w, by: _update_activity(w, by, 1, budget=Decimal(1)),
    "delete": lambda w, by: services.activity_delete(
        activity_id=w.activity.pk, by=by, seen_version=1
    ),
}


@pytest.mark.parametrize("call", list(ACTIVITY_CALLS))
@pytest.mark.parametrize(
    ("who", "status", "error"),
    [
        ("reviewer", Status.DRAFT, PermissionDenied),
        ("outsider", Status.RETURNED, PermissionDenied),
        ("head", Status.SUBMITTED, WorkflowError),
        ("staff", Status.APPROVED, WorkflowError),
    ],
)
def test_activity_changes_refused(call, who, status, error):
    world = World.build(status=status)
    with nothing_changes(), pytest.raises(error):
        ACTIVITY_CALLS[call](world, getattr(world, who))


# --- quarterly realisation ------------------------------------------------------------------------


def _report(world: World, *, by: Any = None, quarter: int = 1, seen: int | None = None, **values):
    contributions = values.pop("contributions", {})
    return services.realisation_save(
        activity_id=world.activity.pk,
        quarter=quarter,
        by=by or world.head,
        values={"budget_spent": Decimal(0), "output_achieved": Decimal(0), **values},
        contributions=contributions,
        seen_version=seen,
    )


def test_realisation_first_report_of_a_quarter(approved):
    world = approved
    result = _report(
        world,
        budget_spent=Decimal("50000000.00"),
        output_achieved=Decimal(20),
        contributions={world.indicator.pk: Decimal(10)},
    )
    realisation = result.realisation
    assert (realisation.quarter, realisation.version, result.overspent_by) == (1, 1, None)
    assert list(realisation.achieved_contributions.values_list("amount", flat=True)) == [10]
    assert plan_version(world) == 2
    entry = last_audit()
    assert (entry.action, entry.actor, entry.object_type, entry.object_id, entry.version) == (
        Action.CREATE,
        world.head,
        "realisation",
        realisation.pk,
        1,
    )
    assert entry.changes == {
        "budget_spent": {"old": None, "new": "50000000"},
        "output_achieved": {"old": None, "new": "20"},
        "contribution:KMS": {"old": None, "new": "10"},
    }


def test_realisation_correcting_a_quarter(approved):
    world = approved
    first = _report(
        world, budget_spent=Decimal(50_000_000), contributions={world.indicator.pk: Decimal(10)}
    )
    result = _report(
        world,
        by=world.staff,
        seen=first.realisation.version,
        budget_spent=Decimal(45_000_000),
        notes="Salah ketik.",
        contributions={world.indicator.pk: Decimal(12)},
    )
    assert result.realisation.pk == first.realisation.pk
    assert result.realisation.version == 2
    assert om.Realisation.objects.get().budget_spent == Decimal(45_000_000)
    assert om.AchievedContribution.objects.get().amount == 12
    entry = last_audit()
    assert (entry.action, entry.actor, entry.version) == (Action.UPDATE, world.staff, 2)
    assert entry.changes == {
        "budget_spent": {"old": "50000000", "new": "45000000"},
        "notes": {"old": None, "new": "Salah ketik."},
        "contribution:KMS": {"old": "10", "new": "12"},
    }


def test_realisation_warns_when_spending_exceeds_the_budget(approved):
    world = approved  # budget Rp 250,000,000
    assert _report(world, quarter=1, budget_spent=Decimal(200_000_000)).overspent_by is None
    exactly = _report(world, quarter=2, budget_spent=Decimal(50_000_000))
    assert exactly.overspent_by is None  # spending the whole budget is fine
    over = _report(world, quarter=3, budget_spent=Decimal("30000000.50"))
    assert over.overspent_by == Decimal("30000000.50")
    # Correcting the quarter down clears the warning; the overspending was still saved.
    corrected = _report(world, quarter=3, seen=1, budget_spent=Decimal(0))
    assert corrected.overspent_by is None


def test_realisation_stale_correction_is_refused(approved):
    world = approved
    _report(world, budget_spent=Decimal(10))
    _report(world, by=world.staff, seen=1, budget_spent=Decimal(20))
    with nothing_changes(), pytest.raises(StaleEdit) as stale:
        _report(world, seen=1, budget_spent=Decimal(30))
    assert stale.value.current_version == 2
    assert [e.changes["budget_spent"]["new"] for e in stale.value.changes] == ["20"]


def test_realisation_first_report_raced_by_another_is_refused(approved):
    world = approved
    _report(world, by=world.staff, budget_spent=Decimal(10))
    # The head opened the empty quarter before the staff member saved it.
    with nothing_changes(), pytest.raises(StaleEdit) as stale:
        _report(world, seen=None, budget_spent=Decimal(30))
    assert stale.value.current_version == 1
    assert [e.actor for e in stale.value.changes] == [world.staff]


def test_realisation_correcting_a_deleted_quarter_is_refused(approved):
    with nothing_changes(), pytest.raises(WorkflowError):
        _report(approved, seen=1, budget_spent=Decimal(10))


@pytest.mark.parametrize(
    ("who", "status", "error"),
    [
        ("reviewer", Status.APPROVED, PermissionDenied),
        ("outsider", Status.APPROVED, PermissionDenied),
        ("head", Status.DRAFT, WorkflowError),
        ("head", Status.SUBMITTED, WorkflowError),
        ("staff", Status.RETURNED, WorkflowError),
    ],
)
def test_realisation_refused(who, status, error):
    world = World.build(status=status)
    with nothing_changes(), pytest.raises(error):
        _report(world, by=getattr(world, who), budget_spent=Decimal(10))


@pytest.mark.parametrize("quarter", [0, 5])
def test_realisation_refuses_a_quarter_outside_1_to_4(approved, quarter):
    with nothing_changes(), pytest.raises(WorkflowError):
        _report(approved, quarter=quarter, budget_spent=Decimal(10))


def test_deleting_an_activity_of_a_reopened_plan_records_its_realisations(approved):
    world = approved
    _report(
        world,
        quarter=2,
        budget_spent=Decimal(50_000_000),
        output_achieved=Decimal(20),
        contributions={world.indicator.pk: Decimal(10)},
    )
    services.work_plan_reopen(
        work_plan_id=world.work_plan.pk, by=world.reviewer, seen_version=2, reason="APBD-P."
    )
    services.activity_delete(activity_id=world.activity.pk, by=world.head, seen_version=1)
    assert not om.Realisation.objects.exists()
    *_, realisation_gone, activity_gone = audit(world.work_plan)
    assert (realisation_gone.action, realisation_gone.object_type, realisation_gone.actor) == (
        Action.DELETE,
        "realisation",
        world.head,
    )
    assert realisation_gone.changes == {
        "budget_spent": {"old": "50000000", "new": None},
        "output_achieved": {"old": "20", "new": None},
        "contribution:KMS": {"old": "10", "new": None},
    }
    assert (activity_gone.action, activity_gone.object_type) == (Action.DELETE, "activity")


def test_realisation_refuses_an_indicator_of_another_plan(approved):
    with nothing_changes(), pytest.raises(WorkflowError):
        _report(approved, contributions={IndicatorFactory().pk: Decimal(1)})


def test_realisation_of_an_existing_row_built_elsewhere(approved):
    # A realisation loaded by the admin or the seed has no audit entry yet.
    RealisationFactory(activity=approved.activity, quarter=4, budget_spent=Decimal(7))
    result = _report(approved, quarter=4, seen=1, budget_spent=Decimal(8))
    assert result.realisation.version == 2
    assert last_audit().changes["budget_spent"] == {"old": "7", "new": "8"}


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

    return reviewer("bappeda2")


def test_member_helper_gives_an_opd_role(world):
    person = member(world.work_plan.opd, om.OpdMembership.Role.STAFF)
    assert om.OpdMembership.objects.get(user=person).role == "staff"
