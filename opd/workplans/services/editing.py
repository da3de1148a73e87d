"""Editing a plan's programs and activities (with the contributions they claim)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from opd.aspirations import services as aspirations
from opd.engine import marking
from opd.errors import WorkflowError
from opd.models import (
    Activity,
    AuditEntry,
    ExpectedContribution,
    Program,
    RenstraActivity,
    RenstraProgram,
    WorkPlan,
)
from opd.transactions import atomic_retrying_once
from opd.workplans.renstra_lines import ACTIVITY_LINK, PROGRAM_LINK
from opd.workplans.services.audit import _audit, _diff, _snapshot
from opd.workplans.services.base import (
    _check_indicators,
    _claim,
    _contribution_snapshot,
    _lock_plan,
    _nothing_changed,
    _require_editor,
    _set_contributions,
    _touch_plan,
)
from opd.workplans.services.realisation import _realisation_state

# The values ``program_*`` and ``activity_*`` accept and audit: the models' one list.
ACTIVITY_FIELDS = Activity.EDITABLE_FIELDS
PROGRAM_FIELDS = Program.EDITABLE_FIELDS
# What they also save and audit: the Renstra line a row carries out (the browser's forms offer
# it; a caller that leaves it out of ``values`` keeps the row's link as it is).
PROGRAM_AUDITED = (*PROGRAM_FIELDS, PROGRAM_LINK)
ACTIVITY_AUDITED = (*ACTIVITY_FIELDS, ACTIVITY_LINK)


@dataclass
class ActivityData:
    """The editable values of an activity; contributions map indicator id to amount; evidence,
    indicator id to (evidence, basis) for the contributions whose evidence the caller sets
    (an indicator left out keeps what it has)."""

    values: dict[str, Any]
    contributions: dict[int, Decimal | None] = field(default_factory=dict)
    evidence: dict[int, tuple[str, str]] = field(default_factory=dict)


def _set_evidence(activity: Activity, evidence: Mapping[int, tuple[str, str]]) -> None:
    """What backs each claimed contribution (design section 7); a basis only for an estimate."""
    for indicator_id, (kind, basis) in evidence.items():
        ExpectedContribution.objects.filter(activity=activity, indicator_id=indicator_id).update(
            evidence=kind,
            evidence_basis=basis.strip() if kind == ExpectedContribution.Evidence.ESTIMATE else "",
        )


def _check_renstra_line(work_plan: WorkPlan, values: Mapping[str, Any]) -> None:
    """Refuse, with a message, a Renstra line outside the Renstra of the plan's OPD and RPJMD
    plan (the database refuses it too, as an error no person could read); lock the line kept
    until the save commits (after the plan's lock: plan, then line)."""
    for name, model, to_renstra in (
        (PROGRAM_LINK, RenstraProgram, "renstra"),
        (ACTIVITY_LINK, RenstraActivity, "program__renstra"),
    ):
        line = values.get(name)
        if line is None:
            continue
        own = model._default_manager.filter(
            pk=line.pk,
            **{f"{to_renstra}__opd_id": work_plan.opd_id},
            **{f"{to_renstra}__plan_id": work_plan.plan_id},
        )
        # Locked: a Renstra editor deleting this line at the same moment waits for this save
        # and then sees the link (or this save waits, finds the line gone and says so),
        # instead of either side failing on the foreign key at COMMIT.
        if not own.select_for_update(of=("self",)).values_list("pk", flat=True):
            raise WorkflowError(
                _("The Renstra line is not in this OPD's Renstra for %(year)s.")
                % {"year": work_plan.year}
            )


@atomic_retrying_once
def program_create(*, work_plan_id: int, by: Any, values: Mapping[str, Any]) -> Program:
    work_plan = _lock_plan(work_plan_id)
    _require_editor(by, work_plan)
    _check_renstra_line(work_plan, values)
    program = Program.objects.create(work_plan=work_plan, **values)
    _touch_plan(work_plan)
    _audit(
        work_plan=work_plan,
        by=by,
        action=AuditEntry.Action.CREATE,
        obj=program,
        changes=_diff({}, _snapshot(program, PROGRAM_AUDITED)),
        version=program.version,
    )
    return program


@atomic_retrying_once
def program_update(
    *, program_id: int, by: Any, values: Mapping[str, Any], seen_version: int
) -> Program:
    program = Program.objects.get(pk=program_id)
    work_plan = _lock_plan(program.work_plan_id)
    _require_editor(by, work_plan)
    _check_renstra_line(work_plan, values)
    checkpoint = transaction.savepoint()
    _claim(Program, program.pk, seen_version)
    program.refresh_from_db()
    old = _snapshot(program, PROGRAM_AUDITED)
    for name, value in values.items():
        setattr(program, name, value)
    program.save(update_fields=list(values))
    changes = _diff(old, _snapshot(program, PROGRAM_AUDITED))
    if _nothing_changed(checkpoint, changes, program):
        return program
    _touch_plan(work_plan)
    _audit(
        work_plan=work_plan,
        by=by,
        action=AuditEntry.Action.UPDATE,
        obj=program,
        changes=changes,
        version=program.version,
    )
    return program


@atomic_retrying_once
def program_delete(*, program_id: int, by: Any, seen_version: int) -> None:
    """Delete an empty program; a program with activities must be emptied first."""
    program = Program.objects.get(pk=program_id)
    work_plan = _lock_plan(program.work_plan_id)
    _require_editor(by, work_plan)
    _claim(Program, program.pk, seen_version)
    if program.activities.exists():
        raise WorkflowError(_("Move or delete the program's activities first."))
    _touch_plan(work_plan)
    _audit(
        work_plan=work_plan,
        by=by,
        action=AuditEntry.Action.DELETE,
        obj=program,
        changes=_diff(_snapshot(program, PROGRAM_AUDITED), {}),
    )
    program.delete()


def _activity_state(activity: Activity) -> dict[str, str | None]:
    contributions = list(activity.expected_contributions.select_related("indicator"))
    evidence = {}
    for row in contributions:
        if row.evidence:
            evidence[f"evidence:{row.indicator.code}"] = row.evidence
        if row.evidence_basis:
            evidence[f"evidence_basis:{row.indicator.code}"] = row.evidence_basis
    return {
        **_snapshot(activity, ACTIVITY_AUDITED),
        **_contribution_snapshot(contributions),
        **evidence,
    }


def _check_program(program: Program | None, work_plan: WorkPlan) -> None:
    if program is None or program.work_plan_id != work_plan.pk:
        raise PermissionDenied(_("The program is not part of this work plan."))


@atomic_retrying_once
def activity_create(*, work_plan_id: int, by: Any, data: ActivityData) -> Activity:
    work_plan = _lock_plan(work_plan_id)
    _require_editor(by, work_plan)
    _check_program(data.values.get("program"), work_plan)
    _check_renstra_line(work_plan, data.values)
    _check_indicators(work_plan, data.contributions)
    activity = Activity.objects.create(**data.values)
    _set_contributions(
        model=ExpectedContribution,
        owner={"activity": activity},
        contributions=data.contributions,
    )
    _set_evidence(activity, data.evidence)
    marking.mark_work_plan_dirty(work_plan)
    _touch_plan(work_plan)
    _audit(
        work_plan=work_plan,
        by=by,
        action=AuditEntry.Action.CREATE,
        obj=activity,
        changes=_diff({}, _activity_state(activity)),
        version=activity.version,
    )
    return activity


@atomic_retrying_once
def activity_update(
    *, activity_id: int, by: Any, data: ActivityData, seen_version: int
) -> Activity:
    activity = Activity.objects.select_related("program").get(pk=activity_id)
    work_plan = _lock_plan(activity.program.work_plan_id)
    _require_editor(by, work_plan)
    _check_program(data.values.get("program", activity.program), work_plan)
    _check_renstra_line(work_plan, data.values)
    _check_indicators(work_plan, data.contributions)
    checkpoint = transaction.savepoint()
    _claim(Activity, activity.pk, seen_version)
    activity.refresh_from_db()
    old = _activity_state(activity)
    for name, value in data.values.items():
        setattr(activity, name, value)
    activity.save()
    _set_contributions(
        model=ExpectedContribution, owner={"activity": activity}, contributions=data.contributions
    )
    _set_evidence(activity, data.evidence)
    changes = _diff(old, _activity_state(activity))
    if _nothing_changed(checkpoint, changes, activity):
        return activity
    marking.mark_work_plan_dirty(work_plan)
    _touch_plan(work_plan)
    _audit(
        work_plan=work_plan,
        by=by,
        action=AuditEntry.Action.UPDATE,
        obj=activity,
        changes=changes,
        version=activity.version,
    )
    return activity


@atomic_retrying_once
def activity_delete(*, activity_id: int, by: Any, seen_version: int) -> None:
    """Delete an activity with its contributions and realisations, each recorded in the history.

    A reopened plan may hold realisations already reported; they go with the activity,
    so their last values are audited too rather than vanishing by cascade.
    """
    activity = Activity.objects.select_related("program").get(pk=activity_id)
    work_plan = _lock_plan(activity.program.work_plan_id)
    _require_editor(by, work_plan)
    _claim(Activity, activity.pk, seen_version)
    activity.refresh_from_db()
    marking.mark_work_plan_dirty(work_plan)
    _touch_plan(work_plan)
    for realisation in activity.realisations.order_by("quarter"):
        _audit(
            work_plan=work_plan,
            by=by,
            action=AuditEntry.Action.DELETE,
            obj=realisation,
            changes=_diff(_realisation_state(realisation), {}),
        )
    _audit(
        work_plan=work_plan,
        by=by,
        action=AuditEntry.Action.DELETE,
        obj=activity,
        changes=_diff(_activity_state(activity), {}),
    )
    aspirations.release_activity(activity, by=by)  # else the database refuses the delete
    activity.delete()
