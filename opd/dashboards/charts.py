"""Geometry for the server-side SVG charts: figures in, coordinates out, no Django.

Templates draw the SVG from these coordinates, so the charts need no JavaScript,
no CDN and print as they show; every chart's figures are also in a table beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from math import ceil, floor


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    year: int
    value: Decimal
    kind: str = ""


@dataclass
class TrajectoryChart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    x_ticks: list[tuple[float, int]] = field(default_factory=list)
    y_ticks: list[tuple[float, Decimal]] = field(default_factory=list)
    actual_segments: list[str] = field(default_factory=list)
    actuals: list[Point] = field(default_factory=list)
    target_line: str = ""
    targets: list[Point] = field(default_factory=list)
    projections: list[Point] = field(default_factory=list)


def _scale(lo: Decimal, hi: Decimal, step: Decimal) -> tuple[Decimal, Decimal]:
    low = Decimal(floor(lo / step)) * step
    high = Decimal(ceil(hi / step)) * step
    if high == low:
        high = low + step
    return low, high


def trajectory(
    *,
    years: Sequence[int],
    targets: dict[int, tuple[Decimal, str]],
    actuals: dict[int, Decimal],
    projections: Sequence[tuple[str, int, Decimal]] = (),
    width: int = 640,
    height: int = 300,
) -> TrajectoryChart:
    """Place actuals (a line broken where a year has none), the target path and projections."""
    chart = TrajectoryChart(width=width, height=height, left=48, right=16, top=16, bottom=36)
    values = [v for v, _ in targets.values()] + list(actuals.values())
    values += [v for _, _, v in projections]
    if not years or not values:
        return chart
    step = Decimal("0.5")
    low, high = _scale(min(values), max(values), step)
    inset = 14  # keeps the first and last year's markers clear of the axis labels
    plot_w = width - chart.left - chart.right - 2 * inset
    plot_h = height - chart.top - chart.bottom
    first, last = years[0], years[-1]
    span = max(last - first, 1)

    def x(year: int) -> float:
        return round(chart.left + inset + (year - first) / span * plot_w, 1)

    def y(value: Decimal) -> float:
        return round(chart.top + float((high - value) / (high - low)) * plot_h, 1)

    chart.x_ticks = [(x(year), year) for year in years]
    tick = low
    while tick <= high:
        chart.y_ticks.append((y(tick), tick))
        tick += step
    segment: list[str] = []
    for year in years:
        if year in actuals:
            point = Point(x(year), y(actuals[year]), year, actuals[year], "actual")
            chart.actuals.append(point)
            segment.append(f"{point.x},{point.y}")
        elif segment:
            chart.actual_segments.append(" ".join(segment))
            segment = []
    if segment:
        chart.actual_segments.append(" ".join(segment))
    chart.targets = [
        Point(x(year), y(value), year, value, kind)
        for year, (value, kind) in sorted(targets.items())
        if first <= year <= last
    ]
    chart.target_line = " ".join(f"{p.x},{p.y}" for p in chart.targets)
    chart.projections = [
        Point(x(year), y(value), year, value, kind)
        for kind, year, value in projections
        if first <= year <= last
    ]
    return chart


@dataclass(frozen=True)
class Bar:
    label: str
    y: float
    planned_width: float
    achieved_width: float
    planned: Decimal
    achieved: Decimal


@dataclass
class BarChart:
    width: int
    height: int
    label_width: int
    bar_height: int
    bars: list[Bar]
    scale_max: Decimal


def bars(
    rows: Sequence[tuple[str, Decimal, Decimal]], *, width: int = 640, row_height: int = 28
) -> BarChart:
    """Horizontal bars of planned and achieved persons per OPD, on one scale."""
    label_width = 220
    top = 8
    scale_max = max([max(p, a) for _, p, a in rows] + [Decimal(1)])
    plot_w = width - label_width - 64

    def w(value: Decimal) -> float:
        return round(float(value / scale_max) * plot_w, 1)

    chart_bars = [
        Bar(label, top + i * row_height, w(planned), w(achieved), planned, achieved)
        for i, (label, planned, achieved) in enumerate(rows)
    ]
    return BarChart(
        width=width,
        height=top * 2 + max(len(rows), 1) * row_height,
        label_width=label_width,
        bar_height=row_height - 8,
        bars=chart_bars,
        scale_max=scale_max,
    )
