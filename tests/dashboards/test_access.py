"""Who may open what: reviewers everything, OPD members their own OPD, anonymous the public page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.dashboards import scenario
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# url name, args (``own``/``other`` stand for the head's OPD and another OPD)
PAGES = {
    "dashboard": ("dashboards:dashboard", []),
    "opd own": ("dashboards:opd", []),
    "opd other": ("dashboards:opd", "other"),
    "public": ("dashboards:public", []),
    "renja own": ("dashboards:renja", [2018, "own"]),
    "renja other": ("dashboards:renja", [2018, "other"]),
    "renja all": ("dashboards:renja_all", [2018]),
    "evaluation own": ("dashboards:evaluation", [2018, "own"]),
    "evaluation other": ("dashboards:evaluation", [2018, "other"]),
    "evaluation all": ("dashboards:evaluation_all", [2018]),
    "csv": ("dashboards:contributions_csv", [2018]),
    "province": ("dashboards:province", []),
}
LOGIN = 302  # to the sign-in page
EXPECTED = {
    # page: (anonymous, stranger without an OPD, OPD head, reviewer)
    "dashboard": (LOGIN, 403, 302, 200),  # the head is sent on to the OPD view
    "opd own": (LOGIN, 403, 200, 200),
    "opd other": (LOGIN, 404, 404, 200),
    "public": (200, 200, 200, 200),
    "renja own": (LOGIN, 404, 200, 200),
    "renja other": (LOGIN, 404, 404, 200),
    "renja all": (LOGIN, 403, 403, 200),
    "evaluation own": (LOGIN, 404, 200, 200),
    "evaluation other": (LOGIN, 404, 404, 200),
    "evaluation all": (LOGIN, 403, 403, 200),
    "csv": (LOGIN, 403, 403, 200),
    # The reviewer works for the deployment's region, a city: sent on to its dashboard. The
    # roles of other regions and the province are in test_region_scope.py.
    "province": (LOGIN, 403, 403, 302),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_access_matrix(page):
    world = scenario.build(computed=True)
    users = {
        "anonymous": None,
        "stranger": UserFactory(username="warga"),
        "head": world.head,
        "reviewer": world.reviewer,
    }
    name, args = PAGES[page]
    ids = {"own": world.dinsos.pk, "other": world.disnaker.pk}
    query = ""
    if args == "other":
        args, query = [], f"?opd={world.disnaker.pk}"
    url = reverse(name, args=[ids.get(a, a) if isinstance(a, str) else a for a in args]) + query
    got = []
    for role, user in users.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        got.append(response.status_code)
        if role == "anonymous" and response.status_code == 302:
            assert response["Location"].startswith(reverse("login"))
    assert tuple(got) == EXPECTED[page], page


def test_the_head_is_sent_from_the_dashboard_to_the_own_opd_view():
    world = scenario.build()
    client = Client()
    client.force_login(world.head)
    response = client.get(reverse("dashboards:dashboard"))
    assert response["Location"] == reverse("dashboards:opd")


def test_the_matrix_covers_every_dashboard_view():
    from opd.dashboards import urls

    names = {f"dashboards:{pattern.name}" for pattern in urls.urlpatterns}
    assert {name for name, _args in PAGES.values()} == names
