"""Database rules that span rows: triggers that refuse a bad row, by name.

A ``CheckConstraint`` sees one row only. Rules such as "a target's year lies
inside its plan's period" need another table, so they are triggers. Each rule
is written once, as the SQL condition under which a new or changed row
(``NEW``) is a violation; this module turns it into a PostgreSQL or SQLite
trigger that aborts the statement with an integrity error naming the rule.
A rule that fires on ``UPDATE`` only may also compare with the row as it was
(``OLD``), e.g. to refuse moving a row to another parent.

An app keeps its rules in ``<app>/rules.py`` (a list ``RULES``) and calls
:func:`keep_installed` from its ``AppConfig.ready()``. The triggers are then
(re)installed after every ``migrate`` (:func:`install` on ``post_migrate``),
because SQLite's schema editor rebuilds a table on most ``ALTER``s: a rebuilt
table loses its triggers, and a trigger naming a table makes that table's
rebuild fail, so on SQLite they are dropped before migrating (:func:`uninstall`
on ``pre_migrate``). Installing is idempotent; the tests check every rule is
present after migrating.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.signals import post_migrate, pre_migrate


@dataclass(frozen=True)
class RowRule:
    name: str
    table: str
    violation: str  # SQL condition on NEW (and OLD, for UPDATE only) true for a bad row
    message: str
    events: tuple[str, ...] = ("INSERT", "UPDATE")
    # A cheap condition on the row alone, tested before the rule's body is even planned: a rule
    # whose violation reads a table that an earlier migration state lacks must not fail every
    # other update of its table there (PostgreSQL plans the whole IF expression at once).
    when: str = ""

    def __post_init__(self) -> None:
        # SQLite has no OLD row in an INSERT trigger; PostgreSQL would silently read NULLs.
        if re.search(r"\bOLD\.", self.violation + self.when) and self.events != ("UPDATE",):
            raise ValueError(f"{self.name}: only an UPDATE-only rule may refer to OLD")


def _postgresql(rule: RowRule) -> list[str]:
    function = f"{rule.name}_fn"
    message = rule.message.replace("'", "''")
    return [
        f"""
        CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
        BEGIN
            IF {rule.violation} THEN
                RAISE EXCEPTION '{rule.name}: {message}'
                    USING ERRCODE = 'check_violation', CONSTRAINT = '{rule.name}';
            END IF;
            RETURN NEW;
        END
        $$ LANGUAGE plpgsql
        """,
        f"DROP TRIGGER IF EXISTS {rule.name} ON {rule.table}",
        f"""
        CREATE TRIGGER {rule.name} BEFORE {" OR ".join(rule.events)} ON {rule.table}
        FOR EACH ROW {f"WHEN ({rule.when})" if rule.when else ""} EXECUTE FUNCTION {function}()
        """,
    ]


def _sqlite(rule: RowRule) -> list[str]:
    message = f"{rule.name}: {rule.message}".replace("'", "''")
    statements = []
    for event in rule.events:
        trigger = f"{rule.name}_{event.lower()}"
        statements += [
            f"DROP TRIGGER IF EXISTS {trigger}",
            f"""
            CREATE TRIGGER {trigger} BEFORE {event} ON {rule.table}
            FOR EACH ROW WHEN {f"({rule.when}) AND " if rule.when else ""}({rule.violation})
            BEGIN SELECT RAISE(ABORT, '{message}'); END
            """,
        ]
    return statements


def install(connection: BaseDatabaseWrapper, rules: Iterable[RowRule]) -> None:
    """Create or replace every rule's trigger on ``connection``."""
    builders = {"postgresql": _postgresql, "sqlite": _sqlite}
    build = builders.get(connection.vendor)
    if build is None:
        raise NotImplementedError(
            f"Row rules support PostgreSQL and SQLite, not {connection.vendor}."
        )
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for rule in rules:
            if rule.table not in tables:  # migrated backwards past the table's creation
                continue
            for statement in build(rule):
                cursor.execute(statement)


def uninstall(connection: BaseDatabaseWrapper, rules: Iterable[RowRule]) -> None:
    """Drop every rule's trigger on SQLite before migrating (they come back after it).

    SQLite rebuilds a table for most ``ALTER``s by creating a copy and renaming it;
    the rename fails while another table's trigger names the table. PostgreSQL
    alters in place, so its triggers stay and keep guarding the data.
    """
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for rule in rules:
            for event in rule.events:
                cursor.execute(f"DROP TRIGGER IF EXISTS {rule.name}_{event.lower()}")


def installed_names(connection: BaseDatabaseWrapper) -> set[str]:
    """The rule names whose triggers exist on ``connection`` (for the checks and tests)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
            return {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {row[0].rsplit("_", 1)[0] for row in cursor.fetchall()}


def keep_installed(app: AppConfig) -> None:
    """Install ``app``'s rules (``<app>.rules.RULES``) after each of its migrations, and on
    SQLite drop them before; called once from the app's ``ready()``."""
    pre_migrate.connect(_uninstall_rules, sender=app, dispatch_uid=f"{app.name}.rules")
    post_migrate.connect(_install_rules, sender=app, dispatch_uid=f"{app.name}.rules")


def _rules_of(app: AppConfig) -> list[RowRule]:
    # Imported when the signal fires: the rules modules import this one.
    rules: list[RowRule] = import_module(f"{app.name}.rules").RULES
    return rules


def _install_rules(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    install(connections[using], _rules_of(sender))


def _uninstall_rules(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    uninstall(connections[using], _rules_of(sender))
