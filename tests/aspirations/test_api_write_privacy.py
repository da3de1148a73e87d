"""Who proposed an aspiration, on the answers to writes: shown to a signed-in Bappeda reviewer
and the staff of its place, never to an OPD member or a token, and never in a refusal."""

from __future__ import annotations

from typing import Any

import pytest

from tests.aspirations.api_world import (
    CONTACT,
    NAME,
    AspirationApiWorld,
    etag_of,
    intake_body,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db) -> AspirationApiWorld:
    return AspirationApiWorld.build()


def _post(world: AspirationApiWorld, who: str, start: str, action: str, body: Any) -> Any:
    aspiration = world.at(start)
    return world.client(who).post(
        f"/api/v1/aspirations/{aspiration.pk}/{action}/",
        body,
        format="json",
        HTTP_IF_MATCH=etag_of(aspiration),
    )


def _patch(world: AspirationApiWorld, who: str) -> Any:
    aspiration = world.at("received")
    return world.client(who).patch(
        f"/api/v1/aspirations/{aspiration.pk}/",
        {"title": "Judul baru"},
        format="json",
        HTTP_IF_MATCH=etag_of(aspiration),
    )


NOT_FEASIBLE = {"code": "not_feasible"}

# write, who: (the call, whether the answer shows the proposer)
CASES = {
    ("create", "reviewer"): (
        lambda w, who: w.client(who).post("/api/v1/aspirations/", intake_body(w), format="json"),
        True,
    ),
    ("create", "area_staff"): (
        lambda w, who: w.client(who).post("/api/v1/aspirations/", intake_body(w), format="json"),
        True,
    ),
    ("patch", "kecamatan_staff"): (_patch, True),
    ("verify", "area_staff"): (lambda w, who: _post(w, who, "received", "verify", {}), True),
    ("recommend", "reviewer"): (
        lambda w, who: _post(w, who, "verified", "recommend", {"opd": w.api.opd.pk}),
        True,
    ),
    ("accept", "head"): (
        lambda w, who: _post(w, who, "recommended", "accept", {"activity": w.api.plan.activity.pk}),
        False,
    ),
    ("accept", "write_own"): (
        lambda w, who: _post(w, who, "recommended", "accept", {"activity": w.api.plan.activity.pk}),
        False,
    ),
    ("reject", "head"): (
        lambda w, who: _post(w, who, "recommended", "reject", NOT_FEASIBLE),
        False,
    ),
    ("reject", "write_own"): (
        lambda w, who: _post(w, who, "recommended", "reject", NOT_FEASIBLE),
        False,
    ),
    ("reject", "reviewer"): (
        lambda w, who: _post(w, who, "recommended", "reject", NOT_FEASIBLE),
        True,
    ),
}


@pytest.mark.parametrize(("write", "who"), list(CASES))
def test_a_write_answers_the_proposer_only_to_reviewers_and_the_staff_of_the_place(
    world, write, who
):
    call, sees = CASES[write, who]
    response = call(world, who)
    assert response.status_code in (200, 201), response.content
    body = response.json()
    if sees:
        assert (body["proposer"], body["proposer_contact"]) == (NAME, CONTACT)
    else:
        assert (body["proposer"], body["proposer_contact"]) == (None, None)
        content = response.content.decode()
        assert NAME not in content and CONTACT not in content


@pytest.mark.parametrize(
    ("who", "start", "action", "body"),
    [
        ("head", "received", "verify", {}),  # 403
        ("head", "accepted", "accept", {"activity": 0}),  # 400
        ("reviewer", "verified", "verify", {}),  # 409
        ("other_area_staff", "received", "verify", {}),  # 404
    ],
)
def test_a_refusal_never_names_the_proposer(world, who, start, action, body):
    response = _post(world, who, start, action, body)
    assert response.status_code >= 400
    content = response.content.decode()
    assert NAME not in content and CONTACT not in content
