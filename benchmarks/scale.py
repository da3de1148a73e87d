"""``python -m benchmarks --scale tiny|city|province|country``: the issue 15 figures on PostgreSQL.

Needs DATABASE_URL to name a PostgreSQL server: on it, a scratch database
``magelang_bench_<scale>`` is created, migrated, seeded with the demo region and loaded with
``generate_synthetic`` (then VACUUM ANALYZE, so the planner knows the sizes), measured, and
dropped at the end unless ``--keep``; a kept database holding the scale's regions is reused
(every pair flagged again, so the first recomputation still computes every pair). The database
DATABASE_URL names itself is never touched. Prints the table and writes the JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from benchmarks import report, scratch

ROOT = Path(__file__).resolve().parent.parent
SEED = 15
PROVINCE = "S33"


@dataclass(frozen=True)
class Scale:
    regions: int
    activities: int  # per region
    repeat: int  # page and incremental samples
    requests: int  # API requests per endpoint
    threads: int = 8
    imports: bool = True  # the demo region's import figures (minutes: not for the CI smoke)


SCALES = {
    "tiny": Scale(regions=2, activities=300, repeat=5, requests=40, imports=False),
    "city": Scale(regions=1, activities=18_000, repeat=30, requests=400),
    "province": Scale(regions=35, activities=18_000, repeat=30, requests=400),
    "country": Scale(regions=514, activities=18_000, repeat=30, requests=400),
}


def provinces(regions: int) -> list[tuple[str, int]]:
    """(province code, regions) of a run: one province, or for the country S11, S12, ... of at
    most 35 regions each (the generator's numbering allows one province at a time)."""
    if regions <= 35:
        return [(PROVINCE, regions)]
    sizes = [35] * (regions // 35) + ([regions % 35] if regions % 35 else [])
    return [(f"S{11 + n}", size) for n, size in enumerate(sizes)]


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--scale", choices=SCALES, help="the PostgreSQL scale benchmark")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument(
        "--json", type=Path, default=ROOT / "var" / "bench" / "latest.json", help="JSON path"
    )
    parser.add_argument("--no-imports", action="store_true", help="skip the import figures")
    return parser.parse_args(argv)


def _progress(message: str) -> None:
    print(message, flush=True)


def _loaded(scale: Scale) -> bool:
    """Whether the scratch database holds this scale's synthetic regions already."""
    from django.db import connection

    from opd.models import Activity
    from targets.models import Region

    if "targets_region" not in connection.introspection.table_names():
        return False
    codes = [code for code, _n in provinces(scale.regions)]
    regions = Region.objects.filter(parent__code__in=codes).count()
    activities = Activity.objects.filter(
        program__work_plan__opd__region__parent__code__in=codes
    ).count()
    return regions == scale.regions and activities == scale.regions * scale.activities


def load(scale: Scale) -> dict[str, Any]:
    """Migrate, seed the demo region and generate the synthetic regions; the seed figures."""
    from io import StringIO

    from django.core.management import call_command
    from django.db import connection

    from opd.synthetic.run import Progress, generate_synthetic

    call_command("migrate", verbosity=0)
    call_command("load_magelang", "--demo", stdout=StringIO())
    rows, seconds, pending = 0, 0.0, 0
    for code, count in provinces(scale.regions):

        def report_(step: Progress, code: str = code) -> None:
            if step.region == step.regions or step.region % 5 == 0 or scale.regions > 35:
                _progress(
                    f"  {code}: region {step.region}/{step.regions}, {step.rows:,} rows, "
                    f"{step.rate:,.0f} rows/s, about {step.seconds_left / 60:.0f} min left"
                )

        result = generate_synthetic(
            regions=count,
            seed=SEED,
            activities_per_region=scale.activities,
            province_code=code,
            progress=report_,
        )
        rows, seconds, pending = (
            rows + result.rows,
            seconds + result.seconds,
            pending + (result.pending_pairs),
        )
    _progress("VACUUM ANALYZE")
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    return {
        "rows": rows,
        "seconds": seconds,
        "rows_per_s": rows / seconds if seconds else 0.0,
        "pending_pairs": pending,
        "vacuum_analyze_seconds": time.perf_counter() - start,
    }


def recompute(url: str) -> dict[str, Any]:
    """The full recomputation in a subprocess (``benchmarks.recompute_run``)."""
    env = os.environ | {"DATABASE_URL": url}
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.recompute_run"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"The recomputation failed:\n{done.stderr[-4000:]}")
    data = json.loads(done.stdout.strip().splitlines()[-1])
    floor = min(data["floor_seconds"])
    passes = {
        name: {**run, "floor_ratio": run["seconds"] / floor} for name, run in data["passes"].items()
    }
    return {
        **passes,
        "floor_ms": floor * 1000,
        "floor_queries": data["floor_queries"],
        "memory": {
            "before_mib": data["rss_before"] / 2**20,
            "peak_mib": data["rss_peak"] / 2**20,
        },
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    scale = SCALES[args.scale]
    url = scratch.scratch_url(os.environ["DATABASE_URL"], args.scale)
    reused = scratch.exists(url)
    if not reused:
        scratch.create(url)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.bench_settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["DEBUG"] = "false"  # as in production: no query log, no debug pages
    os.environ.pop("REDIS_URL", None)  # tasks run in the process: nothing reaches a queue
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from benchmarks import api_load, pages
    from opd.models import ContributionState

    total = scale.regions * scale.activities
    if args.scale == "country":
        _progress(f"country scale: {total:,} activities; loading takes hours on a small machine")
    seed = None
    if reused and _loaded(scale):
        _progress(f"reusing the kept database {url.rsplit('/', 1)[1]}")
        ContributionState.objects.update(dirty=True, dirty_since=timezone.now())
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        if reused:  # a half-loaded or other database: start again
            connection.close()
            scratch.drop(url)
            scratch.create(url)
        _progress(f"loading {scale.regions} regions x {scale.activities:,} activities")
        seed = load(scale)
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        server = cursor.fetchone()[0].split(" on ")[0]
    region = provinces(scale.regions)[0][0] + ".01"
    _progress("full recomputation (subprocess)")
    result: dict[str, Any] = {
        "scale": args.scale,
        "regions": scale.regions,
        "activities": total,
        "parameters": asdict(scale),
        "database": url.rsplit("/", 1)[1],
        "reused": seed is None,
        "machine": scratch.machine(server),
        "seed": seed,
        "recompute": recompute(url),
    }
    _progress("incremental recomputation")
    result["incremental"] = pages.incremental(region, scale.repeat)
    _progress("pages")
    result["pages"] = pages.page_figures(region, provinces(scale.regions)[0][0], scale.repeat)
    _progress("activities API under gunicorn")
    result["api_load"] = {"threads": scale.threads, "requests": scale.requests}
    result["api"] = api_load.api_figures(url, region, scale.threads, scale.requests)
    result["imports"] = []
    if scale.imports and not args.no_imports:
        _progress("aspiration and beneficiary imports (demo region; minutes)")
        result["imports"] = _imports()
    return result


IMPORT_TIMEOUT_S = 180  # per statement: the beneficiary insert can stall (see the README)


def _imports() -> list[str]:
    """The import benchmarks' lines; one that fails or stalls past the statement timeout gives
    a line saying so instead (the other figures are kept)."""
    from django.db import connection

    from benchmarks import aspiration_import, beneficiary_import

    lines: list[str] = []
    for name, module in (("import", aspiration_import), ("persons", beneficiary_import)):
        with connection.cursor() as cursor:
            cursor.execute(f"SET statement_timeout = '{IMPORT_TIMEOUT_S}s'")
        try:
            lines.extend(module.run())
        except Exception as error:  # reported in the table, never silently lost
            first = str(error).strip().splitlines()[0] if str(error).strip() else ""
            lines.append(f"{name + ', failed':<19}{type(error).__name__}: {first[:120]}")
        finally:
            connection.close()  # a fresh session: no timeout, no aborted transaction
    return lines


def main(argv: list[str]) -> None:
    args = parse(argv)
    url = os.environ.get("DATABASE_URL", "")
    if not scratch.is_postgres(url):
        print(
            f"--scale {args.scale} needs PostgreSQL: set DATABASE_URL=postgres://user@host:5432/"
            "<any database> (a scratch database magelang_bench_<scale> is created beside it). "
            "DATABASE_URL is "
            + (f"{url.split(':', 1)[0]}, not PostgreSQL" if url else "not set")
            + "; running the SQLite figures only.",
            flush=True,
        )
        from benchmarks.__main__ import main as sqlite_main

        if not url:
            os.environ.pop("DATABASE_URL", None)

        sqlite_main()
        return
    started = time.perf_counter()
    try:
        result = run(args)
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            scratch.drop(scratch.scratch_url(url, args.scale))
    result["seconds"] = time.perf_counter() - started
    directory = args.json.parent
    lines = report.rows(result, directory)
    report.write(result | {"table": lines}, args.json)
    print(
        f"\nscale {args.scale}: {result['regions']} region(s), {result['activities']:,} activities"
    )
    print(report.machine_line(result["machine"]))
    print(report.table(lines))
    print(f"JSON: {args.json}")
