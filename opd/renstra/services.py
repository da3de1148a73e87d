"""Every write to a Renstra: keyword-only, atomic, permission-checked, versioned and audited,
as the Renja's services are (``opd.workplans.services``).

The OPD's members write its Renstra while it is a draft or returned; a Bappeda reviewer
(``roles.is_reviewer``, the Renja's rule) returns or approves a submitted one. Every write locks
the Renstra row first (the only lock it takes), claims the version the caller saw (a line's for a
line, the Renstra's for the workflow) and raises the Renstra's version, so a stale submit or
review is refused as well. The trail is ``RenstraAuditEntry`` (see its docstring).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from opd.agencies import roles
from opd.errors import ChecklistFailed, StaleEdit, WorkflowError
from opd.models import (
    AuditAction,
    Opd,
    Renstra,
    RenstraActivity,
    RenstraActivityYear,
    RenstraAuditEntry,
    RenstraProgram,
    RenstraProgramYear,
)
from opd.renstra.selectors import check_renstra
from opd.renstra.selectors import renja_lines_for_year as renja_lines_for_year  # the prefill
from opd.transactions import atomic_retrying_once, claim_version
from opd.workplans.services.audit import _diff, _object_type, _snapshot
from targets.models import Plan

EDITABLE_STATUSES = frozenset({Renstra.Status.DRAFT, Renstra.Status.RETURNED})
PROGRAM_FIELDS = RenstraProgram.EDITABLE_FIELDS
ACTIVITY_FIELDS = RenstraActivity.EDITABLE_FIELDS

#: A program's year: (outcome target, indicative budget in Rp); None leaves a value empty.
ProgramYears = Mapping[int, tuple[Decimal | None, Decimal | None]]
#: An activity's year: its output target.
ActivityYears = Mapping[int, Decimal | None]


def can_edit(user: Any, renstra: Renstra) -> bool:
    return renstra.status in EDITABLE_STATUSES and roles.is_member(user, renstra.opd_id)


def can_review(user: Any, renstra: Renstra) -> bool:
    return renstra.status == Renstra.Status.SUBMITTED and roles.is_reviewer(user)


# --- the shared steps ------------------------------------------------------------------


def _audit(
    *,
    renstra: Renstra,
    by: Any,
    action: str,
    obj: models.Model,
    changes: dict[str, Any] | None = None,
    note: str = "",
    version: int | None = None,
) -> RenstraAuditEntry:
    def clip(name: str, text: str) -> str:
        limit = cast(models.CharField, RenstraAuditEntry._meta.get_field(name)).max_length or 0
        return text if len(text) <= limit else text[: limit - 1] + "…"

    return RenstraAuditEntry.objects.create(
        renstra=renstra,
        renstra_version=renstra.version,
        object_type=_object_type(type(obj)),
        object_id=obj.pk,
        object_label=clip("object_label", str(obj)),
        version=version,
        action=action,
        changes=changes or {},
        note=note,
        actor=by if by and by.is_authenticated else None,
        actor_name=clip("actor_name", (by.get_full_name() or by.get_username()) if by else ""),
        at=timezone.now(),
    )


def _lock(renstra_id: int) -> Renstra:
    """The Renstra, locked until the transaction ends (only its own row: see opd.transactions)."""
    rows = Renstra.objects.select_for_update(of=("self",)).select_related("opd", "plan")
    return rows.get(pk=renstra_id)


def _claim(model: type[models.Model], pk: int, seen_version: int) -> None:
    """Raise the row's version if it is still ``seen_version``; else StaleEdit with the trail
    written since."""
    current = claim_version(model, pk, seen_version)
    if current is not None:
        since: dict[str, Any] = (
            {"renstra_id": pk, "renstra_version__gt": seen_version}
            if model is Renstra
            else {"object_type": _object_type(model), "object_id": pk, "version__gt": seen_version}
        )
        changes = list(RenstraAuditEntry.objects.filter(**since).order_by("at", "pk"))
        raise StaleEdit(current_version=current, changes=cast(list[Any], changes))


def _require_editor(by: Any, renstra: Renstra) -> None:
    if not roles.is_member(by, renstra.opd_id):
        raise PermissionDenied(_("Only members of this OPD can change its Renstra."))
    if renstra.status not in EDITABLE_STATUSES:
        raise WorkflowError(
            _("The Renstra is %(status)s and cannot be changed.")
            % {"status": renstra.get_status_display().lower()}
        )


def _touch(renstra: Renstra) -> None:
    """Any change inside a Renstra raises its version; call it before ``_audit``."""
    Renstra.objects.filter(pk=renstra.pk).update(version=F("version") + 1)
    renstra.refresh_from_db(fields=["version"])


def _check_years(renstra: Renstra, years: Mapping[int, Any]) -> None:
    period = renstra.plan.years()
    outside = sorted(set(years) - set(period))
    if outside:
        raise WorkflowError(
            _("%(year)s is outside the Renstra's period %(first)s–%(last)s.")
            % {"year": outside[0], "first": period[0], "last": period[-1]}
        )


def _number(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def _program_state(program: RenstraProgram) -> dict[str, str | None]:
    state = _snapshot(program, PROGRAM_FIELDS)
    for row in RenstraProgramYear.objects.filter(program=program):
        state[f"target:{row.year}"] = _number(row.target)
        state[f"budget:{row.year}"] = _number(row.budget)
    return state


def _activity_state(activity: RenstraActivity) -> dict[str, str | None]:
    state = _snapshot(activity, ("program", *ACTIVITY_FIELDS))
    for row in RenstraActivityYear.objects.filter(activity=activity):
        state[f"target:{row.year}"] = _number(row.target)
    return state


def _save_line(
    renstra: Renstra,
    *,
    by: Any,
    row: models.Model,
    values: Mapping[str, Any],
    seen_version: int | None,
    write_years: Any,
    state: Any,
) -> None:
    """Create (no pk) or update ``row`` with ``values`` and its years, audited."""
    created = row.pk is None
    if not created:
        if seen_version is None:
            raise WorkflowError(_("Say which version of the line you edited."))
        _claim(type(row), row.pk, seen_version)
        row.refresh_from_db()
    old = {} if created else state(row)
    for name, value in values.items():
        setattr(row, name, value)
    row.save()
    write_years(row)
    changes = _diff(old, state(row))
    if not created and not changes:
        raise _Unchanged
    _touch(renstra)
    _audit(
        renstra=renstra,
        by=by,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=row,
        changes=changes,
        version=getattr(row, "version", None),
    )


def _check_code(
    siblings: models.QuerySet[Any], row: models.Model, values: Mapping[str, Any]
) -> None:
    """A line has a code, and no sibling line has the same one."""
    code = str(values.get("code", getattr(row, "code", ""))).strip()
    if not code:
        raise WorkflowError(_("Give the line a code."))
    if siblings.filter(code=code).exclude(pk=row.pk).exists():
        raise WorkflowError(_("Another line here already has the code %(code)s.") % {"code": code})


class _Unchanged(Exception):
    """An edit that changed nothing: undone, so no version is raised and nothing is audited."""


# --- the services ----------------------------------------------------------------------


@atomic_retrying_once
def renstra_create(*, opd: Opd, plan: Plan, by: Any) -> Renstra:
    """Start an OPD's draft Renstra for the period of its region's RPJMD plan."""
    if not roles.is_member(by, opd.pk):
        raise PermissionDenied(_("Only members of this OPD can start its Renstra."))
    if plan.region_id != opd.region_id:
        raise WorkflowError(_("The RPJMD plan is not one of the OPD's region."))
    if Renstra.objects.filter(opd=opd, plan=plan).exists():
        raise WorkflowError(_("This OPD already has a Renstra for this RPJMD plan."))
    renstra = Renstra.objects.create(opd=opd, plan=plan)
    _audit(renstra=renstra, by=by, action=AuditAction.CREATE, obj=renstra, version=1)
    return renstra


def renstra_program_save(
    *,
    renstra_id: int,
    by: Any,
    values: Mapping[str, Any],
    years: ProgramYears,
    program_id: int | None = None,
    seen_version: int | None = None,
) -> RenstraProgram:
    """Create a program (no ``program_id``) or update one, with its yearly targets and budgets.

    ``values`` are ``PROGRAM_FIELDS``; a year left out of ``years`` keeps what it has."""
    try:
        return _program_save(renstra_id, by, values, years, program_id, seen_version)
    except _Unchanged:
        return RenstraProgram.objects.get(pk=cast(int, program_id))


@atomic_retrying_once
def _program_save(
    renstra_id: int,
    by: Any,
    values: Mapping[str, Any],
    years: ProgramYears,
    program_id: int | None,
    seen_version: int | None,
) -> RenstraProgram:
    renstra = _lock(renstra_id)
    _require_editor(by, renstra)
    _check_years(renstra, years)
    indicator = values.get("indicator")
    if indicator is not None and indicator.plan_id != renstra.plan_id:
        raise WorkflowError(_("The indicator is not one of the Renstra's RPJMD plan."))
    if program_id is None:
        program = RenstraProgram(renstra=renstra)
    else:
        program = RenstraProgram.objects.get(pk=program_id, renstra=renstra)
    _check_code(renstra.programs.all(), program, values)

    def write_years(row: RenstraProgram) -> None:
        for year, (target, budget) in years.items():
            RenstraProgramYear.objects.update_or_create(
                program=row, year=year, defaults={"target": target, "budget": budget}
            )

    _save_line(
        renstra,
        by=by,
        row=program,
        values=values,
        seen_version=seen_version,
        write_years=write_years,
        state=_program_state,
    )
    return program


def renstra_activity_save(
    *,
    renstra_id: int,
    by: Any,
    values: Mapping[str, Any],
    years: ActivityYears,
    activity_id: int | None = None,
    seen_version: int | None = None,
) -> RenstraActivity:
    """Create an activity (no ``activity_id``) or update one, with its yearly targets.

    ``values`` are ``program`` (a program of this Renstra) and ``ACTIVITY_FIELDS``."""
    try:
        return _activity_save(renstra_id, by, values, years, activity_id, seen_version)
    except _Unchanged:
        return RenstraActivity.objects.get(pk=cast(int, activity_id))


@atomic_retrying_once
def _activity_save(
    renstra_id: int,
    by: Any,
    values: Mapping[str, Any],
    years: ActivityYears,
    activity_id: int | None,
    seen_version: int | None,
) -> RenstraActivity:
    renstra = _lock(renstra_id)
    _require_editor(by, renstra)
    _check_years(renstra, years)
    if activity_id is None:
        activity = RenstraActivity()
    else:
        activity = RenstraActivity.objects.get(pk=activity_id, program__renstra=renstra)
    program = values.get("program", getattr(activity, "program", None))
    if program is None or program.renstra_id != renstra.pk:
        raise PermissionDenied(_("The program is not part of this Renstra."))
    _check_code(program.activities.all(), activity, values)

    def write_years(row: RenstraActivity) -> None:
        for year, target in years.items():
            RenstraActivityYear.objects.update_or_create(
                activity=row, year=year, defaults={"target": target}
            )

    _save_line(
        renstra,
        by=by,
        row=activity,
        values=values,
        seen_version=seen_version,
        write_years=write_years,
        state=_activity_state,
    )
    return activity


@atomic_retrying_once
def renstra_submit(*, renstra_id: int, by: Any, seen_version: int) -> Renstra:
    """Submit a draft or returned Renstra to Bappeda; refused while the checklist finds
    problems."""
    renstra = _lock(renstra_id)
    _require_editor(by, renstra)
    _claim(Renstra, renstra.pk, seen_version)
    problems = check_renstra(renstra)
    if problems:
        raise ChecklistFailed(problems)  # leaving the atomic block undoes the claim
    return _transition(
        renstra,
        by=by,
        to=Renstra.Status.SUBMITTED,
        action=AuditAction.SUBMIT,
        stamps={"submitted_at": timezone.now(), "submitted_by": by},
    )


@atomic_retrying_once
def renstra_return(*, renstra_id: int, by: Any, seen_version: int, comment: str) -> Renstra:
    """Return a submitted Renstra to its OPD; the comment says what to fix."""
    renstra = _lock(renstra_id)
    _require_review(by, renstra)
    comment = comment.strip()
    if not comment:
        raise WorkflowError(_("Say what the OPD must fix: a comment is required."))
    _claim(Renstra, renstra.pk, seen_version)
    return _transition(
        renstra,
        by=by,
        to=Renstra.Status.RETURNED,
        action=AuditAction.RETURN,
        stamps={"reviewed_at": timezone.now(), "reviewed_by": by},
        note=comment,
    )


@atomic_retrying_once
def renstra_approve(*, renstra_id: int, by: Any, seen_version: int) -> Renstra:
    """Approve a submitted Renstra; it cannot be changed afterwards."""
    renstra = _lock(renstra_id)
    _require_review(by, renstra)
    _claim(Renstra, renstra.pk, seen_version)
    return _transition(
        renstra,
        by=by,
        to=Renstra.Status.APPROVED,
        action=AuditAction.APPROVE,
        stamps={"reviewed_at": timezone.now(), "reviewed_by": by},
    )


def _require_review(by: Any, renstra: Renstra) -> None:
    if not roles.is_reviewer(by):
        raise PermissionDenied(_("Only Bappeda reviewers can review a Renstra."))
    if renstra.status != Renstra.Status.SUBMITTED:
        raise WorkflowError(_("Only a submitted Renstra can be reviewed."))


def _transition(
    renstra: Renstra, *, by: Any, to: str, action: str, stamps: dict[str, Any], note: str = ""
) -> Renstra:
    renstra.refresh_from_db(fields=["version"])
    old = _snapshot(renstra, ["status"])
    renstra.status = to
    for name, value in stamps.items():
        setattr(renstra, name, value)
    renstra.save(update_fields=["status", *stamps])
    _audit(
        renstra=renstra,
        by=by,
        action=action,
        obj=renstra,
        changes=_diff(old, _snapshot(renstra, ["status"])),
        note=note,
        version=renstra.version,
    )
    return renstra
