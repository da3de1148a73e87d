"""Filters name an OPD, an indicator or a kelurahan by its code as well as its id;
a value that names nothing stays a 400."""

from __future__ import annotations

import pytest

from tests.api.world import build
from tests.factories import OpdFactory, RegionFactory, WorkPlanFactory

pytestmark = pytest.mark.django_db


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return sorted(row["id"] for row in response.json()["results"])


def test_activities_by_opd_indicator_and_kelurahan_code_as_by_id() -> None:
    world = build()
    api = world.client("reviewer")
    both = sorted([world.plan.activity.pk, world.approved_activity.pk])
    for name, by_id, by_code in [
        ("opd", world.opd.pk, world.opd.code),
        ("indicator", world.plan.indicator.pk, world.plan.indicator.code),
        ("kelurahan", world.plan.kelurahan.pk, world.plan.kelurahan.code),
    ]:
        assert ids(api.get("/api/v1/activities/", {name: by_id})) == both, name
        assert ids(api.get("/api/v1/activities/", {name: by_code})) == both, name
    assert ids(api.get("/api/v1/activities/", {"opd": world.other_opd.code})) == []


@pytest.mark.parametrize(
    ("path", "name", "value"),
    [
        ("activities", "opd", "9.99"),
        ("activities", "indicator", "TIDAK-ADA"),
        ("activities", "kelurahan", "33.71.09.9999"),
        ("activities", "opd", "999999"),
        ("realisations", "indicator", "TIDAK-ADA"),
        ("contributions", "indicator", "TIDAK-ADA"),
        ("work-plans", "opd", "x" * 41),
    ],
)
def test_a_code_that_names_nothing_is_a_400(path: str, name: str, value: str) -> None:
    response = build().client("reviewer").get(f"/api/v1/{path}/", {name: value})
    assert response.status_code == 400
    assert name in response.json()


def test_other_lists_take_codes_too() -> None:
    world = build()
    api = world.client("reviewer")
    code = world.plan.indicator.code
    contributions = api.get("/api/v1/contributions/", {"indicator": code}).json()
    assert contributions["count"] == 2
    assert {row["indicator"] for row in contributions["results"]} == {world.plan.indicator.pk}
    realisations = api.get("/api/v1/realisations/", {"indicator": code, "opd": "1.06"})
    assert ids(realisations) == [world.realisation.pk]
    plans = api.get("/api/v1/work-plans/", {"opd": "1.06"})
    assert ids(plans) == sorted([world.plan.work_plan.pk, world.approved_plan.pk])
    aspirations = api.get("/api/v1/aspirations/", {"kelurahan": world.plan.kelurahan.code})
    assert ids(aspirations) == [world.aspiration.pk]
    # The public lists too.
    public = world.client("anonymous").get("/api/v1/contributions/", {"indicator": code})
    assert public.json()["count"] == 2


def test_an_opd_code_of_two_regions_names_both() -> None:
    """OPD codes are unique in a region only: the code keeps every OPD that has it (read by
    the Bappeda of the province both regions sit under)."""
    world = build()
    twin_region = RegionFactory(parent=world.opd.region.parent)
    twin_plan = WorkPlanFactory(opd=OpdFactory(region=twin_region, code=world.opd.code))
    plans = world.client("province").get("/api/v1/work-plans/", {"opd": world.opd.code})
    assert ids(plans) == sorted([world.plan.work_plan.pk, world.approved_plan.pk, twin_plan.pk])
    by_id = world.client("province").get("/api/v1/work-plans/", {"opd": twin_plan.opd_id})
    assert ids(by_id) == [twin_plan.pk]
