"""A Renstra's codes against the nomenclature in force in the first year of its period (the
regulation its lines were drafted under): unknown codes with their successors, in one query,
the plan page's check unchanged beside it."""

from __future__ import annotations

import pytest

from opd.models import CodeKind, Crosswalk, NomenclatureCode, Renstra
from opd.nomenclature.checks import (
    Successor,
    UnknownCode,
    codes_not_in_nomenclature,
    renstra_codes_not_in_nomenclature,
)
from tests.nomenclature.makers import make_version
from tests.renstra.page_world import RenstraWorld, build_renstra_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> RenstraWorld:
    return build_renstra_world()  # 2016–2021; program 1.06.01, activity 1.06.01.001


def code(version, kind: str, text: str) -> NomenclatureCode:
    return NomenclatureCode.objects.create(version=version, kind=kind, code=text, name=text)


def test_without_a_version_for_the_first_year_nothing_is_checked(world):
    make_version(first_year=2017, last_year=None)  # from the period's second year on
    check = renstra_codes_not_in_nomenclature(world.renstra)
    assert (check.year, check.checked, check.unknown) == (2016, False, [])


def test_unknown_codes_with_their_successors_in_one_query(world, django_assert_num_queries):
    older = make_version(first_year=2010, last_year=2015, regulation="Permendagri 13/2006")
    current = make_version(first_year=2016, last_year=2019, regulation="Permendagri 90/2019")
    code(current, CodeKind.PROGRAM, "1.06.01")
    old = code(older, CodeKind.ACTIVITY, "1.06.01.001")
    new = code(current, CodeKind.SUB_ACTIVITY, "1.06.01.2.01")
    Crosswalk.objects.create(old=old, new=new)
    world.add_activity(world.program, "1.06.01.002")  # known as an activity of 2016's version
    code(current, CodeKind.ACTIVITY, "1.06.01.002")

    renstra = Renstra.objects.select_related("plan").get(pk=world.renstra.pk)  # as the page
    with django_assert_num_queries(1):
        check = renstra_codes_not_in_nomenclature(renstra)

    assert (check.year, check.regulation) == (2016, "Permendagri 90/2019")
    assert check.unknown == [
        UnknownCode(
            row="activity",
            pk=world.activity.pk,
            code="1.06.01.001",
            name=world.activity.name,
            successors=(Successor("1.06.01.2.01", "Permendagri 90/2019"),),
        )
    ]


def test_the_renja_check_reads_its_own_rows_only(world):
    """The Renja of OPD A shares no row with the Renstra's check, and keeps its year's version."""
    make_version(first_year=2016, last_year=2019)
    renja = codes_not_in_nomenclature(world.base.plan_a)
    assert renja.year == 2018
    assert {u.row for u in renja.unknown} == {"program", "activity"}
    assert {u.pk for u in renja.unknown if u.row == "program"} == {world.base.program_a.pk}
