"""Reporting an approved plan's quarterly realisations."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext as _

from opd.agencies import roles
from opd.aspirations import services as aspirations
from opd.engine import marking
from opd.errors import StaleEdit, WorkflowError
from opd.models import (
    AchievedContribution,
    Activity,
    AuditEntry,
    Realisation,
)
from opd.transactions import atomic_retrying_once
from opd.workplans import permissions
from opd.workplans.models import QUARTERS
from opd.workplans.services.audit import _audit, _diff, _snapshot
from opd.workplans.services.base import (
    _check_indicators,
    _claim,
    _contribution_snapshot,
    _lock_plan,
    _nothing_changed,
    _set_contributions,
    _touch_plan,
)

# The values ``realisation_save`` accepts and audits: the model's one list.
REALISATION_FIELDS = Realisation.EDITABLE_FIELDS


@dataclass
class RealisationResult:
    realisation: Realisation
    overspent_by: Decimal | None = None


def _realisation_state(realisation: Realisation) -> dict[str, str | None]:
    contributions = realisation.achieved_contributions.select_related("indicator")
    return {**_snapshot(realisation, REALISATION_FIELDS), **_contribution_snapshot(contributions)}


@atomic_retrying_once
def realisation_save(
    *,
    activity_id: int,
    quarter: int,
    by: Any,
    values: Mapping[str, Any],
    contributions: Mapping[int, Decimal | None],
    seen_version: int | None,
) -> RealisationResult:
    """Record (or correct) an activity's realisation for a quarter of an approved plan.

    ``seen_version`` is None when the caller saw no realisation for the quarter yet.
    The result says by how much the year's spending now exceeds the budget, if it does.
    """
    activity = Activity.objects.select_related("program").get(pk=activity_id)
    work_plan = _lock_plan(activity.program.work_plan_id)
    if not permissions.can_report(by, work_plan):
        if not roles.is_member(by, work_plan.opd_id):
            raise PermissionDenied(_("Only members of this OPD can report its realisation."))
        raise WorkflowError(_("Realisation is reported on an approved work plan."))
    if quarter not in QUARTERS:  # the database would refuse it too, as an integrity error
        raise WorkflowError(_("A quarter (triwulan) is 1, 2, 3 or 4."))
    _check_indicators(work_plan, contributions)
    existing = Realisation.objects.filter(activity=activity, quarter=quarter).first()
    checkpoint = transaction.savepoint() if existing is not None else None
    if existing is None and seen_version is not None:
        raise WorkflowError(_("This realisation no longer exists; it was deleted by someone else."))
    if existing is not None:
        if seen_version is None:
            raise StaleEdit(
                current_version=existing.version,
                changes=list(
                    AuditEntry.objects.filter(
                        object_type="realisation", object_id=existing.pk
                    ).order_by("at", "pk")
                ),
            )
        _claim(Realisation, existing.pk, seen_version)
        existing.refresh_from_db()
    realisation = existing or Realisation(activity=activity, quarter=quarter)
    old = _realisation_state(existing) if existing else {}
    for name, value in values.items():
        setattr(realisation, name, value)
    realisation.save()
    _set_contributions(
        model=AchievedContribution, owner={"realisation": realisation}, contributions=contributions
    )
    changes = _diff(old, _realisation_state(realisation))
    if checkpoint is None or not _nothing_changed(checkpoint, changes, realisation):
        aspirations.mark_realised(activity, by=by)  # the activity has reported: realised
        marking.mark_work_plan_dirty(work_plan)
        _touch_plan(work_plan)
        _audit(
            work_plan=work_plan,
            by=by,
            action=AuditEntry.Action.UPDATE if existing else AuditEntry.Action.CREATE,
            obj=realisation,
            changes=changes,
            version=realisation.version,
        )
    spent = Realisation.objects.filter(activity=activity).aggregate(
        total=models.Sum("budget_spent")
    )
    overspent = (spent["total"] or Decimal(0)) - activity.budget
    return RealisationResult(realisation, overspent if overspent > 0 else None)
