"""aspiration_release: an accepted aspiration given back to its OPD's recommended list."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from opd import models as om
from opd.aspirations import services
from opd.errors import StaleEdit, WorkflowError
from tests.aspirations.world import AspirationWorld

Status = om.AspirationStatus


@pytest.fixture
def world(db) -> AspirationWorld:
    return AspirationWorld.build()


def _state() -> list[dict[str, Any]]:
    return [
        *om.Aspiration.objects.order_by("pk").values(),
        *om.AspirationEvent.objects.order_by("pk").values(),
    ]


@pytest.mark.parametrize("who", ["head", "staff"])
def test_a_member_releases_an_accepted_aspiration_with_one_event(world, who):
    accepted = world.at("accepted")
    events = accepted.events.count()

    released = services.aspiration_release(
        aspiration_id=accepted.pk,
        by=world.who(who),
        seen_version=accepted.version,
        note="Masuk kegiatan lain.",
    )

    released.refresh_from_db()
    assert (released.status, released.activity_id) == (Status.RECOMMENDED, None)
    assert released.recommended_opd_id == world.plan.work_plan.opd_id  # still the OPD's
    assert released.version == accepted.version + 1
    assert released.events.count() == events + 1
    event = released.events.order_by("at", "pk").last()
    assert (event.kind, event.from_status, event.to_status) == ("stage", "accepted", "recommended")
    assert (event.actor, event.note) == (world.who(who), "Masuk kegiatan lain.")
    # Recommended again: the OPD may take it up into another activity.
    again = services.aspiration_accept(
        aspiration_id=released.pk,
        by=world.plan.head,
        seen_version=released.version,
        activity=world.plan.activity,
    )
    assert again.status == Status.ACCEPTED


@pytest.mark.parametrize("who", ["outsider", "reviewer", "kelurahan_staff", "anonymous"])
def test_only_the_recommended_opds_members_release(world, who):
    accepted = world.at("accepted")
    before = _state()
    with pytest.raises(PermissionDenied):
        services.aspiration_release(
            aspiration_id=accepted.pk, by=world.who(who), seen_version=accepted.version
        )
    assert _state() == before


def test_a_stale_version_is_refused(world):
    accepted = world.at("accepted")
    before = _state()
    with pytest.raises(StaleEdit) as stale:
        services.aspiration_release(
            aspiration_id=accepted.pk, by=world.plan.head, seen_version=accepted.version - 1
        )
    assert stale.value.current_version == accepted.version
    assert _state() == before


def test_only_an_accepted_aspiration_is_released(world):
    recommended = world.at("recommended")
    before = _state()
    with pytest.raises(WorkflowError, match="Only an accepted aspiration"):
        services.aspiration_release(
            aspiration_id=recommended.pk, by=world.plan.head, seen_version=recommended.version
        )
    assert _state() == before


@pytest.mark.parametrize("status", ["submitted", "approved"])
def test_not_while_the_plan_is_locked(world, status):
    accepted = world.at("accepted")
    om.WorkPlan.objects.filter(pk=world.plan.work_plan.pk).update(
        status=status, submitted_at=timezone.now()
    )
    before = _state()
    with pytest.raises(WorkflowError, match="cannot be released"):
        services.aspiration_release(
            aspiration_id=accepted.pk, by=world.plan.head, seen_version=accepted.version
        )
    assert _state() == before


@pytest.mark.parametrize("status", ["returned", "reopened"])
def test_a_returned_or_reopened_plan_may_release(world, status):
    accepted = world.at("accepted")
    om.WorkPlan.objects.filter(pk=world.plan.work_plan.pk).update(
        status=status, submitted_at=timezone.now()
    )
    released = services.aspiration_release(
        aspiration_id=accepted.pk, by=world.plan.head, seen_version=accepted.version
    )
    assert released.status == Status.RECOMMENDED
