"""Charts drawn on the server as SVG geometry (no inline styles, so they pass a strict CSP)."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

LABEL_W, WIDTH, ROW_H, TOP = 130.0, 600.0, 26.0, 8.0


@dataclass(frozen=True)
class RangeRow:
    label: str
    count: int
    low: float
    median: float
    high: float
    y: float
    x_low: float
    x_median: float
    x_high: float


@dataclass(frozen=True)
class RangeChart:
    rows: list[RangeRow]
    ticks: list[tuple[float, float]]  # (x, value)
    height: float
    axis_y: float
    width: float = WIDTH
    label_w: float = LABEL_W


def range_chart(groups: dict[str, list[float]]) -> RangeChart:
    """Lowest–highest price per group as a bar with a median mark, cheapest group first."""
    ordered = sorted(groups.items(), key=lambda kv: min(kv[1]))
    top = nice_ceiling(max(max(v) for v in groups.values()))

    def x(value: float) -> float:
        return round(LABEL_W + (WIDTH - LABEL_W - 10) * value / top, 1)

    rows = [RangeRow(name, len(v), min(v), statistics.median(v), max(v), TOP + i * ROW_H,
                     x(min(v)), x(statistics.median(v)), x(max(v)))
            for i, (name, v) in enumerate(ordered)]
    axis_y = TOP + len(rows) * ROW_H + 4
    ticks = [(x(top * i / 4), top * i / 4) for i in range(5)]
    return RangeChart(rows, ticks, axis_y + 18, axis_y)


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10^k at or above ``value`` (axis ends)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return float(step * power)
    return float(10 * power)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    y: float
    width: float


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    height: float
    width: float = WIDTH
    label_w: float = LABEL_W


def bar_chart(items: list[tuple[str, float]]) -> BarChart:
    """One horizontal bar per (label, value), in the order given; values ≥ 0."""
    top = nice_ceiling(max(v for _, v in items))
    span = WIDTH - LABEL_W - 70
    bars = [Bar(label, value, TOP + i * ROW_H, round(max(1.0, span * value / top), 1))
            for i, (label, value) in enumerate(items)]
    return BarChart(bars, TOP + len(bars) * ROW_H + 4)
