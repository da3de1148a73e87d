"""A plan's workflow: create, submit, return, approve, reopen; and the deadlines."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opd.agencies import roles
from opd.aspirations import services as aspirations
from opd.engine import marking
from opd.errors import ChecklistFailed, WorkflowError
from opd.models import (
    Activity,
    AuditEntry,
    Opd,
    ReviewComment,
    SubmissionDeadline,
    WorkPlan,
)
from opd.transactions import atomic_retrying_once
from opd.workplans import permissions
from opd.workplans.checklist import check_work_plan
from opd.workplans.services.audit import _audit, _diff, _snapshot
from opd.workplans.services.base import _claim, _lock_plan, _require_editor
from targets.models import Region


@atomic_retrying_once
def work_plan_create(*, opd: Opd, year: int, by: Any) -> WorkPlan:
    """Start an OPD's draft work plan for a year under its region's RPJMD covering that year."""
    if not roles.is_member(by, opd.pk):
        raise PermissionDenied(_("Only members of this OPD can start its work plan."))
    # Where two plans share a year (one ends as the next begins), the earlier one; the Renja
    # list's Renstra offer (``renstra_lines.approved_renstras``) follows the same choice.
    plan = (
        opd.region.plans.filter(first_year__lte=year, last_year__gte=year)
        .order_by("first_year", "pk")
        .first()
    )
    if plan is None:
        raise WorkflowError(_("No RPJMD plan of the region covers %(year)s.") % {"year": year})
    # No check-then-insert: two people starting the same plan at once would both pass a check.
    # The unique constraint decides, and the loser (or a late second click) reads a refusal.
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction survives the refusal
            work_plan = WorkPlan.objects.create(opd=opd, year=year, plan=plan)
    except IntegrityError:
        if not WorkPlan.objects.filter(opd=opd, year=year).exists():
            raise
        raise WorkflowError(
            _("This OPD already has a work plan for %(year)s.") % {"year": year}
        ) from None
    marking.mark_work_plan_dirty(work_plan)  # the OPD's row now shows a draft plan
    _audit(work_plan=work_plan, by=by, action=AuditEntry.Action.CREATE, obj=work_plan, version=1)
    return work_plan


@atomic_retrying_once
def work_plan_submit(*, work_plan_id: int, by: Any, seen_version: int) -> WorkPlan:
    """Submit a draft, returned or reopened plan for review; refused while the checklist finds
    problems."""
    work_plan = _lock_plan(work_plan_id)
    _require_editor(by, work_plan)
    _claim(WorkPlan, work_plan.pk, seen_version)
    problems = check_work_plan(work_plan)
    if problems:
        raise ChecklistFailed(problems)  # leaving the atomic block undoes the claim
    return _transition(
        work_plan,
        by=by,
        to=WorkPlan.Status.SUBMITTED,
        action=AuditEntry.Action.SUBMIT,
        stamps={"submitted_at": timezone.now(), "submitted_by": by},
    )


@atomic_retrying_once
def work_plan_return(
    *,
    work_plan_id: int,
    by: Any,
    seen_version: int,
    comment: str,
    activity_comments: Mapping[int, str] | None = None,
) -> WorkPlan:
    """Return a submitted plan to its OPD with a comment, and optionally per-activity comments."""
    work_plan = _lock_plan(work_plan_id)
    _require_review(by, work_plan)
    comment = comment.strip()
    if not comment:
        raise WorkflowError(_("Say what the OPD must fix: a comment is required."))
    _claim(WorkPlan, work_plan.pk, seen_version)
    notes = {pk: text.strip() for pk, text in (activity_comments or {}).items() if text.strip()}
    activities = Activity.objects.filter(program__work_plan=work_plan, pk__in=notes)
    if len(activities) != len(notes):
        raise WorkflowError(_("A comment names an activity that is not in this plan."))
    ReviewComment.objects.create(
        work_plan=work_plan, kind=ReviewComment.Kind.RETURN, text=comment, author=by
    )
    ReviewComment.objects.bulk_create(
        ReviewComment(
            work_plan=work_plan,
            activity=activity,
            kind=ReviewComment.Kind.RETURN,
            text=notes[activity.pk],
            author=by,
        )
        for activity in activities
    )
    return _transition(
        work_plan,
        by=by,
        to=WorkPlan.Status.RETURNED,
        action=AuditEntry.Action.RETURN,
        stamps={"reviewed_at": timezone.now(), "reviewed_by": by},
        note=comment,
    )


@atomic_retrying_once
def work_plan_approve(*, work_plan_id: int, by: Any, seen_version: int) -> WorkPlan:
    """Approve a submitted plan; it is locked until Bappeda reopens it."""
    work_plan = _lock_plan(work_plan_id)
    _require_review(by, work_plan)
    _claim(WorkPlan, work_plan.pk, seen_version)
    aspirations.mark_funded(work_plan, by=by)  # the aspirations its activities took up
    return _transition(
        work_plan,
        by=by,
        to=WorkPlan.Status.APPROVED,
        action=AuditEntry.Action.APPROVE,
        stamps={"reviewed_at": timezone.now(), "reviewed_by": by},
    )


@atomic_retrying_once
def work_plan_reopen(*, work_plan_id: int, by: Any, seen_version: int, reason: str) -> WorkPlan:
    """Reopen an approved plan for changes (it becomes 'reopened'); a reason is required."""
    work_plan = _lock_plan(work_plan_id)
    if not permissions.can_reopen(by, work_plan):
        if not roles.reviews_region(by, work_plan.opd.region_id):
            raise PermissionDenied(_("Only Bappeda can reopen a work plan."))
        raise WorkflowError(_("Only an approved work plan can be reopened."))
    reason = reason.strip()
    if not reason:
        raise WorkflowError(_("Give the reason for reopening the plan."))
    _claim(WorkPlan, work_plan.pk, seen_version)
    ReviewComment.objects.create(
        work_plan=work_plan, kind=ReviewComment.Kind.REOPEN, text=reason, author=by
    )
    return _transition(
        work_plan,
        by=by,
        to=WorkPlan.Status.REOPENED,
        action=AuditEntry.Action.REOPEN,
        stamps={"reviewed_at": timezone.now(), "reviewed_by": by},
        note=reason,
    )


def _require_review(by: Any, work_plan: WorkPlan) -> None:
    if not roles.reviews_region(by, work_plan.opd.region_id):
        raise PermissionDenied(_("Only Bappeda reviewers can review work plans."))
    if work_plan.status != WorkPlan.Status.SUBMITTED:
        raise WorkflowError(_("Only a submitted work plan can be reviewed."))


def _transition(
    work_plan: WorkPlan,
    *,
    by: Any,
    to: str,
    action: str,
    stamps: dict[str, Any],
    note: str = "",
) -> WorkPlan:
    work_plan.refresh_from_db(fields=["version"])
    old = _snapshot(work_plan, ["status"])
    work_plan.status = to
    for name, value in stamps.items():
        setattr(work_plan, name, value)
    work_plan.save(update_fields=["status", *stamps])
    marking.mark_work_plan_dirty(work_plan)  # the status decides what counts
    _audit(
        work_plan=work_plan,
        by=by,
        action=action,
        obj=work_plan,
        changes=_diff(old, _snapshot(work_plan, ["status"])),
        note=note,
        version=work_plan.version,
    )
    return work_plan


@atomic_retrying_once
def deadline_set(*, region: Region, year: int, due_date: date, by: Any) -> SubmissionDeadline:
    """Set (or move) the submission deadline of a region's work plans for a year."""
    if not roles.reviews_region(by, region.pk):
        raise PermissionDenied(_("Only Bappeda sets submission deadlines."))
    deadline, _created = SubmissionDeadline.objects.update_or_create(
        region=region, year=year, defaults={"due_date": due_date, "set_by": by}
    )
    return deadline
