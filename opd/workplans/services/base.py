"""What every write to a work plan shares: the row claim, the plan lock and the claimed
contributions' bookkeeping (the errors they raise are ``opd.errors``).

Lost updates are refused, never silently overwritten: a caller passes the version it saw, and
the service claims the row with a conditional ``UPDATE ... WHERE version = seen``. If someone
else saved first, nothing is written and :class:`StaleEdit` carries the changes made since the
caller's version, read from the audit trail.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from opd.agencies import roles
from opd.errors import StaleEdit, WorkflowError
from opd.models import (
    AuditEntry,
    WorkPlan,
)
from opd.transactions import claim_version
from opd.workplans import permissions
from opd.workplans.models import AchievedContribution, ExpectedContribution
from opd.workplans.services.audit import _object_type
from targets.models import Indicator


def _claim(model: type[models.Model], pk: int, seen_version: int) -> None:
    """Raise the row's version if it is still ``seen_version``; else raise StaleEdit."""
    current = claim_version(model, pk, seen_version)
    if current is not None:
        since: dict[str, Any] = (
            # Anything inside a plan raises the plan's version: show all of it.
            {"work_plan_id": pk, "plan_version__gt": seen_version}
            if model is WorkPlan
            else {
                "object_type": _object_type(model),
                "object_id": pk,
                "version__gt": seen_version,
            }
        )
        changes = list(AuditEntry.objects.filter(**since).order_by("at", "pk"))
        raise StaleEdit(current_version=current, changes=changes)


def _nothing_changed(checkpoint: str, changes: Mapping[str, Any], row: models.Model) -> bool:
    """Undo the claim and the writes since ``checkpoint`` when they changed nothing.

    A save of an untouched form must not raise the record's version (or the plan's), nor
    write an empty history entry: anyone else with the form open would get a conflict about
    no change at all. The savepoint's ``on_commit`` callbacks go with it.
    """
    if changes:
        transaction.savepoint_commit(checkpoint)
        return False
    transaction.savepoint_rollback(checkpoint)
    row.refresh_from_db()
    return True


def _lock_plan(work_plan_id: int) -> WorkPlan:
    """The plan, locked until the transaction ends, so its status cannot change under us.

    Only the plan row is locked, not its OPD: see the lock order in ``opd.transactions``.
    """
    plans = WorkPlan.objects.select_for_update(of=("self",)).select_related("opd")
    return plans.get(pk=work_plan_id)


def _require_editor(by: Any, work_plan: WorkPlan) -> None:
    if not roles.is_member(by, work_plan.opd_id):
        raise PermissionDenied(_("Only members of this OPD can change its work plan."))
    if work_plan.status not in permissions.EDITABLE_STATUSES:
        raise WorkflowError(
            _("The work plan is %(status)s and cannot be changed.")
            % {"status": work_plan.get_status_display().lower()}
        )


def _touch_plan(work_plan: WorkPlan) -> None:
    """Any change inside a plan raises the plan's version: a stale submit or review is refused.

    Call it before ``_audit``, which records the plan's new version.
    """
    WorkPlan.objects.filter(pk=work_plan.pk).update(version=F("version") + 1)
    work_plan.refresh_from_db(fields=["version"])


def _contribution_snapshot(
    rows: Iterable[ExpectedContribution | AchievedContribution],
) -> dict[str, str]:
    return {
        f"contribution:{row.indicator.code}": format(row.amount.normalize(), "f") for row in rows
    }


def _set_contributions(
    *,
    model: type[ExpectedContribution] | type[AchievedContribution],
    owner: dict[str, Any],
    contributions: Mapping[int, Decimal | None],
) -> None:
    for indicator_id, amount in contributions.items():
        if amount is None:
            model.objects.filter(**owner, indicator_id=indicator_id).delete()
        else:
            model.objects.update_or_create(
                **owner, indicator_id=indicator_id, defaults={"amount": amount}
            )


def _check_indicators(work_plan: WorkPlan, indicator_ids: Iterable[int]) -> None:
    ids = set(indicator_ids)
    known = set(
        Indicator.objects.filter(plan_id=work_plan.plan_id, pk__in=ids).values_list("pk", flat=True)
    )
    if ids - known:
        raise WorkflowError(_("A contribution names an indicator of another plan."))
