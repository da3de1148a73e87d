"""The full recomputation in a process of its own, so its peak memory is its own.

``python -m benchmarks.recompute_run`` (DATABASE_URL naming the scratch database) runs
``recompute_every_year`` twice: cold (the first pass after loading: every pair pending, every
snapshot stored) and warm (nothing changed since: no snapshot stored), then the raw SQL floor,
and prints one JSON object: seconds, queries and pairs of each pass, the floor's seconds, and
the process's resident memory before the run and at its peak (``ru_maxrss``).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path


def _rss_now() -> int:
    """Resident set size now, in bytes (Linux; 0 elsewhere)."""
    try:
        with open("/proc/self/status", encoding="utf-8") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "magelang.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from benchmarks import floor
    from opd.engine.batch import recompute_every_year

    connection.ensure_connection()
    baseline = _rss_now()
    passes = {}
    for name in ("cold", "warm"):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            stats = recompute_every_year()
            seconds = time.perf_counter() - start
        passes[name] = {
            "seconds": seconds,
            "queries": len(queries),
            "pairs": stats.pairs,
            "stored": stats.stored,
            "years": stats.years,
        }
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    floors = [floor.run_floor() for _ in range(3)]
    print(
        json.dumps(
            {
                "passes": passes,
                "floor_seconds": floors,
                "floor_queries": floor.QUERIES,
                "rss_before": baseline,
                "rss_peak": peak,
            }
        )
    )


if __name__ == "__main__":
    main()
