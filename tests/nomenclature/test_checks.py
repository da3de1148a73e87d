"""The plan's codes against the nomenclature of its year: unknown codes listed with their
successors, one query, a warning on the plan page that never blocks submission."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from opd.models import Crosswalk, NomenclatureCode
from opd.nomenclature.checks import Successor, UnknownCode, codes_not_in_nomenclature
from tests.factories import ActivityFactory, ProgramFactory
from tests.nomenclature.makers import make_version
from tests.workplans.plan_world import World

pytestmark = pytest.mark.django_db


def codes(version, *rows: tuple[str, str]) -> list[NomenclatureCode]:
    return [
        NomenclatureCode.objects.create(version=version, kind=kind, code=code, name=f"Nama {code}")
        for kind, code in rows
    ]


def page(world: World) -> str:
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(world.head)
    response = client.get(f"/renja/{world.work_plan.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_without_a_version_for_the_year_nothing_is_checked_and_the_page_says_so():
    world = World.build()  # a 2018 plan; 1.06.01 and 1.06.01.001
    make_version(first_year=2014, last_year=2017)  # ends the year before
    make_version(first_year=2019, last_year=None)  # starts the year after

    check = codes_not_in_nomenclature(world.work_plan)

    assert (check.checked, check.year, check.unknown) == (False, 2018, [])
    html = page(world)
    assert (
        '<p class="note" data-testid="nomenclature-none">No nomenclature is loaded for 2018: '
        "the codes are not checked.</p>"
    ) in html
    assert 'data-testid="nomenclature-unknown"' not in html


def test_codes_found_in_the_years_version_are_not_listed():
    world = World.build()
    version = make_version(
        name="Permendagri 13/2006",
        regulation="Permendagri 13/2006",
        first_year=2018,
        last_year=2018,
    )  # its first and last year
    # The activity is the budgeted row: a sub kegiatan's code is found as well.
    codes(version, ("program", "1.06.01"), ("sub-activity", "1.06.01.001"))

    check = codes_not_in_nomenclature(world.work_plan)

    assert check.checked and check.unknown == []
    assert (check.version_name, check.regulation) == ("Permendagri 13/2006", "Permendagri 13/2006")
    html = page(world)
    assert "nomenclature-unknown" not in html and "nomenclature-none" not in html
    assert "Every code is in the nomenclature of Permendagri 13/2006." in html  # seen checked


def test_a_code_of_another_kind_or_version_is_unknown():
    world = World.build()
    version = make_version(regulation="Permendagri 13/2006", first_year=2014, last_year=2019)
    other = make_version(first_year=2020, last_year=None)
    # 1.06.01 is an activity here, not a program; 1.06.01.001 is only in the later version.
    codes(version, ("activity", "1.06.01"))
    codes(other, ("program", "1.06.01"), ("activity", "1.06.01.001"))
    second = ProgramFactory(work_plan=world.work_plan, code="1.02.01")
    codes(version, ("program", "1.02.01"))
    known = ActivityFactory(program=second, code="1.02.01.001")
    codes(version, ("activity", "1.02.01.001"))
    unknown = ActivityFactory(program=second, code="1.02.01.002", name="Kegiatan lama")

    check = codes_not_in_nomenclature(world.work_plan)

    assert check.unknown == [
        UnknownCode("activity", unknown.pk, "1.02.01.002", "Kegiatan lama"),
        UnknownCode("program", world.program.pk, "1.06.01", world.program.name),
        UnknownCode("activity", world.activity.pk, "1.06.01.001", world.activity.name),
    ]
    assert known.pk not in {item.pk for item in check.unknown}


def test_the_successor_in_the_years_version_is_given_beside_an_old_code():
    world = World.build()
    world.work_plan.year = 2021
    world.work_plan.save(update_fields=["year"])
    old = make_version(
        name="13/2006", regulation="Permendagri 13/2006", first_year=2014, last_year=2019
    )
    new = make_version(
        name="90/2019", regulation="Permendagri 90/2019", first_year=2020, last_year=None
    )
    later = make_version(
        name="2030", regulation="Permendagri 2030", first_year=2030, last_year=None
    )
    (old_program,) = codes(old, ("program", "1.06.01"))
    new_program, new_activity = codes(new, ("program", "1.06.02"), ("activity", "1.06.01.001"))
    (far,) = codes(later, ("program", "1.06.09"))
    Crosswalk.objects.create(old=old_program, new=new_program)
    Crosswalk.objects.create(old=old_program, new=far)  # into a version of other years

    check = codes_not_in_nomenclature(world.work_plan)

    assert check.unknown == [
        UnknownCode(
            "program",
            world.program.pk,
            "1.06.01",
            world.program.name,
            (Successor("1.06.02", "Permendagri 90/2019"),),
        )
    ]
    html = page(world)
    section = re.search(r'<section class="notice nomenclature".*?</section>', html, re.S).group(0)
    assert (
        "1 code is not in the nomenclature of Permendagri 90/2019. This does not block "
        "submission." in section
    )
    items = re.findall(r'<li data-code="([^"]+)">(.*?)</li>', section, re.S)
    assert [code for code, _ in items] == ["1.06.01"]
    text = re.sub(r"<[^>]+>", "", items[0][1])
    assert " ".join(text.split()) == (
        f"Program 1.06.01 {world.program.name} (1.06.01 → 1.06.02 under Permendagri 90/2019)"
    )
    assert f'href="#program-{world.program.pk}"' in items[0][1]
    # A warning only: the checklist still lets the plan be submitted.
    assert 'data-testid="checklist-ok"' in html
    assert new_activity.pk  # the activity's code is known under 90/2019: not listed


@pytest.mark.parametrize("n_activities", [2, 50])
def test_the_check_is_one_query(django_assert_num_queries, n_activities):
    world = World.build()
    version = make_version(first_year=2018, last_year=None)
    (old,) = codes(make_version(first_year=2010, last_year=2017), ("activity", "1.06.01.900"))
    (new,) = codes(version, ("activity", "1.06.01.999"))
    Crosswalk.objects.create(old=old, new=new)
    for number in range(n_activities - 1):
        ActivityFactory(program=world.program, code=f"1.06.01.{900 + number}")
    codes(version, ("program", "1.06.01"))

    with django_assert_num_queries(1):
        check = codes_not_in_nomenclature(world.work_plan)

    assert len(check.unknown) == n_activities
    assert check.unknown[0].code == "1.06.01.001"
    assert check.unknown[1].successors == (Successor("1.06.01.999", version.regulation),)


def test_activities_of_another_plan_are_not_checked():
    world = World.build()
    version = make_version(first_year=2018, last_year=2018)
    codes(version, ("program", "1.06.01"), ("activity", "1.06.01.001"))
    ActivityFactory(code="7.77.77")  # another OPD's plan

    assert codes_not_in_nomenclature(world.work_plan).unknown == []
