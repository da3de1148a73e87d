"""The database refuses a bad nomenclature version, code or crosswalk line, by name."""

from __future__ import annotations

import pytest

from opd.models import CodeKind, Crosswalk, NomenclatureCode, NomenclatureVersion
from tests.constraints import assert_unique, refused
from tests.nomenclature.makers import make_code, make_version

pytestmark = pytest.mark.django_db


def test_a_version_needs_plausible_ordered_years_a_name_and_a_regulation():
    assert make_version(first_year=2020, last_year=None).pk  # open-ended: in force
    assert make_version(first_year=2100, last_year=2100).pk  # the last plausible year
    with refused("nomenclature_version_years_plausible"):
        make_version(first_year=1944, last_year=1950)
    with refused("nomenclature_version_years_plausible"):
        make_version(first_year=2000, last_year=2101)
    with refused("nomenclature_version_years_ordered"):
        make_version(first_year=2019, last_year=2018)
    assert make_version(first_year=2019, last_year=2019).pk  # one year is a span
    with refused("nomenclature_version_named"):
        make_version(name="")
    with refused("nomenclature_version_named"):
        make_version(regulation="")


def test_a_code_is_unique_per_version_and_kind():
    version = make_version()
    assert_unique(
        "nomenclature_code_unique",
        lambda **values: make_code(**{"version": version, **values}),
        scope=["version"],
        key=["kind", "code"],
        other_key={"code": "9.99.99"},
    )
    # The same code under another kind of the same version is another code.
    first = NomenclatureCode.objects.filter(version=version).first()
    assert make_code(version=version, code=first.code, kind=CodeKind.ACTIVITY).pk


@pytest.mark.parametrize("code", ["1", "1.06.01", "1.06.01.2.01.01", "X.XX.01", "1.13.1.13.01.15"])
def test_codes_of_digits_and_dots_are_taken(code):
    assert make_code(code=code).pk


@pytest.mark.parametrize("code", ["", "1.06.", ".1", "1..2", "1.06 01", "1,06", "a.01", "1.06.01 "])
def test_other_codes_are_refused(code):
    with refused("nomenclature_code_format"):
        make_code(code=code)


def test_a_code_has_a_known_kind_and_a_name():
    with refused("nomenclature_code_kind_valid"):
        make_code(kind="urusan")
    with refused("nomenclature_code_named"):
        make_code(name="")


def test_a_crosswalk_line_is_stored_once_and_never_leads_to_itself():
    old, new = make_code(), make_code()
    assert Crosswalk.objects.create(old=old, new=new).pk
    assert Crosswalk.objects.create(old=old, new=make_code()).pk  # a code that split
    with refused("crosswalk_unique"):
        Crosswalk.objects.create(old=old, new=new)
    with refused("crosswalk_not_to_itself"):
        Crosswalk.objects.create(old=old, new=old)


def test_covering_and_overlapping_spans():
    old = make_version(first_year=2014, last_year=2019)
    current = make_version(first_year=2020, last_year=None)
    assert list(NomenclatureVersion.objects.covering(2019)) == [old]
    assert list(NomenclatureVersion.objects.covering(2020)) == [current]
    assert list(NomenclatureVersion.objects.covering(2090)) == [current]
    assert not NomenclatureVersion.objects.covering(2013).exists()
    assert set(NomenclatureVersion.objects.overlapping(2010, 2013)) == set()
    assert set(NomenclatureVersion.objects.overlapping(2010, 2014)) == {old}
    assert set(NomenclatureVersion.objects.overlapping(2019, 2020)) == {old, current}
    assert set(NomenclatureVersion.objects.overlapping(2030, None)) == {current}
