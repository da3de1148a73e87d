"""The scale benchmark's table (figure, goal, measured, met?, note) and its JSON file.

Goals from issue 15. "met?" is "yes" or "no" where the goal can be judged from this run (or,
for the figures that must not grow with the scale, from the JSON of the other scales found
beside this one), "n/a" otherwise; never a reason to fail: the benchmark only reports.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PAGES = ("dashboard", "province dashboard", "public page", "plan page")


def _other_scales(directory: Path, scale: str) -> dict[str, dict[str, Any]]:
    found = {}
    for path in sorted(directory.glob("*.json")):
        if path.stem in {"latest", scale}:
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and data.get("scale") == path.stem:
            found[path.stem] = data
    return found


def _met(flag: bool | None) -> str:
    return "n/a" if flag is None else ("yes" if flag else "no")


def rows(result: dict[str, Any], directory: Path) -> list[tuple[str, str, str, str, str]]:
    """(figure, goal, measured, met?, note) for every figure of ``result``."""
    scale = result["scale"]
    others = _other_scales(directory, scale)
    out: list[tuple[str, str, str, str, str]] = []
    seed = result.get("seed")
    if seed:
        out.append(
            (
                "seed (generate_synthetic)",
                "-",
                f"{seed['rows']:,} rows in {seed['seconds']:.0f} s = {seed['rows_per_s']:,.0f}/s",
                "n/a",
                f"{result['activities']:,} activities in {result['regions']} regions",
            )
        )
    full = result["recompute"]
    for name, limit in (("cold", 2.0), ("warm", 1.5)):
        run = full[name]
        ratio = run["floor_ratio"]
        out.append(
            (
                f"full recomputation, {name}",
                f"<= {limit}x SQL floor",
                f"{run['seconds'] * 1000:,.0f} ms, {run['queries']} queries, {ratio:.1f}x floor",
                _met(ratio <= limit),
                f"{run['pairs']} pairs, {run['stored']} stored; floor {full['floor_ms']:,.0f} ms"
                f" in {full['floor_queries']} queries",
            )
        )
    memory = full["memory"]
    peaks = {s: o["recompute"]["memory"]["peak_mib"] for s, o in others.items()}
    # Flat: no more than 1.5x the peak of any scale with fewer activities.
    fewer = [
        o["recompute"]["memory"]["peak_mib"]
        for o in others.values()
        if o["activities"] < result["activities"]
    ]
    smallest = min(fewer, default=None)
    out.append(
        (
            "worker peak memory, full recomputation",
            "flat in activities",
            f"{memory['peak_mib']:.0f} MiB (at start {memory['before_mib']:.0f} MiB)",
            _met(None if smallest is None else memory["peak_mib"] <= 1.5 * smallest),
            ", ".join(f"{s}: {p:.0f} MiB" for s, p in peaks.items()) or "no other scale yet",
        )
    )
    inc = result["incremental"]
    out.append(
        (
            "incremental recomputation, 1 edit",
            "< 50 ms" if scale in {"city", "tiny"} else "< 50 ms at city",
            f"p50 {inc['p50_ms']:.1f} ms, p95 {inc['p95_ms']:.1f} ms, {inc['queries']} queries",
            _met(inc["p50_ms"] < 50 if scale in {"city", "tiny"} else None),
            "per-pair recompute of the edited activity's pair",
        )
    )
    pages = result["pages"]
    trivial = pages["trivial view"]
    for name in PAGES:
        page = pages[name]
        counts = {s: o["pages"][name]["queries"] for s, o in others.items() if name in o["pages"]}
        fixed = all(count == page["queries"] for count in counts.values())
        fast = page["p95_ms"] < 150 if scale in {"province", "country"} else None
        note = ", ".join(f"{s}: {c} q" for s, c in counts.items()) or "no other scale yet"
        out.append(
            (
                name,
                "fixed queries; p95 < 150 ms at province",
                f"p50 {page['p50_ms']:.0f} ms, p95 {page['p95_ms']:.0f} ms, {page['queries']} q",
                _met(fast if not counts else (fixed and fast is not False)),
                f"{page['p50_ms'] / trivial['p50_ms']:.0f}x trivial view; {note}",
            )
        )
    out.append(
        (
            "trivial view (floor)",
            "-",
            f"p50 {trivial['p50_ms']:.1f} ms, p95 {trivial['p95_ms']:.1f} ms, "
            f"{trivial['queries']} q",
            "n/a",
            "same stack, django.test.Client",
        )
    )
    api, bare = result["api"]["activities API"], result["api"]["bare JsonResponse"]
    ratio = api["rps"] / bare["rps"]
    out.append(
        (
            "activities API list (gunicorn)",
            ">= 0.5x bare JsonResponse",
            f"{api['rps']:.1f} req/s, p95 {api['p95_ms']:.0f} ms, {api['queries']} q "
            f"({ratio:.2f}x)",
            _met(ratio >= 0.5),
            f"bare: {bare['rps']:.1f} req/s, p95 {bare['p95_ms']:.0f} ms, {bare['queries']} q; "
            f"{result['api_load']['threads']} threads, {api['requests']} requests each",
        )
    )
    for line in result.get("imports", []):
        out.append((line.split("  ")[0].strip(), "-", line[19:].strip(), "n/a", "demo region"))
    return out


def table(rows_: list[tuple[str, str, str, str, str]]) -> str:
    headers = ("figure", "goal", "measured", "met?", "note")
    widths = [max(len(str(row[n])) for row in (headers, *rows_)) for n in range(5)]
    lines = [" | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines.append("-|-".join("-" * w for w in widths))
    for row in rows_:
        lines.append(" | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
    return "\n".join(line.rstrip() for line in lines)


def machine_line(machine: dict[str, Any]) -> str:
    return (
        f"machine: {machine['cpus']} CPUs ({machine['cpu_model']}), {machine['ram_gib']} GiB RAM, "
        f"{machine['postgresql']}, Python {machine['python']}, load average "
        + "/".join(str(load) for load in machine.get("load_average", []))
    )


def write(result: dict[str, Any], path: Path) -> None:
    """The JSON at ``path``, and beside it ``<scale>.json`` (read by the next scales' table)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(result, indent=2, default=str) + "\n"
    path.write_text(text, encoding="utf-8")
    (path.parent / f"{result['scale']}.json").write_text(text, encoding="utf-8")
