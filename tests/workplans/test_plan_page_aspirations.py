"""The plan page and the aspirations: the references each activity took up, and for the OPD's
members how many recommended to the OPD await a decision."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from opd import models as om
from opd.workplans import services
from tests.factories import ActivityFactory, AspirationFactory, OpdFactory
from tests.workplans.plan_world import World

pytestmark = pytest.mark.django_db
Status = om.AspirationStatus


@pytest.fixture
def world() -> World:
    return World.build()


def signed_in(user: Any) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"  # the pages in English, whatever the default
    client.force_login(user)
    return client


def plan_url(world: World) -> str:
    return reverse("opd:work_plan", args=[world.work_plan.pk])


def aspiration(world: World, **values: Any) -> om.Aspiration:
    opd = world.work_plan.opd
    values.setdefault("status", Status.RECOMMENDED)
    values.setdefault("recommended_opd", opd)
    return AspirationFactory(region=opd.region, kelurahan=world.kelurahan, **values)


def awaiting(html: str) -> str | None:
    found = re.search(r'data-testid="aspirations-awaiting">\s*(?:.*?)<p>(.*?)</p>', html, re.S)
    return " ".join(found.group(1).split()) if found else None


def test_each_activity_links_the_references_it_took_up_to_their_public_page(world):
    second = ActivityFactory(program=world.program, code="1.06.01.002")
    first_ref = aspiration(world, status=Status.ACCEPTED, activity=world.activity)
    second_ref = aspiration(world, status=Status.FUNDED, activity=world.activity)
    other_ref = aspiration(world, status=Status.ACCEPTED, activity=second)
    open_ref = aspiration(world)

    html = signed_in(world.reviewer).get(plan_url(world)).content.decode()

    rows = re.findall(r'data-testid="activity-aspirations">(.*?)</div>', html, re.S)
    links = [re.findall(r'href="([^"]+)">([^<]+)</a>', row) for row in rows]
    public = lambda a: (reverse("aspirations:public_detail", args=[a.reference]), a.reference)  # noqa: E731
    assert links == [
        sorted([public(first_ref), public(second_ref)], key=lambda link: link[1]),
        [public(other_ref)],
    ]
    assert open_ref.reference not in html


def test_members_see_how_many_aspirations_await_a_decision(world):
    aspiration(world)
    aspiration(world)
    aspiration(world, status=Status.ACCEPTED, activity=world.activity)  # decided
    aspiration(world, year=2019)  # another year's
    aspiration(world, status=Status.VERIFIED, recommended_opd=None)  # not recommended yet
    other = OpdFactory(region=world.work_plan.opd.region)
    aspiration(world, recommended_opd=other)  # another OPD's

    for member in (world.head, world.staff):
        html = signed_in(member).get(plan_url(world)).content.decode()
        assert awaiting(html).startswith("2 aspirations recommended to this OPD await a decision.")
    for outsider in (world.reviewer,):
        assert awaiting(signed_in(outsider).get(plan_url(world)).content.decode()) is None


def test_one_aspiration_is_singular_and_none_shows_no_panel(world):
    html = signed_in(world.head).get(plan_url(world)).content.decode()
    assert awaiting(html) is None
    aspiration(world)
    html = signed_in(world.head).get(plan_url(world)).content.decode()
    assert awaiting(html).startswith("1 aspiration recommended to this OPD awaits a decision.")


def test_the_panel_links_to_the_opds_recommended_aspirations_of_the_year(world):
    aspiration(world)
    html = signed_in(world.head).get(plan_url(world)).content.decode()
    url = reverse("aspirations:staff_list")
    query = f"?tahun={world.work_plan.year}&amp;tahap=recommended"
    assert f'<a href="{url}{query}">See the aspirations</a>' in html


def test_undecided_aspirations_do_not_block_submitting_the_plan(world):
    pending = aspiration(world)
    world.work_plan.refresh_from_db()

    services.work_plan_submit(
        work_plan_id=world.work_plan.pk, by=world.head, seen_version=world.work_plan.version
    )

    world.work_plan.refresh_from_db()
    assert world.work_plan.status == om.WorkPlan.Status.SUBMITTED
    pending.refresh_from_db()
    assert pending.status == Status.RECOMMENDED


# Session, user, the user's permissions (own and group's), the plan, programs, activities,
# contributions, indicators, achieved totals, comments, deadline, contribution states, the
# aspirations (one query: those the activities took up and those awaiting), the viewer's
# memberships (may they edit, do they see the panel), the nomenclature check: as
# tests/workplans/test_queries.py pins it for a draft, whatever the number of aspirations; for
# Bappeda one more, the region it works for (roles.bappeda_scope).
PLAN_PAGE_QUERIES = {"head": 16, "reviewer": 17}


@pytest.mark.parametrize("viewer", list(PLAN_PAGE_QUERIES))
@pytest.mark.parametrize("count", [1, 10])
def test_the_plan_page_runs_the_same_queries_whatever_the_aspirations(
    world, viewer, count, django_assert_num_queries
):
    activities = [world.activity, ActivityFactory(program=world.program, code="1.06.01.002")]
    for number in range(count):
        aspiration(world, status=Status.ACCEPTED, activity=activities[number % 2])
        aspiration(world)
    client = signed_in(world.head if viewer == "head" else world.reviewer)
    with django_assert_num_queries(PLAN_PAGE_QUERIES[viewer]):
        html = client.get(plan_url(world)).content.decode()
    assert html.count("/publik/usulan/") >= count
    if viewer == "head":
        assert awaiting(html).startswith(f"{count} aspiration")
