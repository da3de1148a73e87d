"""The contributions resource shows design section 7's figures: the gross and deduplicated
planned persons, the overlap, the share backed by lists, the persons listed, the desil 1–4
share, the deduplicated coverage and which coverage decided the status, and the OPD × OPD
overlap matrix by OPD code; each OPD row its deduplicated planned and achieved persons.

The public (no one signed in, a read token of no OPD) sees the counts and the matrix only
when every plan counted is approved, since they are computed over submitted plans too; it
never sees the coverage or the status.
"""

from __future__ import annotations

from decimal import Decimal
from itertools import combinations
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from opd import models as om
from opd.engine.compute import recompute
from opd.workplans.services import work_plan_approve
from tests.api.test_public_contributions import _decimals
from tests.api.world import ApiWorld, build
from tests.engine.test_deduplicated_end_to_end import (  # noqa: F401 (a fixture)
    YEAR,
    beneficiary_key,
    worked_example,
)
from tests.factories import ContributionRowFactory, OpdFactory, SnapshotFactory

pytestmark = pytest.mark.django_db

APPROVED, SUBMITTED = om.WorkPlan.Status.APPROVED, om.WorkPlan.Status.SUBMITTED
DEDUPLICATED_KEYS = {
    "planned_gross",
    "planned_deduplicated",
    "achieved_deduplicated",
    "overlap",
    "backed_share",
    "distinct_persons",
    "low_desil_share",
    "coverage_deduplicated",
    "status_basis",
    "overlap_matrix",
}
PUBLIC_KEYS = {
    "planned_deduplicated",
    "achieved_deduplicated",
    "overlap",
    "backed_share",
    "distinct_persons",
    "low_desil_share",
    "overlap_matrix",
}


def _snapshot(world: ApiWorld, *, disnaker_status: str, matrix: bool = True) -> None:
    """The worked example's figures stored directly on a new current snapshot: Dinas Sosial
    (OPD A, approved), Dinas Tenaga Kerja (OPD B, ``disnaker_status``), Dinas Kesehatan."""
    dinkes: Any = OpdFactory(region=world.opd.region, code="1.02", name="Dinas Kesehatan")
    dinsos, disnaker = world.opd, world.other_opd
    pairs: list[tuple[Any, Any, int]] = [
        (dinsos, disnaker, 150),
        (dinsos, dinkes, 20),
        (disnaker, dinkes, 10),
    ]
    submitted = Decimal(200) if disnaker_status == SUBMITTED else Decimal(0)
    snapshot = SnapshotFactory(
        indicator=world.plan.indicator,
        year=2018,
        sequence=99,
        planned_total=Decimal(1350),
        planned_submitted_total=submitted,
        planned_approved_total=Decimal(1350) - submitted,
        planned_deduplicated=Decimal("1300"),
        overlap=Decimal(50),
        achieved_total=Decimal(40),
        achieved_deduplicated=Decimal("37.5"),
        coverage=Decimal("0.814234"),
        coverage_deduplicated=Decimal("0.784077"),
        status=om.ContributionSnapshot.Status.OFF_TRACK,
        status_basis="deduplicated",
        backed_share=Decimal("0.4074"),
        distinct_persons=880,
        low_desil_share=Decimal("0.5"),
        overlap_matrix=[
            {"opd_a": min(a.pk, b.pk), "opd_b": max(a.pk, b.pk), "persons": n}
            for a, b, n in (pairs if matrix else [])
        ],
    )
    for opd, status, planned, deduplicated in (
        (dinsos, APPROVED, 1100, "1077.0833"),
        (disnaker, disnaker_status, 200, "179.5833"),
        (dinkes, APPROVED, 50, "43.3333"),
    ):
        ContributionRowFactory(
            snapshot=snapshot,
            opd=opd,
            work_plan_status=status,
            planned=Decimal(planned),
            planned_deduplicated=Decimal(deduplicated),
        )
    om.ContributionState.objects.filter(pk=world.contribution.pk).update(snapshot=snapshot)


def _get(world: ApiWorld, role: str) -> dict[str, Any]:
    response = world.client(role).get(f"/api/v1/contributions/{world.contribution.pk}/")
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


@pytest.mark.parametrize("role", ["reviewer", "member", "write_other"])
def test_the_signed_in_see_every_deduplicated_figure(role: str) -> None:
    world = build()
    _snapshot(world, disnaker_status=SUBMITTED)
    body = _get(world, role)
    assert body["planned_gross"] == body["planned_total"] == "1350.00"
    assert body["planned_deduplicated"] == "1300.0000"
    assert body["achieved_deduplicated"] == "37.5000"
    assert body["overlap"] == "50.0000"
    assert body["backed_share"] == "0.4074"
    assert body["distinct_persons"] == 880
    assert body["low_desil_share"] == "0.5000"
    assert body["coverage_deduplicated"] == "0.784077"
    assert body["status_basis"] == "deduplicated" and body["status"] == "off_track"
    # Codes, not ids, in the engine's order (opd_a the lower id).
    assert body["overlap_matrix"] == [
        {"opd_a": "1.06", "opd_b": "1.07", "persons": 150},
        {"opd_a": "1.06", "opd_b": "1.02", "persons": 20},
        {"opd_a": "1.07", "opd_b": "1.02", "persons": 10},
    ]
    rows = {row["opd_code"]: row for row in body["rows"]}
    assert rows["1.06"]["planned_deduplicated"] == "1077.0833"
    assert rows["1.07"]["planned_deduplicated"] == "179.5833"
    assert rows["1.02"]["planned_deduplicated"] == "43.3333"
    assert rows["1.02"]["achieved_deduplicated"] == "0.0000"


@pytest.mark.parametrize("role", ["anonymous", "read"])
def test_the_public_sees_no_count_while_a_counted_plan_is_only_submitted(role: str) -> None:
    world = build()
    _snapshot(world, disnaker_status=SUBMITTED)
    body = _get(world, role)
    assert {key: body[key] for key in PUBLIC_KEYS} == {
        **dict.fromkeys(PUBLIC_KEYS),
        "overlap_matrix": [],
    }
    assert not {"coverage_deduplicated", "status_basis", "planned_gross"} & set(body)
    seen = _decimals(body)
    for hidden in ("1300", "50", "1077.0833", "179.5833", "0.4074", "0.784077", "1350"):
        assert Decimal(hidden) not in seen
    assert all(
        set(row) == {"opd", "opd_code", "planned_approved", "achieved_approved"}
        for row in body["rows"]
    )


@pytest.mark.parametrize("role", ["anonymous", "read"])
def test_the_public_sees_the_counts_when_every_counted_plan_is_approved(role: str) -> None:
    world = build()
    _snapshot(world, disnaker_status=APPROVED)
    body = _get(world, role)
    assert body["planned_deduplicated"] == "1300.0000" and body["overlap"] == "50.0000"
    assert body["distinct_persons"] == 880 and body["backed_share"] == "0.4074"
    assert body["overlap_matrix"][0] == {"opd_a": "1.06", "opd_b": "1.07", "persons": 150}
    assert "coverage_deduplicated" not in body and "status" not in body


def test_a_plan_that_does_not_count_does_not_hide_the_public_counts() -> None:
    """A draft's row counts for nothing (``counted`` false), so it withholds nothing."""
    world = build()
    _snapshot(world, disnaker_status=om.WorkPlan.Status.DRAFT)
    assert _get(world, "anonymous")["planned_deduplicated"] == "1300.0000"


@pytest.mark.parametrize("role", ["reviewer", "anonymous"])
def test_the_matrix_costs_no_query(role: str) -> None:
    """The codes come from the rows' OPDs, read anyway: the same queries with a matrix of
    three pairs as with none."""
    world = build()
    _snapshot(world, disnaker_status=APPROVED, matrix=False)
    client = world.client(role)
    path = f"/api/v1/contributions/{world.contribution.pk}/"
    client.get(path)
    counts = []
    for pairs in (0, 3):
        if pairs:
            snapshot = om.ContributionState.objects.get(pk=world.contribution.pk).snapshot
            assert snapshot is not None
            ids = sorted(row.opd_id for row in snapshot.rows.all())
            snapshot.overlap_matrix = [
                {"opd_a": a, "opd_b": b, "persons": 1} for a, b in combinations(ids, 2)
            ]
            snapshot.save(update_fields=["overlap_matrix"])
        with CaptureQueriesContext(connection) as queries:
            assert len(client.get(path).json()["overlap_matrix"]) == pairs
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_worked_example_through_recompute(worked_example: dict[str, Any]) -> None:  # noqa: F811
    """Section 7's example imported and computed by the engine, read through the API: 1,300
    deduplicated of 1,350 gross; public once the three plans are approved."""
    indicator = worked_example["indicator"]
    recompute(indicator_id=indicator.pk, year=YEAR)
    state = om.ContributionState.objects.get(indicator=indicator, year=YEAR)
    path = f"/api/v1/contributions/{state.pk}/"
    bappeda = APIClient()
    bappeda.force_login(get_user_model().objects.get(username="bappeda"))
    body = bappeda.get(path).json()
    assert (body["planned_gross"], body["planned_deduplicated"]) == ("1350.00", "1300.0000")
    assert body["overlap"] == "50.0000" and body["backed_share"] == "0.4074"
    assert body["status"] == "off_track" and body["status_basis"] == "deduplicated"
    assert {(p["opd_a"], p["opd_b"]): p["persons"] for p in body["overlap_matrix"]} == {
        ("1.06", "2.07"): 150,
        ("1.06", "1.02"): 20,
        ("2.07", "1.02"): 10,
    }
    rows = {row["opd_code"]: row["planned_deduplicated"] for row in body["rows"]}
    assert rows.items() >= {"1.06": "1077.0833", "2.07": "179.5833", "1.02": "43.3333"}.items()
    before = APIClient().get(path).json()
    assert before["planned_deduplicated"] is None  # submitted plans
    assert before["planned_approved_deduplicated"] == "0.0000"  # no plan approved yet
    for name in ("dinsos", "disnaker", "dinkes"):
        plan = worked_example[name].plan
        plan.refresh_from_db()
        work_plan_approve(
            work_plan_id=plan.pk,
            by=get_user_model().objects.get(username="bappeda"),
            seen_version=plan.version,
        )
    recompute(indicator_id=indicator.pk, year=YEAR)
    public = APIClient().get(path).json()
    assert public["planned_deduplicated"] == "1300.0000"
    assert public["planned_approved_total"] == "1350.00"
    assert public["planned_approved_deduplicated"] == "1300.0000"  # every plan approved
    assert len(public["overlap_matrix"]) == 3
