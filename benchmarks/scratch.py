"""The scale benchmark's scratch PostgreSQL database and the machine it runs on.

``python -m benchmarks --scale S`` never touches the database DATABASE_URL names: it creates
``magelang_bench_<scale>`` on the same server (connecting to the server's ``postgres``
database to do so), loads it, and drops it at the end unless ``--keep``. A kept database is
reused by the next run of the same scale when it holds the same synthetic regions.
"""

from __future__ import annotations

import os
import platform
from urllib.parse import urlsplit, urlunsplit


def is_postgres(url: str) -> bool:
    return urlsplit(url).scheme in {"postgres", "postgresql", "pgsql", "postgis"}


def scratch_url(url: str, scale: str) -> str:
    """DATABASE_URL with its database name replaced by ``magelang_bench_<scale>``."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/magelang_bench_{scale}"))


def _admin(url: str):  # type: ignore[no-untyped-def]
    import psycopg2

    parts = urlsplit(url)
    connection = psycopg2.connect(
        host=parts.hostname or "",
        port=parts.port or 5432,
        user=parts.username or "",
        password=parts.password or os.environ.get("PGPASSWORD", ""),
        dbname="postgres",
    )
    connection.autocommit = True
    return connection


def _name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _execute(url: str, sql: str, params: list[str] | None = None) -> bool:
    """Run ``sql`` on the server's ``postgres`` database (autocommit, as CREATE DATABASE
    needs); whether it returned a row."""
    connection = _admin(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.description is not None and cursor.fetchone() is not None
    finally:
        connection.close()


def exists(url: str) -> bool:
    return _execute(url, "SELECT 1 FROM pg_database WHERE datname = %s", [_name(url)])


def create(url: str) -> None:
    _execute(url, f'CREATE DATABASE "{_name(url)}"')


def drop(url: str) -> None:
    _execute(url, f'DROP DATABASE IF EXISTS "{_name(url)}" WITH (FORCE)')


def machine(server_version: str) -> dict[str, object]:
    """CPU count and model, RAM and the PostgreSQL version, for the JSON and the table."""
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    ram = 0
    try:
        with open("/proc/meminfo", encoding="utf-8") as meminfo:
            for line in meminfo:
                if line.startswith("MemTotal:"):
                    ram = int(line.split()[1]) * 1024
                    break
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "ram_gib": round(ram / 2**30, 1),
        "postgresql": server_version,
        "python": platform.python_version(),
        # Other work on the machine while measuring (1, 5, 15 minutes): figures taken under a
        # load average above the CPU count are slower than the code alone makes them.
        "load_average": [round(load, 1) for load in os.getloadavg()],
    }
