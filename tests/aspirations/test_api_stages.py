"""The stage actions of the API: ``POST /api/v1/aspirations/{id}/verify/``, ``recommend/``,
``accept/`` and ``reject/``, each with ``If-Match``, answering the new representation and its
ETag. A refused stage is 409, a role 403, an unseen row 404, a bad body 400; none of them
changes the row or adds an event."""

from __future__ import annotations

from typing import Any

import pytest

from opd import models as om
from tests.aspirations.api_world import AspirationApiWorld, etag_of, fingerprint
from tests.factories import OpdFactory, RegionFactory
from tests.workplans.plan_world import complete_activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db) -> AspirationApiWorld:
    return AspirationApiWorld.build()


def act(
    world: AspirationApiWorld,
    who: str,
    aspiration: om.Aspiration,
    action: str,
    body: dict[str, Any] | None = None,
    if_match: str | None = "current",
) -> Any:
    headers = {}
    if if_match == "current":
        headers["HTTP_IF_MATCH"] = etag_of(aspiration)
    elif if_match is not None:
        headers["HTTP_IF_MATCH"] = if_match
    return world.client(who).post(
        f"/api/v1/aspirations/{aspiration.pk}/{action}/", body or {}, format="json", **headers
    )


def opd_a(world: AspirationApiWorld) -> dict[str, Any]:
    return {"opd": world.api.opd.pk}


def activity_a(world: AspirationApiWorld) -> dict[str, Any]:
    return {"activity": world.api.plan.activity.pk}


NOT_FEASIBLE = {"code": "not_feasible"}

#: Each action: the stage it starts from, its body, the stage it leads to, who may take it.
ACTIONS = {
    "verify": ("received", lambda w: {"note": "Lokasi dicek"}, "verified", "area_staff"),
    "recommend": ("verified", opd_a, "recommended", "reviewer"),
    "accept": ("recommended", activity_a, "accepted", "head"),
    "reject": ("recommended", lambda w: NOT_FEASIBLE, "rejected", "head"),
}


@pytest.mark.parametrize("action", list(ACTIONS))
def test_each_action_moves_the_aspiration_and_answers_its_new_representation(world, action):
    start, body, end, who = ACTIONS[action]
    aspiration = world.at(start)
    events = aspiration.events.count()
    response = act(world, who, aspiration, action, body(world))
    assert response.status_code == 200, response.content
    stored = om.Aspiration.objects.get(pk=aspiration.pk)
    assert (stored.status, stored.version) == (end, aspiration.version + 1)
    assert (response.json()["status"], response.json()["version"]) == (end, stored.version)
    assert response["ETag"] == f'"{stored.version}"'
    assert aspiration.events.count() == events + 1
    assert aspiration.events.last().actor == world.person(who)


def test_the_stage_fields_are_answered(world):
    recommended = act(world, "reviewer", world.at("verified"), "recommend", opd_a(world)).json()
    assert recommended["recommended_opd"] == world.api.opd.pk
    accepted = act(world, "head", world.at("recommended"), "accept", activity_a(world)).json()
    assert accepted["activity"] == world.api.plan.activity.pk
    rejected = act(
        world, "reviewer", world.at("received"), "reject", {"code": "other", "text": " Dobel "}
    ).json()
    assert (rejected["rejection_code"], rejected["rejection_reason"]) == ("other", "Dobel")


def test_a_write_token_of_the_recommended_opd_accepts_and_rejects(world):
    accepted = act(world, "write_own", world.at("recommended"), "accept", activity_a(world))
    assert accepted.status_code == 200, accepted.content
    rejected = act(world, "write_own", world.at("recommended"), "reject", NOT_FEASIBLE)
    assert rejected.status_code == 200, rejected.content
    assert (
        om.AspirationEvent.objects.filter(
            actor=world.api.plan.work_plan.opd.api_clients.get(scope="write").user
        ).count()
        == 2
    )


# --- refusals ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "action", "who", "body", "words"),
    [
        ("received", "recommend", "reviewer", opd_a, "Verify the aspiration"),
        ("verified", "verify", "reviewer", None, "Only a received aspiration"),
        ("accepted", "accept", "head", activity_a, "Only a recommended aspiration"),
        ("accepted", "reject", "reviewer", lambda w: NOT_FEASIBLE, "can no longer be rejected"),
        ("recommended", "recommend", "reviewer", opd_a, "Only a verified aspiration"),
    ],
)
def test_a_stage_cannot_be_skipped_or_taken_twice(world, start, action, who, body, words):
    aspiration = world.at(start)
    before = fingerprint()
    response = act(world, who, aspiration, action, body(world) if body else None)
    assert response.status_code == 409, response.content
    assert words in response.json()["detail"]
    assert fingerprint() == before


def test_recommending_to_an_opd_of_another_region_is_a_conflict(world):
    aspiration = world.at("verified")
    foreign = OpdFactory(region=RegionFactory(name="Kabupaten lain"), code="9.99")
    before = fingerprint()
    response = act(world, "reviewer", aspiration, "recommend", {"opd": foreign.pk})
    assert response.status_code == 409, response.content
    assert fingerprint() == before


def test_no_acceptance_into_another_opds_activity(world):
    """A member of both OPDs sees OPD B's activity: the service refuses it (409). The head of
    OPD A alone does not see it: it is an unknown activity (400), as any other OPD's record."""
    aspiration = world.at("recommended")
    other_plan = om.WorkPlan.objects.create(
        opd=world.api.plan.outsider.opd_memberships.get().opd,
        plan=world.api.plan.work_plan.plan,
        year=2018,
    )
    foreign = complete_activity(
        om.Program.objects.create(work_plan=other_plan, code="9.01", name="Lain"), code="9.01.001"
    )
    om.OpdMembership.objects.create(
        opd=other_plan.opd, user=world.api.plan.head, role=om.OpdMembership.Role.STAFF
    )
    before = fingerprint()
    both = act(world, "head", aspiration, "accept", {"activity": foreign.pk})
    assert both.status_code == 409, both.content
    assert "belongs to another OPD" in both.json()["detail"]
    alone = act(world, "write_own", aspiration, "accept", {"activity": foreign.pk})
    assert alone.status_code == 400, alone.content
    assert set(alone.json()) == {"activity"}
    assert fingerprint() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "code"),
        ({"code": ""}, "code"),
        ({"code": "bosan"}, "code"),
        ({"code": "other"}, "text"),
        ({"code": "other", "text": "   "}, "text"),
        ({"code": "not_feasible", "text": "x" * 5001}, "text"),
    ],
)
def test_a_rejection_needs_a_reason(world, body, field):
    aspiration = world.at("recommended")
    before = fingerprint()
    response = act(world, "reviewer", aspiration, "reject", body)
    assert response.status_code == 400, response.content
    assert set(response.json()) == {field}
    assert fingerprint() == before


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("recommend", {}, "opd"),
        ("recommend", {"opd": 999_999}, "opd"),
        ("accept", {}, "activity"),
        ("accept", {"activity": "x"}, "activity"),
        ("verify", {"note": "x" * 5001}, "note"),
    ],
)
def test_a_bad_body_is_400_with_its_field(world, action, body, field):
    aspiration = world.at(ACTIONS[action][0])
    who = "reviewer" if action != "accept" else "head"
    before = fingerprint()
    response = act(world, who, aspiration, action, body)
    assert response.status_code == 400, response.content
    assert set(response.json()) == {field}
    assert fingerprint() == before


@pytest.mark.parametrize("action", list(ACTIONS))
def test_an_action_without_if_match_is_428(world, action):
    start, body, _end, who = ACTIONS[action]
    aspiration = world.at(start)
    before = fingerprint()
    response = act(world, who, aspiration, action, body(world), if_match=None)
    assert response.status_code == 428, response.content
    assert fingerprint() == before


@pytest.mark.parametrize("action", list(ACTIONS))
def test_a_stale_action_is_412_and_changes_nothing(world, action):
    start, body, _end, who = ACTIONS[action]
    aspiration = world.at(start)
    stale = f'"{aspiration.version - 1}"' if aspiration.version > 1 else '"0"'
    before = fingerprint()
    response = act(world, who, aspiration, action, body(world), if_match=stale)
    assert response.status_code == 412, response.content
    assert response.json()["code"] == "precondition_failed"
    assert response.json()["current_version"] == aspiration.version
    assert response["ETag"] == f'"{aspiration.version}"'
    assert fingerprint() == before


def test_the_version_is_claimed_again_by_the_service(world, monkeypatch):
    """A request that passes the If-Match check but loses the race is still 412."""
    from opd.aspirations import services

    aspiration = world.at("received")
    real = services.aspiration_verify

    def racing(**kwargs: Any) -> Any:
        om.Aspiration.objects.filter(pk=aspiration.pk).update(version=aspiration.version + 1)
        return real(**kwargs)

    monkeypatch.setattr(services, "aspiration_verify", racing)
    response = act(world, "reviewer", aspiration, "verify")
    assert response.status_code == 412, response.content
    assert om.Aspiration.objects.get(pk=aspiration.pk).status == "received"


@pytest.mark.parametrize(
    ("action", "who", "status"),
    [
        ("verify", "head", 403),
        ("verify", "write_own", 403),
        ("verify", "other_area_staff", 404),
        ("recommend", "area_staff", 403),
        ("recommend", "write_own", 403),
        ("accept", "reviewer", 403),
        ("accept", "other_head", 400),  # OPD A's activity is unknown to another OPD
        ("reject", "other_head", 403),
        ("reject", "write_other", 403),
        ("reject", "area_staff", 403),
        ("reject", "read", 403),
        ("reject", "anonymous", 401),
    ],
)
def test_roles_are_refused_and_nothing_changes(world, action, who, status):
    start, body, _end, _who = ACTIONS[action]
    aspiration = world.at(start)
    before = fingerprint()
    response = act(world, who, aspiration, action, body(world))
    assert response.status_code == status, response.content
    assert fingerprint() == before


def test_an_opd_rejects_only_what_was_recommended_to_it(world):
    aspiration = world.at("verified")
    before = fingerprint()
    response = act(world, "head", aspiration, "reject", NOT_FEASIBLE)
    assert response.status_code == 403, response.content
    assert fingerprint() == before


def test_an_unknown_aspiration_is_404(world):
    response = world.client("reviewer").post(
        "/api/v1/aspirations/999999/verify/", {}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 404
