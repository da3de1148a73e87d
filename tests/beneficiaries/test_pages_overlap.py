"""The plan page's overlap figures: for each activity's list, how many of its persons are also on
a list of each other OPD's activities in plans of the same year and region. One query for the
whole page, whatever the number of lists or persons; counts only, never a NIK."""

from __future__ import annotations

import re

import pytest

from opd.beneficiaries.selectors import plan_overlaps
from tests.beneficiaries.pages import other_opd, plan_url, signed_in, store
from tests.beneficiaries.world import nik
from tests.factories import ActivityFactory, RegionFactory, WorkPlanFactory
from tests.workplans.plan_world import complete_activity, member

pytestmark = pytest.mark.django_db


def overlaps_shown(html: str, code: str) -> dict[str, str]:
    start = html.find(f'data-testid="activity-list-{code}"')
    assert start != -1, f"no list row for {code}"
    end = html.find('class="activity-row', start)
    row = html[start : end if end != -1 else len(html)]
    return {
        opd: " ".join(re.sub(r"<[^>]+>", "", text).split())
        for opd, text in re.findall(r'<li data-opd="([^"]+)">(.*?)</li>', row, re.S)
    }


@pytest.fixture
def shared(world):
    """Dinas Sosial's activity lists persons 1-600; Disnaker's lists 451-850 (150 shared) and
    Dinkes's 591-640 (10 shared with Dinsos, all of them also Disnaker's). Dinsos's second
    activity lists 1-20: its own OPD's overlap does not count. Another year's plan of Disnaker
    and another region's OPD list persons 1-600 too: neither counts."""
    store(world.activity, world.staff, range(1, 601), "Kramat Utara")
    own = complete_activity(world.program, kelurahan=world.kelurahan, code="1.06.01.002")
    store(own, world.staff, range(1, 21), "Kramat Utara")
    disnaker = other_opd(world, code="1.07", name="Dinas Tenaga Kerja")
    store(disnaker.activity, disnaker.head, range(451, 851), "Kramat Utara")
    dinkes = other_opd(world, code="1.02", name="Dinas Kesehatan")
    store(dinkes.activity, dinkes.head, range(591, 641), "Kramat Utara")
    later = WorkPlanFactory(opd=disnaker.opd, plan=world.work_plan.plan, year=2019)
    later_activity = complete_activity(
        ActivityFactory(program__work_plan=later).program, kelurahan=world.kelurahan, code="X"
    )
    store(later_activity, disnaker.head, range(1, 601), "Kramat Utara")
    elsewhere = WorkPlanFactory(opd__region=RegionFactory(), year=world.work_plan.year)
    far = complete_activity(ActivityFactory(program__work_plan=elsewhere).program, code="Y")
    store(far, member(elsewhere.opd), range(1, 601), far.kelurahan.name)
    return {"disnaker": disnaker, "dinkes": dinkes, "own": own}


def test_each_list_shows_its_persons_on_other_opds_lists(world, shared):
    html = signed_in(world.head).get(plan_url(world)).content.decode()
    assert overlaps_shown(html, "1.06.01.001") == {
        "1.02": "Dinas Kesehatan: 10 persons",
        "1.07": "Dinas Tenaga Kerja: 150 persons",
    }
    assert overlaps_shown(html, "1.06.01.002") == {}
    assert 'data-testid="no-overlap"' in html  # the second activity shares with no other OPD
    for n in (1, 451, 600):
        assert nik(n) not in html


def test_the_other_opds_page_shows_the_same_persons_from_its_side(world, shared):
    disnaker = shared["disnaker"]
    overlaps = plan_overlaps(
        work_plan=disnaker.activity.program.work_plan, region_id=world.work_plan.opd.region_id
    )
    figures = {o.opd_code: o.persons for o in overlaps[disnaker.activity.pk]}
    assert figures == {"1.06": 150, "1.02": 50}


def test_a_person_on_two_lists_of_one_other_opd_counts_once(world, shared):
    dinkes = shared["dinkes"]
    second = complete_activity(dinkes.activity.program, kelurahan=world.kelurahan, code="1.02.9")
    store(second, dinkes.head, range(591, 601), "Kramat Utara")  # the same 10 persons again
    overlaps = plan_overlaps(work_plan=world.work_plan, region_id=world.work_plan.opd.region_id)
    assert {o.opd_code: o.persons for o in overlaps[world.activity.pk]}["1.02"] == 10


#: The plan page of a member without any list (tests/workplans/test_queries.py): the lists'
#: counts come with the activities (a join); the overlap is one query more once a list exists.
PAGE_QUERIES = {0: 15, 1: 16, 4: 16}


@pytest.mark.parametrize("lists", list(PAGE_QUERIES))
def test_the_page_queries_do_not_grow_with_lists_or_persons(
    world, client, django_assert_num_queries, lists
):
    disnaker = other_opd(world, code="1.07", name="Dinas Tenaga Kerja")
    store(disnaker.activity, disnaker.head, range(1, 50 * lists + 2), "Kramat Utara")
    activities = [world.activity][:lists] + [
        complete_activity(world.program, kelurahan=world.kelurahan, code=f"1.06.01.1{i}")
        for i in range(1, lists)
    ]
    for i, activity in enumerate(activities):
        store(activity, world.staff, range(1 + i * 10, 1 + i * 10 + 100 * lists), "Kramat Utara")
    client.cookies["django_language"] = "en"
    client.force_login(world.head)
    with django_assert_num_queries(PAGE_QUERIES[lists]):
        response = client.get(plan_url(world))
    html = response.content.decode()
    assert html.count('data-testid="desil-mix"') == lists
    assert html.count("Dinas Tenaga Kerja: ") == lists
    assert html.count('data-testid="list-upload"') == len(world.program.activities.all())
