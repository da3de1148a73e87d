"""The public page's poverty record: the region's whole series, each figure with its source and
release date, "not yet released" where no figure is, and one query for it."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opd.seeding import load_magelang
from targets.models import PovertyFigure, Region

pytestmark = pytest.mark.django_db

COLUMNS = [
    "Poverty rate (P0) (%)",
    "Poor persons (persons)",
    "Poverty line (Rp per capita per month)",
    "Poverty depth index (P1)",
    "Poverty severity index (P2)",
    "Extreme poverty rate (%)",
    "Extreme poor persons (persons)",
]
NOT_RELEASED = "not yet released"


def _page(language: str = "en") -> ET.Element:
    """The page's poverty record section, parsed (the partial is well-formed markup)."""
    client = Client()
    client.cookies["django_language"] = language
    response = client.get(reverse("dashboards:public"))
    assert response.status_code == 200
    found = re.search(
        r'<section aria-labelledby="poverty-record-title".*?</section>',
        response.content.decode(),
        re.S,
    )
    assert found is not None
    return ET.fromstring(found.group(0))  # noqa: S314 (our own page)


def text(element: ET.Element | None) -> str:
    """The element's text, runs of white space (a no-break space too) as one space."""
    assert element is not None
    return " ".join("".join(element.itertext()).split())


def by_testid(section: ET.Element, testid: str) -> ET.Element | None:
    return section.find(f".//*[@data-testid='{testid}']")


def _table(section: ET.Element) -> dict[str, list[str]]:
    table = by_testid(section, "poverty-record-table")
    assert table is not None
    headers = [text(th) for th in table.iterfind("./thead/tr/th")]
    assert headers == ["Year", *COLUMNS]
    return {
        row.get("data-year", ""): [text(td) for td in row.iterfind("./td")]
        for row in table.iterfind("./tbody/tr")
    }


def _notes(section: ET.Element) -> dict[str, str]:
    notes = by_testid(section, "poverty-record-sources")
    assert notes is not None
    return {li.get("value", ""): text(li) for li in notes.iterfind("./li")}


def test_the_public_page_shows_the_whole_series_with_sources() -> None:
    load_magelang()
    section = _page()
    rows, notes = _table(section), _notes(section)
    # Every year from the first recorded to the last, beyond the plan's 2016-2021.
    assert list(rows) == [str(year) for year in range(2015, 2025)]
    n = NOT_RELEASED
    # Notes numbered in order of first use: the baseline's source, the press, Bappeda.
    assert rows["2015"] == ["9.05 1", n, n, n, n, n, n]
    assert rows["2016"] == ["8.78 2", n, n, n, n, n, n]
    assert rows["2018"] == [n] * 7  # no figure found: never invented
    assert rows["2019"] == ["7.46 2", n, "Rp 481,282 2", n, n, n, n]
    assert rows["2020"] == ["7.58 2", n, "Rp 525,099 2", n, n, n, n]
    assert rows["2022"] == ["7.10 3", "8,650 3", n, n, n, "0.13 3", "163 3"]
    assert rows["2023"] == [n] * 7
    assert rows["2024"] == ["5.94 2", "7,250 2", "Rp 626,614 2", n, n, n, n]
    assert notes == {
        "1": "BPS, sebagaimana dikutip media (kondisi awal RPJMD) · release date not recorded",
        "2": "BPS, sebagaimana dikutip media · release date not recorded",
        "3": "Bappeda Kota Magelang, rapat koordinasi penanggulangan kemiskinan (data 2022)"
        " · release date not recorded",
    }
    # A figure's note number links to its note.
    link = section.find(".//tbody/tr[@data-year='2022']/td/sup/a")
    assert link is not None and link.get("href") == "#poverty-note-3"
    assert section.find(".//li[@id='poverty-note-3']") is not None
    # Never a zero standing in for a missing figure.
    assert not [cell for cells in rows.values() for cell in cells if cell.split()[0] == "0"]


def test_a_release_date_reads_released_on_that_day_in_the_reader_s_language() -> None:
    load_magelang()
    PovertyFigure.objects.filter(year=2024).update(
        source="BPS Kota Magelang", released_on=date(2024, 3, 12)
    )
    notes = _notes(_page())
    assert "BPS Kota Magelang · released 12 March 2024" in notes.values()
    indonesian = _page("id")
    # The date in Indonesian ("dirilis" once the lead translates the new message).
    assert "12 Maret 2024" in text(by_testid(indonesian, "poverty-record-sources"))
    assert "Rp 626.614" in text(by_testid(indonesian, "poverty-record-table"))


def test_only_the_plans_region_is_shown() -> None:
    load_magelang()
    other = Region.objects.create(code="33.08", name="Kabupaten Magelang", kind="kabupaten")
    PovertyFigure.objects.create(
        region=other, year=2010, measure="p0", value="11.00", source="elsewhere"
    )
    rows = _table(_page())
    assert "2010" not in rows and next(iter(rows)) == "2015"


def test_a_region_without_a_record_says_so() -> None:
    load_magelang()
    PovertyFigure.objects.all().delete()
    section = _page()
    assert by_testid(section, "poverty-record-table") is None
    assert text(by_testid(section, "poverty-record-empty")) == (
        "No poverty figures have been recorded for this region yet."
    )


def test_the_record_costs_the_public_page_one_query_whatever_its_years() -> None:
    load_magelang()
    counts = []
    for extra in (0, 40):
        region = Region.objects.get(code="33.71")
        PovertyFigure.objects.bulk_create(
            PovertyFigure(region=region, year=1970 + i, measure="p2", value="1", source="x")
            for i in range(extra)
        )
        with CaptureQueriesContext(connection) as queries:
            _page()
        counts.append(len(queries))
        assert any("targets_povertyfigure" in q["sql"] for q in queries.captured_queries)
    assert counts[0] == counts[1]
