"""Tampering: a member of OPD A posting into or through A's plan, or at B's.

Every refused request must leave the database as it was (``snapshot`` of the watched
rows before and after); the world is ``tests/permission_world.py``'s.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from opd import models as om
from tests.factories import IndicatorFactory, KelurahanFactory, ProgramFactory
from tests.permission_world import (
    APPROVED,
    DRAFT,
    SUBMITTED,
    World,
    _url,
    activity_data,
    build_world,
    realisation_data,
    snapshot,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return build_world()


@pytest.fixture
def member(world: World) -> Client:
    return world.client("member")


def assert_refused_unchanged(
    client: Client, url: str, data: dict[str, Any] | None, status: int
) -> Any:
    before = snapshot()
    response = client.post(url, data or {}) if data is not None else client.get(url)
    assert response.status_code == status
    assert snapshot() == before
    return response


def test_an_activity_cannot_move_into_another_plans_program(world: World, member: Client) -> None:
    stranger = world.program_b.pk
    assert_refused_unchanged(
        member,
        _url("activity_add", world.plan_a.pk),
        activity_data(world, program=stranger),
        422,
    )
    response = assert_refused_unchanged(
        member,
        _url("activity_edit", world.plan_a.pk, world.activity_a.pk),
        activity_data(world, world.activity_a, program=stranger),
        422,
    )
    assert "program" in response.context["form"].errors


def test_an_activity_cannot_be_placed_in_another_regions_kelurahan(
    world: World, member: Client
) -> None:
    elsewhere = KelurahanFactory()  # a kelurahan of a new region
    assert elsewhere.kecamatan.region_id != world.opd_a.region_id
    assert_refused_unchanged(
        member,
        _url("activity_add", world.plan_a.pk),
        activity_data(world, kelurahan=elsewhere.pk),
        422,
    )
    response = assert_refused_unchanged(
        member,
        _url("activity_edit", world.plan_a.pk, world.activity_a.pk),
        activity_data(world, world.activity_a, kelurahan=elsewhere.pk),
        422,
    )
    assert "kelurahan" in response.context["form"].errors


def test_no_contribution_to_an_indicator_of_another_plan(world: World, member: Client) -> None:
    foreign = IndicatorFactory()  # an indicator of another RPJMD plan
    tampered = {f"contribution_{foreign.pk}": "500"}
    assert_refused_unchanged(
        member,
        _url("activity_add", world.plan_a.pk),
        activity_data(world, **tampered),
        422,
    )
    response = assert_refused_unchanged(
        member,
        _url("activity_edit", world.plan_a.pk, world.activity_a.pk),
        activity_data(world, world.activity_a, **tampered),
        422,
    )
    assert response.context["form"].non_field_errors()
    world.set_status(APPROVED)
    assert_refused_unchanged(
        member,
        _url("realisation", world.plan_a.pk, world.activity_a.pk),
        realisation_data(world, **tampered),
        422,
    )


def test_rows_of_another_plan_are_not_reachable_through_ones_own(
    world: World, member: Client
) -> None:
    a, b_activity, b_program = world.plan_a.pk, world.activity_b.pk, world.program_b.pk
    empty_b = ProgramFactory(work_plan=world.plan_b)
    for url in (
        _url("activity_edit", a, b_activity),
        _url("program_edit", a, b_program),
        _url("realisation", a, b_activity),
    ):
        assert_refused_unchanged(member, url, None, 404)  # GET
    cases = [
        (_url("activity_edit", a, b_activity), activity_data(world, world.activity_b)),
        (_url("activity_delete", a, b_activity), {"seen_version": world.activity_b.version}),
        (
            _url("program_edit", a, b_program),
            {"code": "X", "name": "Dibajak", "seen_version": world.program_b.version},
        ),
        (_url("program_delete", a, empty_b.pk), {"seen_version": empty_b.version}),
    ]
    for url, data in cases:
        assert_refused_unchanged(member, url, data, 404)
    world.set_status(APPROVED)
    om.WorkPlan.objects.filter(pk=world.plan_b.pk).update(
        status=APPROVED, submitted_at=timezone.now()
    )
    assert_refused_unchanged(
        member, _url("realisation", a, b_activity), realisation_data(world), 404
    )


def test_another_opds_plan_cannot_be_submitted_reviewed_or_reopened(world: World) -> None:
    """A member of A acting on B's plan: 404 for every action, whatever B's state."""
    member = world.client("member")
    b = world.plan_b
    for status, action, extra, on_get in (
        (DRAFT, "work_plan_submit", {}, 405),  # POST-only: the method is checked first
        (SUBMITTED, "work_plan_approve", {}, 405),
        (SUBMITTED, "work_plan_return", {"comment": "Dikembalikan."}, 404),
        (APPROVED, "work_plan_reopen", {"reason": "Dibuka."}, 404),
    ):
        om.WorkPlan.objects.filter(pk=b.pk).update(
            status=status, submitted_at=None if status == DRAFT else timezone.now()
        )
        b.refresh_from_db()
        data = {"seen_version": b.version, **extra}
        assert_refused_unchanged(member, _url(action, b.pk), data, 404)
        assert_refused_unchanged(member, _url(action, b.pk), None, on_get)


def test_a_plan_cannot_be_started_for_another_opd(world: World, member: Client) -> None:
    url = _url("work_plan_create")
    assert_refused_unchanged(member, url, {"opd": world.opd_b.pk, "year": 2019}, 404)
    assert_refused_unchanged(member, url, {"opd": "1 OR 1=1", "year": 2019}, 404)
    assert_refused_unchanged(member, url, {"year": 2019}, 404)


def test_a_work_plan_field_does_not_redirect_a_new_program(world: World, member: Client) -> None:
    """Fields the form does not know are ignored: the program lands in the URL's plan."""
    b_rows = list(om.Program.objects.filter(work_plan=world.plan_b).values())
    response = member.post(
        _url("program_add", world.plan_a.pk),
        {"code": "9.99", "name": "Program Titipan", "work_plan": world.plan_b.pk},
    )
    assert response.status_code == 302
    assert om.Program.objects.get(code="9.99").work_plan_id == world.plan_a.pk
    assert list(om.Program.objects.filter(work_plan=world.plan_b).values()) == b_rows


def test_a_return_comment_cannot_land_on_another_plans_activity(world: World) -> None:
    world.set_status(SUBMITTED)
    reviewer = world.client("reviewer")
    response = reviewer.post(
        _url("work_plan_return", world.plan_a.pk),
        {
            "seen_version": world.plan_a.version,
            "comment": "Perbaiki.",
            f"activity_{world.activity_b.pk}": "Komentar nyasar.",
        },
    )
    assert response.status_code == 302
    assert not om.ReviewComment.objects.filter(activity=world.activity_b).exists()
    assert om.ReviewComment.objects.filter(work_plan=world.plan_b).count() == 0


def test_a_refusal_over_htmx_swaps_the_plan_body_with_409(world: World, member: Client) -> None:
    world.set_status(APPROVED)
    before = snapshot()
    response = member.post(
        _url("activity_delete", world.plan_a.pk, world.activity_a.pk),
        {"seen_version": world.activity_a.version},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 409
    assert response["HX-Retarget"] == "#plan-body"
    assert snapshot() == before
