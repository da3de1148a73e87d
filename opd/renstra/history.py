"""A Renstra's audit entries as people read them: field labels, a year's target and budget, and
figures in the active language.

The Renstra's trail stores what the Renja's does (``{"field": {"old", "new"}}``, values as
plain strings), plus one pair per year of a line: ``target:<year>`` and ``budget:<year>``. The
lines come out as the Renja's do (:class:`opd.workplans.history.Change`), so the history page and
the conflict notice render them alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from opd.models import Renstra, RenstraActivity, RenstraAuditEntry, RenstraProgram
from opd.workplans.history import Change
from targets.formats import exact, rupiah

MODELS: dict[str, type[models.Model]] = {
    str(model._meta.model_name): model for model in (Renstra, RenstraProgram, RenstraActivity)
}
TARGET, BUDGET = "target:", "budget:"


def describe_entry(entry: RenstraAuditEntry) -> list[Change]:
    """The changes of ``entry`` in the active language, years in their order after the fields."""
    return describe(entry.object_type, entry.changes)


def describe(object_type: str, changes: Any) -> list[Change]:
    """``changes`` of an ``object_type`` as lines "label: old → new"; a value the services never
    write (hand-edited data) is shown as stored."""
    if not isinstance(changes, Mapping):
        return []
    model = MODELS.get(object_type)
    found = [
        Change(
            field=name,
            label=_label(model, name),
            old=_value(model, name, change.get("old")),
            new=_value(model, name, change.get("new")),
        )
        for name, change in changes.items()
        if isinstance(change, Mapping)
    ]
    return sorted(found, key=lambda change: _order(change.field))


def _order(name: str) -> tuple[int, str, str]:
    """Fields first, then each year's target before its budget."""
    for prefix in (TARGET, BUDGET):
        if name.startswith(prefix):
            return (1, name.removeprefix(prefix), prefix)
    return (0, "", name)


def _label(model: type[models.Model] | None, name: str) -> str:
    if name.startswith(TARGET):
        return _("Target %(year)s") % {"year": name.removeprefix(TARGET)}
    if name.startswith(BUDGET):
        return _("Indicative budget %(year)s") % {"year": name.removeprefix(BUDGET)}
    if model is not None:
        try:
            return str(capfirst(getattr(model._meta.get_field(name), "verbose_name", name)))
        except FieldDoesNotExist:  # a field removed since the entry was written
            return name
    return name


def _value(model: type[models.Model] | None, name: str, raw: object) -> str | None:
    if raw is None or raw == "":
        return None
    text = str(raw)
    if name == "status":
        return str(dict(Renstra.Status.choices).get(text, text))
    if not name.startswith((TARGET, BUDGET)):
        return text
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text
    return rupiah(number) if name.startswith(BUDGET) else exact(number)


def entries_with_changes(
    entries: list[RenstraAuditEntry],
) -> list[tuple[RenstraAuditEntry, list[Change]]]:
    """Each entry beside its described changes, for a template (no query)."""
    return [(entry, describe_entry(entry)) for entry in entries]
