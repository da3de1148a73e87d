"""Every write to a Renstra's lines: keyword-only, atomic, permission-checked, versioned and
audited, as the Renja's services are (``opd.workplans.services``).

The OPD's members write its Renstra while it is a draft or returned; a Bappeda reviewer
(``roles.is_reviewer``, the Renja's rule) returns or approves a submitted one (``workflow``,
re-exported here). The shared steps (the lock, the version claim, the trail) are ``steps``.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from opd.agencies import roles
from opd.errors import WorkflowError, record_gone
from opd.models import (
    Activity,
    AuditAction,
    Opd,
    Program,
    Renstra,
    RenstraActivity,
    RenstraActivityYear,
    RenstraProgram,
    RenstraProgramYear,
)
from opd.renstra.selectors import renja_lines_for_year as renja_lines_for_year  # the prefill
from opd.renstra.steps import EDITABLE_STATUSES as EDITABLE_STATUSES
from opd.renstra.steps import audit, claim, lock, require_editor, touch
from opd.renstra.steps import can_edit as can_edit
from opd.renstra.steps import can_review as can_review
from opd.renstra.workflow import renstra_approve as renstra_approve
from opd.renstra.workflow import renstra_return as renstra_return
from opd.renstra.workflow import renstra_submit as renstra_submit
from opd.transactions import atomic_retrying_once
from opd.workplans.services.audit import _diff, _snapshot
from targets.models import Plan

PROGRAM_FIELDS = RenstraProgram.EDITABLE_FIELDS
ACTIVITY_FIELDS = RenstraActivity.EDITABLE_FIELDS

#: A program's year: (outcome target, indicative budget in Rp); None leaves a value empty.
ProgramYears = Mapping[int, tuple[Decimal | None, Decimal | None]]
#: An activity's year: its output target.
ActivityYears = Mapping[int, Decimal | None]


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
        claim(type(row), row.pk, seen_version)
        row.refresh_from_db()
    old = {} if created else state(row)
    for name, value in values.items():
        setattr(row, name, value)
    row.save()
    write_years(row)
    changes = _diff(old, state(row))
    if not created and not changes:
        raise _Unchanged
    touch(renstra)
    audit(
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
    # The unique constraint decides (as for a work plan): a prior check lets two people at once
    # both pass it, and the loser would see a database error.
    try:
        with transaction.atomic():
            renstra = Renstra.objects.create(opd=opd, plan=plan)
    except IntegrityError:
        if not Renstra.objects.filter(opd=opd, plan=plan).exists():
            raise
        raise WorkflowError(_("This OPD already has a Renstra for this RPJMD plan.")) from None
    audit(renstra=renstra, by=by, action=AuditAction.CREATE, obj=renstra, version=1)
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
    renstra = lock(renstra_id)
    require_editor(by, renstra)
    _check_years(renstra, years)
    indicator = values.get("indicator")
    if indicator is not None and indicator.plan_id != renstra.plan_id:
        raise WorkflowError(_("The indicator is not one of the Renstra's RPJMD plan."))
    if program_id is None:
        program = RenstraProgram(renstra=renstra)
    else:
        found = RenstraProgram.objects.filter(pk=program_id, renstra=renstra).first()
        if found is None:  # deleted by someone else since the form was opened
            raise record_gone()
        program = found
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
    renstra = lock(renstra_id)
    require_editor(by, renstra)
    _check_years(renstra, years)
    if activity_id is None:
        activity = RenstraActivity()
    else:
        line = RenstraActivity.objects.filter(pk=activity_id, program__renstra=renstra).first()
        if line is None:  # deleted by someone else since the form was opened
            raise record_gone()
        activity = line
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


def _delete_audited(
    renstra: Renstra, by: Any, line: RenstraProgram | RenstraActivity, old: dict[str, str | None]
) -> None:
    """Delete ``line`` (locked, claimed and checked by the caller): the Renstra's version is
    raised and the delete audited with ``old``, the line's last values."""
    touch(renstra)
    audit(renstra=renstra, by=by, action=AuditAction.DELETE, obj=line, changes=_diff(old, {}))
    line.delete()


@atomic_retrying_once
def renstra_program_delete(*, renstra_id: int, program_id: int, by: Any, seen_version: int) -> None:
    """Delete a program of the Renstra, audited with its last values; refused while it has
    activities or a Renja program carries it out (``Program.renstra_program`` protects it)."""
    renstra = lock(renstra_id)
    require_editor(by, renstra)
    # The line locked (after the Renstra): a Renja save linking it at the same moment has
    # either committed, and the check below sees it, or waits and then finds the line gone.
    program = (
        RenstraProgram.objects.select_for_update(of=("self",))
        .filter(pk=program_id, renstra=renstra)
        .first()
    )
    if program is None:
        raise record_gone()
    claim(RenstraProgram, program.pk, seen_version)
    if program.activities.exists():
        raise WorkflowError(_("Delete the program's activities first."))
    if Program.objects.filter(renstra_program=program).exists():
        raise WorkflowError(
            _("A Renja program carries out this Renstra program: it cannot be deleted.")
        )
    _delete_audited(renstra, by, program, _program_state(program))


@atomic_retrying_once
def renstra_activity_delete(
    *, renstra_id: int, activity_id: int, by: Any, seen_version: int
) -> None:
    """Delete an activity of the Renstra, audited with its last values; refused while a Renja
    activity carries it out (``Activity.renstra_activity`` protects it)."""
    renstra = lock(renstra_id)
    require_editor(by, renstra)
    activity = (  # locked, as a program is in renstra_program_delete
        RenstraActivity.objects.select_for_update(of=("self",))
        .filter(pk=activity_id, program__renstra=renstra)
        .first()
    )
    if activity is None:
        raise record_gone()
    claim(RenstraActivity, activity.pk, seen_version)
    if Activity.objects.filter(renstra_activity=activity).exists():
        raise WorkflowError(
            _("A Renja activity carries out this Renstra activity: it cannot be deleted.")
        )
    _delete_audited(renstra, by, activity, _activity_state(activity))
