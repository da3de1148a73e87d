"""Migration 0015 over snapshots stored before beneficiary lists: they had none, so each keeps
deduplicated = gross (planned, approved, achieved, coverage, every row) and no overlap. A
recomputation would not rewrite them: without lists their inputs and fingerprint are the same."""

from __future__ import annotations

from decimal import Decimal

import pytest

from opd import models as om
from tests.factories import OpdFactory, SnapshotFactory
from tests.migrating import back_to_latest, migrate  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("opd", "0014_aspiration_import_started_at")]
AFTER = [("opd", "0015_snapshot_deduplicated_figures")]


@pytest.mark.usefixtures("back_to_latest")
def test_earlier_snapshots_get_their_gross_figures_as_deduplicated():
    snapshot = SnapshotFactory()
    opd = OpdFactory(region=snapshot.indicator.plan.region)
    old = migrate(BEFORE)
    old.get_model("opd", "ContributionSnapshot").objects.filter(pk=snapshot.pk).update(
        planned_total=Decimal("1350.25"),
        planned_approved_total=Decimal("400.50"),
        achieved_total=Decimal(250),
        coverage=Decimal("0.814234"),
    )
    old.get_model("opd", "ContributionRow").objects.create(
        snapshot_id=snapshot.pk,
        opd_id=opd.pk,
        work_plan_status="approved",
        planned=Decimal("400.50"),
        achieved=Decimal(250),
    )

    migrate(AFTER)
    stored = om.ContributionSnapshot.objects.get(pk=snapshot.pk)
    assert stored.planned_deduplicated == Decimal("1350.25")
    assert stored.planned_approved_deduplicated == Decimal("400.50")
    assert stored.achieved_deduplicated == Decimal(250)
    assert stored.coverage_deduplicated == Decimal("0.814234")
    assert stored.overlap == 0 and stored.status_basis == "gross"
    assert stored.overlap_matrix == [] and stored.distinct_persons == 0
    row = stored.rows.get()
    assert (row.planned_deduplicated, row.achieved_deduplicated) == (Decimal("400.50"), 250)
