"""API lists end their ordering in the primary key, so walking the pages of a list whose rows
tie on every ordering field (the same year and codes in two regions) neither repeats nor skips a
row, whatever ``?ordering=`` the caller chose."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

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
    for region_code in ("3308", "3371"):
        region = RegionFactory(code=region_code)
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


def _walk(client: APIClient, **params: Any) -> list[int]:
    seen: list[int] = []
    page = 1
    while True:
        body = client.get("/api/v1/activities/", {"page": page, "page_size": 5, **params}).json()
        seen += [row["id"] for row in body["results"]]
        if not body["next"]:
            return seen
        page += 1


@pytest.mark.parametrize("ordering", [None, "code", "-name", "budget", "-budget,code"])
def test_the_pages_of_a_tied_list_hold_every_row_once(activity_ids, ordering):
    client = APIClient()
    client.force_login(reviewer())
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
