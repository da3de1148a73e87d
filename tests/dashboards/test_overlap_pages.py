"""The OPD view, the public page and the contribution CSV with the deduplicated figures of
design section 7 (the worked example stored by ``test_overlap.overlap_world``).

An OPD sees its own gross and deduplicated figures and the persons it shares with each
other OPD (counts only), never another OPD's figures; the public sees the deduplicated
coverage only when every counted plan is approved (else it would include a submitted
plan's claims), with the sentence saying why it is lower than the sum of the claims.
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from opd import models as om
from tests.dashboards import scenario
from tests.dashboards.test_overlap import cell, english, overlap_world, read_table, text_of

pytestmark = pytest.mark.django_db


def opd_page(user, query: str = "") -> str:
    response = english(user).get(reverse("dashboards:opd") + query)
    assert response.status_code == 200
    return response.content.decode()


def test_an_opd_sees_its_gross_and_deduplicated_figures_and_its_overlaps():
    ow = overlap_world()
    html = opd_page(ow.world.head)  # Dinas Sosial's head
    assert cell(html, "own-planned-gross") == "1,100"
    assert cell(html, "own-planned-deduplicated") == "1,077.0833"
    assert cell(html, "own-achieved-gross") == cell(html, "own-achieved-deduplicated") == "250"
    pairs = read_table(html, "own-pairs")
    assert [c["scope"] for c in pairs.rows[0]] == ["col", "col"]
    shared = {r[0]["text"]: r[1]["text"] for r in pairs.rows[1:]}
    assert shared == {"Dinas Kesehatan": "20", "Dinas Tenaga Kerja": "150"}
    # Another OPD's own figures stay on its own view and Bappeda's dashboard.
    assert "179.5833" not in html and "43.3333" not in html


def test_each_opd_sees_its_own_pairs():
    ow = overlap_world()
    html = opd_page(ow.world.other_head)  # Dinas Tenaga Kerja's head
    assert cell(html, "own-planned-deduplicated") == "179.5833"
    shared = {r[0]["text"]: r[1]["text"] for r in read_table(html, "own-pairs").rows[1:]}
    assert shared == {"Dinas Kesehatan": "10", "Dinas Sosial": "150"}
    assert "1,077.0833" not in html


def test_an_opd_sharing_nobody_sees_zeros_or_a_sentence():
    ow = overlap_world(matrix={"sos-naker": 150})
    html = opd_page(ow.world.reviewer, f"?opd={ow.dinkes.pk}")
    assert cell(html, "own-planned-deduplicated") == "43.3333"
    assert "No person on our beneficiary lists is on another OPD's" in cell(html, "no-pairs")
    html = opd_page(ow.world.reviewer, f"?opd={ow.world.disnaker.pk}")
    shared = {r[0]["text"]: r[1]["text"] for r in read_table(html, "own-pairs").rows[1:]}
    assert shared == {"Dinas Sosial": "150"}  # Dinkes is in no pair: not in the matrix


def test_an_opd_member_cannot_open_another_opds_overlap():
    ow = overlap_world()
    response = english(ow.world.head).get(reverse("dashboards:opd") + f"?opd={ow.dinkes.pk}")
    assert response.status_code == 404
    assert b"43.3333" not in response.content


def test_without_lists_the_opd_view_says_so():
    world = scenario.build(hidden_plans=False, computed=True)
    html = opd_page(world.head)
    assert "No counted activity has a beneficiary list yet" in cell(html, "no-lists")
    assert 'data-testid="own-pairs"' not in html and 'data-testid="own-dedup-table"' not in html


def public_page() -> str:
    response = english().get(reverse("dashboards:public"), {"tahun": 2018})
    assert response.status_code == 200
    return response.content.decode()


def test_the_public_page_shows_the_deduplicated_coverage_once_every_plan_is_approved():
    overlap_world(submitted=False)
    html = public_page()
    sentence = cell(html, "public-deduplicated")
    assert "78.4%" in sentence and "81.4%" in sentence
    assert "a person leaves poverty at most once" in sentence
    assert "The status is decided by the lower figure." in sentence
    # The public status follows the deduplicated coverage, as the snapshot's does.
    assert re.search(r'data-testid="year-status" data-status="off_track"', html)
    # Counts of the lists are Bappeda's: no matrix, no distinct persons, no OPD's part.
    text = text_of(html)
    for absent in ("1,077.0833", "179.5833", "880", "Dinas Kesehatan"):
        assert absent not in text, absent
    assert 'data-testid="overlap-matrix"' not in html


def test_with_a_submitted_plan_the_public_page_keeps_to_the_approved_sums():
    """The deduplicated coverage counts submitted plans' claims: not public until approved."""
    overlap_world(submitted=True)
    html = public_page()
    assert 'data-testid="public-deduplicated"' not in html
    assert "78.4%" not in html and "1,300" not in text_of(html)


def test_the_approved_plans_own_deduplicated_coverage_is_public_beside_a_submitted_plan():
    """Dinas Tenaga Kerja and Dinas Kesehatan approved (250 claimed), Dinas Sosial submitted:
    their own lists give 245 persons counted once, 14.8% of 1,658 against 15.1% claimed."""
    overlap_world(submitted=True)
    om.ContributionSnapshot.objects.filter(fingerprint="section-7-worked-example").update(
        planned_approved_total=Decimal(250), planned_approved_deduplicated=Decimal(245)
    )
    sentence = cell(public_page(), "public-deduplicated")
    assert "14.8%" in sentence and "15.1%" in sentence
    assert "78.4%" not in sentence  # every counted plan's figure stays Bappeda's


def test_once_the_years_actual_is_recorded_no_coverage_is_said_to_decide_the_status():
    """With the actual of the year the status is achieved or missed: neither coverage decides."""
    ow = overlap_world(submitted=False)
    before = english(ow.world.reviewer).get(reverse("dashboards:dashboard"), {"tahun": 2018})
    assert "it decides the status" in before.content.decode()
    om.ContributionSnapshot.objects.filter(fingerprint="section-7-worked-example").update(
        actual_value=Decimal("8.10"), status=om.SnapshotStatus.MISSED
    )
    sentence = cell(public_page(), "public-deduplicated")
    assert "a person leaves poverty at most once" in sentence
    assert "decided by the lower figure" not in sentence
    dashboard = english(ow.world.reviewer).get(reverse("dashboards:dashboard"), {"tahun": 2018})
    assert "it decides the status" not in dashboard.content.decode()


def test_without_lists_the_public_page_adds_nothing():
    scenario.build(hidden_plans=False, computed=True)
    assert 'data-testid="public-deduplicated"' not in public_page()


def test_the_contribution_csv_carries_both_deduplicated_columns():
    ow = overlap_world()
    client = Client()
    client.force_login(ow.world.reviewer)
    url = reverse("dashboards:contributions_csv", args=[2018]) + "?format=plain"
    rows = list(csv.reader(io.StringIO(client.get(url).content.decode("utf-8"))))
    assert rows[0][-2:] == [
        "Kontribusi Rencana Tanpa Hitung Ganda",
        "Kontribusi Capaian Tanpa Hitung Ganda",
    ]
    by_code = {r[0]: r for r in rows[1:]}
    assert by_code["1.06"][3] == "1100" and by_code["1.06"][-2:] == ["1077.0833", "250"]
    assert by_code["2.07"][-2:] == ["179.5833", "0"]
    assert by_code["1.02"][-2:] == ["43.3333", "0"]
    assert sum(Decimal(r[-2]) for r in rows[1:]) == Decimal("1299.9999")  # rounded parts
