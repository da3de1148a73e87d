"""Audit entries as people read them: field labels and figures in the active language.

The one renderer of the trail: the history page, the conflict notice and the admin show an
entry's changes through :func:`describe`, as lines "label: old → new" (``str(change)``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from opd.models import Activity, AuditEntry, ExpectedContribution, Program, Realisation, WorkPlan
from targets.formats import exact, rupiah

MODELS: dict[str, type[models.Model]] = {
    model._meta.model_name: model  # type: ignore[misc]
    for model in (WorkPlan, Program, Activity, Realisation)
}
MONEY_FIELDS = frozenset({"budget", "next_year_budget", "budget_spent"})
CONTRIBUTION = "contribution:"
#: An activity's beneficiary list, as its size (``opd.beneficiaries.services.AUDIT_FIELD``).
BENEFICIARY_LIST = "beneficiaries"
#: What backs a contribution, and an estimate's basis, per indicator code (services/editing.py).
EVIDENCE = "evidence:"
EVIDENCE_BASIS = "evidence_basis:"
EMPTY = "—"  # a value that was not there, before a creation or after a deletion


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    old: str | None
    new: str | None

    def __str__(self) -> str:
        """The change as one line: "label: old → new", a missing value as a dash."""
        return f"{self.label}: {self.old or EMPTY} → {self.new or EMPTY}"


def describe_changes(entry: AuditEntry) -> list[Change]:
    """The changes of ``entry`` as the history page, the admin and a conflict notice show them."""
    return describe(entry.object_type, entry.changes)


def describe(object_type: str, changes: Mapping[str, Any]) -> list[Change]:
    """``changes`` ({field: {"old", "new"}}) of an ``object_type`` in the active language.

    The trail stores values (a choice's value, decimals as plain strings), so a status
    reads "Draf → Diajukan" in Indonesian and "Draft → Submitted" in English, whoever acted.
    """
    model = MODELS.get(object_type)
    return [
        Change(
            field=name,
            label=_label(model, name),
            old=_value(model, name, change.get("old")),
            new=_value(model, name, change.get("new")),
        )
        for name, change in changes.items()
        if isinstance(change, Mapping)
    ]


def change_lines(object_type: str, changes: Any) -> list[str]:
    """Every change of an entry as one line, sorted by field (the admin's list).

    A value the services never write (hand-edited data) is shown as stored, not dropped.
    """
    if not isinstance(changes, dict):
        return [] if changes in (None, "", []) else [_raw_value(changes)]
    lines = [
        str(change)
        for change in sorted(describe(object_type, changes), key=lambda change: change.field)
    ]
    lines += [
        f"{name}: {_raw_value(value)}"
        for name, value in sorted(changes.items())
        if not isinstance(value, dict)
    ]
    return lines


def _raw_value(value: Any) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return str(value)


def _label(model: type[models.Model] | None, name: str) -> str:
    if name == BENEFICIARY_LIST:
        return _("Beneficiary list")
    if name.startswith(EVIDENCE):
        return _("evidence of the contribution to %(indicator)s") % {
            "indicator": name.removeprefix(EVIDENCE)
        }
    if name.startswith(EVIDENCE_BASIS):
        return _("basis of the estimate for %(indicator)s") % {
            "indicator": name.removeprefix(EVIDENCE_BASIS)
        }
    if name.startswith(CONTRIBUTION):
        return _("contribution to %(indicator)s") % {"indicator": name.removeprefix(CONTRIBUTION)}
    if model is not None:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:  # a field removed since the entry was written
            return name
        return str(capfirst(getattr(field, "verbose_name", name)))
    return name


def _value(model: type[models.Model] | None, name: str, raw: object) -> str | None:
    if raw is None or raw == "":
        return None
    text = str(raw)
    if name == BENEFICIARY_LIST and text.isdigit():
        return ngettext("%(count)s person", "%(count)s persons", int(text)) % {
            "count": exact(Decimal(text))
        }
    if name.startswith(EVIDENCE):
        return str(dict(ExpectedContribution.Evidence.choices).get(text, text))
    labels = _choice_labels(model, name)
    if labels:
        return str(labels.get(text, text))  # a value no longer offered shows as stored
    numeric = name in MONEY_FIELDS or name.startswith(CONTRIBUTION) or _is_number_field(name)
    if not numeric:
        return text
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text
    if name in MONEY_FIELDS:
        return rupiah(number)
    return exact(number)


def _choice_labels(model: type[models.Model] | None, name: str) -> dict[str, Any]:
    if model is None:
        return {}
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return {}
    return {str(value): label for value, label in getattr(field, "flatchoices", None) or ()}


def _is_number_field(name: str) -> bool:
    return name in {"output_target", "next_year_target", "output_achieved"}
