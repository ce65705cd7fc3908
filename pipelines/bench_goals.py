"""Issue 15's goals, judged against one bench run's figures: each one met, not met, or not measured.

The bench prints a table of seconds and ratios; whoever reads it wants the verdict next to
the threshold, not to redo the arithmetic. A goal is judged only at the scale it names (a
scale-40 ratio says nothing about scale 1), and only from figures of the same bench run,
since the ratios are what stays meaningful on a noisy machine (docs/performance.md).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

GIB = 1024.0


@dataclass(frozen=True)
class Goal:
    scale: int
    text: str
    threshold: float
    unit: str  # how the figure reads: "× bare start", "× floor", "s", "MB"
    measure: Callable[[dict], float]


def _seconds(run: str) -> Callable[[dict], float]:
    return lambda f: f[run].seconds


def _ratio(run: str, base: str) -> Callable[[dict], float]:
    def measure(f: dict) -> float:
        base_seconds = f[base] if isinstance(f[base], float) else f[base].seconds
        return f[run].seconds / base_seconds if base_seconds else math.nan
    return measure


def _peak(f: dict) -> float:
    return max(f[run].peak_mb for run in ("cold", "noop", "new_quarter"))


GOALS = (
    Goal(1, "cold run ≤ 4 × bare start", 4.0, "× bare start", _ratio("cold", "bare")),
    Goal(1, "no-op re-run ≤ 1.3 × bare start", 1.3, "× bare start", _ratio("noop", "bare")),
    Goal(40, "cold run ≤ 5 × the floor", 5.0, "× floor", _ratio("cold", "floor")),
    Goal(40, "new quarter ≤ 0.25 × a cold run", 0.25, "× cold", _ratio("new_quarter", "cold")),
    Goal(50, "peak memory ≤ 2 GB", 2 * GIB, "MB", _peak),
    Goal(400, "cold run ≤ 15 minutes", 15 * 60.0, "s", _seconds("cold")),
    Goal(400, "peak memory ≤ 4 GB", 4 * GIB, "MB", _peak),
)


def _growth(figures: list[dict]) -> str | None:
    """Cold seconds per report row from the smallest to the largest scale: ≤ 1 × means no faster than the rows."""
    if len(figures) < 2:
        return None
    small, large = min(figures, key=lambda f: f["scale"]), max(figures, key=lambda f: f["scale"])
    if not small["report_rows"] or not small["cold"].seconds:
        return None
    growth = (large["cold"].seconds / small["cold"].seconds) / (large["report_rows"] / small["report_rows"])
    verdict = "met" if growth <= 1 else "NOT met"
    return (f"  scale {small['scale']} → {large['scale']}: cost grows no faster than the rows: "
            f"{growth:.2f} × the rows' growth — {verdict}")


def goal_lines(figures: list[dict]) -> list[str]:
    """One line per goal: the figure, the threshold and the verdict (or why it was not judged)."""
    by_scale = {f["scale"]: f for f in figures}
    lines = ["goals (issue 15), judged on this run's figures:"]
    for goal in GOALS:
        figure = by_scale.get(goal.scale)
        if figure is None:
            lines.append(f"  scale {goal.scale}: {goal.text} — not measured (make bench SCALE={goal.scale})")
            continue
        value = goal.measure(figure)
        if math.isnan(value):
            lines.append(f"  scale {goal.scale}: {goal.text} — not measured (no figure)")
            continue
        shown = f"{value:,.0f} {goal.unit}" if goal.unit in ("s", "MB") else f"{value:.2f} {goal.unit}"
        verdict = "met" if value <= goal.threshold else "NOT met"
        lines.append(f"  scale {goal.scale}: {goal.text}: {shown} — {verdict}")
    if growth := _growth(figures):
        lines.append(growth)
    return lines
