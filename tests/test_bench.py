"""The scale benchmark's pieces that decide what it reports (``benchmarks``): its SQL floor
reads the same rows the recomputation sums, its table names every figure with its goal and
judges them from the figures alone, the country splits into provinces the generator accepts,
and the scratch database is never the one DATABASE_URL names. No timing is asserted."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.db.models import Sum

from benchmarks import floor, report, scale, scratch
from opd.models import AchievedContribution, Activity, ExpectedContribution
from opd.synthetic.run import generate_synthetic


def page(queries: int, p95: float = 40.0) -> dict[str, Any]:
    return {"queries": queries, "p50_ms": 20.0, "p95_ms": p95}


def result(scale_name: str = "province", **changes: Any) -> dict[str, Any]:
    """A complete result as ``benchmarks.scale.run`` returns it (every figure, made up)."""
    run = {"seconds": 1.2, "queries": 103, "pairs": 18, "stored": 12, "years": 6}
    found: dict[str, Any] = {
        "scale": scale_name,
        "regions": 35,
        "activities": 630_000,
        "seed": {"rows": 1000, "seconds": 2.0, "rows_per_s": 500.0},
        "recompute": {
            "cold": run | {"floor_ratio": 1.9},
            "warm": run | {"floor_ratio": 1.4},
            "floor_ms": 600.0,
            "floor_queries": 3,
            "memory": {"before_mib": 60.0, "peak_mib": 90.0},
        },
        "incremental": page(14),
        "pages": {
            name: page(9)
            for name in ("trivial view", "dashboard", "province dashboard", "public page")
        }
        | {"plan page": page(18) | {"activities": 75}},
        "api": {
            "activities API": {"requests": 400, "rps": 60.0, **page(9)},
            "bare JsonResponse": {"requests": 400, "rps": 100.0, **page(1)},
        },
        "api_load": {"threads": 8, "requests": 400},
        "imports": ["import, check        812.0 ms  5000 rows of XLSX read and checked"],
    }
    for path, value in changes.items():
        *keys, last = path.split("__")
        target = found
        for key in keys:
            target = target[key]
        target[last] = value
    return found


def verdicts(rows: list[tuple[str, str, str, str, str]]) -> dict[str, str]:
    return {row[0]: row[3] for row in rows}


def test_every_figure_has_a_row_with_its_goal(tmp_path: Path) -> None:
    rows = report.rows(result(), tmp_path)
    assert [row[0] for row in rows] == [
        "seed (generate_synthetic)",
        "full recomputation, cold",
        "full recomputation, warm",
        "worker peak memory, full recomputation",
        "incremental recomputation, 1 edit",
        "dashboard",
        "province dashboard",
        "public page",
        "plan page",
        "trivial view (floor)",
        "activities API list (gunicorn)",
        "import, check",
    ]
    assert verdicts(rows)["full recomputation, cold"] == "yes"  # 1.9 <= 2
    assert verdicts(rows)["full recomputation, warm"] == "yes"  # 1.4 <= 1.5
    assert verdicts(rows)["activities API list (gunicorn)"] == "yes"  # 0.6x
    assert verdicts(rows)["province dashboard"] == "yes"  # p95 40 ms at province
    assert "| met? |" in report.table(rows)


def test_missed_goals_say_no(tmp_path: Path) -> None:
    missed = result(recompute__warm__floor_ratio=1.6)
    missed["api"]["bare JsonResponse"] = {"requests": 400, "rps": 121.0, **page(1)}
    missed["pages"]["dashboard"]["p95_ms"] = 150.0
    found = verdicts(report.rows(missed, tmp_path))
    assert found["full recomputation, warm"] == "no"
    assert found["activities API list (gunicorn)"] == "no"  # 60 / 121 < 0.5
    assert found["dashboard"] == "no"


def test_query_counts_and_memory_are_judged_against_the_other_scales(tmp_path: Path) -> None:
    tiny = result("tiny", pages__dashboard__queries=10, activities=600)
    report.write(tiny, tmp_path / "latest.json")
    assert (tmp_path / "tiny.json").exists()
    found = verdicts(report.rows(result("province"), tmp_path))
    assert found["dashboard"] == "no"  # 9 queries here, 10 at tiny
    assert found["public page"] == "yes"
    assert found["worker peak memory, full recomputation"] == "yes"  # 90 MiB both
    grown = result("province", recompute__memory={"before_mib": 60.0, "peak_mib": 136.0})
    assert verdicts(report.rows(grown, tmp_path))["worker peak memory, full recomputation"] == "no"
    # Judged only against scales with fewer activities: tiny is not judged against province.
    report.write(grown, tmp_path / "latest.json")
    assert verdicts(report.rows(tiny, tmp_path))["worker peak memory, full recomputation"] == "n/a"


def test_missing_figure_is_an_error(tmp_path: Path) -> None:
    broken = copy.deepcopy(result())
    del broken["pages"]["public page"]
    with pytest.raises(KeyError):
        report.rows(broken, tmp_path)


def test_the_country_splits_into_provinces_the_generator_accepts() -> None:
    assert scale.provinces(35) == [("S33", 35)]
    country = scale.provinces(514)
    assert sum(count for _code, count in country) == 514
    assert max(count for _code, count in country) <= 35
    assert len({code for code, _count in country}) == len(country) == 15


def test_the_scratch_database_is_never_the_configured_one() -> None:
    url = "postgres://bench:secret@db.example:6543/magelang"
    assert scratch.scratch_url(url, "city") == (
        "postgres://bench:secret@db.example:6543/magelang_bench_city"
    )
    assert scratch.is_postgres(url)
    assert not scratch.is_postgres("sqlite:///var/magelang.sqlite3")


@pytest.mark.django_db
@pytest.mark.postgres
def test_the_sql_floor_sums_the_rows_the_recomputation_reads() -> None:
    generate_synthetic(regions=1, seed=3, activities_per_region=60, province_code="S98")
    sums = []
    with connection.cursor() as cursor:
        for statement in floor.statements():
            cursor.execute(statement)
            sums.append(cursor.fetchall())
    expected, achieved, budgets = sums
    assert len(floor.statements()) == floor.QUERIES
    assert (
        sum(row[3] for row in expected)
        == ExpectedContribution.objects.aggregate(total=Sum("amount"))["total"]
    )
    aligned = ExpectedContribution.objects.filter(amount__gt=0).aggregate(
        total=Sum("activity__budget")
    )["total"]
    assert sum(row[4] or Decimal(0) for row in expected) == aligned
    assert (
        sum(row[3] for row in achieved)
        == AchievedContribution.objects.aggregate(total=Sum("amount"))["total"]
    )
    assert (
        sum(row[1] for row in budgets) == Activity.objects.aggregate(total=Sum("budget"))["total"]
    )
    assert achieved and expected
