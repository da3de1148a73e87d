"""Design section 7's worked example end to end onto the pages: the lists imported through the
service, the plans submitted, the engine recomputing the year (as in
tests/engine/test_deduplicated_end_to_end.py), then Bappeda's dashboard and Dinas Sosial's
view show what the engine stored, within the pinned query counts; no NIK reaches a page."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from opd.engine.compute import recompute
from targets import models as tm
from tests.beneficiaries.world import nik
from tests.dashboards.test_overlap import _queries, cell, english, read_table
from tests.engine.test_deduplicated_end_to_end import (  # noqa: F401 (fixtures)
    YEAR,
    beneficiary_key,
    worked_example,
)
from tests.workplans.plan_world import reviewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed(worked_example: dict[str, Any]) -> dict[str, Any]:  # noqa: F811
    indicator = worked_example["indicator"]
    # The dashboards open the default region's headline indicator.
    tm.Region.objects.filter(pk=indicator.plan.region_id).update(code=settings.DEFAULT_REGION_CODE)
    tm.Indicator.objects.filter(pk=indicator.pk).update(code=settings.HEADLINE_INDICATOR_CODE)
    recompute(indicator_id=indicator.pk, year=YEAR)
    return worked_example


def test_the_engines_figures_reach_the_dashboard_and_the_opd_view(computed):
    bappeda = english(reviewer("bappeda.dasbor"))
    url = reverse("dashboards:dashboard") + f"?tahun={YEAR}"
    html = bappeda.get(url).content.decode()
    assert cell(html, "year-status") == "Off track"
    assert (cell(html, "planned-gross"), cell(html, "planned-deduplicated")) == ("1,350", "1,300")
    assert (cell(html, "coverage-gross"), cell(html, "coverage-deduplicated")) == ("81.4%", "78.4%")
    assert cell(html, "backed-share") == "40.7%" and cell(html, "distinct-persons") == "880"
    assert cell(html, "low-desil-share") == "50.0%"
    assert 'data-testid="rounding-note"' in html  # 1,077.0833 + 179.5833 + 43.3333 ≠ 1,300
    matrix = read_table(html, "overlap-matrix")
    names = [c["text"] for c in matrix.rows[0][1:]]
    assert names == ["Dinas Kesehatan", "Dinas Sosial", "Dinas Tenaga Kerja"]
    sos = [c["text"] for c in matrix.rows[2][1:]]
    assert sos == ["20", "", "150"]  # the diagonal's text is for screen readers only
    assert nik(10) not in html and nik(10)[:8] not in html
    assert _queries(bappeda, url) == 18

    head = english(computed["dinsos"].head)
    html = head.get(reverse("dashboards:opd") + f"?tahun={YEAR}").content.decode()
    assert cell(html, "own-planned-gross") == "1,100"
    assert cell(html, "own-planned-deduplicated") == "1,077.0833"
    shared = {r[0]["text"]: r[1]["text"] for r in read_table(html, "own-pairs").rows[1:]}
    assert shared == {"Dinas Kesehatan": "20", "Dinas Tenaga Kerja": "150"}
    assert _queries(head, reverse("dashboards:opd") + f"?tahun={YEAR}") == 9
