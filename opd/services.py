"""Every write to a work plan: keyword-only, typed, atomic, permission-checked and audited.

Lost updates are refused, never silently overwritten: a caller passes the
version it saw, and the service claims the row with a conditional
``UPDATE ... WHERE version = seen``. If someone else saved first, nothing is
written and :class:`StaleEdit` carries the changes made since the caller's
version, read from the audit trail.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from opd import permissions, snapshots
from opd.checklist import Problem, check_work_plan
from opd.models import (
    AchievedContribution,
    Activity,
    ApiClient,
    AuditEntry,
    ExpectedContribution,
    Opd,
    OpdMembership,
    Program,
    Realisation,
    ReviewComment,
    SubmissionDeadline,
    WorkPlan,
)
from opd.transactions import atomic_retrying_once
from targets.models import Indicator, Region

ACTIVITY_FIELDS = (
    "program",
    "code",
    "name",
    "output_indicator",
    "output_target",
    "output_unit",
    "budget",
    "funding_source",
    "kelurahan",
    "target_group",
    "next_year_target",
    "next_year_budget",
    "notes",
)
PROGRAM_FIELDS = ("code", "name", "outcome_indicator", "outcome_target", "outcome_unit")
REALISATION_FIELDS = ("budget_spent", "output_achieved", "notes")
QUARTERS = range(1, 5)


class WorkflowError(Exception):
    """The action does not fit the plan's state (e.g. editing an approved plan)."""


def record_gone() -> WorkflowError:
    """The refusal when the record was deleted by someone else since the caller loaded it."""
    return WorkflowError(_("This record no longer exists; it was deleted by someone else."))


class StaleEdit(Exception):
    """Someone saved the same record after the caller loaded it; nothing was written."""

    def __init__(self, *, current_version: int, changes: list[AuditEntry]) -> None:
        super().__init__(_("Someone else saved this in the meantime."))
        self.current_version = current_version
        self.changes = changes


class ChecklistFailed(Exception):
    """The plan cannot be submitted: the review checklist found problems."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(_("The plan does not pass the checklist yet."))
        self.problems = problems


@dataclass
class RealisationResult:
    realisation: Realisation
    overspent_by: Decimal | None = None


@dataclass
class ActivityData:
    """The editable values of an activity; contributions map indicator id to amount."""

    values: dict[str, Any]
    contributions: dict[int, Decimal | None] = field(default_factory=dict)


# --- helpers --------------------------------------------------------------------------------------


def _display(obj: models.Model, name: str) -> str | None:
    """A field's value for the audit trail, the same whatever the actor's language.

    A choice is stored as its value ("submitted"), rendered as its label in the viewer's
    language (``opd.history``); a related row as its name at the time, which no language
    changes and which outlives the row.
    """
    value = getattr(obj, name)
    if value is None or value == "":
        return None
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _snapshot(obj: models.Model, names: Iterable[str]) -> dict[str, str | None]:
    return {name: _display(obj, name) for name in names}


def _diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        name: {"old": old.get(name), "new": new.get(name)}
        for name in sorted(set(old) | set(new))
        if old.get(name) != new.get(name)
    }


def _object_type(model: type[models.Model]) -> str:
    """How the audit trail names a model: ``activity``, ``program``, ``workplan``..."""
    return str(model._meta.model_name)


def _audit(
    *,
    work_plan: WorkPlan,
    by: Any,
    action: str,
    obj: models.Model,
    changes: dict[str, Any] | None = None,
    note: str = "",
    version: int | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        work_plan=work_plan,
        plan_version=work_plan.version,
        object_type=_object_type(type(obj)),
        object_id=obj.pk,
        object_label=AuditEntry.clip("object_label", str(obj)),
        version=version,
        action=action,
        changes=changes or {},
        note=note,
        actor=by if by and by.is_authenticated else None,
        actor_name=AuditEntry.clip(
            "actor_name", (by.get_full_name() or by.get_username()) if by else ""
        ),
        at=timezone.now(),
    )


def _claim(model: type[models.Model], pk: int, seen_version: int) -> None:
    """Raise the row's version if it is still ``seen_version``; else raise StaleEdit."""
    claimed = model._default_manager.filter(pk=pk, version=seen_version).update(
        version=F("version") + 1
    )
    if not claimed:
        current = model._default_manager.filter(pk=pk).values_list("version", flat=True).first()
        if current is None:
            raise record_gone()
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
    if not permissions.is_member(by, work_plan.opd_id):
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


# --- work plans -----------------------------------------------------------------------------------


@atomic_retrying_once
def work_plan_create(*, opd: Opd, year: int, by: Any) -> WorkPlan:
    """Start an OPD's draft work plan for a year under its region's RPJMD covering that year."""
    if not permissions.is_member(by, opd.pk):
        raise PermissionDenied(_("Only members of this OPD can start its work plan."))
    plan = opd.region.plans.filter(first_year__lte=year, last_year__gte=year).first()
    if plan is None:
        raise WorkflowError(_("No RPJMD plan of the region covers %(year)s.") % {"year": year})
    if WorkPlan.objects.filter(opd=opd, year=year).exists():
        raise WorkflowError(_("This OPD already has a work plan for %(year)s.") % {"year": year})
    work_plan = WorkPlan.objects.create(opd=opd, year=year, plan=plan)
    snapshots.mark_work_plan_dirty(work_plan)  # the OPD's row now shows a draft plan
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
        if not permissions.is_reviewer(by):
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
    if not permissions.is_reviewer(by):
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
    snapshots.mark_work_plan_dirty(work_plan)  # the status decides what counts
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
    if not permissions.is_reviewer(by):
        raise PermissionDenied(_("Only Bappeda sets submission deadlines."))
    deadline, _created = SubmissionDeadline.objects.update_or_create(
        region=region, year=year, defaults={"due_date": due_date, "set_by": by}
    )
    return deadline


# --- programs -------------------------------------------------------------------------------------


@atomic_retrying_once
def program_create(*, work_plan_id: int, by: Any, values: Mapping[str, Any]) -> Program:
    work_plan = _lock_plan(work_plan_id)
    _require_editor(by, work_plan)
    program = Program.objects.create(work_plan=work_plan, **values)
    _touch_plan(work_plan)
    _audit(
        work_plan=work_plan,
        by=by,
        action=AuditEntry.Action.CREATE,
        obj=program,
        changes=_diff({}, _snapshot(program, PROGRAM_FIELDS)),
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
    checkpoint = transaction.savepoint()
    _claim(Program, program.pk, seen_version)
    program.refresh_from_db()
    old = _snapshot(program, PROGRAM_FIELDS)
    for name, value in values.items():
        setattr(program, name, value)
    program.save(update_fields=list(values))
    changes = _diff(old, _snapshot(program, PROGRAM_FIELDS))
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
        changes=_diff(_snapshot(program, PROGRAM_FIELDS), {}),
    )
    program.delete()


# --- activities -----------------------------------------------------------------------------------


def _activity_state(activity: Activity) -> dict[str, str | None]:
    contributions = activity.expected_contributions.select_related("indicator")
    return {**_snapshot(activity, ACTIVITY_FIELDS), **_contribution_snapshot(contributions)}


def _check_program(program: Program | None, work_plan: WorkPlan) -> None:
    if program is None or program.work_plan_id != work_plan.pk:
        raise PermissionDenied(_("The program is not part of this work plan."))


def _check_indicators(work_plan: WorkPlan, indicator_ids: Iterable[int]) -> None:
    ids = set(indicator_ids)
    known = set(
        Indicator.objects.filter(plan_id=work_plan.plan_id, pk__in=ids).values_list("pk", flat=True)
    )
    if ids - known:
        raise WorkflowError(_("A contribution names an indicator of another plan."))


@atomic_retrying_once
def activity_create(*, work_plan_id: int, by: Any, data: ActivityData) -> Activity:
    work_plan = _lock_plan(work_plan_id)
    _require_editor(by, work_plan)
    _check_program(data.values.get("program"), work_plan)
    _check_indicators(work_plan, data.contributions)
    activity = Activity.objects.create(**data.values)
    _set_contributions(
        model=ExpectedContribution,
        owner={"activity": activity},
        contributions=data.contributions,
    )
    snapshots.mark_work_plan_dirty(work_plan)
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
    changes = _diff(old, _activity_state(activity))
    if _nothing_changed(checkpoint, changes, activity):
        return activity
    snapshots.mark_work_plan_dirty(work_plan)
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
    snapshots.mark_work_plan_dirty(work_plan)
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
    activity.delete()


# --- quarterly realisation ------------------------------------------------------------------------


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
        if not permissions.is_member(by, work_plan.opd_id):
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
        snapshots.mark_work_plan_dirty(work_plan)
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


# --- API clients ----------------------------------------------------------------------------------


def api_token_hash(token: str) -> str:
    """The SHA-256 hex digest under which a client's token is stored and looked up."""
    return hashlib.sha256(token.encode()).hexdigest()


@atomic_retrying_once
def api_client_create(*, name: str, scope: str, opd: Opd | None) -> tuple[ApiClient, str]:
    """Create an API client and its user; return the client and its token (shown once only).

    A write client needs an OPD: it writes as a staff member of that OPD and nowhere else.
    """
    name = name.strip()
    if not name:
        raise WorkflowError(_("Give the client a name."))
    if scope not in ApiClient.Scope.values:
        raise WorkflowError(_("The scope is read or write."))
    if scope == ApiClient.Scope.WRITE and opd is None:
        raise WorkflowError(_("A write client must be bound to an OPD."))
    if ApiClient.objects.filter(name=name).exists():
        raise WorkflowError(_("An API client named %(name)s exists already.") % {"name": name})
    user_model = get_user_model()
    user = user_model.objects.create_user(username=f"api:{name}"[:150], password=None)
    if opd is not None:
        OpdMembership.objects.create(opd=opd, user=user, role=OpdMembership.Role.STAFF)
    token = secrets.token_urlsafe(32)
    client = ApiClient.objects.create(
        name=name,
        scope=scope,
        opd=opd,
        user=user,
        token_hash=api_token_hash(token),
        token_prefix=token[:8],
    )
    return client, token


@atomic_retrying_once
def api_client_revoke(*, name: str) -> ApiClient:
    """Revoke a client's token for good; its user is deactivated. Revoking twice is harmless."""
    client = ApiClient.objects.select_for_update(of=("self",)).select_related("user").get(name=name)
    if client.revoked_at is None:
        client.revoked_at = timezone.now()
        client.save(update_fields=["revoked_at"])
    client.user.is_active = False
    client.user.save(update_fields=["is_active"])
    return client
