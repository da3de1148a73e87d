"""`make run`'s path on SQLite, run by CI too: CI's suite runs on PostgreSQL, and two faults
that only SQLite shows (a check comparing decimals in floating point, an ORDER BY inside a
UNION) once broke the first run of a newcomer with nothing but Python. In a fresh process on
a fresh SQLite file with eager Celery: migrate, seed the demo, recompute every year, then open
the pages Bappeda and the public open first."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
import django
django.setup()
from decimal import Decimal
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from opd.engine.compute import recompute_all
from opd.models import ContributionSnapshot

call_command("migrate", verbosity=0)
call_command("load_magelang", "--demo", verbosity=0)
recompute_all()
snapshot = ContributionSnapshot.objects.filter(year=2018).latest()
assert snapshot.status_basis == "deduplicated", snapshot.status_basis
assert snapshot.planned_deduplicated < snapshot.planned_total, snapshot.planned_total
assert snapshot.overlap == snapshot.planned_total - snapshot.planned_deduplicated
client = Client()
client.cookies["django_language"] = "en"
for path in ("/", "/publik/?tahun=2018"):
    assert client.get(path).status_code == 200, path
client.force_login(get_user_model().objects.get(username="bappeda"))
for path in ("/", "/dasbor/?tahun=2018", "/dasbor/opd/"):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
print("first run ok", snapshot.planned_total, snapshot.planned_deduplicated)
"""


def test_the_first_run_works_on_sqlite_with_eager_celery(tmp_path: Path) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_ENV", "CI"}
    }
    env |= {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'magelang.sqlite3'}",
        "VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "magelang.settings",
        "DEBUG": "false",
    }
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    assert "first run ok" in done.stdout
