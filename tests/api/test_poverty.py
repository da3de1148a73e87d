"""``GET /api/v1/regions/{code}/poverty/``: the region's record by year and measure, public,
each figure with its source and release date, null (never 0) where none is recorded."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from magelang.api.urls import urlpatterns
from opd.seeding import load_magelang
from targets.api.poverty import PovertyYearSerializer
from targets.models import PovertyFigure, Region
from targets.poverty import PovertyMeasure

pytestmark = pytest.mark.django_db

URL = "/api/v1/regions/33.71/poverty/"
PRESS = "BPS, sebagaimana dikutip media"
BAPPEDA = "Bappeda Kota Magelang, rapat koordinasi penanggulangan kemiskinan (data 2022)"


def figure(value: str, source: str, released_on: str | None = None) -> dict[str, str | None]:
    return {"value": value, "source": source, "released_on": released_on}


def test_the_record_by_year_and_measure_with_sources() -> None:
    load_magelang()
    with CaptureQueriesContext(connection) as queries:
        response = APIClient().get(URL)
    assert response.status_code == 200
    assert len(queries) == 2  # the region, its figures
    body = response.json()
    assert body["region"] == "33.71" and body["region_name"] == "Kota Magelang"
    years = {year["year"]: year for year in body["years"]}
    # Only years with a figure: no 2018, no 2023.
    assert list(years) == [2015, 2016, 2017, 2019, 2020, 2021, 2022, 2024]
    assert years[2022] == {
        "year": 2022,
        "p0": figure("7.1000", BAPPEDA),
        "poor_persons": figure("8650.0000", BAPPEDA),
        "poverty_line": None,
        "p1": None,
        "p2": None,
        "extreme_rate": figure("0.1300", BAPPEDA),
        "extreme_persons": figure("163.0000", BAPPEDA),
    }
    assert years[2024]["poverty_line"] == figure("626614.0000", PRESS)
    assert years[2019]["poverty_line"] == figure("481282.0000", PRESS)
    assert all(year["p1"] is None and year["p2"] is None for year in body["years"])


def test_a_release_date_is_sent_as_an_iso_date() -> None:
    load_magelang()
    PovertyFigure.objects.filter(year=2024, measure="p0").update(released_on=date(2024, 3, 12))
    years = {year["year"]: year for year in APIClient().get(URL).json()["years"]}
    assert years[2024]["p0"]["released_on"] == "2024-03-12"
    assert years[2024]["poor_persons"]["released_on"] is None


def test_another_region_s_record_is_its_own_and_an_unknown_code_is_a_json_404() -> None:
    load_magelang()
    other = Region.objects.create(code="33.08", name="Kabupaten Magelang", kind="kabupaten")
    PovertyFigure.objects.create(
        region=other, year=2010, measure="p0", value="11.5", source="elsewhere"
    )
    body = APIClient().get("/api/v1/regions/33.08/poverty/").json()
    assert [year["year"] for year in body["years"]] == [2010]
    assert body["years"][0]["p0"] == figure("11.5000", "elsewhere")
    Region.objects.create(code="33.09", name="Empty", kind="kabupaten")
    assert APIClient().get("/api/v1/regions/33.09/poverty/").json()["years"] == []
    for missing in ("99.99", "33.71%00"):
        response = APIClient().get(f"/api/v1/regions/{missing}/poverty/")
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")


def test_an_unchanged_record_is_a_304_and_a_changed_one_is_sent() -> None:
    load_magelang()
    client = APIClient()
    etag = client.get(URL)["ETag"]
    assert client.get(URL, HTTP_IF_NONE_MATCH=etag).status_code == 304
    PovertyFigure.objects.filter(year=2024, measure="p0").update(source="BPS Kota Magelang")
    assert client.get(URL, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_the_year_fields_are_the_measures() -> None:
    """One definition of the measures: the API's fields follow ``PovertyMeasure``."""
    assert list(PovertyYearSerializer().fields) == ["year", *PovertyMeasure.values]


def test_the_schema_documents_the_record() -> None:
    schema = APIClient().get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/regions/{code}/poverty/"]["get"]
    assert {} in operation["security"]  # public
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/PovertyRecord"
    }
    year = schema["components"]["schemas"]["PovertyYear"]
    assert set(year["required"]) == {"year", *PovertyMeasure.values}
    assert year["properties"]["p0"]["nullable"] is True
    figure_schema = schema["components"]["schemas"]["PovertyFigure"]
    assert figure_schema["properties"]["released_on"] == {
        "type": "string",
        "format": "date",
        "nullable": True,
        "description": "The day the source published the figure; null when unknown.",
    }
    assert any(getattr(p, "name", None) == "region-poverty" for p in urlpatterns)
