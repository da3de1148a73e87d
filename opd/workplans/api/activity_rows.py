"""The activities list's rows, written without a serializer per row.

Through ``ActivitySerializer`` a page of 50 activities read every column with its program's,
prefetched the contributions as model instances, built the serializer's fields for the request
and walked them for every row: most of the list's time in Python. The list reads instead the
columns it sends (the plan's id through the join the visibility filter makes already), then the
page's contributions in one query as values, and writes each row with the serializer's own
fields' formats, so the body is byte for byte the serializer's (``tests/api/
test_activity_rows.py`` compares them). Reads of one activity and every write still go through
``ActivitySerializer``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import F, QuerySet
from rest_framework import serializers

from opd.models import Activity, ExpectedContribution
from opd.workplans.api.serializers import ActivitySerializer

CONTRIBUTIONS = "expected_contributions"
# Fields whose DRF format is the value as the database gives it (an int, a str, a key's id;
# a choice's value is its own string): written unchanged.
_AS_READ = (
    serializers.IntegerField,
    serializers.CharField,
    serializers.ChoiceField,
    serializers.PrimaryKeyRelatedField,
)


Writer = tuple[str, str, Callable[[Any], Any] | None]


@dataclass(frozen=True)
class _Plan:
    """For each field of ``ActivitySerializer`` in its order, its name, the attribute of a
    listed activity it reads and its format (None: as read); the format of an amount; the
    columns to read and the annotations for the paths through a relation."""

    writers: tuple[Writer, ...]
    amount: Callable[[Any], Any] | None
    columns: tuple[str, ...]
    paths: dict[str, F]


@functools.cache
def _plan() -> _Plan:
    """Built once: the serializer's fields' kinds and formats do not depend on the request."""
    fields = ActivitySerializer().fields
    contribution = fields.pop(CONTRIBUTIONS).child  # type: ignore[attr-defined]
    nested = list(contribution.fields)
    if nested != ["indicator", "amount"]:
        raise TypeError(f"A contribution's fields changed ({nested}): update activity_rows.")
    _format(contribution.fields["indicator"])
    writers = tuple((name, _attribute(field), _format(field)) for name, field in fields.items())
    paths = {
        _attribute(field): F("__".join(field.source_attrs))
        for field in fields.values()
        if len(field.source_attrs) > 1
    }
    return _Plan(
        writers=writers,
        amount=_format(contribution.fields["amount"]),
        columns=tuple(attribute for _name, attribute, _f in writers if attribute not in paths),
        paths=paths,
    )


def _attribute(field: serializers.Field[Any, Any, Any, Any]) -> str:
    """A column's attribute (``program_id`` for ``program``), or for a path through a relation
    (``program.work_plan_id``) the annotation ``list_queryset`` names after it."""
    if len(field.source_attrs) > 1:
        return "_".join(field.source_attrs)
    column = Activity._meta.get_field(field.source)
    if not isinstance(column, models.Field):
        raise TypeError(f"The activities list reads columns, not {field.source!r}.")
    return column.attname


def _format(field: serializers.Field[Any, Any, Any, Any]) -> Callable[[Any], Any] | None:
    if isinstance(field, serializers.DecimalField):
        return field.to_representation
    if isinstance(field, _AS_READ):
        return None
    raise TypeError(
        f"The activities list cannot write {field.field_name!r} ({type(field).__name__}) "
        "without its serializer: give it a format in opd.workplans.api.activity_rows."
    )


def _written(value: Any, format_: Callable[[Any], Any] | None) -> Any:
    """As DRF writes a field: None as null, anything else in the field's format."""
    return value if value is None or format_ is None else format_(value)


def list_queryset(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    """``activities`` reading only what the list writes: its columns, and each path through a
    relation as an annotation."""
    plan = _plan()
    return activities.only(*plan.columns).annotate(**plan.paths)


def write(activities: Sequence[Activity]) -> list[dict[str, Any]]:
    """The page's activities (of ``list_queryset``) as ``ActivitySerializer`` writes them, with
    their expected contributions (one query, in indicator order)."""
    plan = _plan()
    contributions: dict[int, list[dict[str, Any]]] = {a.pk: [] for a in activities}
    found: Iterable[tuple[int, int, Any]] = (
        ExpectedContribution.objects.filter(activity_id__in=list(contributions))
        .order_by("activity_id", "indicator_id")
        .values_list("activity_id", "indicator_id", "amount")
    )
    for activity_id, indicator_id, value in found:
        contributions[activity_id].append(
            {"indicator": indicator_id, "amount": _written(value, plan.amount)}
        )
    written = []
    for activity in activities:
        row = {
            name: _written(getattr(activity, attribute), format_)
            for name, attribute, format_ in plan.writers
        }
        row[CONTRIBUTIONS] = contributions[activity.pk]
        written.append(row)
    return written
