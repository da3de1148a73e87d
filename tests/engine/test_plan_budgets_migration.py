"""Migration 0008 over snapshots stored before it: each row gets its plan's own budgets from
the snapshot's stored inputs, a draft's too (a recomputation would not rewrite them: the
inputs, and so the fingerprint, are the same)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from opd import models as om
from tests.factories import OpdFactory, SnapshotFactory
from tests.migrating import back_to_latest, migrate  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("opd", "0007_program_outcome_target")]
AFTER = [("opd", "0008_contribution_row_plan_budgets")]


@pytest.mark.usefixtures("back_to_latest")
def test_rows_stored_before_get_their_plans_budgets_from_the_stored_inputs():
    snapshot = SnapshotFactory()
    region = snapshot.indicator.plan.region
    draft_opd, approved_opd = OpdFactory(region=region), OpdFactory(region=region)
    om.ContributionSnapshot.objects.filter(pk=snapshot.pk).update(
        inputs={
            "year": 2018,
            "opds": [
                {
                    "opd_id": draft_opd.pk,
                    "status": "draft",
                    "aligned_budget": "250000000",
                    "total_budget": "265000000",
                },
                {
                    "opd_id": approved_opd.pk,
                    "status": "approved",
                    "aligned_budget": "90000000.5",
                    "total_budget": "100000000",
                },
            ],
        }
    )
    old = migrate(BEFORE)
    rows = old.get_model("opd", "ContributionRow")
    # What the old engine stored: the draft's budgets zeroed, the approved plan's its own.
    rows.objects.create(snapshot_id=snapshot.pk, opd_id=draft_opd.pk, work_plan_status="draft")
    rows.objects.create(
        snapshot_id=snapshot.pk,
        opd_id=approved_opd.pk,
        work_plan_status="approved",
        aligned_budget=Decimal("90000000.5"),
        total_budget=Decimal(100000000),
    )

    migrate(AFTER)
    budgets = dict(
        (opd_id, (aligned, total))
        for opd_id, aligned, total in om.ContributionRow.objects.filter(
            snapshot=snapshot
        ).values_list("opd_id", "plan_aligned_budget", "plan_total_budget")
    )
    assert budgets == {
        draft_opd.pk: (Decimal(250000000), Decimal(265000000)),
        approved_opd.pk: (Decimal("90000000.5"), Decimal(100000000)),
    }
