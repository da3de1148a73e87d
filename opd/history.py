"""Audit entries as people read them: field labels and figures in the active language."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from targets.formats import figure, rupiah

from .models import Activity, AuditEntry, Program, Realisation, WorkPlan

MODELS: dict[str, type[models.Model]] = {
    model._meta.model_name: model  # type: ignore[misc]
    for model in (WorkPlan, Program, Activity, Realisation)
}
MONEY_FIELDS = frozenset({"budget", "next_year_budget", "budget_spent"})
CONTRIBUTION = "contribution:"


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    old: str | None
    new: str | None


def describe_changes(entry: AuditEntry) -> list[Change]:
    model = MODELS.get(entry.object_type)
    return [
        Change(
            field=name,
            label=_label(model, name),
            old=_value(name, change.get("old")),
            new=_value(name, change.get("new")),
        )
        for name, change in entry.changes.items()
    ]


def _label(model: type[models.Model] | None, name: str) -> str:
    if name.startswith(CONTRIBUTION):
        return _("contribution to %(indicator)s") % {"indicator": name.removeprefix(CONTRIBUTION)}
    if model is not None:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:  # a field removed since the entry was written
            return name
        return str(capfirst(getattr(field, "verbose_name", name)))
    return name


def _value(name: str, raw: object) -> str | None:
    if raw is None or raw == "":
        return None
    text = str(raw)
    numeric = name in MONEY_FIELDS or name.startswith(CONTRIBUTION) or _is_number_field(name)
    if not numeric:
        return text
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text
    if name in MONEY_FIELDS:
        return rupiah(number)
    return figure(number, max(0, -number.normalize().as_tuple().exponent))  # type: ignore[operator]


def _is_number_field(name: str) -> bool:
    return name in {"output_target", "next_year_target", "output_achieved"}
