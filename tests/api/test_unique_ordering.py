"""API lists end their ordering in the primary key, so walking the pages of a list whose rows
tie on every ordering field (the same year and codes in two regions) neither repeats nor skips a
row, whatever ``?ordering=`` the caller chose; and the activities' keyset cursor (``?cursor=``)
walks them by id alike. The walker is the Bappeda of the province both regions sit under, so
the list's default scope holds both."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from opd import models as om
from targets import models as tm
from tests.factories import (
    ActivityFactory,
    OpdFactory,
    PlanFactory,
    ProgramFactory,
    RegionFactory,
    WorkPlanFactory,
)
from tests.workplans.plan_world import reviewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity_ids() -> list[int]:
    """Twelve activities in two regions that tie on year, program code, code, name and budget
    in fours (the same codes in every OPD)."""
    ids = []
    province = RegionFactory(code="33", kind=tm.Region.Kind.PROVINCE)
    for region_code in ("33.08", "33.71"):
        region = RegionFactory(code=region_code, parent=province)
        plan = PlanFactory(region=region)
        for opd_code in ("1.01", "1.02"):
            opd = OpdFactory(region=region, code=opd_code)
            work_plan = WorkPlanFactory(opd=opd, plan=plan, year=2018, status="approved")
            program = ProgramFactory(work_plan=work_plan, code="1.01.01")
            for number in (1, 2, 3):
                activity = ActivityFactory(
                    program=program, code=f"1.01.01.00{number}", name="Sama", budget=1000
                )
                ids.append(activity.pk)
    return ids


@pytest.fixture
def client() -> APIClient:
    province_bappeda = reviewer()
    om.BappedaRole.objects.create(user=province_bappeda, region=tm.Region.objects.get(code="33"))
    api = APIClient()
    api.force_login(province_bappeda)
    return api


def _walk(client: APIClient, **params: Any) -> list[int]:
    """Every page's ids, following the ``next`` links from page 1."""
    seen: list[int] = []
    counts = []
    url: str | None = "/api/v1/activities/"
    query: dict[str, Any] | None = {"page_size": 5, **params}
    while url:
        response = client.get(url, query)
        assert response.status_code == 200, response.content
        body = response.json()
        seen += [row["id"] for row in body["results"]]
        counts.append(body["count"])
        url, query = body["next"], None
    # Numbered pages: the count on the first only; a cursor: none.
    expected = [None] if "cursor" in params else [len(seen)]
    assert counts == expected + [None] * (len(counts) - 1)
    return seen


@pytest.mark.parametrize("ordering", [None, "code", "-name", "budget", "-budget,code"])
def test_the_pages_of_a_tied_list_hold_every_row_once(activity_ids, client, ordering):
    params = {"ordering": ordering} if ordering else {}
    with CaptureQueriesContext(connection) as queries:
        seen = _walk(client, **params)
    assert sorted(seen) == sorted(activity_ids)  # none repeated, none skipped
    # The pages' query itself ends its ORDER BY in the primary key (the walk alone could pass
    # by luck on a small table).
    pages = [q["sql"] for q in queries if "LIMIT" in q["sql"] and '"opd_activity"' in q["sql"]]
    assert pages and all(
        sql.split("ORDER BY", 1)[1].split("LIMIT")[0].strip().endswith('"opd_activity"."id" ASC')
        for sql in pages
    ), pages[0]


def test_the_default_order_is_by_id(activity_ids, client):
    """The default ordering is the primary key's index alone: no join sorts the pages."""
    with CaptureQueriesContext(connection) as queries:
        seen = _walk(client)
    assert seen == sorted(activity_ids)
    pages = [q["sql"] for q in queries if "LIMIT" in q["sql"] and '"opd_activity"' in q["sql"]]
    assert pages and all(
        sql.split("ORDER BY", 1)[1].split("LIMIT")[0].strip() == '"opd_activity"."id" ASC'
        for sql in pages
    ), pages[0]
    # Three pages of five; the rows counted on the first only.
    assert len(pages) == 3
    assert sum("COUNT(" in q["sql"] and '"opd_activity"' in q["sql"] for q in queries) == 1


@pytest.mark.parametrize("page_size", [1, 5, 12, 50])
def test_the_cursor_walks_every_row_once_by_id(activity_ids, client, page_size):
    with CaptureQueriesContext(connection) as queries:
        seen = _walk(client, cursor="", page_size=page_size)
    assert seen == sorted(activity_ids)  # none repeated, none skipped, in id order
    # Each page after the first starts after the last id seen (a keyset, not an offset).
    pages = [q["sql"] for q in queries if "LIMIT" in q["sql"] and '"opd_activity"' in q["sql"]]
    assert all("OFFSET" not in sql for sql in pages), pages
    assert sum('"opd_activity"."id" >' in sql for sql in pages) == len(pages) - 1


def test_the_cursor_walks_back_with_previous(activity_ids, client):
    first = client.get("/api/v1/activities/", {"cursor": "", "page_size": 5}).json()
    second = client.get(first["next"]).json()
    back = client.get(second["previous"]).json()
    assert [row["id"] for row in back["results"]] == [row["id"] for row in first["results"]]
    assert first["previous"] is None


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"cursor": "", "ordering": "code"}, 400),
        ({"cursor": "", "page": 2}, 400),
        ({"cursor": "bz14"}, 404),  # base64 of "o=x": an offset that is not a number
        ({"cursor": "cD14"}, 404),  # base64 of "p=x": a position that is not an id
        ({"cursor": "", "page_size": 0}, 400),
        ({"page": 4, "page_size": 5}, 404),  # past the end
    ],
)
def test_a_cursor_or_page_this_list_did_not_give_is_refused(activity_ids, client, params, status):
    response = client.get("/api/v1/activities/", params)
    assert response.status_code == status, response.content


def test_a_region_of_the_province_narrows_the_walk(activity_ids, client):
    """``?wilayah=`` keeps one region's rows; the province's Bappeda may name either."""
    seen = _walk(client, cursor="", wilayah="33.08")
    assert seen == sorted(activity_ids)[:6]
