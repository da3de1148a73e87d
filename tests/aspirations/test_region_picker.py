"""The aspirations of one deployment with many regions: a province (the aspiration world's kota
and a second kota under it), its Bappeda, each kota's Bappeda.

- The staff list, the summary and its export show one region, chosen with ``?wilayah=``: a
  kota's Bappeda its own only, the province's each of its kota (by default the deployment's),
  never the province itself, which holds no aspirations.
- The province's Bappeda reads and never acts: the services refuse it every step, and it
  neither records nor imports.
- The public pages find a reference number whatever its region, and list any kota's.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from opd import models as om
from opd.aspirations import imports, services
from opd.aspirations import staff_selectors as selectors
from targets.models import Plan, Region
from tests.aspirations.import_world import good, xlsx
from tests.aspirations.world import AspirationWorld
from tests.factories import AspirationFactory, KelurahanFactory, PlanFactory, RegionFactory
from tests.permission_world import snapshot
from tests.workplans.plan_world import reviewer

pytestmark = pytest.mark.django_db


class Province:
    """The aspiration world's kota (``here``, the deployment's region) and ``there``, another
    kota, under ``province``; ``mine`` an aspiration of here, ``theirs`` one of there."""

    def __init__(self) -> None:
        self.world: Any = AspirationWorld.build()
        self.here: Any = self.world.plan.work_plan.opd.region
        self.province: Any = RegionFactory(
            code="98", name="Provinsi Uji", kind=Region.Kind.PROVINCE
        )
        Region.objects.filter(pk=self.here.pk).update(parent=self.province)
        self.there: Any = RegionFactory(code="98.02", name="Kota Seberang", parent=self.province)
        self.there_kelurahan: Any = KelurahanFactory(kecamatan__region=self.there, name="Seberang")
        self.mine: Any = self.world.record(title="Usulan kota sini")
        self.theirs: Any = AspirationFactory(
            region=self.there,
            kelurahan=self.there_kelurahan,
            title="Usulan kota seberang",
            proposer="Pak Seberang",
        )
        self.city: Any = self.world.plan.reviewer
        self.other_city: Any = reviewer("bappeda.seberang", region=self.there)
        self.province_bappeda: Any = reviewer("bappeda.provinsi", region=self.province)


@pytest.fixture
def p() -> Province:
    return Province()


def rows(response: Any) -> list[str]:
    return re.findall(r'data-testid="aspiration-row" data-reference="([^"]+)"', response.text)


def test_the_regions_offered(p: Province) -> None:
    assert selectors.aspiration_regions(p.city) == [p.here]
    assert selectors.aspiration_regions(p.other_city) == [p.there]
    # The province's kota, by code, not the province itself.
    assert selectors.aspiration_regions(p.province_bappeda) == sorted(
        [p.here, p.there], key=lambda r: r.code
    )
    assert selectors.aspiration_regions(p.world.kelurahan_staff) == [p.here]


def test_a_city_bappeda_lists_its_own_region_only(p: Province, client: Client) -> None:
    client.force_login(p.city)
    response = client.get("/usulan/")
    assert rows(response) == [p.mine.reference]
    assert 'data-testid="region-picker"' not in response.text  # nothing to choose
    assert client.get("/usulan/", {"wilayah": p.there.code}).status_code == 404
    assert client.get("/usulan/ringkasan/", {"wilayah": p.there.code}).status_code == 404
    assert client.get(f"/usulan/{p.theirs.pk}/").status_code == 404


def test_the_province_reads_each_kota_one_at_a_time(p: Province, client: Client) -> None:
    client.force_login(p.province_bappeda)
    default = client.get("/usulan/")
    assert rows(default) == [p.mine.reference]  # the deployment's region first
    assert 'data-testid="region-picker"' in default.text
    picked = client.get("/usulan/", {"wilayah": p.there.code})
    assert rows(picked) == [p.theirs.reference]
    assert p.mine.reference not in picked.text
    # The province itself holds none: not offered.
    assert client.get("/usulan/", {"wilayah": p.province.code}).status_code == 404
    # The summary of either kota, without the proposer on the aspiration's page.
    report = client.get("/usulan/ringkasan/", {"wilayah": p.there.code})
    assert report.status_code == 200 and "Kota Seberang" in report.text
    page = client.get(f"/usulan/{p.theirs.pk}/")
    assert page.status_code == 200 and "Pak Seberang" not in page.text
    assert 'data-testid="verify-form"' not in page.text


def test_the_province_is_refused_every_step_and_nothing_changes(p: Province) -> None:
    who = p.province_bappeda
    a = p.mine
    before = snapshot()
    steps = [
        lambda: services.aspiration_create(
            by=who,
            values={
                "forum": "musrenbang_kelurahan",
                "year": 2018,
                "kelurahan": p.world.plan.kelurahan,
                "title": "Usulan provinsi",
                "proposer": "Warga",
                "received_on": date(2017, 1, 20),
            },
        ),
        lambda: services.aspiration_update(
            aspiration_id=a.pk, by=who, seen_version=a.version, values={"title": "X"}
        ),
        lambda: services.aspiration_verify(aspiration_id=a.pk, by=who, seen_version=a.version),
        lambda: services.aspiration_reject(
            aspiration_id=a.pk, by=who, seen_version=a.version, code="duplicate"
        ),
    ]
    for step in steps:
        with pytest.raises(PermissionDenied):
            step()
    assert snapshot() == before
    verified = services.aspiration_verify(aspiration_id=a.pk, by=p.city, seen_version=a.version)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.aspiration_recommend(
            aspiration_id=a.pk,
            by=who,
            seen_version=verified.version,
            opd=p.world.plan.work_plan.opd,
        )
    assert snapshot() == before
    assert not selectors.may_record(who) and not imports.may_import(who)


def test_a_city_bappeda_imports_for_its_own_region(p: Province) -> None:
    checked = imports.check_file(user=p.city, name="u.xlsx", data=xlsx([good(1)]))
    assert checked.region_id == p.here.pk and not checked.bad
    # The other kota's Bappeda: Kramat Utara is not a kelurahan of its region.
    theirs = imports.check_file(user=p.other_city, name="u.xlsx", data=xlsx([good(1)]))
    assert theirs.region_id == p.there.pk and theirs.bad
    with pytest.raises(PermissionDenied):
        imports.check_file(user=p.other_city, name="u.xlsx", data=xlsx([good(1)]), region=p.here)
    with pytest.raises(PermissionDenied):
        imports.check_file(user=p.province_bappeda, name="u.xlsx", data=xlsx([good(1)]))
    assert not om.AspirationImport.objects.exists()


def test_the_public_pages_find_any_region_and_list_any_kota(p: Province, client: Client) -> None:
    for region in (p.here, p.there, p.province):
        if not Plan.objects.filter(region=region).exists():
            PlanFactory(region=region)
    found = client.get("/publik/usulan/", {"nomor": p.theirs.reference})
    assert found.status_code == 302 and found["Location"].endswith(f"/{p.theirs.reference}/")
    detail = client.get(found["Location"])
    assert detail.status_code == 200 and "Usulan kota seberang" in detail.text
    assert "Pak Seberang" not in detail.text
    default = client.get("/publik/usulan/", {"tahun": 2018})
    assert "Usulan kota sini" in default.text and "Usulan kota seberang" not in default.text
    picker = re.search(r'<select id="pick-region".*?</select>', default.text, re.S)
    assert picker is not None
    assert p.there.code in picker.group(0) and f'"{p.province.code}"' not in picker.group(0)
    there = client.get("/publik/usulan/", {"tahun": "2018", "wilayah": p.there.code})
    assert "Usulan kota seberang" in there.text and "Usulan kota sini" not in there.text
    assert client.get("/publik/usulan/", {"wilayah": p.province.code}).status_code == 404


@pytest.mark.parametrize("more", [0, 8])
def test_the_provinces_list_and_summary_do_not_grow_with_its_kota(
    p: Province, client: Client, django_assert_num_queries: Any, more: int
) -> None:
    """2 or 10 kota under the province, each with an aspiration: the same queries."""
    for n in range(more):
        kota = RegionFactory(code=f"98.{n + 10}", parent=p.province)
        AspirationFactory(region=kota, kelurahan=KelurahanFactory(kecamatan__region=kota))
    client.force_login(p.province_bappeda)
    client.get("/usulan/")  # the session and the permissions, once
    # session, user, permissions (2), the province's scope, the kota offered, the kelurahan,
    # the count, its area (may it record? it reviews no region) and the page
    with django_assert_num_queries(10):
        response = client.get("/usulan/", {"wilayah": p.there.code})
    assert rows(response) == [p.theirs.reference]
    offered = re.search(r'<select id="pick-region".*?</select>', response.text, re.S)
    assert offered is not None and offered.group(0).count("<option") == 2 + more
    # session, user, permissions (2), scope, kota offered; years, aspirations, events, kelurahan
    with django_assert_num_queries(10):
        assert client.get("/usulan/ringkasan/", {"wilayah": p.there.code}).status_code == 200
