"""Malformed query parameters and years on the dashboards and exports: a 400 or 404, never a
500, and nothing written (the dashboards otherwise compute a missing snapshot on the spot)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from opd import models as om
from tests.dashboards import scenario

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
MALFORMED_NUMBERS = [
    "%00",
    "1%00",
    "a%00b",
    "abc",
    "-1",
    "1.5",
    HUGE,
    "%C2%B2",
    "%EF%BC%91",
]  # ², fullwidth 1
PAGES = {
    # page: (url name, args, who, its parameters)
    "public": ("dashboards:public", [], None, ["indikator", "tahun"]),
    "dashboard": ("dashboards:dashboard", [], "reviewer", ["indikator", "tahun", "urut", "arah"]),
    "opd": ("dashboards:opd", [], "reviewer", ["indikator", "tahun", "opd"]),
    "opd (member)": ("dashboards:opd", [], "head", ["indikator", "tahun", "opd"]),
    "csv": ("dashboards:contributions_csv", [2018], "reviewer", ["indikator"]),
}
NUMBERS = {"tahun", "opd"}


def stored() -> dict[str, int]:
    return {
        "snapshots": om.ContributionSnapshot.objects.count(),
        "states": om.ContributionState.objects.count(),
        "rows": om.ContributionRow.objects.count(),
        "audit": om.AuditEntry.objects.count(),
        "plans": om.WorkPlan.objects.count(),
    }


def client(world: scenario.Scenario, who: str | None) -> Client:
    browser = Client()
    if who:
        browser.force_login(getattr(world, who))
    return browser


def cases() -> list[tuple[str, str, str]]:
    found = []
    for page, (_name, _args, _who, params) in PAGES.items():
        for param in params:
            values = MALFORMED_NUMBERS if param in NUMBERS else ["%00", "a%00b"]
            found += [(page, param, value) for value in values]
    return found


@pytest.mark.postgres  # PostgreSQL refuses a NUL in a string: a 500 when it reached a query
@pytest.mark.parametrize(("page", "param", "value"), cases())
def test_a_malformed_parameter_is_a_400_and_writes_nothing(page, param, value):
    world = scenario.build()
    name, args, who, _params = PAGES[page]
    before = stored()
    response = client(world, who).get(f"{reverse(name, args=args)}?{param}={value}")
    assert response.status_code == 400, (page, param, value, response.status_code)
    assert stored() == before


def test_the_400_page_names_the_malformed_parameter():
    world = scenario.build()
    response = client(world, "reviewer").get(f"{reverse('dashboards:dashboard')}?tahun=2018x")
    assert response.status_code == 400
    assert "“tahun”" in response.context["message"]
    assert "“tahun”" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    ["indikator=TIDAK-ADA", "tahun=2030", "tahun=1", "urut=entah", "arah=ke-samping", "indikator="],
)
def test_a_well_formed_but_unknown_value_falls_back_to_the_default(query):
    world = scenario.build()
    for name, who in (("dashboards:public", None), ("dashboards:dashboard", "reviewer")):
        response = client(world, who).get(f"{reverse(name)}?{query}")
        assert response.status_code == 200, (name, query)
        assert response.context["years"] if name.endswith("public") else response.context["data"]


@pytest.mark.postgres
@pytest.mark.parametrize(
    "url",
    [
        f"/ekspor/kontribusi/{HUGE}.csv",
        "/ekspor/kontribusi/2030.csv",  # outside the plan: no snapshot is computed for it
        "/ekspor/kontribusi/0.csv",
        f"/ekspor/renja/{HUGE}/",
        f"/ekspor/renja/2018/{HUGE}/",
        f"/ekspor/evaluasi/{HUGE}/",
        f"/ekspor/evaluasi/2018/{HUGE}/",
        "/ekspor/renja/0/",
    ],
)
def test_an_export_of_a_year_or_opd_that_cannot_exist_is_a_404(url):
    world = scenario.build()
    before = stored()
    response = client(world, "reviewer").get(url)
    assert response.status_code == 404, (url, response.status_code)
    assert stored() == before
