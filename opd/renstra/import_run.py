"""A checked Renstra file between its preview and its confirmation, and the import itself.

A clean file's lines are kept server-side in the uploader's session (``SESSION_ENGINE`` is the
database store, ``magelang.sessions``: the browser holds only the session's key), under the
Renstra's id, with the Renstra's version they were checked against and a token naming this
upload. Nothing of the Renstra is written until the person confirms; :func:`run_import` then
writes every changed line through the Renstra's services in one transaction: all or nothing.
A Renstra changed since the preview (its version moved: any line saved, or its workflow) is
refused, so what is imported is exactly what the preview showed.
"""

from __future__ import annotations

import secrets
from collections import Counter
from dataclasses import asdict, dataclass, fields
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from opd.agencies import roles
from opd.errors import WorkflowError
from opd.models import Renstra, RenstraProgram
from opd.renstra import services
from opd.renstra.import_check import CREATE, SAME, UPDATE, Line
from opd.renstra.import_rows import ACTIVITY, PROGRAM
from opd.transactions import atomic_retrying_once
from targets.models import Indicator

_LINE_FIELDS = {f.name for f in fields(Line)}


def session_key(renstra_id: int) -> str:
    return f"renstra_import:{renstra_id}"


@dataclass
class Staged:
    """A clean file waiting for its confirmation."""

    token: str
    version: int
    file_name: str
    lines: list[Line]

    def counts(self) -> dict[str, int]:
        """How many lines of each kind each action takes: ``program_create``, ``activity_same``
        and so on, every key present."""
        found = Counter(f"{line.kind}_{line.action}" for line in self.lines)
        return {
            f"{kind}_{action}": found[f"{kind}_{action}"]
            for kind in (PROGRAM, ACTIVITY)
            for action in (CREATE, UPDATE, SAME)
        }

    def changing(self) -> list[Line]:
        return [line for line in self.lines if line.action != SAME]


def stage(session: Any, *, renstra: Renstra, file_name: str, lines: list[Line]) -> Staged:
    """Keep ``lines`` (checked against ``renstra`` as loaded) until confirmed; a new upload for
    the same Renstra replaces the one before."""
    staged = Staged(secrets.token_urlsafe(16), renstra.version, file_name[:255], lines)
    session[session_key(renstra.pk)] = {
        "token": staged.token,
        "version": staged.version,
        "file_name": staged.file_name,
        "lines": [asdict(line) for line in lines],
    }
    return staged


def staged_for(session: Any, renstra_id: int) -> Staged | None:
    """The file waiting for ``renstra_id``, or None (none, or not in the shape this code
    writes)."""
    data = session.get(session_key(renstra_id))
    try:
        return Staged(
            str(data["token"]),
            int(data["version"]),
            str(data["file_name"]),
            [
                Line(**{k: v for k, v in line.items() if k in _LINE_FIELDS})
                for line in data["lines"]
            ],
        )
    except (AttributeError, TypeError, KeyError, ValueError):
        return None


def discard(session: Any, renstra_id: int) -> None:
    session.pop(session_key(renstra_id), None)


def _number(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


@atomic_retrying_once
def run_import(*, renstra_id: int, by: Any, staged: Staged) -> dict[str, int]:
    """Write every changed line of ``staged`` through the Renstra's services, in one
    transaction: programs first (an activity may belong to a new one), then activities.
    Returns ``staged.counts()``.

    Raises (nothing written) PermissionDenied for someone who may not edit the Renstra,
    WorkflowError when it is no longer editable or changed since the preview, and whatever a
    service raises (``StaleEdit``, ``WorkflowError``) for a line it refuses."""
    renstra = Renstra.objects.select_for_update(of=("self",)).get(pk=renstra_id)
    if not roles.is_member(by, renstra.opd_id):
        raise PermissionDenied(_("Only members of this OPD can change its Renstra."))
    if not services.can_edit(by, renstra):
        raise WorkflowError(
            _("The Renstra is %(status)s and cannot be changed.")
            % {"status": renstra.get_status_display().lower()}
        )
    if renstra.version != staged.version:
        raise WorkflowError(
            _(
                "The Renstra was changed after this file was checked (by someone else, or in "
                "another tab): nothing was imported. Upload the file again to check it against "
                "the Renstra as it is now."
            )
        )
    changing = staged.changing()
    wanted = {line.indicator for line in changing if line.indicator is not None}
    indicators = Indicator.objects.filter(plan_id=renstra.plan_id).in_bulk(wanted)
    if len(indicators) != len(wanted):
        raise WorkflowError(
            _("An RPJMD indicator of the file no longer exists: nothing was imported.")
        )
    programs = {p.code: p for p in RenstraProgram.objects.filter(renstra=renstra)}
    for line in changing:
        if line.kind != PROGRAM:
            continue
        programs[line.code] = services.renstra_program_save(
            renstra_id=renstra.pk,
            by=by,
            values={
                "code": line.code,
                "name": line.name,
                "outcome_indicator": line.indicator_text,
                "outcome_unit": line.unit,
                "indicator": indicators.get(line.indicator) if line.indicator else None,
            },
            years={
                int(year): (_number(target), _number(line.budgets.get(year)))
                for year, target in line.targets.items()
            },
            program_id=line.pk,
            seen_version=line.version,
        )
    for line in changing:
        if line.kind != ACTIVITY:
            continue
        program = programs.get(line.program_code)
        if program is None:  # deleted since the check (which the version would have caught)
            raise WorkflowError(
                _("Program %(program)s is not in the Renstra: nothing was imported.")
                % {"program": line.program_code}
            )
        services.renstra_activity_save(
            renstra_id=renstra.pk,
            by=by,
            values={
                "program": program,
                "code": line.code,
                "name": line.name,
                "output_indicator": line.indicator_text,
                "output_unit": line.unit,
            },
            years={int(year): _number(target) for year, target in line.targets.items()},
            activity_id=line.pk,
            seen_version=line.version,
        )
    return staged.counts()
