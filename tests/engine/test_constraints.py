"""The database refuses bad contribution snapshot and state rows by itself.

Same approach as ``tests/targets/test_constraints.py``, with the helpers of
``tests/constraints.py``: a bad row written through the ORM is refused by name, the
nearest good row is accepted.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.constraints import assert_unique, refused
from tests.factories import (
    ContributionRowFactory,
    ContributionStateFactory,
    OpdFactory,
    SnapshotFactory,
)

CENT = Decimal("0.01")
BIT = Decimal("0.0001")  # the deduplicated figures' last place
TEN_AND_A_BIT = Decimal("10.0001")

CHECKS = [
    # constraint, factory, nearest good row, bad row
    ("snapshot_status_valid", SnapshotFactory, {"status": "no_data"}, {"status": "unknown"}),
    ("snapshot_year_plausible", SnapshotFactory, {"year": 2100}, {"year": 2101}),
    ("snapshot_sequence_positive", SnapshotFactory, {"sequence": 1}, {"sequence": 0}),
    (
        "contribution_state_year_plausible",
        ContributionStateFactory,
        {"year": 2100},
        {"year": 2101},
    ),
    (
        "contribution_state_dirty_has_time",
        ContributionStateFactory,
        {"dirty": False, "dirty_since": None},
        {"dirty": True, "dirty_since": None},
    ),
    ("snapshot_year_plausible", SnapshotFactory, {"year": 1945}, {"year": 1944}),
    (
        "snapshot_totals_not_negative",
        SnapshotFactory,
        {"planned_total": 0, "achieved_total": 0},
        {"planned_total": -CENT},
    ),
    (
        "snapshot_totals_not_negative",
        SnapshotFactory,
        {"achieved_total": 0},
        {"achieved_total": -CENT},
    ),
    (
        "snapshot_within_gross_deduplicated",
        SnapshotFactory,
        {"planned_total": 10, "planned_deduplicated": 10, "overlap": 0},
        {"planned_total": 10, "planned_deduplicated": TEN_AND_A_BIT, "overlap": -BIT},
    ),
    (
        # a fractional gap, which SQLite computes in floating point: accepted exactly, and
        # refused one place off
        "snapshot_within_gross_deduplicated",
        SnapshotFactory,
        {
            "planned_total": 1350,
            "planned_deduplicated": Decimal("1077.0833"),
            "overlap": Decimal("272.9167"),
        },
        {
            "planned_total": 1350,
            "planned_deduplicated": Decimal("1077.0833"),
            "overlap": Decimal("272.9166"),
        },
    ),
    (
        "snapshot_within_gross_deduplicated",
        SnapshotFactory,
        {"planned_total": 10, "planned_deduplicated": 9, "overlap": 1},
        {"planned_total": 10, "planned_deduplicated": 9, "overlap": 0},  # overlap not the gap
    ),
    (
        "snapshot_within_gross_deduplicated",
        SnapshotFactory,
        {"achieved_total": 10, "achieved_deduplicated": 10},
        {"achieved_total": 10, "achieved_deduplicated": TEN_AND_A_BIT},
    ),
    (
        "snapshot_within_gross_deduplicated",
        SnapshotFactory,
        {"planned_approved_total": 10, "planned_approved_deduplicated": 10},
        {"planned_approved_total": 10, "planned_approved_deduplicated": TEN_AND_A_BIT},
    ),
    (
        "snapshot_within_gross_deduplicated",
        SnapshotFactory,
        {"achieved_deduplicated": 0},
        {"achieved_deduplicated": -BIT},
    ),
    (
        "snapshot_basis_valid",
        SnapshotFactory,
        {"status_basis": "deduplicated"},
        {"status_basis": "net"},
    ),
    *(
        (
            "contribution_row_within_gross_deduplicated",
            ContributionRowFactory,
            {gross: 10, f"{gross}_deduplicated": 10},
            {gross: 10, f"{gross}_deduplicated": TEN_AND_A_BIT},
        )
        for gross in ("planned", "achieved")
    ),
    (
        "contribution_row_within_gross_deduplicated",
        ContributionRowFactory,
        {"planned_deduplicated": 0},
        {"planned_deduplicated": -BIT},
    ),
    *(
        ("contribution_row_not_negative", ContributionRowFactory, {field: 0}, {field: -CENT})
        for field in (
            "planned",
            "achieved",
            "aligned_budget",
            "total_budget",
            "plan_aligned_budget",
            "plan_total_budget",
        )
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "factory", "good", "bad"), CHECKS, ids=[check[0] for check in CHECKS]
)
def test_check_constraint_refuses_bad_row(name, factory, good, bad):
    assert factory(**good).pk
    with refused(name):
        factory(**bad)


# --- uniqueness ---------------------------------------------------------------------

UNIQUES = [
    # constraint, factory, scope, key (values, or fields copied from the first row), another key
    (
        "snapshot_unique_sequence",
        SnapshotFactory,
        ["indicator", "year"],
        {"sequence": 1},
        {"sequence": 2},
    ),
    ("contribution_row_unique_opd", ContributionRowFactory, ["snapshot"], ["opd"], {}),
    (
        "contribution_state_unique_year",
        ContributionStateFactory,
        ["indicator"],
        {"year": 2018},
        {"year": 2019},
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "factory", "scope", "key", "other_key"), UNIQUES, ids=[u[0] for u in UNIQUES]
)
def test_unique_constraint_refuses_duplicate(name, factory, scope, key, other_key):
    assert_unique(name, factory, scope=scope, key=key, other_key=other_key)


# --- cross-row rules -------------------------------------------------------------------


@pytest.mark.django_db
def test_contribution_row_opd_in_region():
    snapshot = SnapshotFactory()
    own = OpdFactory(region=snapshot.indicator.plan.region)
    assert ContributionRowFactory(snapshot=snapshot, opd=own).pk
    with refused("contribution_row_opd_in_region"):
        ContributionRowFactory(snapshot=snapshot, opd=OpdFactory())
