"""The Bappeda dashboard, the OPD view and the public page against the worked example."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from opd.engine.compute import recompute
from opd.engine.inputs import contribution_inputs
from opd.engine.method import compute
from opd.models import ContributionSnapshot, ContributionState
from tests.dashboards import scenario
from tests.dashboards.scenario import DRAFT_SECRET, RETURNED_SECRET

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def shown(message: str) -> str:
    with translation.override("id"):
        return translation.gettext(message)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def cell(html: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}"[^>]*>(.*?)<', html, re.S)
    assert match, testid
    return match.group(1).strip()


@pytest.fixture
def world() -> scenario.Scenario:
    """The worked example with its 2018 snapshot stored, as the worker stores it."""
    return scenario.build(computed=True)


@pytest.fixture
def fresh() -> scenario.Scenario:
    """The worked example before any computation."""
    return scenario.build()


def test_dashboard_numbers_equal_the_engine(world):
    result = compute(contribution_inputs(indicator=world.indicator, year=2018), 2018)
    assert (result.required, result.planned, result.status) == (1658, 1300, "off_track")

    html = client_for(world.reviewer).get(reverse("dashboards:dashboard")).content.decode()

    # The stored snapshot is what the page shows (the page stores none of its own).
    assert ContributionSnapshot.objects.filter(indicator=world.indicator, year=2018).count() == 1
    assert 'data-status="off_track"' in html
    with translation.override("id"):
        from opd.models import SnapshotStatus

        assert cell(html, "year-status") == str(SnapshotStatus.OFF_TRACK.label)
    assert cell(html, "required") == "1.658"
    assert cell(html, "planned") == "1.300"
    assert cell(html, "achieved") == "250"
    assert cell(html, "coverage") == "78,4%"
    assert cell(html, "explain-R") == "8,75"
    assert cell(html, "explain-T") == "7,38"
    assert cell(html, "explain-D") == "1,37"
    assert cell(html, "explain-P") == "121.000"
    assert cell(html, "explain-N") == "1.658"
    # One format per kind of figure: coverage as the percentage above it, projections with
    # the two decimals of the targets beside them (were "0,784" and "8,5434").
    assert cell(html, "explain-coverage") == "78,4%"
    assert cell(html, "explain-projection") == "8,54"
    assert cell(html, "projection-achieved") == "8,54"
    assert result.projected_achieved.quantize(Decimal("0.0001")) == Decimal("8.5434")
    assert 'data-testid="pending"' not in html
    # No draft or returned figure counts.
    assert "77.777" not in html and "55.555" not in html


def test_opd_table_rows_and_sorting(world):
    client = client_for(world.reviewer)
    url = reverse("dashboards:dashboard")
    html = client.get(url).content.decode()
    table = html[html.index('data-testid="opd-table"') :]
    order = re.findall(r'<tr data-opd="([^"]+)"', table)
    assert order[:2] == ["1.06", "2.07"]  # planned 900, 400: largest first
    dinsos = table[table.index('data-opd="1.06"') :]
    assert cell(dinsos, "planned") == "900"
    assert f"Rp{NBSP}450.000.000" in dinsos  # aligned budget
    assert "54,3%" in dinsos  # share 900 / 1658
    assert f"Rp{NBSP}500.000" in dinsos  # cost per person 450 M / 900

    ascending = client.get(url, {"urut": "planned", "arah": "naik"}).content.decode()
    order = re.findall(
        r'<tr data-opd="([^"]+)"', ascending[ascending.index('data-testid="opd-table"') :]
    )
    assert order.index("2.07") < order.index("1.06")
    assert 'aria-sort="ascending"' in ascending
    by_name = client.get(url, {"urut": "opd", "arah": "naik"}).content.decode()
    order = re.findall(
        r'<tr data-opd="([^"]+)"', by_name[by_name.index('data-testid="opd-table"') :]
    )
    assert order == sorted(order)


def test_submission_grid_marks_overdue_plans(world):
    from tests.factories import SubmissionDeadlineFactory

    SubmissionDeadlineFactory(region=world.region, year=2018)  # 8 Sep 2017: long past
    html = client_for(world.reviewer).get(reverse("dashboards:dashboard")).content.decode()
    grid = html[html.index('data-testid="submission-grid"') :]
    assert re.search(r'class="plan-draft overdue" data-opd="3.01"', grid)
    assert re.search(r'class="plan-returned overdue" data-opd="3.02"', grid)
    assert re.search(r'class="plan-submitted" data-opd="1.06"', grid)


def test_places_breakdown_counts_submitted_and_approved_only(world):
    html = client_for(world.reviewer).get(reverse("dashboards:dashboard")).content.decode()
    places = html[html.index('data-testid="places-table"') :]
    places = places[: places.index("</table>")]
    # Tidar Selatan: Dinsos 300 and Disnaker 400; the returned plan's 55,555 stays out.
    row = re.search(r"Tidar Selatan</th>(.*?)</tr>", places, re.S).group(1)
    assert re.findall(r'class="num">([^<]*)<', row) == ["2", f"Rp{NBSP}350.000.000", "700"]
    row = re.search(r"Kramat Utara</th>(.*?)</tr>", places, re.S).group(1)
    assert re.findall(r'class="num">([^<]*)<', row) == ["1", f"Rp{NBSP}300.000.000", "600"]


def test_pending_flag_shows_while_a_recomputation_is_due(world):
    recompute(indicator_id=world.indicator.pk, year=2018)
    client = client_for(world.reviewer)
    assert (
        'data-testid="pending"' not in client.get(reverse("dashboards:dashboard")).content.decode()
    )
    ContributionState.objects.filter(indicator=world.indicator, year=2018).update(
        dirty=True, dirty_since="2018-01-01T00:00Z"
    )
    html = client.get(reverse("dashboards:dashboard")).content.decode()
    assert 'data-testid="pending"' in html
    assert 'data-testid="snapshot-time"' in html


def test_trajectory_chart_marks_stated_and_interpolated_points(world):
    html = client_for(world.reviewer).get(reverse("dashboards:dashboard")).content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert svg.count('class="target-interpolated"') == 4  # 2016, 2017, 2019, 2020
    assert svg.count('class="target-stated"') == 3  # baseline 2015, 2018, 2021
    assert svg.count('class="actual-point"') == 5  # 2015 baseline, 2016, 2017, 2019, 2020
    assert 'class="projection-planned"' in svg and 'class="projection-achieved"' in svg
    assert "," not in re.sub(
        r"<title>.*?</title>|<text.*?</text>|points=\"[^\"]*\"", "", svg, flags=re.S
    )


def test_the_opd_head_sees_own_contribution_and_rank(world):
    html = client_for(world.head).get(reverse("dashboards:opd")).content.decode()
    assert "Dinas Sosial" in html
    assert cell(html, "own-planned") == "900"
    assert cell(html, "own-achieved") == "250"
    assert cell(html, "own-share") == "54,3%"
    assert re.sub(r"\s+", " ", cell(html, "own-rank")).startswith("1 ")
    other = client_for(world.other_head).get(reverse("dashboards:opd")).content.decode()
    assert cell(other, "own-planned") == "400"
    assert re.sub(r"\s+", " ", cell(other, "own-rank")).startswith("2 ")


def test_public_page_shows_city_figures_and_nothing_of_drafts_or_returned_plans(world):
    recompute(indicator_id=world.indicator.pk, year=2018)
    html = Client().get(reverse("dashboards:public")).content.decode()
    assert 'data-status="off_track"' in html
    assert cell(html, "required") == "1.658"
    # Both plans are only submitted: the public sees no planned persons yet (approved only).
    assert cell(html, "planned") == "0"
    assert 'data-testid="coverage"' not in html
    for secret in (
        DRAFT_SECRET,
        RETURNED_SECRET,
        "Dinas Rahasia",
        "Dinas Kembali",
        "77.777",
        "55.555",
        "77777",
        "55555",
    ):
        assert secret not in html
    # No OPD's plan data at all: neither names nor budgets.
    assert "Dinas Sosial" not in html and "Rp" not in html
    assert 'data-testid="trajectory-chart"' in html


def test_public_page_before_any_computation_says_so(fresh):
    html = Client().get(reverse("dashboards:public")).content.decode()
    assert 'data-testid="pending"' in html
    assert not ContributionSnapshot.objects.exists()  # the public page never writes


def test_the_work_plan_page_links_to_the_opd_view(world):
    html = client_for(world.head).get(reverse("opd:work_plan", args=[world.dinsos_plan.pk]))
    assert (
        f"{reverse('dashboards:opd')}?opd={world.dinsos.pk}&amp;tahun=2018" in html.content.decode()
    )


def test_an_indicator_that_is_not_a_population_share(world):
    from tests.factories import IndicatorFactory, TargetFactory

    other = IndicatorFactory(
        plan=world.plan,
        code="IPM",
        name="Indeks Pembangunan Manusia",
        unit="",
        direction="up",
        is_population_share=False,
        baseline_value=Decimal("76.39"),
    )
    TargetFactory(indicator=other, year=2018, value=Decimal("77.50"))
    recompute(indicator_id=other.pk, year=2018)
    response = client_for(world.reviewer).get(reverse("dashboards:dashboard"), {"indikator": "IPM"})
    html = response.content.decode()
    assert response.status_code == 200
    assert cell(html, "explain-N") == "1,11"  # 77.50 − 76.39
    assert 'data-testid="explain-P"' not in html
