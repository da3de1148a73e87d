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
