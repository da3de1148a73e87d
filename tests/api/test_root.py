"""The API root lists what the caller may use : anonymous callers once got a
401 there although the public lists answer them."""

from __future__ import annotations

import pytest

from tests.api.world import build

pytestmark = pytest.mark.django_db

PUBLIC = {"regions", "indicators", "opds", "contributions", "renstra", "cascade"}
EVERY = PUBLIC | {"work-plans", "programs", "activities", "realisations", "aspirations"}


def test_anonymous_callers_see_the_public_resources() -> None:
    world = build()
    response = world.client("anonymous").get("/api/v1/")
    assert response.status_code == 200, response.content
    listed = response.json()
    assert set(listed) == PUBLIC
    for url in listed.values():
        assert world.client("anonymous").get(url).status_code == 200


@pytest.mark.parametrize("role", ["read", "write_own", "member", "reviewer"])
def test_signed_in_callers_see_every_resource(role: str) -> None:
    world = build()
    response = world.client(role).get("/api/v1/")
    assert response.status_code == 200
    assert set(response.json()) == EVERY
    assert response.json()["programs"].endswith("/api/v1/programs/")
