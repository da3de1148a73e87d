"""The list pages one region at a time (issue 15): the Renja list, the Renstra list and the
cascade show the region chosen with the picker (``?wilayah=``), offer exactly the regions the
user may see, and refuse another (404). The world is ``tests.permission_world``: Kota Magelang
(OPD A and B) and Kota Surakarta (its own OPD, plan and activity) under Provinsi Jawa Tengah.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from opd import models as om
from tests.permission_world import SUBMITTED, World, build_world

pytestmark = pytest.mark.django_db

HOME, ELSEWHERE, PROVINCE = "33.71", "33.72", "33"
PAGES = {
    "renja": lambda: reverse("opd:work_plans"),
    "renstra": lambda: reverse("renstra:list"),
    "cascade": lambda: reverse("cascade:cascade"),
}


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def world() -> World:
    return build_world()


def page(world: World, role: str, name: str, wilayah: str | None = None) -> Any:
    client = world.client(role)
    client.cookies["django_language"] = "en"
    url = PAGES[name]()
    return client.get(url, {"wilayah": wilayah} if wilayah else {})


def rows_of(response: Any) -> list[str]:
    """The OPD names of a Renja or Renstra list's rows."""
    html = response.content.decode()
    return re.findall(r'<tr data-opd="[^"]*">\s*<td>[^<]*</td>\s*<td>([^<]*)</td>', html)


def offered(response: Any) -> list[str]:
    picker = response.content.decode().split('data-testid="region-picker"')
    return (
        re.findall(r'<option value="([^"]+)"', picker[1].split("</select>")[0])
        if len(picker) > 1
        else []
    )


def elsewhere_activity() -> om.Activity:
    return om.Activity.objects.get(program__work_plan__opd__region__code=ELSEWHERE)


@pytest.mark.parametrize("name", ["renja", "renstra"])
def test_the_province_lists_each_region_with_its_own_rows_only(world: World, name: str) -> None:
    home = page(world, "province", name, HOME)
    elsewhere = page(world, "province", name, ELSEWHERE)
    assert home.status_code == elsewhere.status_code == 200
    assert rows_of(home) == ["Dinas Sosial", "Dinas Tenaga Kerja"]
    assert rows_of(elsewhere) == ["Dinas Sosial Surakarta"]
    assert offered(home) == offered(elsewhere) == [PROVINCE, HOME, ELSEWHERE]


def test_the_province_cascade_shows_each_regions_activities_only(world: World) -> None:
    a_url = reverse("cascade:activity", args=[world.activity_a.pk])
    b_url = reverse("cascade:activity", args=[elsewhere_activity().pk])
    home = page(world, "province", "cascade", HOME).content.decode()
    elsewhere = page(world, "province", "cascade", ELSEWHERE).content.decode()
    assert a_url in home and b_url not in home
    assert b_url in elsewhere and a_url not in elsewhere


@pytest.mark.parametrize("name", list(PAGES))
def test_the_province_starts_on_itself_and_is_asked_to_pick_a_region(
    world: World, name: str
) -> None:
    """The province has no OPDs or plan of its own: a message points at the picker."""
    response = page(world, "province", name)
    assert response.status_code == 200
    assert offered(response) == [PROVINCE, HOME, ELSEWHERE]
    assert "selected>Provinsi Jawa Tengah" in response.content.decode()
    assert "choose a region above" in response.content.decode()
    assert rows_of(response) == []


@pytest.mark.parametrize("name", list(PAGES))
def test_a_region_the_user_may_not_see_is_not_found(world: World, name: str) -> None:
    assert page(world, "stranger", name, HOME).status_code == 404
    assert page(world, "stranger", name, PROVINCE).status_code == 404
    assert page(world, "member", name, ELSEWHERE).status_code == 404
    assert page(world, "reviewer", name, ELSEWHERE).status_code == 404
    assert page(world, "province", name, "99.99").status_code == 404


@pytest.mark.parametrize("name", ["renja", "renstra"])
def test_another_kotas_bappeda_lists_its_own_region_only(world: World, name: str) -> None:
    response = page(world, "stranger", name)
    assert rows_of(response) == ["Dinas Sosial Surakarta"]
    assert offered(response) == []  # one region: no picker
    assert page(world, "reviewer", name).status_code == 200
    assert rows_of(page(world, "reviewer", name)) == ["Dinas Sosial", "Dinas Tenaga Kerja"]


def test_another_kotas_bappeda_sees_none_of_the_regions_activities(world: World) -> None:
    html = page(world, "stranger", "cascade").content.decode()
    assert reverse("cascade:activity", args=[elsewhere_activity().pk]) in html
    assert reverse("cascade:activity", args=[world.activity_a.pk]) not in html
    assert reverse("opd:work_plan", args=[world.plan_a.pk]) not in html


def test_another_kotas_bappeda_sets_its_own_regions_deadline(world: World) -> None:
    response = world.client("stranger").post(
        reverse("opd:deadline"), {"year": 2018, "due_date": "2018-03-31"}
    )
    assert response.status_code == 302
    deadline = om.SubmissionDeadline.objects.get()
    assert (deadline.region.code, deadline.year, deadline.due_date) == (
        ELSEWHERE,
        2018,
        date(2018, 3, 31),
    )


def test_the_deadline_link_is_offered_to_the_regions_reviewer_only(world: World) -> None:
    link = f'href="{reverse("opd:deadline")}"'
    assert link in page(world, "reviewer", "renja").content.decode()
    assert link in page(world, "stranger", "renja").content.decode()  # its own region's list
    assert link not in page(world, "province", "renja", HOME).content.decode()


def test_the_province_sees_no_review_actions_on_a_submitted_plan(world: World) -> None:
    world.set_status(SUBMITTED)
    url = reverse("opd:work_plan", args=[world.plan_a.pk])
    actions = (
        reverse("opd:work_plan_approve", args=[world.plan_a.pk]),
        reverse("opd:work_plan_return", args=[world.plan_a.pk]),
    )
    reviewer = world.client("reviewer").get(url).content.decode()
    province = world.client("province").get(url)
    assert province.status_code == 200
    assert all(action in reviewer for action in actions)
    assert not any(action in province.content.decode() for action in actions)


def test_the_way_back_from_a_plan_or_activity_keeps_its_region(world: World) -> None:
    """A province's Bappeda opening region A's plan or cascade activity goes back to the list
    and cascade of region A, not to the province it starts on."""
    client = world.client("province")
    plan = client.get(reverse("opd:work_plan", args=[world.plan_a.pk])).content.decode()
    assert f"?tahun=2018&amp;wilayah={HOME}" in plan
    chain = client.get(reverse("cascade:activity", args=[world.activity_a.pk])).content.decode()
    assert f"&amp;wilayah={HOME}" in chain
    back = client.get(reverse("opd:work_plans"), {"tahun": 2018, "wilayah": HOME})
    assert rows_of(back) == ["Dinas Sosial", "Dinas Tenaga Kerja"]
