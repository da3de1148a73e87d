"""The activities API list under gunicorn with bounded concurrent load, beside its floor.

Starts gunicorn (the product's WSGI application, the benchmark's URLconf through
``benchmarks.bench_settings``) on a free loopback port with the Procfile's three sync workers,
then sends ``requests`` GETs from ``threads`` threads to ``/api/v1/activities/`` (signed in
as the region's reviewer, by session cookie) and to ``/bench/rows/`` (the same 50 activities
as a bare JsonResponse). Reports requests/s and p50/p95 of each.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmarks.pages import percentiles

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 3


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def gunicorn(database_url: str) -> Iterator[str]:
    port = _free_port()
    env = os.environ | {
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "benchmarks.bench_settings",
        "LOG_LEVEL": "WARNING",
        "DEBUG": "false",
    }
    binary = Path(sys.executable).with_name("gunicorn")
    command = [str(binary)] if binary.exists() else [sys.executable, "-m", "gunicorn"]
    server = subprocess.Popen(  # noqa: S603 - the venv's gunicorn, no shell
        [*command, "magelang.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            if server.poll() is not None:
                raise SystemExit(f"gunicorn exited with {server.returncode}")
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"{base}/bench/trivial/", timeout=2).read()  # noqa: S310
                break
            time.sleep(0.5)
        else:
            raise SystemExit("gunicorn did not answer within 60 s")
        yield base
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def load(url: str, cookie: str, threads: int, requests: int) -> dict[str, Any]:
    """``requests`` GETs of ``url`` (http on the loopback: S310 below) spread over ``threads``
    threads (after one warm-up each)."""
    timings: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    share = [requests // threads + (1 if n < requests % threads else 0) for n in range(threads)]

    def get() -> float:
        request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310
        start = time.perf_counter()
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            response.read()
            if response.status != 200:
                raise OSError(f"{url} answered {response.status}")
        return time.perf_counter() - start

    def worker(count: int) -> None:
        mine = []
        try:
            get()
            barrier.wait()
            for _ in range(count):
                mine.append(get())
        except Exception as error:  # reported below, never silently lost
            failures.append(f"{type(error).__name__}: {error}")
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.abort()
        with lock:
            timings.extend(mine)

    barrier = threading.Barrier(threads + 1)
    pool = [threading.Thread(target=worker, args=(count,)) for count in share]
    for thread in pool:
        thread.start()
    with contextlib.suppress(threading.BrokenBarrierError):
        barrier.wait()
    start = time.perf_counter()
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - start
    if failures:
        raise SystemExit(f"{url}: {failures[0]}")
    return {"requests": len(timings), "rps": len(timings) / elapsed, **percentiles(timings)}


def api_figures(
    database_url: str, region: str, threads: int, requests: int
) -> dict[str, dict[str, Any]]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from targets.models import Region

    client = Client()
    client.force_login(get_user_model().objects.get(username=f"bappeda.{region}"))
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    region_id = Region.objects.get(code=region).pk
    with CaptureQueriesContext(connection) as api_queries:
        client.get("/api/v1/activities/")
    with CaptureQueriesContext(connection) as bare_queries:
        client.get(f"/bench/rows/?region={region_id}")
    with gunicorn(database_url) as base:
        return {
            "activities API": {
                "url": "/api/v1/activities/",
                "queries": len(api_queries),
                **load(f"{base}/api/v1/activities/", cookie, threads, requests),
            },
            "bare JsonResponse": {
                "url": f"/bench/rows/?region={region_id}",
                "queries": len(bare_queries),
                **load(f"{base}/bench/rows/?region={region_id}", cookie, threads, requests),
            },
        }
