"""``manage.py backup`` and ``manage.py restore`` (``make backup``, ``make restore``) on PostgreSQL.

A backup of the seeded test database is restored into a new database, table by table equal; a
restore over a database that holds tables is refused and changes nothing; forced, it puts the
backup's rows back.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import uuid
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from magelang.backups import BackupError, Database
from targets.models import Actual

ROOT = Path(__file__).resolve().parent.parent


def _row_counts(database: Database) -> dict[str, int]:
    """Every table of ``public`` with its number of rows."""
    conn = database.connect()
    try:
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname"
            )
            tables = [row[0] for row in cursor.fetchall()]
            counts = {}
            for table in tables:
                cursor.execute(f'SELECT count(*) FROM public."{table}"')  # noqa: S608 - catalogue names
                counts[table] = cursor.fetchone()[0]
    finally:
        conn.close()
    return counts


def _database_url(database: Database) -> str:
    password = f":{database.password}" if database.password else ""
    host = database.host or "127.0.0.1"
    port = database.port or "5432"
    return f"postgres://{database.user}{password}@{host}:{port}/{database.name}"


@pytest.fixture
def test_database() -> Database:
    return Database.from_settings(connection.settings_dict)


@pytest.fixture
def new_database(test_database: Database) -> Iterator[Database]:
    """An empty database on the same server, dropped afterwards."""
    name = f"{test_database.name}_restore_{uuid.uuid4().hex[:8]}"
    admin = test_database.connect()  # autocommit: CREATE DATABASE cannot run in a transaction
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        yield Database(
            name=name,
            user=test_database.user,
            password=test_database.password,
            host=test_database.host,
            port=test_database.port,
            options=test_database.options,
        )
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.close()


def _manage(database: Database, *args: str) -> subprocess.CompletedProcess[str]:
    """``python manage.py ...`` in a fresh process, as ``make`` runs it, against ``database``."""
    env = {**os.environ, "DATABASE_URL": _database_url(database)}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_a_new_database_and_over_the_old_one_only_when_forced(
    tmp_path: Path, test_database: Database, new_database: Database
) -> None:
    call_command("load_magelang", "--demo", stdout=StringIO())
    seeded = _row_counts(test_database)
    assert sum(seeded.values()) > 100
    assert seeded["django_migrations"] > 0

    path = tmp_path / "backups" / "seeded.dump"
    call_command("backup", "--file", str(path), stdout=StringIO())
    assert path.is_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not list(path.parent.glob("*.partial"))

    # Into a new, empty database: every table, every row.
    restored = _manage(new_database, "restore", str(path))
    assert restored.returncode == 0, restored.stderr
    assert _row_counts(new_database) == seeded

    # Over the test database, now changed: refused, and nothing changes.
    deleted, _ = Actual.objects.all().delete()
    assert deleted
    changed = _row_counts(test_database)
    assert changed != seeded
    with pytest.raises(CommandError, match=r"Refusing to restore over database .* not empty"):
        call_command("restore", str(path))
    assert _row_counts(test_database) == changed

    # Forced: the backup's rows are back.
    call_command("restore", str(path), "--force", stdout=StringIO())
    assert _row_counts(test_database) == seeded


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_restore_is_refused_over_tables_the_backup_lacks_a_bad_file_and_an_existing_one(
    tmp_path: Path, new_database: Database
) -> None:
    path = tmp_path / "empty.dump"
    call_command("backup", "--file", str(path), stdout=StringIO())
    assert _manage(new_database, "restore", str(path)).returncode == 0
    conn = new_database.connect()
    with conn.cursor() as cursor:
        cursor.execute("CREATE TABLE from_a_later_release (id int)")
    conn.close()

    refused = _manage(new_database, "restore", str(path), "--force")
    assert refused.returncode == 1
    assert "from_a_later_release" in refused.stderr
    assert "Drop and recreate the database" in refused.stderr
    assert "nothing was changed" in refused.stderr

    not_a_dump = tmp_path / "notes.txt"
    not_a_dump.write_text("not a backup\n")
    with pytest.raises(CommandError, match="is not a pg_dump -Fc archive"):
        call_command("restore", str(not_a_dump), "--force")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", "--file", str(path))


def test_backups_refuse_sqlite() -> None:
    with pytest.raises(BackupError, match="Backups are for PostgreSQL deployments"):
        Database.from_settings({"ENGINE": "django.db.backends.sqlite3", "NAME": "x.sqlite3"})


def test_the_password_reaches_pg_dump_through_the_environment_only() -> None:
    database = Database.from_settings(
        {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "magelang",
            "USER": "magelang",
            "PASSWORD": "s3cret",
            "HOST": "db",
            "PORT": 5432,
            "OPTIONS": {"sslmode": "require"},
        }
    )
    env = database.environ()
    assert env["PGPASSWORD"] == "s3cret"
    assert (env["PGHOST"], env["PGPORT"], env["PGUSER"]) == ("db", "5432", "magelang")
    assert env["PGSSLMODE"] == "require"
