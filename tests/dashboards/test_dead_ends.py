"""The dashboards lead somewhere: the submission grid's tiles are links, the
places table shows every kelurahan (0 where nothing happens), the exports offered are only
those that exist, and Bappeda picks the OPD of the OPD view from a list."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from targets.models import Kecamatan
from tests.dashboards import scenario
from tests.factories import KelurahanFactory, OpdFactory

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def section(html: str, testid: str, end: str = "</ul>") -> str:
    part = html[html.index(f'data-testid="{testid}"') :]
    return part[: part.index(end)]


@pytest.fixture
def world() -> scenario.Scenario:
    return scenario.build(computed=True)


def test_every_submission_tile_is_a_link(world):
    idle = OpdFactory(region=world.region, code="4.01", name="Dinas Belum Mulai")
    html = client_for(world.reviewer).get(reverse("dashboards:dashboard")).content.decode()
    grid = section(html, "submission-grid")
    tiles = re.findall(r'<li class="[^"]*" data-opd="([^"]+)">(.*?)</li>', grid, re.S)
    assert [code for code, _ in tiles] == ["1.06", "2.07", "3.01", "3.02", "4.01"]
    links = {code: re.search(r'<a href="([^"]+)"', body) for code, body in tiles}
    assert all(links.values()), "a tile without a link"
    hrefs = {code: link.group(1).replace("&amp;", "&") for code, link in links.items() if link}
    # A plan opens the plan; an OPD without one opens its OPD view for the year.
    assert hrefs["1.06"] == reverse("opd:work_plan", args=[world.dinsos_plan.pk])
    assert hrefs["2.07"] == reverse("opd:work_plan", args=[world.disnaker_plan.pk])
    assert hrefs["4.01"].startswith(reverse("dashboards:opd") + f"?opd={idle.pk}&")
    assert "tahun=2018" in hrefs["4.01"]
    for href in hrefs.values():
        assert client_for(world.reviewer).get(href).status_code == 200, href


def test_the_places_table_shows_every_kelurahan_with_0_where_nothing_happens(world):
    utara = Kecamatan.objects.get(name="Magelang Utara")
    KelurahanFactory(kecamatan=utara, name="Potrobangsan", code="33.71.01.1002")
    tengah = Kecamatan.objects.create(region=world.region, name="Magelang Tengah", code="33.71.02")
    KelurahanFactory(kecamatan=tengah, name="Cacaban", code="33.71.02.1001")
    html = client_for(world.reviewer).get(reverse("dashboards:dashboard")).content.decode()
    places = section(html, "places-table", "</table>")
    names = re.findall(r'<th scope="row"[^>]*>([^<]+)</th>', places)
    assert names == [
        "Kecamatan Magelang Utara",
        "Kramat Utara",
        "Potrobangsan",
        "Kecamatan Magelang Tengah",
        "Cacaban",
        "Kecamatan Magelang Selatan",
        "Tidar Selatan",
    ]
    for name in ("Potrobangsan", "Cacaban", "Kecamatan Magelang Tengah"):
        row = re.search(rf'<tr([^>]*)><th scope="row"[^>]*>{name}</th>(.*?)</tr>', places, re.S)
        assert row, name
        assert re.findall(r'class="num">([^<]*)<', row.group(2)) == ["0", f"Rp{NBSP}0", "0"]
        assert "gap" in row.group(1), "a place without activity stands out"
    kramat = re.search(r"Kramat Utara</th>(.*?)</tr>", places, re.S)
    assert kramat
    assert re.findall(r'class="num">([^<]*)<', kramat.group(1)) == [
        "1",
        f"Rp{NBSP}300.000.000",
        "600",
    ]


def export_links(html: str) -> list[str]:
    return re.findall(r'href="(/ekspor/(?:renja|evaluasi)/[^"]+)"', html)


def test_the_opd_view_offers_exports_only_for_a_plan_that_exists(world):
    idle = OpdFactory(region=world.region, code="4.01", name="Dinas Belum Mulai")
    reviewer = client_for(world.reviewer)
    for opd in (world.dinsos, idle):
        for year in (2018, 2019):
            html = reviewer.get(
                reverse("dashboards:opd"), {"opd": opd.pk, "tahun": year}
            ).content.decode()
            links = export_links(html)
            if opd == world.dinsos and year == 2018:
                assert links == [
                    reverse("dashboards:renja", args=[2018, opd.pk]),
                    reverse("dashboards:evaluation", args=[2018, opd.pk]),
                ]
            else:
                assert links == [], (opd.code, year)
                assert 'data-testid="no-exports"' in html
            for link in links:
                assert reviewer.get(link).status_code == 200, link


def test_the_dashboard_offers_the_all_opd_exports_only_for_a_year_with_plans(world):
    reviewer = client_for(world.reviewer)
    html = reviewer.get(reverse("dashboards:dashboard"), {"tahun": 2018}).content.decode()
    links = [link.replace("&amp;", "&") for link in export_links(html)]
    assert {link.split("?")[0] for link in links} == {
        reverse("dashboards:renja_all", args=[2018]),
        reverse("dashboards:evaluation_all", args=[2018]),
    }
    for link in links:
        assert reviewer.get(link).status_code == 200, link
    html = reviewer.get(reverse("dashboards:dashboard"), {"tahun": 2019}).content.decode()
    assert export_links(html) == []
    assert 'data-testid="no-exports"' in html
    assert reviewer.get(reverse("dashboards:renja_all", args=[2019])).status_code == 404


def test_bappeda_picks_the_opd_from_a_list(world):
    reviewer = client_for(world.reviewer)
    response = reviewer.get(reverse("dashboards:opd"))
    assert response.status_code == 200
    html = response.content.decode()
    form = re.search(r'<form method="get"[^>]*>(.*?)</form>', html, re.S)
    assert form
    select = re.search(r'<select[^>]*name="opd"[^>]*>(.*?)</select>', form.group(1), re.S)
    assert select, "a list of OPDs to choose from"
    options = re.findall(r'<option value="(\d+)"[^>]*>([^<]+)</option>', select.group(1))
    assert [name for _pk, name in options] == [
        "Dinas Sosial",
        "Dinas Tenaga Kerja",
        "Dinas Rahasia",
        "Dinas Kembali",
    ]
    # Nothing of an OPD is shown before one is chosen: no silent first OPD.
    assert 'data-testid="own-planned"' not in html
    assert export_links(html) == []

    html = reviewer.get(
        reverse("dashboards:opd"), {"opd": world.disnaker.pk, "tahun": 2018}
    ).content.decode()
    assert re.search(rf'<option value="{world.disnaker.pk}" selected>', html)
    assert "Dinas Tenaga Kerja" in re.search(r"<h1>(.*?)</h1>", html, re.S).group(1)


def test_an_opd_head_sees_the_own_opd_without_a_list(world):
    html = client_for(world.head).get(reverse("dashboards:opd")).content.decode()
    assert not re.search(r'<select[^>]*name="opd"', html)
    assert 'data-testid="own-planned"' in html
