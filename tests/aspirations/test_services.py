"""The aspiration services: intake, the stages in order, who may move them, stale versions."""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from opd import models as om
from opd.aspirations import services
from opd.aspirations.models import REFERENCE_PATTERN
from opd.errors import StaleEdit, WorkflowError
from tests.aspirations.world import INTAKE, AspirationWorld
from tests.factories import (
    ActivityFactory,
    IndicatorFactory,
    KelurahanFactory,
    OpdFactory,
    ProgramFactory,
)

Status = om.AspirationStatus


@pytest.fixture
def world(db) -> AspirationWorld:
    return AspirationWorld.build()


def _state() -> list[dict[str, Any]]:
    return [
        *om.Aspiration.objects.order_by("pk").values(),
        *om.AspirationEvent.objects.order_by("pk").values(),
    ]


# --- intake -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["reviewer", "kelurahan_staff", "kecamatan_staff"])
def test_intake_records_a_received_aspiration_with_a_reference_and_an_event(world, who):
    aspiration = services.aspiration_create(
        by=world.who(who), values={**INTAKE, "kelurahan": world.plan.kelurahan}
    )
    aspiration.refresh_from_db()
    assert re.match(REFERENCE_PATTERN, aspiration.reference)
    assert aspiration.reference.startswith("MSR-2018-")
    assert (aspiration.status, aspiration.version) == (Status.RECEIVED, 1)
    assert (aspiration.first_year, aspiration.region) == (
        2018,
        world.plan.kelurahan.kecamatan.region,
    )
    (event,) = aspiration.events.all()
    assert (event.kind, event.from_status, event.to_status) == ("intake", "", "received")
    assert event.actor == world.who(who)


@pytest.mark.parametrize(
    ("forum", "prefix"),
    [("konsultasi_publik", "KP-"), ("fgd", "FGD-"), ("musrenbang_kota", "MSR-")],
)
def test_the_reference_prefix_follows_the_forum(world, forum, prefix):
    assert world.record(forum=forum).reference.startswith(prefix + "2018-")


@pytest.mark.parametrize("who", ["other_area_staff", "head", "outsider", "anonymous"])
def test_intake_refused_to_others(world, who):
    with pytest.raises(PermissionDenied):
        services.aspiration_create(
            by=world.who(who), values={**INTAKE, "kelurahan": world.plan.kelurahan}
        )
    assert not om.Aspiration.objects.exists()


def test_intake_validates_its_values(world):
    with pytest.raises(ValidationError) as caught:
        world.record(title="", category="ramalan", priority=0)
    assert {"title", "category"} <= set(caught.value.message_dict)
    assert "aspiration_priority_positive" in str(caught.value.message_dict["__all__"])
    with pytest.raises(WorkflowError):
        world.record(status="funded")  # not an intake field
    with pytest.raises(WorkflowError, match="indicator"):
        world.record(indicator=IndicatorFactory())  # of another region's plan
    assert not om.Aspiration.objects.exists()


def test_a_taken_reference_is_drawn_again(world, monkeypatch):
    taken = world.record().reference
    draws = iter([taken, taken, "MSR-2018-7QK4"])
    monkeypatch.setattr(services, "new_reference", lambda **_: next(draws))
    assert world.record().reference == "MSR-2018-7QK4"
    monkeypatch.setattr(services, "new_reference", lambda **_: taken)
    with pytest.raises(WorkflowError):
        world.record()
    assert om.Aspiration.objects.count() == 2


@pytest.mark.django_db
def test_200_references_are_all_but_rarely_distinct_and_not_in_sequence():
    references = [
        services.new_reference(forum="musrenbang_kelurahan", year=2019) for _ in range(200)
    ]
    assert all(re.match(REFERENCE_PATTERN, reference) for reference in references)
    # 4 characters of base 32 are about a million draws a forum and year: 200 draws meet a
    # repeat about 2 % of the time (the birthday bound), which the unique index and the retry
    # turn into another draw (tested below). More than two repeats would mean a poor source.
    assert len(set(references)) >= 198
    suffixes = [reference.rsplit("-", 1)[1] for reference in references]
    ascending = sum(1 for a, b in itertools.pairwise(suffixes) if a < b)
    assert 40 < ascending < 160  # random order, not a counter: about half go up
    assert not set("ILOU") & set("".join(suffixes))


# --- the stages in order --------------------------------------------------------------


def test_the_stages_in_order_each_with_its_event(world):
    aspiration = world.at("accepted")
    aspiration.refresh_from_db()
    assert aspiration.recommended_opd == world.plan.work_plan.opd
    assert aspiration.activity == world.plan.activity
    assert aspiration.version == 4
    assert [(e.from_status, e.to_status, e.actor) for e in aspiration.events.order_by("pk")] == [
        ("", "received", world.plan.reviewer),
        ("received", "verified", world.plan.reviewer),
        ("verified", "recommended", world.plan.reviewer),
        ("recommended", "accepted", world.plan.head),
    ]


def _verify(world, a, by=None):
    return services.aspiration_verify(
        aspiration_id=a.pk, by=by or world.plan.reviewer, seen_version=a.version
    )


def _recommend(world, a, by=None, opd=None):
    return services.aspiration_recommend(
        aspiration_id=a.pk, by=by or world.plan.reviewer, seen_version=a.version,
        opd=opd or world.plan.work_plan.opd,
    )  # fmt: skip


def _accept(world, a, by=None, activity=None):
    return services.aspiration_accept(
        aspiration_id=a.pk, by=by or world.plan.head, seen_version=a.version,
        activity=activity or world.plan.activity,
    )  # fmt: skip


def _reject(world, a, by=None, code="duplicate", text=""):
    return services.aspiration_reject(
        aspiration_id=a.pk,
        by=by or world.plan.reviewer,
        seen_version=a.version,
        code=code,
        text=text,
    )


SKIPS = [
    ("received", _recommend, "Verify the aspiration before recommending it"),
    ("received", _accept, None),  # no OPD yet: the head is not its OPD (PermissionDenied)
    ("verified", _accept, None),
    ("verified", _verify, "Only a received aspiration can be verified"),
    ("recommended", _recommend, "Only a verified aspiration can be recommended"),
    ("accepted", _accept, "Only a recommended aspiration can be accepted"),
    ("accepted", _reject, "can no longer be rejected"),
]


@pytest.mark.parametrize(("stage", "step", "message"), SKIPS)
def test_no_stage_is_skipped_or_repeated(world, stage, step, message):
    aspiration = world.at(stage)
    before = _state()
    with pytest.raises(WorkflowError if message else PermissionDenied) as caught:
        step(world, aspiration)
    if message:
        assert message in str(caught.value)
    assert _state() == before


def test_acceptance_only_into_an_activity_of_the_recommended_opds_plan_of_the_year(world):
    aspiration = world.at("recommended")
    plan = world.plan.work_plan
    other_opd = ActivityFactory(program__work_plan__opd=OpdFactory(region=plan.opd.region),
                                program__work_plan__plan=plan.plan)  # fmt: skip
    next_year = ActivityFactory(program=ProgramFactory(work_plan__opd=plan.opd, work_plan__plan=plan.plan,
                                                       work_plan__year=2019))  # fmt: skip
    before = _state()
    with pytest.raises(WorkflowError, match="belongs to another OPD"):
        _accept(world, aspiration, activity=other_opd)
    with pytest.raises(WorkflowError, match="2019 work plan"):
        _accept(world, aspiration, activity=next_year)
    assert _state() == before


@pytest.mark.parametrize("status", ["submitted", "approved"])
def test_acceptance_only_into_a_plan_that_can_still_change(db, status):
    world = AspirationWorld.build()
    aspiration = world.at("recommended")
    om.WorkPlan.objects.filter(pk=world.plan.work_plan.pk).update(
        status=status, submitted_at=timezone.now()
    )
    with pytest.raises(WorkflowError, match="cannot take up"):
        _accept(world, aspiration)


def test_recommendation_only_to_an_opd_of_the_region(world):
    aspiration = world.at("verified")
    with pytest.raises(WorkflowError):
        _recommend(world, aspiration, opd=OpdFactory())


def test_rejection_needs_a_code_and_other_needs_text(world):
    aspiration = world.at("verified")
    before = _state()
    with pytest.raises(WorkflowError, match="Choose the reason"):
        _reject(world, aspiration, code="")
    with pytest.raises(WorkflowError, match="needs text"):
        _reject(world, aspiration, code="other", text="   ")
    assert _state() == before
    rejected = _reject(world, aspiration, code="other", text="Lahan milik provinsi")
    rejected.refresh_from_db()
    assert (rejected.status, rejected.rejection_code, rejected.rejection_reason) == (
        "rejected", "other", "Lahan milik provinsi",
    )  # fmt: skip
    event = rejected.events.latest("pk")
    assert (event.to_status, event.rejection_code, event.note) == (
        "rejected",
        "other",
        "Lahan milik provinsi",
    )


# --- who may move it ---------------------------------------------------------------------

ROLES = [
    "reviewer",
    "kelurahan_staff",
    "kecamatan_staff",
    "other_area_staff",
    "head",
    "staff",
    "outsider",
    "anonymous",
]
ALLOWED = {
    "verify": {"reviewer", "kelurahan_staff", "kecamatan_staff"},
    "recommend": {"reviewer"},
    "accept": {"head", "staff"},
    "reject, recommended": {"reviewer", "head", "staff"},
    "reject, verified": {"reviewer"},
}
ACTIONS = {
    "verify": ("received", _verify),
    "recommend": ("verified", _recommend),
    "accept": ("recommended", _accept),
    "reject, recommended": ("recommended", _reject),
    "reject, verified": ("verified", _reject),
}


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_permission_matrix(world, action, who):
    stage, step = ACTIONS[action]
    aspiration = world.at(stage)
    if who in ALLOWED[action]:
        moved = step(world, aspiration, by=world.who(who))
        assert moved.status != stage
        assert moved.events.latest("pk").actor == world.who(who)
        return
    before = _state()
    with pytest.raises(PermissionDenied):
        step(world, aspiration, by=world.who(who))
    assert _state() == before


def test_area_staff_of_another_kelurahan_of_the_same_kecamatan_may_not_verify(world):
    aspiration = world.record(kelurahan=KelurahanFactory(kecamatan=world.plan.kelurahan.kecamatan))
    with pytest.raises(PermissionDenied):
        _verify(world, aspiration, by=world.kelurahan_staff)
    assert _verify(world, aspiration, by=world.kecamatan_staff).status == "verified"


# --- stale versions -------------------------------------------------------------------


def test_a_stale_version_is_refused_and_nothing_is_written(world):
    aspiration = world.record()
    seen = aspiration.version
    _verify(world, aspiration)
    before = _state()
    with pytest.raises(StaleEdit) as caught:
        services.aspiration_recommend(
            aspiration_id=aspiration.pk, by=world.plan.reviewer, seen_version=seen,
            opd=world.plan.work_plan.opd,
        )  # fmt: skip
    assert caught.value.current_version == seen + 1
    assert _state() == before


def test_a_deleted_aspiration_is_reported_gone(world):
    aspiration = world.record()
    om.Aspiration.objects.filter(pk=aspiration.pk).delete()
    with pytest.raises(WorkflowError, match="no longer exists"):
        _verify(world, aspiration)


def test_acceptance_into_an_activity_deleted_meanwhile_is_a_refusal(world):
    aspiration = world.at("recommended")
    gone = ActivityFactory(program=world.plan.activity.program)
    om.Activity.objects.filter(pk=gone.pk).delete()
    before = _state()
    with pytest.raises(WorkflowError, match="no longer exists"):
        _accept(world, aspiration, activity=gone)
    assert _state() == before
