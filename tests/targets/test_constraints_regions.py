"""The region tree: a kota or kabupaten under a province, a province under the country.

Same approach as ``test_constraints.py``: written through the ORM, refused by name, the
nearest good row accepted.
"""

from __future__ import annotations

import pytest

from targets import models as tm
from tests.constraints import refused
from tests.factories import RegionFactory

pytestmark = pytest.mark.django_db

CITY, REGENCY, PROVINCE, COUNTRY = (
    tm.Region.Kind.CITY,
    tm.Region.Kind.REGENCY,
    tm.Region.Kind.PROVINCE,
    tm.Region.Kind.COUNTRY,
)


@pytest.mark.parametrize("kind", [CITY, REGENCY])
def test_a_city_or_regency_sits_under_a_province_only(kind):
    country = RegionFactory(kind=COUNTRY)
    province = RegionFactory(kind=PROVINCE, parent=country)
    other_city = RegionFactory(kind=CITY, parent=province)
    assert RegionFactory(kind=kind, parent=province).parent == province
    for wrong in (country, other_city):
        with refused("region_parent_kind"):
            RegionFactory(kind=kind, parent=wrong)


def test_a_province_sits_under_the_country_only():
    country = RegionFactory(kind=COUNTRY)
    other_province = RegionFactory(kind=PROVINCE)
    assert RegionFactory(kind=PROVINCE, parent=country).parent == country
    with refused("region_parent_kind"):
        RegionFactory(kind=PROVINCE, parent=other_province)


def test_the_country_has_no_parent_and_nothing_is_its_own_parent():
    country = RegionFactory(kind=COUNTRY)
    with refused("region_parent_kind"):
        RegionFactory(kind=COUNTRY, parent=RegionFactory(kind=COUNTRY))
    with refused("region_parent_kind"):
        tm.Region.objects.filter(pk=country.pk).update(parent=country)


def test_a_region_moved_under_a_wrong_parent_is_refused():
    province = RegionFactory(kind=PROVINCE)
    city = RegionFactory(kind=CITY, parent=province)
    with refused("region_parent_kind"):
        tm.Region.objects.filter(pk=city.pk).update(parent=RegionFactory(kind=CITY))
    assert tm.Region.objects.filter(pk=city.pk).update(parent=None) == 1


def test_a_region_with_regions_under_it_keeps_its_kind():
    province = RegionFactory(kind=PROVINCE)
    lone = RegionFactory(kind=PROVINCE)
    RegionFactory(kind=CITY, parent=province)
    with refused("region_kind_keeps_children"):
        tm.Region.objects.filter(pk=province.pk).update(kind=COUNTRY)
    # Without children a region may change its kind; a name change is no kind change.
    assert tm.Region.objects.filter(pk=lone.pk).update(kind=COUNTRY) == 1
    assert tm.Region.objects.filter(pk=province.pk).update(name="Jawa Tengah") == 1
