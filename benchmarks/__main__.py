"""Seed, home-page and save benchmarks on a throw-away SQLite database (or DATABASE_URL's server).

With ``--scale tiny|city|province|country`` (``make bench`` passes ``BENCH_SCALE``): the issue
15 figures at that scale on PostgreSQL instead (``benchmarks.scale``); without PostgreSQL in
DATABASE_URL that says so and runs these SQLite figures.

Prints wall-clock medians over repeated runs and query counts, so a change can be compared
before and after on the same machine. The last figure is an activity save while the broker
accepts connections and never answers: the save gives up on it (the sweep catches up).
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path


def median_ms(action: Callable[[], object], repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


@contextlib.contextmanager
def silent_broker() -> Iterator[str]:
    """A TCP server that accepts connections and never answers (a frozen Redis)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    server.settimeout(0.1)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            with contextlib.suppress(OSError):
                accepted.append(server.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    finally:
        stop.set()
        thread.join(2)
        for conn in accepted:
            conn.close()
        server.close()


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

    from magelang.celery import app
    from opd.models import Activity
    from opd.workplans import services

    head = get_user_model().objects.get(username="kepala.dinkes")
    activity = (
        Activity.objects.filter(
            program__work_plan__status="draft", program__work_plan__opd__memberships__user=head
        )
        .order_by("pk")
        .first()
    )
    if activity is None:
        raise SystemExit("The demo seed should give kepala.dinkes a draft plan with an activity.")

    def save() -> None:
        current = Activity.objects.get(pk=activity.pk)
        services.activity_update(
            activity_id=current.pk,
            by=head,
            data=services.ActivityData(values={"budget": current.budget + 1}),
            seen_version=current.version,
        )

    save()
    saving = median_ms(save, 20)
    with CaptureQueriesContext(connection) as save_queries:
        save()
    logging.disable(logging.CRITICAL)  # the refused publishes are logged, by design
    previous = app.conf.broker_url, app.conf.task_always_eager
    with silent_broker() as url:
        app.conf.broker_url, app.conf.task_always_eager = url, False
        try:
            frozen = median_ms(save, 5)
        finally:
            app.conf.broker_url, app.conf.task_always_eager = previous
    logging.disable(logging.NOTSET)

    print(f"database           {connection.vendor}")
    print(f"seed, first load   {first_seed:8.1f} ms")
    print(f"seed, re-run       {reseed:8.1f} ms  ({reseed / first_seed:.2f} × first load)")
    print(f"home page          {home:8.1f} ms  median of 50, {len(queries)} queries")
    print(f"activity save      {saving:8.1f} ms  median of 20, {len(save_queries)} queries")
    print(
        f"save, frozen Redis {frozen:8.1f} ms  median of 5 "
        f"({frozen / saving:.1f} × a save; the broker wait is capped at 0.5 s)"
    )
    from benchmarks import aspiration_import

    for line in aspiration_import.run():
        print(line)
    from benchmarks import beneficiary_import, beneficiary_overlap

    for line in (*beneficiary_import.run(), *beneficiary_overlap.run()):
        print(line)


if __name__ == "__main__":
    if len(sys.argv) > 1:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        from benchmarks import scale

        scale.main(sys.argv[1:])
    else:
        main()
