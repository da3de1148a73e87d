"""The SQLite form of a row rule keeps its ``when`` guard in front of the whole violation.

A violation with a top-level OR once read as ``(when) AND a OR b`` there, so the trigger fired on
updates its guard excludes (a work plan with Renstra links could not be submitted on SQLite).
"""

import sqlite3

import pytest

from magelang.db_rules import RowRule, _sqlite

RULE = RowRule(
    name="thing_keeps_owner",
    table="thing",
    when="NEW.owner <> OLD.owner",
    violation="NEW.a = 1 OR NEW.b = 1",
    message="a marked thing keeps its owner",
    events=("UPDATE",),
)


@pytest.fixture
def db() -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:")
    connection.execute(
        "CREATE TABLE thing (id INTEGER PRIMARY KEY, owner TEXT, a INT, b INT, n INT)"
    )
    connection.execute("INSERT INTO thing VALUES (1, 'x', 0, 1, 0)")
    for statement in _sqlite(RULE):
        connection.execute(statement)
    return connection


def test_an_update_outside_the_guard_passes_whatever_the_violation(db: sqlite3.Connection) -> None:
    db.execute("UPDATE thing SET n = 5 WHERE id = 1")  # b = 1 violates, but the owner stays
    assert db.execute("SELECT n FROM thing").fetchone() == (5,)


def test_an_update_inside_the_guard_is_refused_by_either_branch(db: sqlite3.Connection) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="thing_keeps_owner"):
        db.execute("UPDATE thing SET owner = 'y' WHERE id = 1")
    db.execute("UPDATE thing SET b = 0 WHERE id = 1")
    db.execute("UPDATE thing SET owner = 'y' WHERE id = 1")  # neither branch holds: allowed
    assert db.execute("SELECT owner FROM thing").fetchone() == ("y",)
