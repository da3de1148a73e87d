"""The region picker: shown when more than one region is offered, a plain GET form keeping the
page's indicator and year, and links between the dashboard pages keeping the region."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.dashboards import region_world

pytestmark = pytest.mark.django_db

A, B = "33.71", "33.72"


def _page(user, url: str) -> str:
    client = Client()
    client.cookies["django_language"] = "en"
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _picker(html: str) -> str | None:
    match = re.search(r'<form[^>]*data-testid="region-picker".*?</form>', html, re.S)
    return match.group(0) if match else None


def _options(form: str) -> list[str]:
    return re.findall(r'<option value="([^"]+)"', form)


def test_a_city_bappeda_with_one_region_gets_no_picker():
    world = region_world.build_scoped()
    html = _page(world.users["bappeda_a"], reverse("dashboards:dashboard"))
    assert "Dinas Sosial" in html  # the page of region A itself
    assert _picker(html) is None
    assert 'data-testid="roll-up-link"' not in html  # the province is not A's Bappeda's to read


def test_the_province_bappeda_picks_among_its_regions_keeping_indicator_and_year():
    world = region_world.build_scoped()
    url = reverse("dashboards:dashboard") + f"?wilayah={B}&tahun=2018&indikator=KEMISKINAN"
    form = _picker(_page(world.users["bappeda_province"], url))
    assert form is not None
    assert 'method="get"' in form
    assert _options(form) == ["33", A, B]  # the province and its two cities, by code
    assert f'<option value="{B}" selected>' in form
    assert '<label for="pick-region">Region</label>' in form and 'id="pick-region"' in form
    assert '<button type="submit"' in form  # no script needed to change region
    assert '<input type="hidden" name="tahun" value="2018">' in form
    assert '<input type="hidden" name="indikator" value="KEMISKINAN">' in form
    assert 'name="wilayah" value' not in form  # the select is the region, not a hidden copy


def test_the_public_page_offers_every_region_with_a_plan_to_anyone():
    world = region_world.build_scoped()
    html = _page(None, reverse("dashboards:public"))
    assert "Kota Magelang · " in html  # the deployment's region by default
    form = _picker(html)
    assert form is not None and _options(form) == [A, B]  # the province has no plan
    # A city's Bappeda, signed in, is offered every region there too.
    form = _picker(_page(world.users["bappeda_b"], reverse("dashboards:public")))
    assert form is not None and _options(form) == [A, B]


def test_links_between_the_dashboard_pages_keep_the_region():
    world = region_world.build_scoped()
    user = world.users["bappeda_province"]
    html = _page(user, reverse("dashboards:dashboard") + f"?wilayah={B}&tahun=2018")
    keep = f"wilayah={B}"
    assert f'href="{reverse("dashboards:public")}?{keep}"' in html
    assert f'href="{reverse("dashboards:renja_all", args=[2018])}?{keep}"' in html
    assert f'href="{reverse("dashboards:evaluation_all", args=[2018])}?draf=1&amp;{keep}"' in html
    assert (
        f"{reverse('dashboards:contributions_csv', args=[2018])}?indikator=KEMISKINAN&amp;{keep}"
        in html
    )
    opd_link = f"{reverse('dashboards:opd')}?opd={world.b_opd.pk}&amp;indikator=KEMISKINAN&amp;tahun=2018&amp;{keep}"
    assert opd_link in html
    assert f'<input type="hidden" name="wilayah" value="{B}">' in html  # the year form
    sort_links = re.findall(r'href="\?indikator=[^"]*urut=[^"]*"', html)
    assert sort_links and all(keep in link for link in sort_links)
    # The OPD view leads back to the same region's dashboard.
    roll_up = f'href="{reverse("dashboards:province")}?wilayah=33&amp;tahun=2018"'
    assert roll_up in html  # up to the province the user reads
    opd_html = _page(user, opd_link.replace("&amp;", "&"))
    back = f"{reverse('dashboards:dashboard')}?indikator=KEMISKINAN&amp;tahun=2018&amp;{keep}"
    assert back in opd_html
