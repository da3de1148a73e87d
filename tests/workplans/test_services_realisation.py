"""The quarterly realisation service.

What each does, what it refuses, what it records. Each refusal (wrong role, wrong
state, stale version, checklist) is checked to leave the database exactly as it was:
``nothing_changes`` compares every row of the work-plan tables before and after.
Each write is checked for its audit entry: who, what, and the old and new values as
the history page shows them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from opd import models as om
from opd.workplans import services
from opd.workplans.services import StaleEdit, WorkflowError
from tests.factories import IndicatorFactory, RealisationFactory
from tests.workplans.plan_world import World
from tests.workplans.service_checks import audit, last_audit, nothing_changes, plan_version

pytestmark = pytest.mark.django_db

Status = om.WorkPlan.Status
Action = om.AuditEntry.Action


@pytest.fixture
def approved() -> World:
    return World.build(status=Status.APPROVED)


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
