"""Bulk inserts that count their rows: model instances for the few, plain values for the many.

``Rows.insert_values`` writes tuples straight into a model's table, ``INSERT ... VALUES ...
RETURNING id`` a batch at a time, without building a model instance per row: at province scale
(millions of activities, realisations and contributions) Django's per-instance preparation in
``bulk_create`` costs three times the database's own work. Every column not given gets its
field's default, prepared once; the database's constraints and triggers check each row as they
check any other insert.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models

BATCH = 5000  # rows per INSERT statement


class Rows:
    """Inserts in bulk and counts what it inserted (``count``)."""

    def __init__(self) -> None:
        self.count = 0

    def insert(self, model: type[models.Model], objects: list[Any]) -> list[Any]:
        """``bulk_create`` the instances (their primary keys set); returns them."""
        if objects:
            model._default_manager.bulk_create(objects, batch_size=BATCH)
            self.count += len(objects)
        return objects

    def insert_values(
        self, model: type[models.Model], columns: Sequence[str], values: list[tuple[Any, ...]]
    ) -> list[int]:
        """Insert one row per tuple of ``values`` (database values for ``columns``, by field
        attribute name: ``program_id``, ``code``, ...); returns their primary keys in order."""
        if not values:
            return []
        meta = model._meta
        fields = {field.attname: field for field in meta.concrete_fields if not field.primary_key}
        unknown = set(columns) - fields.keys()
        if unknown:
            raise ValueError(f"{meta.label} has no field {', '.join(sorted(unknown))}")
        rest = [field for name, field in fields.items() if name not in columns]
        defaults = tuple(field.get_db_prep_save(field.get_default(), connection) for field in rest)
        quote = connection.ops.quote_name
        names = ", ".join(quote(field.column) for field in [*(fields[c] for c in columns), *rest])
        row = "(" + ", ".join(["%s"] * (len(columns) + len(rest))) + ")"
        # SQLite caps a statement's parameters; PostgreSQL does not.
        size = min(BATCH, connection.ops.bulk_batch_size([*columns, *rest], values))
        ids: list[int] = []
        with connection.cursor() as cursor:
            for start in range(0, len(values), size):
                batch = values[start : start + size]
                cursor.execute(
                    f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES "  # noqa: S608
                    f"{', '.join([row] * len(batch))} RETURNING {quote(meta.pk.column)}",
                    [value for line in batch for value in (*line, *defaults)],
                )
                # PostgreSQL returns the rows of a multi-row VALUES in their order, as Django's
                # own bulk_create relies on.
                ids += [pk for (pk,) in cursor.fetchall()]
        self.count += len(values)
        return ids
