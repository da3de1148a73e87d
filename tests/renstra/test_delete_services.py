"""Deleting a Renstra line through the services: who may, when, what is kept in the trail, and
the refusals (activities left, a Renja line carrying it out, a stale or vanished line), each
leaving the database as it was."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from opd import models as om
from opd.errors import StaleEdit, WorkflowError
from opd.renstra import services
from tests.renstra.page_world import RenstraWorld, snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def delete_activity(world: RenstraWorld, by: str = "member", **overrides: int) -> None:
    services.renstra_activity_delete(
        renstra_id=world.renstra.pk,
        activity_id=overrides.get("activity_id", world.activity.pk),
        by=world.users[by],
        seen_version=overrides.get("seen_version", world.activity.version),
    )


def test_an_activity_is_deleted_audited_and_the_version_raised(world):
    version = world.renstra.version
    delete_activity(world)
    assert not om.RenstraActivity.objects.filter(pk=world.activity.pk).exists()
    assert not om.RenstraActivityYear.objects.filter(activity_id=world.activity.pk).exists()
    world.renstra.refresh_from_db()
    assert world.renstra.version == version + 1
    entry = om.RenstraAuditEntry.objects.latest("pk")
    assert (entry.action, entry.object_type, entry.object_id) == (
        "delete",
        "renstraactivity",
        world.activity.pk,
    )
    assert entry.changes["code"] == {"old": "1.06.01.001", "new": None}


def test_then_the_empty_program_is_deleted(world):
    delete_activity(world)
    world.program.refresh_from_db()
    services.renstra_program_delete(
        renstra_id=world.renstra.pk,
        program_id=world.program.pk,
        by=world.users["member"],
        seen_version=world.program.version,
    )
    assert not om.RenstraProgram.objects.filter(pk=world.program.pk).exists()
    entry = om.RenstraAuditEntry.objects.latest("pk")
    assert entry.changes["budget:2021"] == {"old": "1000000", "new": None}


@pytest.mark.parametrize("role", ["other", "reviewer", "signed_in"])
def test_only_the_opds_members_delete(world, role):
    before = snapshot()
    with pytest.raises(PermissionDenied):
        delete_activity(world, by=role)
    assert snapshot() == before


@pytest.mark.parametrize("status", ["submitted", "approved"])
def test_a_locked_renstra_keeps_its_lines(world, status):
    world.set_status(status)
    before = snapshot()
    with pytest.raises(WorkflowError, match="cannot be changed"):
        delete_activity(world)
    assert snapshot() == before


def test_a_stale_or_vanished_line_is_refused(world):
    before = snapshot()
    with pytest.raises(StaleEdit):
        delete_activity(world, seen_version=world.activity.version + 1)
    with pytest.raises(WorkflowError, match="no longer exists"):
        delete_activity(world, activity_id=world.activity.pk + 1000)
    assert snapshot() == before


def test_a_line_of_another_renstra_is_not_found_here(world):
    other = om.Renstra.objects.create(opd=world.base.opd_b, plan=world.renstra.plan)
    program = om.RenstraProgram.objects.create(renstra=other, code="2.07.01", name="Lain")
    before = snapshot()
    with pytest.raises(WorkflowError, match="no longer exists"):
        services.renstra_program_delete(
            renstra_id=world.renstra.pk,
            program_id=program.pk,
            by=world.users["member"],
            seen_version=1,
        )
    assert snapshot() == before


def test_a_program_with_activities_or_a_renja_line_stays(world):
    before = snapshot()
    with pytest.raises(WorkflowError, match="activities first"):
        services.renstra_program_delete(
            renstra_id=world.renstra.pk,
            program_id=world.program.pk,
            by=world.users["member"],
            seen_version=world.program.version,
        )
    assert snapshot() == before
    empty = world.add_program("1.06.05")
    om.Program.objects.filter(pk=world.base.program_a.pk).update(renstra_program=empty)
    before = snapshot()
    with pytest.raises(WorkflowError, match="A Renja program carries out"):
        services.renstra_program_delete(
            renstra_id=world.renstra.pk,
            program_id=empty.pk,
            by=world.users["member"],
            seen_version=empty.version,
        )
    assert snapshot() == before
