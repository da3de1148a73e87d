"""The public list of aspirations per kelurahan (``/publik/usulan/``: titles and stages only),
the pinned query counts of the public pages, and their titles."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client

from opd import models as om
from opd.aspirations import selectors
from tests.aspirations.public_world import LOOKUP, STAGES, PublicWorld, detail, shown, text
from tests.factories import AspirationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> PublicWorld:
    return PublicWorld.build()


# --- the list per kelurahan ----------------------------------------------------------------


def test_the_list_shows_titles_and_stages_per_kelurahan_only(
    world: PublicWorld, client: Client
) -> None:
    world.at_stage("funded", title="Perbaikan jalan lingkungan RT 02")
    world.at_stage("rejected", title="Pembangunan gapura", kelurahan=world.other_kelurahan)
    later = AspirationFactory(region=world.region, year=2019, title="Usulan tahun berikutnya")
    response = client.get(LOOKUP)
    assert response.status_code == 200
    body = response.content.decode()
    page = text(response)
    assert shown("Aspirations per kelurahan for %(year)s", year=2018) in page
    for name in ("Magelang Utara", "Magelang Selatan"):
        assert shown("Kecamatan %(name)s", name=name) in page
    for name in ("Kramat Utara", "Tidar Utara"):
        assert shown("Kelurahan %(name)s", name=name) in page
    rows = re.findall(r'<li data-testid="aspiration-row">(.*?)</li>', body, re.S)
    assert len(rows) == 2
    assert [text_of(row) for row in rows] == [
        f"Pembangunan gapura {shown('Rejected')}",  # Magelang Selatan comes before Utara
        f"Perbaikan jalan lingkungan RT 02 {shown('Funded')}",
    ]
    assert "Usulan tahun berikutnya" not in page  # another year
    # Titles and stages only: no reference, no link, no description, no OPD.
    references = [a.reference for a in om.Aspiration.objects.exclude(pk=later.pk)]
    for absent in [*references, "/publik/usulan/MSR", "Saluran tersumbat", "Dinas Pekerjaan Umum"]:
        assert absent not in body, absent


def text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))).strip()


def test_the_list_filters_by_kelurahan_and_year(world: PublicWorld, client: Client) -> None:
    world.at_stage("verified", title="Usulan Kramat")
    world.at_stage("verified", title="Usulan Tidar", kelurahan=world.other_kelurahan)
    AspirationFactory(
        region=world.region, year=2019, title="Usulan Tidar 2019", kelurahan=world.other_kelurahan
    )
    page = text(client.get(LOOKUP, {"kelurahan": world.other_kelurahan.code}))
    assert "Usulan Tidar" in page and "Usulan Kramat" not in page
    assert "Usulan Tidar 2019" not in page
    page = text(client.get(LOOKUP, {"kelurahan": world.other_kelurahan.code, "tahun": 2019}))
    assert "Usulan Tidar 2019" in page and "Usulan Kramat" not in page


def test_the_list_refuses_what_it_cannot_show(world: PublicWorld, client: Client) -> None:
    assert client.get(LOOKUP, {"kelurahan": "nowhere"}).status_code == 400
    assert client.get(LOOKUP, {"tahun": 1999}).status_code == 400
    assert client.get(LOOKUP, {"tahun": "dua"}).status_code == 400
    assert client.get(LOOKUP, {"halaman": 2}).status_code == 404


def test_the_list_is_paginated(world: PublicWorld, client: Client) -> None:
    for n in range(selectors.PER_PAGE + 1):
        AspirationFactory(region=world.region, kelurahan=world.kelurahan, title=f"Usulan {n:03d}")
    first = client.get(LOOKUP)
    assert first.content.decode().count('data-testid="aspiration-row"') == selectors.PER_PAGE
    assert shown("Page %(number)s of %(total)s.", number=1, total=2) in text(first)
    second = client.get(LOOKUP, {"halaman": 2, "tahun": 2018})
    assert second.content.decode().count('data-testid="aspiration-row"') == 1
    assert 'href="?halaman=1&amp;tahun=2018"' in second.content.decode()


# --- query counts --------------------------------------------------------------------------


def test_a_page_runs_the_same_queries_whatever_the_stage_and_the_reports(
    world: PublicWorld, client: Client, django_assert_num_queries: Any
) -> None:
    realised = world.at_stage("realised")
    world.report(quarters=1)
    with django_assert_num_queries(2):  # the aspiration with its sums; its events
        assert client.get(detail(realised.reference)).status_code == 200
    for quarter in (2, 3, 4):
        om.Realisation.objects.create(
            activity=world.activity, quarter=quarter, output_achieved=1, budget_spent=1
        )
    with django_assert_num_queries(2):
        assert client.get(detail(realised.reference)).status_code == 200
    for status in STAGES:
        aspiration = world.at_stage(status)
        with django_assert_num_queries(2):
            assert client.get(detail(aspiration.reference)).status_code == 200
    with django_assert_num_queries(1):
        assert client.get(detail("MSR-2018-ZZZZ")).status_code == 404


def test_the_lookup_page_runs_a_fixed_number_of_queries(
    world: PublicWorld, client: Client, django_assert_num_queries: Any
) -> None:
    world.at_stage("received")
    with django_assert_num_queries(4):  # plan years, kelurahan, count, page
        client.get(LOOKUP)
    for n in range(30):
        world.at_stage(STAGES[n % len(STAGES)])
    with django_assert_num_queries(4):
        client.get(LOOKUP)
    with django_assert_num_queries(5):  # and whether the reference exists
        assert client.get(LOOKUP, {"nomor": "MSR-2018-ZZZZ"}).status_code == 404
    found = world.at_stage("received", reference="MSR-2018-7QK4")
    with django_assert_num_queries(1):
        assert client.get(LOOKUP, {"nomor": "msr-2018-7qk4"})["Location"] == detail(found.reference)


def test_each_page_is_named_by_its_heading(world: PublicWorld, client: Client) -> None:
    aspiration = world.at_stage("accepted")
    for url, heading in (
        (LOOKUP, shown("Aspiration status")),
        (detail(aspiration.reference), aspiration.title),
        (detail("MSR-2018-ZZZZ"), shown("Aspiration not found")),
    ):
        body = client.get(url).content.decode()
        title = re.search(r"<title>(.*?)</title>", body, re.S)
        h1 = re.search(r"<h1>(.*?)</h1>", body, re.S)
        assert title and h1, url
        assert (
            html.unescape(title.group(1)).split(" – ")[0] == heading == html.unescape(h1.group(1))
        )
