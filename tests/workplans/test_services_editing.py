"""The services that edit a work plan: programs and activities.

What each does, what it refuses, what it records. Each refusal (wrong role, wrong
state, stale version, checklist) is checked to leave the database exactly as it was:
``nothing_changes`` compares every row of the work-plan tables before and after.
Each write is checked for its audit entry: who, what, and the old and new values as
the history page shows them.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from opd import models as om
from opd.workplans import services
from opd.workplans.services import ActivityData, StaleEdit, WorkflowError
from tests.factories import IndicatorFactory, ProgramFactory
from tests.workplans.plan_world import World
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
