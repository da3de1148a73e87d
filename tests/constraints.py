"""Helpers for the constraint tests of every room: expect the database to refuse a row by name.

Every constraint test writes through the ORM (``create``, ``save``, ``QuerySet.update``), never
through a form or ``full_clean``, expects an ``IntegrityError`` naming the constraint or rule,
and shows the nearest good row is accepted, so a rule that refuses everything fails too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, models, transaction

from magelang.db_rules import RowRule, install
from opd.rules import RULES as OPD_RULES
from targets.rules import RULES as TARGETS_RULES

RULES: dict[str, RowRule] = {rule.name: rule for rule in (*TARGETS_RULES, *OPD_RULES)}


def _constraint(name: str) -> tuple[type[models.Model], models.BaseConstraint]:
    for label in ("targets", "opd"):
        for model in apps.get_app_config(label).get_models():
            for constraint in model._meta.constraints:
                if constraint.name == name:
                    return model, constraint
    raise LookupError(f"no constraint named {name!r}")


def _sqlite_unique(model: type[models.Model], fields: Sequence[str]) -> str:
    table = model._meta.db_table
    columns = ", ".join(f"{table}.{model._meta.get_field(field).column}" for field in fields)
    return f"UNIQUE constraint failed: {columns}"


@contextmanager
def _integrity_error(check: Callable[[str], bool], expected: str) -> Iterator[None]:
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        yield
    message = str(caught.value)
    assert check(message), f"expected {expected!r} in the error, got {message!r}"


def refused(name: str) -> Any:
    """Expect the block to fail with an ``IntegrityError`` naming constraint or rule ``name``.

    Rules start their message with their name on both backends. PostgreSQL names
    check and unique constraints; SQLite names CHECK constraints but reports a
    UNIQUE violation by its columns, so those are matched instead.
    """
    if name in RULES:
        prefix = f"{name}: "
        return _integrity_error(lambda message: message.startswith(prefix), prefix)
    model, constraint = _constraint(name)
    sqlite = connection.vendor == "sqlite"
    if isinstance(constraint, models.UniqueConstraint):
        expected = (
            _sqlite_unique(model, constraint.fields) if sqlite else f'unique constraint "{name}"'
        )
    else:
        expected = f"CHECK constraint failed: {name}" if sqlite else f'check constraint "{name}"'
    return _integrity_error(lambda message: expected in message, expected)


def refused_duplicate(model: type[models.Model], field: str) -> Any:
    """Expect a violation of ``unique=True`` on ``model.field``, whose name is generated."""
    column = model._meta.get_field(field).column
    expected = (
        _sqlite_unique(model, [field]) if connection.vendor == "sqlite" else f"Key ({column})="
    )
    return _integrity_error(lambda message: expected in message, expected)


@contextmanager
def rule_suspended(name: str) -> Iterator[None]:
    """Run the block without rule ``name``'s trigger, to reach the check it would pre-empt.

    A BEFORE trigger fires before the table's CHECK constraints, so e.g. a target
    year of 2101 is always refused by the plan-period rule first. The suspension is
    undone by the test's transaction; on PostgreSQL it must start before the block
    writes to the rule's table (ALTER TABLE refuses a table with pending FK checks).
    """
    assert connection.in_atomic_block, "suspend a rule only inside the test's transaction"
    rule = RULES[name]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {rule.table} DISABLE TRIGGER {rule.name}")
        else:
            for event in rule.events:
                cursor.execute(f"DROP TRIGGER {rule.name}_{event.lower()}")
    yield
    if connection.vendor == "sqlite":
        install(connection, [rule])


def assert_unique(
    name: str,
    factory: Callable[..., models.Model],
    *,
    scope: Sequence[str],
    key: Mapping[str, Any] | Sequence[str],
    other_key: Mapping[str, Any],
) -> None:
    """Check unique constraint ``name``: one row per ``scope`` and ``key``.

    ``key`` is either plain values (then the same key under a fresh scope is also
    shown to be accepted) or field names whose values are copied from the first row.
    """
    plain = isinstance(key, Mapping)
    first = factory(**key) if plain else factory()
    key_values = dict(key) if plain else {field: getattr(first, field) for field in key}
    same_scope = {field: getattr(first, field) for field in scope}

    assert factory(**same_scope, **other_key).pk, "same scope, another key"
    if plain:
        assert factory(**key).pk, "same key, another scope"
    with refused(name):
        factory(**same_scope, **key_values)
