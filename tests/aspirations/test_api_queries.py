"""The aspiration writes make a fixed number of queries, however many aspirations, events,
OPDs and kelurahan there are."""

from __future__ import annotations

from typing import Any

import pytest

from tests.aspirations.api_world import AspirationApiWorld, etag_of, intake_body
from tests.factories import AspirationFactory, OpdFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db) -> AspirationApiWorld:
    return AspirationApiWorld.build()


def _more_rows(world: AspirationApiWorld, n: int) -> None:
    region = world.api.opd.region
    for _ in range(n):
        AspirationFactory(region=region, kelurahan=world.api.plan.kelurahan)
        OpdFactory(region=region)


def _stage(world: AspirationApiWorld, who: str, start: str, action: str, body: Any) -> Any:
    aspiration = world.at(start)
    api = world.client(who)
    tag = etag_of(aspiration)
    return lambda: api.post(
        f"/api/v1/aspirations/{aspiration.pk}/{action}/", body, format="json", HTTP_IF_MATCH=tag
    )


def _create(world: AspirationApiWorld, who: str) -> Any:
    api, body = world.client(who), intake_body(world)
    return lambda: api.post("/api/v1/aspirations/", body, format="json")


#: Each write and its queries: the session or token, the caller's roles, the row (get_object),
#: the body's record, the service (claim, checks, update, event) and the answer's read. The
#: intake's count is mostly ``full_clean``'s constraint checks, one savepoint each. Bappeda's
#: steps read the region it reviews once (``roles.reviewed_region_id``).
CASES: dict[str, tuple[Any, int]] = {
    "create by area staff": (
        lambda w: _create(w, "area_staff"),
        59,
    ),
    "verify by reviewer": (lambda w: _stage(w, "reviewer", "received", "verify", {}), 14),
    "recommend by reviewer": (
        lambda w: _stage(w, "reviewer", "verified", "recommend", {"opd": w.api.opd.pk}),
        15,
    ),
    "accept by write token": (
        lambda w: _stage(
            w, "write_own", "recommended", "accept", {"activity": w.api.plan.activity.pk}
        ),
        16,
    ),
    "reject by head": (
        lambda w: _stage(w, "head", "recommended", "reject", {"code": "duplicate"}),
        14,
    ),
}


@pytest.mark.parametrize("more", [0, 5])
@pytest.mark.parametrize("case", list(CASES))
def test_a_write_makes_a_fixed_number_of_queries(world, case, more, django_assert_num_queries):
    _more_rows(world, more)
    build, queries = CASES[case]
    call = build(world)
    with django_assert_num_queries(queries):
        response = call()
    assert response.status_code in (200, 201), response.content
