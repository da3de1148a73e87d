"""Page and incremental figures of the scale benchmark (Django set up on the scratch database).

Pages go through ``django.test.Client`` on the benchmark's URLconf, beside ``bench/trivial/``
on the same stack; the incremental recomputation is one activity's budget edited and its pairs
recomputed by the per-pair path, as the queued task does after a save.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from functools import partial
from typing import Any


def percentiles(timings: list[float]) -> dict[str, float]:
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50_ms": statistics.median(ordered) * 1000, "p95_ms": p95 * 1000}


def timed(action: Callable[[], object], repeat: int) -> list[float]:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return timings


def page_figures(region: str, province: str, repeat: int) -> dict[str, dict[str, Any]]:
    """p50/p95 and queries of the dashboards, the public page, a plan page and the floor."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from opd.models import Activity, WorkPlan

    users = get_user_model().objects
    reviewer, province_reviewer = Client(), Client()
    reviewer.force_login(users.get(username=f"bappeda.{region}"))
    province_reviewer.force_login(users.get(username=f"bappeda.{province}"))
    plan = (
        WorkPlan.objects.filter(opd__region__code=region)
        .order_by("-year", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    plan_rows = Activity.objects.filter(program__work_plan_id=plan).count()
    pages = {
        "trivial view": (Client(), "/bench/trivial/"),
        "dashboard": (reviewer, f"/dasbor/?wilayah={region}"),
        "province dashboard": (province_reviewer, f"/dasbor/provinsi/?wilayah={province}"),
        "public page": (Client(), f"/publik/?wilayah={region}"),
        "plan page": (reviewer, f"/renja/{plan}/?wilayah={region}"),
    }
    found: dict[str, dict[str, Any]] = {}
    for name, (client, url) in pages.items():
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}, not 200")
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        found[name] = {
            "url": url,
            "queries": len(queries),
            **percentiles(timed(partial(client.get, url), repeat)),
        }
    found["plan page"]["activities"] = plan_rows
    return found


def incremental(region: str, repeat: int) -> dict[str, Any]:
    """One activity's budget edited, then its pairs recomputed as the queued task does."""
    from django.db import connection, transaction
    from django.db.models import F
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from opd.engine import compute
    from opd.models import Activity, ContributionState, ExpectedContribution

    claim = (
        ExpectedContribution.objects.filter(
            activity__program__work_plan__opd__region__code=region, amount__gt=0
        )
        .order_by("pk")
        .values_list("activity_id", "indicator_id", "activity__program__work_plan__year")
        .first()
    )
    if claim is None:
        raise SystemExit(f"No activity of {region} claims a contribution.")
    activity_id, indicator_id, year = claim

    timings, counts = [], []
    for _ in range(repeat + 1):  # the first one warms the caches and is left out
        with transaction.atomic():
            Activity.objects.filter(pk=activity_id).update(budget=F("budget") + 1)
            ContributionState.objects.filter(indicator_id=indicator_id, year=year).update(
                dirty=True, dirty_since=timezone.now()
            )
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            compute.recompute(indicator_id=indicator_id, year=year)
            timings.append(time.perf_counter() - start)
        counts.append(len(queries))
    timings, counts = timings[1:], counts[1:]
    return {"queries": max(counts), **percentiles(timings)}
