"""Every list endpoint runs the same number of queries for 2 rows as for 50."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opd import models as om
from tests.api.world import ApiWorld, build
from tests.factories import (
    AchievedContributionFactory,
    ActivityFactory,
    ActualFactory,
    AspirationFactory,
    ContributionRowFactory,
    ContributionStateFactory,
    ExpectedContributionFactory,
    IndicatorFactory,
    KecamatanFactory,
    KelurahanFactory,
    MembershipFactory,
    OpdFactory,
    PopulationFactory,
    ProgramFactory,
    RealisationFactory,
    RegionFactory,
    SnapshotFactory,
    TargetFactory,
    WorkPlanFactory,
)

pytestmark = pytest.mark.django_db


def region(w: ApiWorld, n: int) -> None:
    made = RegionFactory()
    KelurahanFactory(kecamatan=KecamatanFactory(region=made))
    PopulationFactory(region=made, year=2015 + n % 5)


def indicator(w: ApiWorld, n: int) -> None:
    made = IndicatorFactory(plan=w.plan.work_plan.plan)
    TargetFactory(indicator=made, year=2021)
    ActualFactory(indicator=made, year=2017)


def opd(w: ApiWorld, n: int) -> None:
    OpdFactory(region=w.opd.region)


def work_plan(w: ApiWorld, n: int) -> None:
    made = WorkPlanFactory(opd=OpdFactory(region=w.opd.region), plan=w.plan.work_plan.plan)
    # The OPD's own token sees it too, so every caller's list grows.
    MembershipFactory(opd=made.opd, user=om.ApiClient.objects.get(name="sistem-dinsos").user)


def program(w: ApiWorld, n: int) -> None:
    ProgramFactory(work_plan=w.plan.work_plan)


def activity(w: ApiWorld, n: int) -> None:
    made = ActivityFactory(program=w.plan.program, kelurahan=w.plan.kelurahan)
    ExpectedContributionFactory(activity=made, indicator=w.plan.indicator, amount=Decimal(n))


def realisation(w: ApiWorld, n: int) -> None:
    made = RealisationFactory(
        activity=ActivityFactory(program=ProgramFactory(work_plan=w.approved_plan)), quarter=1
    )
    AchievedContributionFactory(realisation=made, indicator=w.plan.indicator)


def aspiration(w: ApiWorld, n: int) -> None:
    AspirationFactory(region=w.opd.region, kelurahan=w.plan.kelurahan)


def contribution(w: ApiWorld, n: int) -> None:
    made = IndicatorFactory(plan=w.plan.work_plan.plan)
    snapshot = SnapshotFactory(indicator=made)
    ContributionRowFactory(snapshot=snapshot, opd=w.opd)
    ContributionRowFactory(snapshot=snapshot, opd=w.other_opd)
    ContributionStateFactory(indicator=made, dirty=False, dirty_since=None, snapshot=snapshot)


LISTS: dict[str, Callable[[ApiWorld, int], None]] = {
    "regions": region,
    "indicators": indicator,
    "opds": opd,
    "work-plans": work_plan,
    "programs": program,
    "activities": activity,
    "realisations": realisation,
    "aspirations": aspiration,
    "contributions": contribution,
}


def count_queries(world: ApiWorld, path: str, role: str, rows: int) -> int:
    client = world.client(role)
    client.get(f"/api/v1/{path}/")  # warm caches (content types, session) alike for both
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1/{path}/")
    assert response.status_code == 200
    assert response.json()["count"] >= rows
    return len(queries)


NOT_PUBLIC = {"work-plans", "programs", "activities", "realisations", "aspirations"}


@pytest.mark.parametrize(
    ("path", "role"),
    [
        (path, role)
        for path in LISTS
        for role in ("reviewer", "write_own", "anonymous")
        if not (role == "anonymous" and path in NOT_PUBLIC)  # anonymous gets 401 there
    ],
)
def test_list_queries_do_not_grow_with_rows(path: str, role: str) -> None:
    world = build()
    for n in range(2):
        LISTS[path](world, n)
    few = count_queries(world, path, role, 2)
    for n in range(2, 50):
        LISTS[path](world, n)
    many = count_queries(world, path, role, 50)
    assert few == many, f"{path}: {few} queries for 2 rows, {many} for 50"
    assert many <= 12


def contribution_with_overlap(w: ApiWorld, n: int) -> None:
    """A contribution whose snapshot has an OPD overlap matrix (design section 7)."""
    made = IndicatorFactory(plan=w.plan.work_plan.plan)
    a, b = sorted((w.opd, w.other_opd), key=lambda opd: opd.pk)
    snapshot = SnapshotFactory(
        indicator=made, overlap_matrix=[{"opd_a": a.pk, "opd_b": b.pk, "persons": n + 1}]
    )
    ContributionRowFactory(snapshot=snapshot, opd=w.opd)
    ContributionRowFactory(snapshot=snapshot, opd=w.other_opd)
    ContributionStateFactory(indicator=made, dirty=False, dirty_since=None, snapshot=snapshot)


@pytest.mark.parametrize("role", ["reviewer", "write_own", "anonymous"])
def test_overlap_matrices_cost_no_query_per_contribution(role: str) -> None:
    """The matrix names OPDs by code, read from the rows' OPDs already fetched: the list's
    queries are the same without a matrix (the world's own two), with 2 and with 50."""
    world = build()
    plain = count_queries(world, "contributions", role, 2)
    for n in range(2):
        contribution_with_overlap(world, n)
    few = count_queries(world, "contributions", role, 4)
    for n in range(2, 50):
        contribution_with_overlap(world, n)
    many = count_queries(world, "contributions", role, 50)
    assert plain == few == many, f"{plain} without a matrix, {few} with 2, {many} with 50"


def count_cursor_queries(world: ApiWorld, path: str, role: str, rows: int) -> int:
    """The queries of a keyset page (``?cursor=``): no count; a full page of ``rows`` at most."""
    client = world.client(role)
    client.get(f"/api/v1/{path}/", {"cursor": ""})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1/{path}/", {"cursor": ""})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] is None and len(body["results"]) >= min(rows, 50)
    assert not any("COUNT(" in q["sql"] for q in queries)
    return len(queries)


@pytest.mark.parametrize(
    ("path", "role"),
    [
        (path, role)
        for path in ("activities", "realisations", "contributions")
        for role in ("reviewer", "write_own", "anonymous")
        if not (role == "anonymous" and path in NOT_PUBLIC)
    ],
)
def test_cursor_pages_cost_no_more_with_rows(path: str, role: str) -> None:
    world = build()
    for n in range(2):
        LISTS[path](world, n)
    few = count_cursor_queries(world, path, role, 2)
    for n in range(2, 60):
        LISTS[path](world, n)
    many = count_cursor_queries(world, path, role, 60)
    assert few == many, f"{path}: {few} queries for 2 rows, {many} for 60"
