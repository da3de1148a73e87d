"""Migration 0006 over rows written before it: the audit trail's
labels, in either language, become values, and a returned plan whose last review step was
a reopening becomes 'reopened'. Going back restores what older code can read."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from opd import models as om
from tests.migrating import back_to_latest, migrate  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("opd", "0005_api_client_constraints")]
AFTER = [("opd", "0006_work_plan_reopened_status_and_audit_values")]


@pytest.mark.usefixtures("back_to_latest")
def test_old_rows_are_read_as_values_and_a_reopened_plan_is_named_so():
    call_command("load_magelang", "--demo", stdout=StringIO())
    old = migrate(BEFORE)
    WorkPlan = old.get_model("opd", "WorkPlan")
    AuditEntry = old.get_model("opd", "AuditEntry")
    ReviewComment = old.get_model("opd", "ReviewComment")
    approved = WorkPlan.objects.get(opd__code="1.06", year=2018)
    submitted = WorkPlan.objects.get(opd__code="2.07", year=2018)
    # What the old services wrote: reopened plans as 'returned', labels in the actor's language.
    WorkPlan.objects.filter(pk__in=[approved.pk, submitted.pk]).update(status="returned")
    ReviewComment.objects.create(work_plan_id=approved.pk, kind="reopen", text="Pagu berubah")
    ReviewComment.objects.create(work_plan_id=submitted.pk, kind="return", text="Lengkapi")
    common = {"object_id": approved.pk, "object_label": "Renja", "plan_version": 2}
    reopened = AuditEntry.objects.create(
        work_plan_id=approved.pk,
        object_type="workplan",
        action="reopen",
        changes={"status": {"old": "Disetujui", "new": "Dikembalikan"}},
        **common,
    )
    submit = AuditEntry.objects.create(
        work_plan_id=approved.pk,
        object_type="workplan",
        action="submit",
        changes={"status": {"old": "Draft", "new": "Submitted"}},
        **common,
    )
    funding = AuditEntry.objects.create(
        work_plan_id=approved.pk,
        object_type="activity",
        action="update",
        changes={
            "funding_source": {"old": "Lainnya", "new": "APBD Kota"},
            "notes": {"old": None, "new": "Lainnya"},
        },
        **common,
    )

    migrate(AFTER)
    call_command("migrate", verbosity=0)
    assert om.WorkPlan.objects.get(pk=approved.pk).status == "reopened"
    assert om.WorkPlan.objects.get(pk=submitted.pk).status == "returned"
    assert om.AuditEntry.objects.get(pk=reopened.pk).changes == {
        "status": {"old": "approved", "new": "reopened"}
    }
    assert om.AuditEntry.objects.get(pk=submit.pk).changes == {
        "status": {"old": "draft", "new": "submitted"}
    }
    assert om.AuditEntry.objects.get(pk=funding.pk).changes == {
        "funding_source": {"old": "lainnya", "new": "apbd_kota"},
        "notes": {"old": None, "new": "Lainnya"},  # typed text is left alone
    }

    old = migrate(BEFORE)  # and back: no 'reopened' left for the old constraint
    assert not old.get_model("opd", "WorkPlan").objects.filter(status="reopened").exists()
    assert old.get_model("opd", "AuditEntry").objects.get(pk=reopened.pk).changes == {
        "status": {"old": "Approved", "new": "Returned"}
    }
    call_command("migrate", verbosity=0)
