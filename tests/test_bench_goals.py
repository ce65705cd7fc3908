"""`make bench` judges issue 15's goals from its own figures: the right ratio, at the right scale."""

from __future__ import annotations

from pipelines.bench import Timing
from pipelines.bench_goals import goal_lines


def _figures(scale: int, *, cold: float, noop: float, new_quarter: float, bare: float, floor: float,
             rows: int, peak: float = 700.0) -> dict:
    return {"scale": scale, "report_rows": rows, "floor": floor, "bare": Timing(bare, 150.0, 0),
            "cold": Timing(cold, peak, 0), "noop": Timing(noop, peak / 2, 0),
            "new_quarter": Timing(new_quarter, peak, 0)}


def test_each_goal_is_judged_at_its_scale_against_its_threshold():
    lines = goal_lines([
        _figures(1, cold=8.0, noop=2.7, bare=2.0, new_quarter=5.0, floor=0.8, rows=4_577),
        _figures(40, cold=42.0, noop=7.7, bare=2.1, new_quarter=10.0, floor=6.7, rows=176_947),
    ])
    text = "\n".join(lines)
    assert "scale 1: cold run ≤ 4 × bare start: 4.00 × bare start — met" in text  # at the threshold
    assert "scale 1: no-op re-run ≤ 1.3 × bare start: 1.35 × bare start — NOT met" in text
    assert "scale 40: cold run ≤ 5 × the floor: 6.27 × floor — NOT met" in text
    assert "scale 40: new quarter ≤ 0.25 × a cold run: 0.24 × cold — met" in text
    assert "scale 50: peak memory ≤ 2 GB — not measured (make bench SCALE=50)" in text
    assert "scale 400: cold run ≤ 15 minutes — not measured" in text
    assert "cost grows no faster than the rows: 0.14 × the rows' growth — met" in text


def test_national_size_is_judged_in_seconds_and_megabytes():
    text = "\n".join(goal_lines([_figures(400, cold=901.0, noop=60.0, bare=2.0, new_quarter=90.0,
                                          floor=70.0, rows=1_770_700, peak=4_000.0)]))
    assert "scale 400: cold run ≤ 15 minutes: 901 s — NOT met" in text
    assert "scale 400: peak memory ≤ 4 GB: 4,000 MB — met" in text
    assert "grows no faster" not in text  # one scale: nothing to compare
