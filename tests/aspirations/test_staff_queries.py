"""Query counts of the staff pages under ``/usulan/``, pinned: the list for 1 and 30 rows, an
aspiration's page for a short and a long history. A count that grows means a per-row query
crept in: fix the selector, not the number here."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from opd import models as om
from opd.aspirations import services
from tests.aspirations.world import AspirationWorld
from tests.factories import KelurahanFactory

pytestmark = pytest.mark.django_db

# Session, user, the user's permissions (own and group's: is Bappeda?), then for Bappeda the
# region it works for and those under it (roles.bappeda_scope), and for the others their OPD
# memberships and area kelurahan; the regions the picker offers; then the filter's kelurahan,
# the count and the page. Bappeda reads neither memberships nor area for a region it reads.
LIST_QUERIES = {"reviewer": 9, "kelurahan_staff": 10, "head": 10}
# Session, user, permissions (2), memberships, area kelurahan, the aspiration with its place,
# indicator, OPD and activity, its events; then the choices of the action the user may take
# (the region's OPDs for Bappeda at "verified", the OPD's editable activities for its head at
# "recommended"), and the names of the kelurahan an edit changed. Bappeda's page reads one more:
# the region it reviews (roles.reviewed_region_id), to show the proposer.
DETAIL_QUERIES = {
    ("reviewer", "verified"): 11,
    ("head", "recommended"): 10,
    ("kelurahan_staff", "received"): 9,
}


#: The rows each viewer sees, counted apart from the page.
SEES = {
    "reviewer": lambda w: {},
    "kelurahan_staff": lambda w: {"kelurahan": w.plan.kelurahan},
    "head": lambda w: {"recommended_opd": w.plan.work_plan.opd},
}


@pytest.fixture
def world(settings: Any) -> AspirationWorld:
    built = AspirationWorld.build()
    settings.DEFAULT_REGION_CODE = built.plan.work_plan.opd.region.code
    return built


def _with_rows(world: AspirationWorld, n: int) -> None:
    places = [world.plan.kelurahan] + [
        KelurahanFactory(kecamatan=world.plan.kelurahan.kecamatan) for _ in range(2)
    ]
    for number in range(n):
        # The first is recommended, so every viewer has a row to see.
        aspiration = world.record() if number % 2 else world.at("recommended")
        if number % 3 == 0 and aspiration.status == "received":
            services.aspiration_update(
                aspiration_id=aspiration.pk, by=world.plan.reviewer,
                seen_version=aspiration.version, values={"kelurahan": places[number % 3 + 1]},
            )  # fmt: skip


@pytest.mark.parametrize("viewer", list(LIST_QUERIES))
@pytest.mark.parametrize("rows", [1, 30])
def test_the_list_queries_do_not_grow(
    world: AspirationWorld, client: Client, django_assert_num_queries: Any, viewer: str, rows: int
) -> None:
    _with_rows(world, rows)
    client.force_login(world.who(viewer))
    expected = om.Aspiration.objects.filter(**SEES[viewer](world)).count()
    with django_assert_num_queries(LIST_QUERIES[viewer]):
        response = client.get("/usulan/")
    assert response.status_code == 200
    shown = len(re.findall(r'data-testid="aspiration-row"', response.content.decode()))
    assert shown == expected >= 1


def _history(world: AspirationWorld, stage: str, edits: int) -> om.Aspiration:
    """An aspiration at ``stage`` whose details were first corrected ``edits`` times (title and
    kelurahan by turns), so its page names kelurahan from the history."""
    aspiration = world.record()
    other = KelurahanFactory(kecamatan=world.plan.kelurahan.kecamatan)
    for number in range(edits):
        place = other if number % 2 == 0 else world.plan.kelurahan
        aspiration = services.aspiration_update(
            aspiration_id=aspiration.pk, by=world.plan.reviewer, seen_version=aspiration.version,
            values={"title": f"Judul {number}", "kelurahan": place},
        )  # fmt: skip
    if edits % 2:  # back in the world's kelurahan, which its staff serve
        aspiration = services.aspiration_update(
            aspiration_id=aspiration.pk, by=world.plan.reviewer, seen_version=aspiration.version,
            values={"kelurahan": world.plan.kelurahan},
        )  # fmt: skip
    steps = ("verified", "recommended")
    for step in steps[: steps.index(stage) + 1] if stage in steps else ():
        if step == "verified":
            aspiration = services.aspiration_verify(
                aspiration_id=aspiration.pk, by=world.plan.reviewer, seen_version=aspiration.version
            )
        else:
            aspiration = services.aspiration_recommend(
                aspiration_id=aspiration.pk, by=world.plan.reviewer,
                seen_version=aspiration.version, opd=world.plan.work_plan.opd,
            )  # fmt: skip
    return aspiration


@pytest.mark.parametrize(("viewer", "stage"), list(DETAIL_QUERIES))
@pytest.mark.parametrize("edits", [1, 12])
def test_the_detail_queries_do_not_grow(
    world: AspirationWorld,
    client: Client,
    django_assert_num_queries: Any,
    viewer: str,
    stage: str,
    edits: int,
) -> None:
    aspiration = _history(world, stage, edits)
    client.force_login(world.who(viewer))
    with django_assert_num_queries(DETAIL_QUERIES[viewer, stage]):
        response = client.get(f"/usulan/{aspiration.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('data-testid="event"') == aspiration.events.count()
    assert body.count('data-kind="edit"') == edits + edits % 2
    action = {"verified": "recommend", "recommended": "accept", "received": "verify"}[stage]
    assert f'data-testid="{action}-form"' in body
