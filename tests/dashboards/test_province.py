"""The province roll-up (``/dasbor/provinsi/``): each region under a province with its stored
figures, their sum, the regions off track, a drill-down per region; a fixed number of queries
whatever the number of regions, and no write on a GET."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opd import models as om
from opd.engine import marking
from targets import models as tm
from tests.dashboards import region_world
from tests.factories import IndicatorFactory, PlanFactory, RegionFactory

pytestmark = pytest.mark.django_db

# Session, user, the user's permissions (two: user and group), the Bappeda scope, the regions
# the picker offers; then the roll-up: the regions under the province, their headline
# indicators with plans, the year's states with their snapshots.
ROLL_UP_QUERIES = 9


def _client_for(region: tm.Region, username: str) -> Client:
    """A client in English (the text asserted) signed in as Bappeda of ``region``."""
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(region_world.bappeda(username, region))
    return client


def _roll_up(client: Client, code: str, query: str = ""):
    return client.get(reverse("dashboards:province") + f"?wilayah={code}{query}")


def test_the_query_count_is_the_same_for_2_and_10_regions(django_assert_num_queries):
    small = region_world.province_with(2, code="34")
    large = region_world.province_with(10, code="35")
    counts = []
    for province, name in ((small, "bappeda.34"), (large, "bappeda.35")):
        client = _client_for(province, name)
        with CaptureQueriesContext(connection) as queries:
            response = _roll_up(client, province.code)
        assert response.status_code == 200
        assert response.content.decode().count('<tr data-region="') == (
            2 if province == small else 10
        )
        counts.append(len(queries))
    assert counts[0] == counts[1] == ROLL_UP_QUERIES, counts
    client = _client_for(large, "bappeda.35b")
    with django_assert_num_queries(ROLL_UP_QUERIES):
        _roll_up(client, large.code)


def test_each_region_its_sum_the_regions_off_track_and_a_drill_down():
    province = region_world.province_with(3, code="34")  # planned 100, 200, 300 of 1,000 each
    response = _roll_up(_client_for(province, "bappeda.34"), "34")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<caption>" in html and '<th scope="col">Region</th>' in html
    assert html.count('<th scope="row">') == 4  # three regions and the sum
    assert 'data-testid="sum-required">3,000<' in html
    assert 'data-testid="sum-planned">600<' in html
    assert "Sum (3 of 3 regions computed)" in html
    off_track = html.split('data-testid="off-track">')[1].split("</ul>")[0]
    assert "Kota 34-0" in off_track and "Kota 34-1" not in off_track  # only the first is off
    assert f'href="{reverse("dashboards:dashboard")}?wilayah=34.02&amp;tahun=2018"' in html
    assert "Planned, deduplicated" not in html  # no beneficiary lists anywhere


def test_deduplicated_columns_appear_once_a_region_has_lists():
    province = region_world.province_with(2, code="34")
    om.ContributionSnapshot.objects.filter(indicator__plan__region__code="34.01").update(
        status_basis="deduplicated", planned_deduplicated=Decimal(60), overlap=Decimal(40)
    )
    html = _roll_up(_client_for(province, "bappeda.34"), "34").content.decode()
    assert "Planned, deduplicated" in html and "Achieved, deduplicated" in html
    # The region's deduplicated figure; the other's, without lists, equals its claims.
    assert 'data-testid="region-planned-deduplicated">60<' in html
    assert 'data-testid="region-planned-deduplicated">200<' in html
    assert 'data-testid="sum-planned-deduplicated">260<' in html
    assert 'data-testid="sum-planned">300<' in html


def test_a_region_without_a_snapshot_is_being_computed_and_nothing_is_written(monkeypatch):
    asked: list[tuple[int, int]] = []
    monkeypatch.setattr(marking, "request_recompute", lambda pairs: asked.extend(pairs))
    province = region_world.province_with(1, code="34")
    waiting = RegionFactory(code="34.09", name="Kota Menunggu", parent=province)
    indicator = IndicatorFactory(
        plan=PlanFactory(region=waiting), code=settings.HEADLINE_INDICATOR_CODE
    )
    RegionFactory(code="34.10", name="Kota Tanpa Rencana", parent=province)
    before = (om.ContributionState.objects.count(), om.ContributionSnapshot.objects.count())
    response = _roll_up(_client_for(province, "bappeda.34"), "34")
    html = response.content.decode()
    assert response.status_code == 200
    row = html.split('data-region="34.09"')[1].split("</tr>")[0]
    assert 'data-testid="being-computed">Being computed.' in row
    assert "No plan with the headline indicator." in html.split('data-region="34.10"')[1]
    assert "Sum (1 of 3 regions computed)" in html
    assert asked == [(indicator.pk, 2018)]  # enqueued, not computed
    after = (om.ContributionState.objects.count(), om.ContributionSnapshot.objects.count())
    assert after == before


def test_the_country_rolls_up_the_regions_of_its_provinces():
    country = RegionFactory(code="ID", name="Indonesia", kind=tm.Region.Kind.COUNTRY)
    one = region_world.province_with(1, code="34")
    two = region_world.province_with(2, code="35")
    tm.Region.objects.filter(pk__in=[one.pk, two.pk]).update(parent=country)
    html = _roll_up(_client_for(country, "bappeda.id"), "ID").content.decode()
    assert html.count('<tr data-region="') == 3
    assert "(Provinsi 35)" in html  # each region names its province
    # The province itself is offered, and its own roll-up is a drill-down away.
    assert '<option value="35">' in html


def test_a_city_bappeda_may_not_open_the_province_roll_up():
    province = region_world.province_with(2, code="34")
    city = tm.Region.objects.get(code="34.01")
    client = _client_for(city, "bappeda.3401")
    assert _roll_up(client, "34").status_code == 404
    assert _roll_up(client, "34.01")["Location"].startswith(reverse("dashboards:dashboard"))
    assert province.children.count() == 2
