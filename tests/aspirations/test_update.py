"""Correcting an aspiration's details: who may, at which stages, what the event records."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from opd import models as om
from opd.aspirations import services
from opd.errors import StaleEdit, WorkflowError
from tests.aspirations.world import AspirationWorld
from tests.factories import KelurahanFactory

Status = om.AspirationStatus


@pytest.fixture
def world(db) -> AspirationWorld:
    return AspirationWorld.build()


def _state() -> list[dict[str, Any]]:
    return [
        *om.Aspiration.objects.order_by("pk").values(),
        *om.AspirationEvent.objects.order_by("pk").values(),
    ]


def _update(world: AspirationWorld, aspiration: om.Aspiration, by: str = "reviewer", **values):
    return services.aspiration_update(
        aspiration_id=aspiration.pk,
        by=world.who(by),
        seen_version=aspiration.version,
        values=values,
    )


@pytest.mark.parametrize("who", ["reviewer", "kelurahan_staff", "kecamatan_staff"])
def test_a_correction_saves_raises_the_version_and_records_the_changes(world, who):
    aspiration = world.record()
    updated = _update(
        world,
        aspiration,
        by=who,
        title="Pelatihan menjahit dan tata boga",
        received_on=date(2017, 1, 30),
        proposer="Ibu Sri Lestari, S.Pd.",
    )
    assert updated.version == aspiration.version + 1
    stored = om.Aspiration.objects.get(pk=aspiration.pk)
    assert (stored.title, stored.received_on, stored.version) == (
        "Pelatihan menjahit dan tata boga",
        date(2017, 1, 30),
        aspiration.version + 1,
    )
    event = stored.events.order_by("pk").last()
    assert event.kind == om.AspirationEvent.Kind.EDIT
    assert event.actor == world.who(who)
    assert (event.from_status, event.to_status) == (Status.RECEIVED, Status.RECEIVED)
    assert event.changes == {
        "title": ["Pelatihan menjahit bagi ibu rumah tangga", "Pelatihan menjahit dan tata boga"],
        "received_on": ["2017-01-23", "2017-01-30"],
        "proposer": None,
    }
    # The proposer's name is in no event.
    assert "Sri" not in str(list(om.AspirationEvent.objects.values()))


def test_an_unchanged_form_writes_nothing(world):
    aspiration = world.record()
    before = _state()
    _update(world, aspiration, title=aspiration.title, priority=aspiration.priority)
    assert _state() == before


def test_a_verified_one_may_be_corrected_a_recommended_one_not(world):
    verified = world.at(Status.VERIFIED)
    assert _update(world, verified, title="Judul baru").title == "Judul baru"
    recommended = world.at(Status.RECOMMENDED)
    before = _state()
    with pytest.raises(WorkflowError, match="can no longer be changed"):
        _update(world, recommended, title="Judul baru")
    assert _state() == before


@pytest.mark.parametrize("who", ["head", "outsider", "other_area_staff", "anonymous"])
def test_others_may_not_correct(world, who):
    aspiration = world.record()
    before = _state()
    with pytest.raises(PermissionDenied):
        _update(world, aspiration, by=who, title="Judul baru")
    assert _state() == before


def test_staff_may_not_move_it_out_of_their_area(world):
    aspiration = world.record()
    elsewhere = KelurahanFactory(
        kecamatan=world.other_area_staff.area_roles.get().kecamatan, name="Jurangombo Utara"
    )
    before = _state()
    with pytest.raises(PermissionDenied):
        _update(world, aspiration, by="kelurahan_staff", kelurahan=elsewhere)
    assert _state() == before
    # Bappeda may.
    assert _update(world, aspiration, kelurahan=elsewhere).kelurahan == elsewhere


def test_forum_year_and_stage_are_not_correctable(world):
    aspiration = world.record()
    for field, value in (("forum", "fgd"), ("year", 2019), ("status", "funded")):
        with pytest.raises(WorkflowError, match="cannot be changed"):
            _update(world, aspiration, **{field: value})


def test_a_bad_value_is_refused_and_nothing_is_written(world):
    aspiration = world.record()
    before = _state()
    with pytest.raises(ValidationError):
        _update(world, aspiration, title="")
    assert _state() == before


def test_a_stale_correction_is_refused(world):
    aspiration = world.record()
    _update(world, aspiration, title="Judul pertama")
    before = _state()
    with pytest.raises(StaleEdit) as caught:
        _update(world, aspiration, title="Judul kedua")
    assert caught.value.current_version == aspiration.version + 1
    assert _state() == before


def test_a_deleted_aspiration_is_reported_gone(world):
    aspiration = world.record()
    om.Aspiration.objects.filter(pk=aspiration.pk).delete()
    with pytest.raises(WorkflowError, match="no longer exists"):
        _update(world, aspiration, title="Judul baru")
