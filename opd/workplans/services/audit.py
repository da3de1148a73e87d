"""The audit trail's writer: who changed what, when, from which value to which."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone

from opd.models import (
    AuditEntry,
    WorkPlan,
)


def _display(obj: models.Model, name: str) -> str | None:
    """A field's value for the audit trail, the same whatever the actor's language.

    A choice is stored as its value ("submitted"), rendered as its label in the viewer's
    language (``opd.workplans.history``); a related row as its name at the time, which no language
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


def _entry(
    *,
    work_plan: WorkPlan,
    by: Any,
    action: str,
    obj: models.Model,
    changes: dict[str, Any] | None = None,
    note: str = "",
    version: int | None = None,
) -> AuditEntry:
    """The trail's entry for a change, not saved yet: the plan's version after the change is
    ``work_plan.version`` now (a batch of changes saves its entries together)."""
    return AuditEntry(
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
    """Record one change in the trail (see :func:`_entry`); the saved entry."""
    entry = _entry(
        work_plan=work_plan,
        by=by,
        action=action,
        obj=obj,
        changes=changes,
        note=note,
        version=version,
    )
    entry.save(force_insert=True)
    return entry
