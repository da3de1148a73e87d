"""The plan page's overlap figures: for each activity's list, how many of its persons are also on
a list of each other OPD's activities in counted plans (submitted or approved) of the same year
and region. One query for the whole page, whatever the number of lists or persons; counts only,
never a NIK; a count below 10 is "fewer than 10", and a list of fewer than 10 persons shows no
overlap at all (small-cell suppression, so no one on a small list can be singled out)."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from opd import models as om
from opd.beneficiaries.selectors import MIN_PERSONS_SHOWN, plan_overlaps
from tests.beneficiaries.pages import other_opd, plan_url, signed_in, store
from tests.beneficiaries.world import nik
from tests.factories import ActivityFactory, RegionFactory, WorkPlanFactory
from tests.workplans.plan_world import complete_activity, member

pytestmark = pytest.mark.django_db


def count(activity: om.Activity, status: str = "submitted") -> None:
    """The activity's plan submitted (or approved): its lists now count for others' overlaps."""
    om.WorkPlan.objects.filter(pk=activity.program.work_plan_id).update(
        status=status, submitted_at=timezone.now(), reviewed_at=timezone.now()
    )


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
    Dinkes's 591-640 (10 shared with Dinsos, all of them also Disnaker's); Disnaker's plan is
    submitted, Dinkes's approved. Dinsos's second activity lists 1-20: its own OPD's overlap
    does not count. Another year's plan of Disnaker, another region's OPD and a draft plan of
    Dinas Pendidikan list persons 1-600 too: none of them counts."""
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
    draft = other_opd(world, code="1.01", name="Dinas Pendidikan")
    store(draft.activity, draft.head, range(1, 601), "Kramat Utara")
    for activity in (later_activity, far):
        count(activity)
    count(disnaker.activity)
    count(dinkes.activity, "approved")
    return {"disnaker": disnaker, "dinkes": dinkes, "own": own, "draft": draft}


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
    count(world.activity)  # Dinsos's plan too, now
    disnaker = shared["disnaker"]
    overlaps = plan_overlaps(
        work_plan=disnaker.activity.program.work_plan, region_id=world.work_plan.opd.region_id
    )
    figures = {o.opd_code: o.persons for o in overlaps[disnaker.activity.pk]}
    assert figures == {"1.06": 150, "1.02": 50}


def test_a_draft_plans_lists_do_not_count(world, shared):
    """Dinas Pendidikan's draft lists all of Dinsos's persons: absent until submitted."""
    html = signed_in(world.head).get(plan_url(world)).content.decode()
    assert "1.01" not in overlaps_shown(html, "1.06.01.001")
    count(shared["draft"].activity)
    html = signed_in(world.head).get(plan_url(world)).content.decode()
    assert overlaps_shown(html, "1.06.01.001")["1.01"] == "Dinas Pendidikan: 600 persons"


@pytest.mark.parametrize(
    ("shared_persons", "shown"),
    [(1, "fewer than 10 persons"), (9, "fewer than 10 persons"), (10, "10 persons")],
)
def test_an_overlap_below_ten_is_not_counted_out(world, shared_persons, shown):
    assert MIN_PERSONS_SHOWN == 10
    store(world.activity, world.staff, range(1, 101), "Kramat Utara")
    disnaker = other_opd(world, code="1.07", name="Dinas Tenaga Kerja")
    store(disnaker.activity, disnaker.head, range(101 - shared_persons, 201), "Kramat Utara")
    count(disnaker.activity)
    html = signed_in(world.head).get(plan_url(world)).content.decode()
    assert overlaps_shown(html, "1.06.01.001") == {"1.07": f"Dinas Tenaga Kerja: {shown}"}
    if shared_persons < 10:
        assert f"{shared_persons} person" not in " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.parametrize("own_persons", [9, 10])
def test_a_list_of_fewer_than_ten_shows_no_overlap(world, own_persons):
    """A list of 9 could single a person out: no overlap at all, and the page says why."""
    store(world.activity, world.staff, range(1, own_persons + 1), "Kramat Utara")
    disnaker = other_opd(world, code="1.07", name="Dinas Tenaga Kerja")
    store(disnaker.activity, disnaker.head, range(1, 201), "Kramat Utara")
    count(disnaker.activity)
    html = signed_in(world.head).get(plan_url(world)).content.decode()
    if own_persons < 10:
        assert overlaps_shown(html, "1.06.01.001") == {}
        assert 'data-testid="overlap-withheld"' in html
        assert "shown for a list of at least 10 persons" in html
        assert 'data-testid="no-overlap"' not in html  # it does not claim there is none
    else:
        assert overlaps_shown(html, "1.06.01.001") == {"1.07": "Dinas Tenaga Kerja: 10 persons"}
        assert 'data-testid="overlap-withheld"' not in html


def test_a_person_on_two_lists_of_one_other_opd_counts_once(world, shared):
    dinkes = shared["dinkes"]
    second = complete_activity(dinkes.activity.program, kelurahan=world.kelurahan, code="1.02.9")
    om.WorkPlan.objects.filter(pk=second.program.work_plan_id).update(status="returned")
    store(second, dinkes.head, range(591, 601), "Kramat Utara")  # the same 10 persons again
    count(second, "approved")
    overlaps = plan_overlaps(work_plan=world.work_plan, region_id=world.work_plan.opd.region_id)
    assert {o.opd_code: o.persons for o in overlaps[world.activity.pk]}["1.02"] == 10


#: The plan page of a member without any list (tests/workplans/test_queries.py): the lists'
#: counts come with the activities (a join); the overlap is one query more once a list exists.
#: The nomenclature check is one of them (opd/nomenclature/checks.py).
PAGE_QUERIES = {0: 16, 1: 17, 4: 17}


@pytest.mark.parametrize("lists", list(PAGE_QUERIES))
def test_the_page_queries_do_not_grow_with_lists_or_persons(
    world, client, django_assert_num_queries, lists
):
    disnaker = other_opd(world, code="1.07", name="Dinas Tenaga Kerja")
    store(disnaker.activity, disnaker.head, range(1, 50 * lists + 2), "Kramat Utara")
    count(disnaker.activity)
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
