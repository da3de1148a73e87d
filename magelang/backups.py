"""Backups of the portal's PostgreSQL database: ``pg_dump -Fc`` out, ``pg_restore`` back in.

The database is the one Django is configured with (``DATABASE_URL``). Its password reaches
``pg_dump`` and ``pg_restore`` through ``PGPASSWORD`` in their environment, never on a command
line, where any user of the machine could read it. The binaries are the ones on ``PATH``; a
``pg_dump`` older than the server refuses to dump it, so the client tools must be at least the
server's version.

A restore goes into an empty database; over one that holds tables only when forced, and then
with ``--clean --if-exists``. Either way it runs in one transaction, so a restore that fails
half-way changes nothing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import psycopg2

# libpq reads these from the environment; dj-database-url puts them in OPTIONS (?sslmode=...).
_LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
}
# A table in a pg_restore listing: "<id>; <oid> <oid> TABLE public <name> <owner>".
_TOC_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE public (\S+) ")


class BackupError(Exception):
    """A backup or restore that was refused or failed; the message says why and what to do."""


@dataclass(frozen=True)
class Database:
    """Where pg_dump and pg_restore connect, from Django's settings for one database."""

    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""
    options: Mapping[str, Any] | None = None

    @classmethod
    def from_settings(cls, settings_dict: Mapping[str, Any]) -> Database:
        """The database of a Django ``DATABASES`` entry; refuses anything but PostgreSQL."""
        engine = str(settings_dict.get("ENGINE", ""))
        if not engine.endswith("postgresql"):
            vendor = engine.rsplit(".", 1)[-1] or "no database"
            raise BackupError(
                f"Backups are for PostgreSQL deployments, and DATABASE_URL points at {vendor}. "
                "Set DATABASE_URL=postgres://USER@HOST:5432/NAME (the password, if any, in the "
                "URL too: it is passed to pg_dump and pg_restore through PGPASSWORD)."
            )
        return cls(
            name=str(settings_dict["NAME"]),
            user=str(settings_dict.get("USER") or ""),
            password=str(settings_dict.get("PASSWORD") or ""),
            host=str(settings_dict.get("HOST") or ""),
            port=str(settings_dict.get("PORT") or ""),
            options=dict(settings_dict.get("OPTIONS") or {}),
        )

    def environ(self) -> dict[str, str]:
        """The environment for pg_dump and pg_restore: the caller's, plus this connection."""
        env = dict(os.environ)
        for key, value in (
            ("PGHOST", self.host),
            ("PGPORT", self.port),
            ("PGUSER", self.user),
            ("PGPASSWORD", self.password),
        ):
            if value:
                env[key] = value
            else:
                env.pop(key, None)
        for option, variable in _LIBPQ_OPTIONS.items():
            if self.options and option in self.options:
                env[variable] = str(self.options[option])
        return env

    def connect(self) -> Any:
        """A psycopg2 connection in autocommit, for the read-only checks before a restore."""
        params = {
            "dbname": self.name,
            "user": self.user,
            "password": self.password,
            "host": self.host,
            "port": self.port,
        }
        params.update(
            {
                key: str(value)
                for key, value in (self.options or {}).items()
                if key in _LIBPQ_OPTIONS
            }
        )
        connection = psycopg2.connect(**{key: value for key, value in params.items() if value})
        connection.autocommit = True
        return connection


@dataclass(frozen=True)
class Contents:
    """What a database already holds: its relations in ``public``, its applied migrations."""

    relations: tuple[str, ...]  # tables, views, sequences
    tables: frozenset[str]  # of those, the tables
    migrations: int | None  # None: there is no django_migrations table

    @property
    def empty(self) -> bool:
        return not self.relations


def _binary(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found on PATH: install the PostgreSQL client tools "
            "(Debian: apt-get install postgresql-client), at least the server's version."
        )
    return path


def _failure(what: str, result: subprocess.CompletedProcess[bytes]) -> str:
    detail = result.stderr.decode(errors="replace").strip().splitlines()
    tail = "\n".join(detail[-15:]) or f"exit status {result.returncode}"
    return f"{what} failed:\n{tail}"


def backup_path(directory: Path, database: Database, now: datetime | None = None) -> Path:
    """``<directory>/<dbname>-<UTC timestamp>.dump``."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return directory / f"{database.name}-{stamp}.dump"


def dump(database: Database, path: Path | None, *, stdout: IO[bytes] | None = None) -> None:
    """Write a ``pg_dump -Fc`` archive of ``database`` to ``path`` (or to ``stdout``).

    The archive is written beside ``path`` under a ``.partial`` name and renamed when pg_dump
    succeeds, so a file with the final name is always a whole backup. An existing file is never
    overwritten.
    """
    command = [_binary("pg_dump"), "--format=custom", "--no-password", "--dbname", database.name]
    if path is None:
        result = subprocess.run(  # noqa: S603 - fixed binary, no shell
            command, env=database.environ(), stdout=stdout, stderr=subprocess.PIPE, check=False
        )
        if result.returncode:
            raise BackupError(_failure("pg_dump", result))
        return
    if path.exists():
        raise BackupError(
            f"{path} already exists; choose another FILE (a backup never overwrites)."
        )
    # A backup holds password hashes and people's names: readable by its owner only.
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    result = subprocess.run(  # noqa: S603 - fixed binary, no shell
        [*command, "--file", str(partial)],
        env=database.environ(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
    )
    if result.returncode:
        partial.unlink(missing_ok=True)
        raise BackupError(_failure("pg_dump", result))
    partial.replace(path)


def archive_tables(path: Path) -> set[str]:
    """The tables of ``public`` in a ``pg_dump -Fc`` archive; refuses a file that is not one."""
    if not path.is_file():
        raise BackupError(f"{path}: no such file.")
    result = subprocess.run(  # noqa: S603 - fixed binary, no shell
        [_binary("pg_restore"), "--list", str(path)], capture_output=True, check=False
    )
    if result.returncode:
        raise BackupError(
            _failure(f"{path} is not a pg_dump -Fc archive: pg_restore --list", result)
        )
    listing = result.stdout.decode(errors="replace").splitlines()
    return {match[1] for line in listing if (match := _TOC_TABLE.match(line))}


def contents(database: Database) -> Contents:
    """The relations (tables, views, sequences) in ``public`` and the applied migrations."""
    connection = database.connect()
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.relname, c.relkind FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') "
                "ORDER BY c.relname"
            )
            rows = cursor.fetchall()
            tables = frozenset(name for name, kind in rows if kind in ("r", "p"))
            migrations = None
            if "django_migrations" in tables:
                cursor.execute("SELECT count(*) FROM public.django_migrations")
                migrations = int(cursor.fetchone()[0])
    finally:
        connection.close()
    return Contents(relations=tuple(name for name, _ in rows), tables=tables, migrations=migrations)


def restore(database: Database, path: Path, *, force: bool = False) -> None:
    """Restore the archive at ``path`` into ``database``, in one transaction.

    Refused when the database holds any relation in ``public`` unless ``force``; forced, the
    archive's objects are dropped and recreated (``--clean --if-exists``), and it is still
    refused when the database has tables the archive lacks (they would be left beside the
    restored ones, and the next ``migrate`` would stumble on them).
    """
    tables_in_archive = archive_tables(path)
    found = contents(database)
    if not found.empty and not force:
        migrations = (
            f", {found.migrations} applied migrations in django_migrations"
            if found.migrations is not None
            else ""
        )
        raise BackupError(
            f"Refusing to restore over database {database.name!r}: it is not empty "
            f"({len(found.relations)} tables, sequences or views in the public schema{migrations}). "
            "Restore into a new, empty database, or set FORCE=1 (--force) to replace the "
            "archive's tables in this one; nothing was changed."
        )
    extra = sorted(found.tables - tables_in_archive)
    if extra:
        raise BackupError(
            f"Refusing to restore over database {database.name!r}: it has tables the backup "
            f"does not ({', '.join(extra[:10])}{', ...' if len(extra) > 10 else ''}), which "
            "a restore would leave in place beside the restored ones. Drop and recreate the "
            "database (dropdb, createdb), then restore into it without FORCE; nothing was "
            "changed."
        )
    command = [
        _binary("pg_restore"),
        "--no-password",
        "--dbname",
        database.name,
        # All or nothing: a failure rolls back every statement before it.
        "--single-transaction",
        # Objects belong to the user restoring, whatever role owned them where the dump was made.
        "--no-owner",
    ]
    if force:
        command += ["--clean", "--if-exists"]
    result = subprocess.run(  # noqa: S603 - fixed binary, no shell
        [*command, str(path)], env=database.environ(), capture_output=True, check=False
    )
    if result.returncode:
        raise BackupError(
            _failure("pg_restore", result)
            + "\nThe restore ran in one transaction and was rolled back: nothing was changed."
        )
