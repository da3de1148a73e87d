"""Every dashboard, export and the roll-up shows one region, and only one its user may see.

Province P holds city A (Kota Magelang, the deployment's region) and city B. The matrix runs
every page × every role: anonymous, an OPD member of A, Bappeda of A, Bappeda of B (another
city: a 404 for A's ``?wilayah=`` and A's OPDs, never A's figures), the province's Bappeda
(reads A and B and the roll-up, reviews neither) and a superuser without a role (the
deployment's region, A). Each page shown is checked to hold its region's OPD and not the other's.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.dashboards import region_world
from tests.dashboards.region_world import B_OPD

pytestmark = pytest.mark.django_db

A, B, P = "33.71", "33.72", "33"
A_OPD = "Dinas Sosial"  # an OPD of A only (the member's)
LOGIN = 302
ROLES = ("anonymous", "member_a", "bappeda_a", "bappeda_b", "bappeda_province", "superuser")

# page: (url name, args, query, region shown); ``opd_a``/``opd_b`` stand for an OPD of A / B.
PAGES: dict[str, tuple[str, list[Any], str, str]] = {
    "dashboard A": ("dashboards:dashboard", [], f"?wilayah={A}", A),
    "dashboard B": ("dashboards:dashboard", [], f"?wilayah={B}", B),
    "dashboard P": ("dashboards:dashboard", [], f"?wilayah={P}", P),
    "dashboard, own region": ("dashboards:dashboard", [], "", ""),
    "dashboard, no such region": ("dashboards:dashboard", [], "?wilayah=99.99", ""),
    "opd view A": ("dashboards:opd", [], f"?wilayah={A}", A),
    "opd view B": ("dashboards:opd", [], f"?wilayah={B}", B),
    "opd view, OPD of A": ("dashboards:opd", [], "?opd=opd_a", A),
    "opd view, OPD of B": ("dashboards:opd", [], "?opd=opd_b", B),
    "opd view, OPD of A shown as B": ("dashboards:opd", [], f"?opd=opd_a&wilayah={B}", ""),
    "public A": ("dashboards:public", [], f"?wilayah={A}", A),
    "public B": ("dashboards:public", [], f"?wilayah={B}", B),
    "public P (no plan)": ("dashboards:public", [], f"?wilayah={P}", ""),
    "renja all A": ("dashboards:renja_all", [2018], f"?draf=1&wilayah={A}", A),
    "renja all B": ("dashboards:renja_all", [2018], f"?draf=1&wilayah={B}", B),
    "renja OPD of A": ("dashboards:renja", [2018, "opd_a"], "", A),
    "renja OPD of B": ("dashboards:renja", [2018, "opd_b"], "", B),
    "evaluation all A": ("dashboards:evaluation_all", [2018], f"?draf=1&wilayah={A}", A),
    "evaluation all B": ("dashboards:evaluation_all", [2018], f"?draf=1&wilayah={B}", B),
    "evaluation OPD of A": ("dashboards:evaluation", [2018, "opd_a"], "", A),
    "evaluation OPD of B": ("dashboards:evaluation", [2018, "opd_b"], "", B),
    "csv A": ("dashboards:contributions_csv", [2018], f"?wilayah={A}", A),
    "csv B": ("dashboards:contributions_csv", [2018], f"?wilayah={B}", B),
    "roll-up P": ("dashboards:province", [], f"?wilayah={P}", P),
    "roll-up, own region": ("dashboards:province", [], "", ""),
}
# page: statuses for ROLES (302 of a signed-in user: sent to the page that shows the region)
EXPECTED = {
    "dashboard A": (LOGIN, 302, 200, 404, 200, 200),
    "dashboard B": (LOGIN, 302, 404, 200, 200, 404),
    "dashboard P": (LOGIN, 302, 404, 404, 302, 404),
    "dashboard, own region": (LOGIN, 302, 200, 200, 302, 200),
    "dashboard, no such region": (LOGIN, 302, 404, 404, 404, 404),
    "opd view A": (LOGIN, 200, 200, 404, 200, 200),
    "opd view B": (LOGIN, 404, 404, 200, 200, 404),
    "opd view, OPD of A": (LOGIN, 200, 200, 404, 200, 200),
    "opd view, OPD of B": (LOGIN, 404, 404, 200, 200, 404),
    "opd view, OPD of A shown as B": (LOGIN, 404, 404, 404, 404, 404),
    "public A": (200, 200, 200, 200, 200, 200),
    "public B": (200, 200, 200, 200, 200, 200),
    "public P (no plan)": (404, 404, 404, 404, 404, 404),
    "renja all A": (LOGIN, 403, 200, 404, 200, 200),
    "renja all B": (LOGIN, 403, 404, 200, 200, 404),
    "renja OPD of A": (LOGIN, 200, 200, 404, 200, 200),
    "renja OPD of B": (LOGIN, 404, 404, 200, 200, 404),
    "evaluation all A": (LOGIN, 403, 200, 404, 200, 200),
    "evaluation all B": (LOGIN, 403, 404, 200, 200, 404),
    "evaluation OPD of A": (LOGIN, 200, 200, 404, 200, 200),
    "evaluation OPD of B": (LOGIN, 404, 404, 200, 200, 404),
    "csv A": (LOGIN, 403, 200, 404, 200, 200),
    "csv B": (LOGIN, 403, 404, 200, 200, 404),
    "roll-up P": (LOGIN, 403, 404, 404, 200, 404),
    "roll-up, own region": (LOGIN, 403, 302, 302, 200, 302),
}


def _text(response: Any) -> str:
    """The response's text: a page's HTML, a CSV, or every cell of a workbook."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        book = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    return content.decode()


def _url(world: region_world.ScopedWorld, page: str) -> str:
    name, args, query, _shown = PAGES[page]
    ids = {"opd_a": str(world.a.dinsos.pk), "opd_b": str(world.b_opd.pk)}
    for key, value in ids.items():
        query = query.replace(key, value)
    return reverse(name, args=[ids.get(a, a) if isinstance(a, str) else a for a in args]) + query


@pytest.mark.parametrize("page", list(PAGES))
def test_region_scope_matrix(page):
    world = region_world.build_scoped()
    url = _url(world, page)
    shown = PAGES[page][3]
    got = []
    for role in ROLES:
        client = Client()
        user = world.users[role]
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        got.append(response.status_code)
        if response.status_code == 302 and role == "anonymous":
            assert response["Location"].startswith(reverse("login"))
        if response.status_code != 200 or shown in ("", P):
            continue
        text = _text(response)
        own, other = (A_OPD, B_OPD) if shown == A else (B_OPD, A_OPD)
        if page.startswith("public"):  # no OPD there: the region of the plan shown
            own, other = (
                ("Kota Magelang · ", "Kota Bravo · ")
                if shown == A
                else ("Kota Bravo · ", "Kota Magelang · ")
            )
        assert own in text, (page, role)
        assert other not in text, (page, role)
    assert tuple(got) == EXPECTED[page], (page, got)


def test_redirects_keep_the_region_and_go_where_it_is_shown():
    world = region_world.build_scoped()
    client = Client()
    client.force_login(world.users["bappeda_province"])
    response = client.get(reverse("dashboards:dashboard") + f"?wilayah={P}&tahun=2018")
    assert response["Location"] == reverse("dashboards:province") + f"?wilayah={P}&tahun=2018"
    client.force_login(world.users["bappeda_a"])
    response = client.get(reverse("dashboards:province") + "?tahun=2018")
    assert response["Location"] == reverse("dashboards:dashboard") + "?tahun=2018"


def test_the_province_bappeda_reads_a_city_plan_but_gets_no_review_button():
    world = region_world.build_scoped()
    url = reverse("opd:work_plan", args=[world.b_plan.pk])
    approve = reverse("opd:work_plan_approve", args=[world.b_plan.pk])
    client = Client()
    client.force_login(world.users["bappeda_b"])
    assert approve in client.get(url).content.decode()  # B's own Bappeda reviews it
    client.force_login(world.users["bappeda_province"])
    response = client.get(url)
    assert response.status_code == 200
    assert approve not in response.content.decode()
    dashboard = client.get(reverse("dashboards:dashboard") + f"?wilayah={B}").content.decode()
    assert B_OPD in dashboard and "/setujui/" not in dashboard
