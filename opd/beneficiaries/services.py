"""Replacing and deleting an activity's beneficiary list: part of the plan, like an activity edit.

:func:`beneficiary_list_replace` reads the file from the bytes given (``opd.tabular``; the
upload handler keeps every upload in memory, ``magelang.uploads``), checks and hashes every row
(``rows``) before any write, and refuses the file whole (:class:`RowsRefused`, every bad row
named) or stores it whole: in one transaction, the plan locked and editable, the caller a member
of its OPD, the activity's version claimed (a stale one raises ``StaleEdit``), the old rows
deleted and the new ones inserted in batches, the list's counts stored, the change audited with
the counts only, and the plan's contributions marked for recomputation. The NIK and No. KK
exist only in this process's memory while the file is checked: neither they nor the file are
written to the database, the disk or a log.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from opd.beneficiaries import hashing
from opd.beneficiaries.models import DESILS, Beneficiary, BeneficiaryList
from opd.beneficiaries.rows import (
    COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    BadRow,
    CheckedRows,
    check_rows,
    kelurahan_names,
)
from opd.engine import marking
from opd.errors import WorkflowError, record_gone
from opd.models import Activity, AuditEntry
from opd.tabular import read_table
from opd.transactions import atomic_retrying_once
from opd.workplans.services.audit import _audit
from opd.workplans.services.base import _claim, _lock_plan, _require_editor, _touch_plan
from targets.models import Kelurahan

#: Rows per INSERT: 5,000 rows of about 100 bytes keep each statement small and few.
BATCH_SIZE = 5_000
#: The audit trail's name for the list's size on the activity's entries.
AUDIT_FIELD = "beneficiaries"

Progress = Callable[[int, int], None]


class RowsRefused(WorkflowError):
    """The file was read but some rows are bad: nothing was stored. ``bad`` names them all."""

    def __init__(self, bad: list[BadRow], rows: int) -> None:
        self.bad = bad
        self.rows = rows
        super().__init__(
            _("%(bad)s of %(rows)s rows are refused: nothing was imported.")
            % {"bad": len(bad), "rows": rows}
        )


@sensitive_variables()  # an error report must not show the file or a row
def beneficiary_list_replace(
    *,
    activity_id: int,
    by: Any,
    name: str,
    data: bytes,
    seen_version: int,
    progress: Progress | None = None,
) -> BeneficiaryList:
    """The activity's new list, replacing any old one whole; ``progress(done, total)`` is
    called after each batch inserted.

    Raises ``opd.tabular.ImportFileError`` for a file that cannot be read, :class:`RowsRefused`
    for bad rows, ``PermissionDenied`` for a caller outside the plan's OPD, ``WorkflowError``
    for a plan that cannot be changed and ``StaleEdit`` when the activity changed since
    ``seen_version``. Nothing is stored unless the whole file is.
    """
    activity = Activity.objects.select_related("program__work_plan__plan__region").get(
        pk=activity_id
    )
    work_plan = activity.program.work_plan
    _require_editor(by, work_plan)  # before the file is read; again under the plan's lock
    rows = read_table(
        name,
        data,
        columns=COLUMNS,
        max_bytes=MAX_FILE_BYTES,
        max_rows=MAX_ROWS,
        no_rows_message=_("The file has its header row but no person under it."),
    )
    places = list(
        Kelurahan.objects.filter(kecamatan__region_id=work_plan.plan.region_id).values_list(
            "pk", "name", "code"
        )
    )
    checked = check_rows(
        rows, kelurahan_names(places), region=work_plan.plan.region.name, secret=hashing.key()
    )
    total = len(rows)
    del rows  # the cells with the NIKs: gone before the writes begin
    if checked.bad:
        raise RowsRefused(checked.bad, rows=total)
    return _store(
        activity_id=activity.pk,
        by=by,
        checked=checked,
        seen_version=seen_version,
        progress=progress,
    )


@atomic_retrying_once
def _store(
    *,
    activity_id: int,
    by: Any,
    checked: CheckedRows,
    seen_version: int,
    progress: Progress | None,
) -> BeneficiaryList:
    activity, work_plan = _claim_activity(activity_id, by, seen_version)
    old = BeneficiaryList.objects.filter(activity=activity).first()
    before = old.persons if old else None
    values = {
        **list_counts(checked),
        "imported_at": timezone.now(),
        "imported_by": by if by and by.is_authenticated else None,
        "is_demo": False,
    }
    if old is None:
        beneficiary_list = BeneficiaryList.objects.create(activity=activity, **values)
    else:
        beneficiary_list = old
        Beneficiary.objects.filter(beneficiary_list=old).delete()
        for field, value in values.items():
            setattr(beneficiary_list, field, value)
        beneficiary_list.save()
    insert_persons(beneficiary_list, checked, progress)
    _record(activity, work_plan, by, before=before, after=len(checked.persons))
    return beneficiary_list


@atomic_retrying_once
def list_counts(checked: CheckedRows) -> dict[str, Any]:
    """The counts a list stores instead of showing its rows: persons, families, per desil."""
    desils = Counter(desil for desil in checked.desils if desil is not None)
    return {
        "persons": len(checked.persons),
        "families": len({family for family in checked.families if family is not None}),
        "desil_counts": [desils[desil] for desil in DESILS],
    }


def insert_persons(
    beneficiary_list: BeneficiaryList, checked: CheckedRows, progress: Progress | None = None
) -> None:
    """The checked persons inserted into ``beneficiary_list`` in batches; ``progress(done,
    total)`` after each. The caller holds the transaction (and, for an import, the locks)."""
    total = len(checked.persons)
    for start in range(0, total, BATCH_SIZE):
        end = min(start + BATCH_SIZE, total)
        Beneficiary.objects.bulk_create(
            Beneficiary(
                beneficiary_list=beneficiary_list,
                person=checked.persons[i],
                family=checked.families[i],
                kelurahan_id=checked.kelurahan[i],
                desil=checked.desils[i],
            )
            for i in range(start, end)
        )
        if progress is not None:
            progress(end, total)


def beneficiary_list_delete(*, activity_id: int, by: Any, seen_version: int) -> None:
    """Remove the activity's list (its claims then stand as estimates or nothing), under the
    same rules as a replacement; WorkflowError when it has none."""
    activity, work_plan = _claim_activity(activity_id, by, seen_version)
    old = BeneficiaryList.objects.filter(activity=activity).first()
    if old is None:
        raise WorkflowError(_("The activity has no beneficiary list."))
    before = old.persons
    old.delete()
    _record(activity, work_plan, by, before=before, after=None)


def _claim_activity(activity_id: int, by: Any, seen_version: int) -> tuple[Activity, Any]:
    """The activity and its plan, the plan locked and editable by ``by`` and the activity's
    version claimed (as ``activity_update`` does)."""
    try:  # deleted by another member while the file was being checked
        activity = Activity.objects.select_related("program").get(pk=activity_id)
    except Activity.DoesNotExist:
        raise record_gone() from None
    work_plan = _lock_plan(activity.program.work_plan_id)
    _require_editor(by, work_plan)
    _claim(Activity, activity.pk, seen_version)
    activity.refresh_from_db()
    return activity, work_plan


def _record(
    activity: Activity, work_plan: Any, by: Any, *, before: int | None, after: int | None
) -> None:
    """The plan's version raised, the change audited as counts, the figures marked dirty."""
    marking.mark_work_plan_dirty(work_plan)
    _touch_plan(work_plan)
    _audit(
        work_plan=work_plan,
        by=by,
        action=AuditEntry.Action.UPDATE,
        obj=activity,
        changes={
            AUDIT_FIELD: {
                "old": None if before is None else str(before),
                "new": None if after is None else str(after),
            }
        },
        version=activity.version,
    )
