"""Seed and home-page benchmarks on a throw-away SQLite database (or DATABASE_URL's server).

Prints wall-clock medians over repeated runs and the home page's query count, so a
change can be compared before and after on the same machine.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def median_ms(action: Callable[[], object], repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="magelang-bench-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "magelang.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

    import django

    django.setup()
    from io import StringIO

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    quiet = StringIO()
    first_seed = median_ms(lambda: call_command("load_magelang", "--demo", stdout=quiet), 1)
    reseed = median_ms(lambda: call_command("load_magelang", "--demo", stdout=quiet), 5)

    client = Client()
    client.force_login(get_user_model().objects.get(username="bappeda"))
    client.get("/")  # warm the template cache
    home = median_ms(lambda: client.get("/"), 50)
    with CaptureQueriesContext(connection) as queries:
        client.get("/")

    print(f"database           {connection.vendor}")
    print(f"seed, first load   {first_seed:8.1f} ms")
    print(f"seed, re-run       {reseed:8.1f} ms  ({reseed / first_seed:.2f} × first load)")
    print(f"home page          {home:8.1f} ms  median of 50, {len(queries)} queries")


if __name__ == "__main__":
    main()
