"""What follows the work plan: funded when it is approved, realised when its activity reports;
and the carry-over of the unfinished ones into next year's intake."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from opd import models as om
from opd.aspirations import services
from opd.errors import StaleEdit
from opd.workplans import services as plans
from tests.aspirations.world import AspirationWorld
from tests.factories import AspirationFactory, OpdFactory

Status = om.AspirationStatus


@pytest.fixture
def world(db) -> AspirationWorld:
    return AspirationWorld.build()


def _submit(world: AspirationWorld) -> om.WorkPlan:
    work_plan = world.plan.work_plan
    work_plan.refresh_from_db()
    return plans.work_plan_submit(
        work_plan_id=work_plan.pk, by=world.plan.head, seen_version=work_plan.version
    )


def _approve(world: AspirationWorld) -> om.WorkPlan:
    work_plan = _submit(world)
    return plans.work_plan_approve(
        work_plan_id=work_plan.pk, by=world.plan.reviewer, seen_version=work_plan.version
    )


def _report(world: AspirationWorld, quarter: int, seen_version: int | None = None) -> None:
    plans.realisation_save(
        activity_id=world.plan.activity.pk,
        quarter=quarter,
        by=world.plan.head,
        values={"budget_spent": Decimal("1000000"), "output_achieved": Decimal(5)},
        contributions={},
        seen_version=seen_version,
    )


def test_approval_funds_the_accepted_aspirations_of_its_plan_only(world):
    accepted = world.at("accepted")
    recommended = world.at("recommended")
    _submit(world)
    assert om.Aspiration.objects.get(pk=accepted.pk).status == Status.ACCEPTED  # not yet
    work_plan = world.plan.work_plan
    plans.work_plan_approve(
        work_plan_id=work_plan.pk, by=world.plan.reviewer, seen_version=work_plan.version + 1
    )
    accepted.refresh_from_db()
    recommended.refresh_from_db()
    assert (accepted.status, accepted.version) == (Status.FUNDED, 5)
    assert recommended.status == Status.RECOMMENDED
    event = accepted.events.latest("pk")
    assert (event.from_status, event.to_status, event.actor) == (
        "accepted",
        "funded",
        world.plan.reviewer,
    )


def test_the_first_realisation_makes_a_funded_aspiration_realised(world):
    aspiration = world.at("accepted")
    _approve(world)
    _report(world, quarter=1)
    aspiration.refresh_from_db()
    assert aspiration.status == Status.REALISED
    _report(world, quarter=2)  # a second report moves nothing again
    assert list(aspiration.events.values_list("to_status", flat=True).order_by("pk")) == [
        "received",
        "verified",
        "recommended",
        "accepted",
        "funded",
        "realised",
    ]


def test_a_refused_approval_funds_nothing(world):
    aspiration = world.at("accepted")
    _submit(world)
    with pytest.raises(StaleEdit):
        plans.work_plan_approve(
            work_plan_id=world.plan.work_plan.pk, by=world.plan.reviewer, seen_version=1
        )
    aspiration.refresh_from_db()
    assert aspiration.status == Status.ACCEPTED


# --- carry-over -------------------------------------------------------------------------


def test_carry_over_moves_the_unfinished_ones_and_is_idempotent(world):
    region = world.plan.work_plan.opd.region
    by_status = {
        status: world.at(status) for status in ("received", "verified", "recommended", "accepted")
    }
    opd = world.plan.work_plan.opd
    settled = {
        "rejected": AspirationFactory(region=region, status="rejected", rejection_code="duplicate"),
        "funded": AspirationFactory(
            region=region, status="funded", recommended_opd=opd, activity=world.plan.activity
        ),
        "realised": AspirationFactory(
            region=region, status="realised", recommended_opd=opd, activity=world.plan.activity
        ),
    }
    other_year = AspirationFactory(region=region, year=2019, first_year=2019)
    references = {a.pk: a.reference for a in om.Aspiration.objects.all()}

    assert services.carry_over(to_year=2019) == 4

    for old_status, aspiration in by_status.items():
        aspiration.refresh_from_db()
        expected = "received" if old_status == "received" else "verified"
        assert (aspiration.year, aspiration.first_year, aspiration.status) == (2019, 2018, expected)
        assert aspiration.recommended_opd is None and aspiration.activity is None
        event = aspiration.events.latest("pk")
        assert (event.kind, event.from_status, event.to_status, event.year) == (
            "carry_over",
            old_status,
            expected,
            2019,
        )
    for status, aspiration in settled.items():
        aspiration.refresh_from_db()
        assert (aspiration.year, aspiration.status) == (2018, status)
    assert {a.pk: a.reference for a in om.Aspiration.objects.all()} == references
    other_year.refresh_from_db()
    assert other_year.year == 2019 and not other_year.events.exists()

    before = list(om.Aspiration.objects.order_by("pk").values())
    events = om.AspirationEvent.objects.count()
    assert services.carry_over(to_year=2019) == 0
    assert list(om.Aspiration.objects.order_by("pk").values()) == before
    assert om.AspirationEvent.objects.count() == events


def test_a_carried_aspiration_goes_round_again(world):
    aspiration = world.at("recommended")
    services.carry_over(to_year=2019)
    aspiration.refresh_from_db()
    moved = services.aspiration_recommend(
        aspiration_id=aspiration.pk,
        by=world.plan.reviewer,
        seen_version=aspiration.version,
        opd=OpdFactory(region=world.plan.work_plan.opd.region),
    )
    assert (moved.status, moved.year) == ("recommended", 2019)


def test_the_beat_task_carries_into_the_coming_plan_year(world, monkeypatch):
    from opd.aspirations import tasks

    aspiration = world.record(year=timezone.localdate().year)
    assert tasks.carry_over_aspirations() == 1
    aspiration.refresh_from_db()
    assert aspiration.year == timezone.localdate().year + 1


def test_deleting_the_activity_returns_its_aspirations_to_the_opd(world):
    aspiration = world.at("accepted")
    activity = world.plan.activity
    activity.refresh_from_db()
    plans.activity_delete(
        activity_id=activity.pk, by=world.plan.head, seen_version=activity.version
    )
    aspiration.refresh_from_db()
    assert (aspiration.status, aspiration.activity, aspiration.recommended_opd) == (
        "recommended",
        None,
        world.plan.work_plan.opd,
    )
    event = aspiration.events.latest("pk")
    assert (event.from_status, event.to_status, event.actor) == (
        "accepted",
        "recommended",
        world.plan.head,
    )


def test_a_missed_carry_over_is_caught_up_by_the_next(world):
    """Beat's run of 1 January 2019 did not happen: the next run, for 2020, carries the 2018
    aspirations too (every plan year before, not only the last), each once."""
    region = world.plan.work_plan.opd.region
    old = world.at("verified")  # plan year 2018
    recent = AspirationFactory(region=region, year=2019, first_year=2019)
    assert services.carry_over(to_year=2020) == 2
    for aspiration in (old, recent):
        aspiration.refresh_from_db()
        assert aspiration.year == 2020
        assert aspiration.events.filter(kind="carry_over").count() == 1
    assert old.first_year == 2018 and old.status == "verified"
    assert services.carry_over(to_year=2020) == 0


def test_beat_runs_the_carry_over_every_day_of_january(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["aspiration-carry-over"]
    schedule = entry["schedule"]
    assert entry["task"] == "opd.tasks.carry_over_aspirations"
    assert schedule.month_of_year == {1} and len(schedule.day_of_month) == 31
    assert (schedule.hour, schedule.minute) == ({0}, {30})
