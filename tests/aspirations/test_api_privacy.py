"""Who sees who proposed an aspiration through the API: a signed-in Bappeda reviewer and the
staff of its kelurahan or kecamatan; never an anonymous caller, an OPD, another area's staff or
a token (read or write)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from opd.clients import services as client_services
from tests.aspirations.world import INTAKE, AspirationWorld

NAME, CONTACT = INTAKE["proposer"], INTAKE["proposer_contact"]

# caller: (status of the list, sees the aspiration, sees the proposer)
MATRIX = {
    "anonymous": (401, False, False),
    "reviewer": (200, True, True),
    "kelurahan_staff": (200, True, True),
    "kecamatan_staff": (200, True, True),
    "other_area_staff": (200, False, False),
    "head": (200, True, False),  # an OPD of the region sees it, not who proposed it
    "outsider": (200, True, False),
    "read token": (200, False, False),  # a token without an OPD reads no aspirations
    "write token": (200, True, False),
}


@pytest.fixture
def world(db) -> AspirationWorld:
    return AspirationWorld.build()


def _client(world: AspirationWorld, who: str) -> APIClient:
    api = APIClient()
    if who.endswith("token"):
        scope = who.split()[0]
        opd = world.plan.work_plan.opd if scope == "write" else None
        _client_row, token = client_services.api_client_create(
            name=f"sistem-{scope}", scope=scope, opd=opd
        )
        api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    elif who != "anonymous":
        api.force_login(world.who(who))
    return api


@pytest.mark.parametrize("who", list(MATRIX))
def test_the_proposer_is_shown_only_to_reviewers_and_the_staff_of_the_place(world, who):
    aspiration = world.record()
    status, sees_row, sees_proposer = MATRIX[who]
    api = _client(world, who)
    listed = api.get("/api/v1/aspirations/")
    assert listed.status_code == status
    detail = api.get(f"/api/v1/aspirations/{aspiration.pk}/")
    assert detail.status_code == (status if status != 200 else (200 if sees_row else 404))
    if not sees_row:
        assert NAME not in listed.content.decode() and NAME not in detail.content.decode()
        return
    (row,) = listed.json()["results"]
    for body in (row, detail.json()):
        assert body["reference"] == aspiration.reference
        if sees_proposer:
            assert (body["proposer"], body["proposer_contact"]) == (NAME, CONTACT)
        else:
            assert (body["proposer"], body["proposer_contact"]) == (None, None)
            assert NAME not in str(body) and CONTACT not in str(body)
