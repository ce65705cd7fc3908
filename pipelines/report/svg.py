"""Inline SVG charts, drawn by hand.

The report must render the same on an air-gapped laptop, so there is no chart library
and no script: every chart is plain SVG markup written here, returned as `Markup` for the
Jinja templates, and every label that comes from the data is escaped here (zone and
enterprise names come from hand-filled files). Numbers go through Babel (`formatting`).
Colours live in the report's CSS classes so the charts follow one palette.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from pipelines.lib.labels import words
from pipelines.report.formatting import number, percent

Series = tuple[str, list[float | None], str]  # (legend label, one value per category, css class)


def _open(title: str, width: int, height: int) -> list[str]:
    return [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
        f'<text x="0" y="16" class="chart-title">{escape(title)}</text>',
    ]


def _legend(series: list[Series], x: int, y: int) -> list[str]:
    parts = []
    for index, (name, _, css) in enumerate(series):
        left = x + index * 190
        parts.append(f'<rect class="{css}" x="{left}" y="{y - 9}" width="12" height="10"/>')
        parts.append(f'<text x="{left + 16}" y="{y}">{escape(name)}</text>')
    return parts


def _fmt(value: float, unit: str) -> str:
    return percent(value) if unit == "%" else f"{number(value, 0)}{unit}"


def grouped_bar_chart(title: str, categories: list[str], series: list[Series], *, unit: str = "",
                      width: int = 640, peak: float | None = None, reference: float | None = None,
                      reference_label: str = "") -> str:
    """Horizontal bars grouped by category (e.g. union and Party-org coverage per zone)."""
    if not categories:
        return Markup()
    bar_height, label_width, top = 14, 170, 44 if len(series) > 1 else 28
    group_height = bar_height * len(series) + 8
    plot_width = width - label_width - 70
    values = [v for _, vals, _ in series for v in vals if v is not None]
    peak = peak or max(values + [reference or 0]) or 1.0
    height = top + group_height * len(categories) + 10
    parts = _open(title, width, height)
    if len(series) > 1:
        parts += _legend(series, label_width, 34)
    for index, category in enumerate(categories):
        y = top + index * group_height
        parts.append(f'<text x="{label_width - 6}" y="{y + group_height / 2 + 2:.0f}" '
                     f'text-anchor="end">{escape(category)}</text>')
        for offset, (_, vals, css) in enumerate(series):
            value = vals[index]
            if value is None:
                continue
            bar = max(1.0, plot_width * value / peak)
            top_y = y + offset * bar_height
            parts.append(f'<rect class="{css}" x="{label_width}" y="{top_y}" width="{bar:.1f}" '
                         f'height="{bar_height - 2}"/>')
            parts.append(f'<text x="{label_width + bar + 4:.1f}" y="{top_y + 11}">{_fmt(value, unit)}</text>')
    if reference is not None:
        x = label_width + plot_width * reference / peak
        parts.append(f'<line class="reference" x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 6}"/>')
        parts.append(f'<text x="{x + 3:.1f}" y="{top - 6}">{escape(reference_label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _shade(value: float, low: float, peak: float) -> str:
    """Pale to deep blue between the grid's lowest and highest value, so a low coverage stands out."""
    share = max(0.0, min(1.0, (value - low) / ((peak - low) or 1.0)))
    red, green = int(240 - 195 * share), int(244 - 136 * share)
    return f"rgb({red},{green},{int(250 - 27 * share)})"


def heatmap(title: str, rows: list[str], columns: list[str], values: dict[tuple[str, str], float], *,
            unit: str = "%") -> str:
    """A zone × quarter grid: each cell is coloured by its value (relative to the grid) and shows it."""
    if not rows or not columns or not values:
        return Markup()
    low, peak = min(values.values()), max(values.values())
    label_width, cell_w, cell_h, top = 150, 46, 20, 46
    width, height = label_width + cell_w * len(columns) + 10, top + cell_h * len(rows) + 8
    parts = _open(title, width, height)
    for col, label in enumerate(columns):
        x = label_width + col * cell_w + cell_w / 2
        parts.append(f'<text x="{x:.0f}" y="{top - 8}" text-anchor="middle" class="axis">{escape(label)}</text>')
    for row_index, row in enumerate(rows):
        y = top + row_index * cell_h
        parts.append(f'<text x="{label_width - 6}" y="{y + 14}" text-anchor="end">{escape(row)}</text>')
        for col, column in enumerate(columns):
            value = values.get((row, column))
            x = label_width + col * cell_w
            if value is None:
                parts.append(f'<rect class="cell-empty" x="{x}" y="{y}" width="{cell_w - 1}" height="{cell_h - 1}"/>')
                continue
            ink = "cell-dark" if (value - low) / ((peak - low) or 1.0) > 0.55 else "cell-light"
            parts.append(f'<rect class="cell" x="{x}" y="{y}" width="{cell_w - 1}" height="{cell_h - 1}" '
                         f'fill="{_shade(value, low, peak)}"><title>{escape(row)} {escape(column)}: '
                         f'{_fmt(value, unit)}</title></rect>')
            parts.append(f'<text class="{ink}" x="{x + cell_w / 2 - 0.5:.1f}" y="{y + 14}" '
                         f'text-anchor="middle">{number(value, 0)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def line_chart(title: str, labels: list[str], series: list[Series], *, unit: str = "", width: int = 900,
               height: int = 240, floor: float | None = 0.0) -> str:
    """One line per series over ordered categories (quarters, runs), with point labels at the ends."""
    values = [v for _, vals, _ in series for v in vals if v is not None]
    if not labels or not values:
        return Markup()
    left, right, top, bottom = 50, 20, 48, 36
    low = min(values) if floor is None else min(floor, min(values))
    high = max(values)
    span = (high - low) or 1.0
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(1, len(labels) - 1)

    def point(index: int, value: float) -> tuple[float, float]:
        return left + index * step, top + plot_h * (1 - (value - low) / span)

    parts = _open(title, width, height) + _legend(series, left, 34)
    for tick in range(5):
        value = low + span * tick / 4
        y = top + plot_h * (1 - tick / 4)
        parts.append(f'<line class="grid" x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}"/>')
        parts.append(f'<text class="axis" x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">{number(value, 0)}</text>')
    every = max(1, len(labels) // 10)
    for index, label in enumerate(labels):
        if index % every == 0 or index == len(labels) - 1:
            parts.append(f'<text class="axis" x="{left + index * step:.1f}" y="{height - bottom + 16}" '
                         f'text-anchor="middle">{escape(label)}</text>')
    for name, vals, css in series:
        points = [point(i, v) for i, v in enumerate(vals) if v is not None]
        if not points:
            continue
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polyline class="line {css}" points="{path}"><title>{escape(name)}</title></polyline>')
        for x, y in points:
            parts.append(f'<circle class="{css}" cx="{x:.1f}" cy="{y:.1f}" r="2.5"/>')
        last = [v for v in vals if v is not None][-1]
        parts.append(f'<text x="{points[-1][0] - 4:.1f}" y="{points[-1][1] - 6:.1f}" '
                     f'text-anchor="end">{_fmt(last, unit)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def target_chart(title: str, years: list[dict], *, width: int = 520, height: int = 230) -> str:
    """Actual per year as columns, the target as a shaded band (min to max) or a dashed minimum."""
    if not years:
        return Markup()
    left, top, bottom = 40, 44, 40
    peak = max(max((y["actual"] or 0), (y["target_max"] or y["target_min"] or 0)) for y in years) * 1.15 or 1.0
    plot_h = height - top - bottom
    slot = (width - left - 10) / len(years)

    def y_of(value: float) -> float:
        return top + plot_h * (1 - value / peak)

    parts = _open(title, width, height)
    parts.append(f'<line class="grid" x1="{left}" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}"/>')
    for index, year in enumerate(years):
        x = left + index * slot
        low, high, actual = year["target_min"], year["target_max"], year["actual"] or 0.0
        status = words("target_status", year["status"])
        if low is not None and high is not None:
            parts.append(f'<rect class="target-band" x="{x + 4:.1f}" y="{y_of(high):.1f}" width="{slot - 8:.1f}" '
                         f'height="{y_of(low) - y_of(high):.1f}"/>')
        if low is not None:
            parts.append(f'<line class="reference" x1="{x + 4:.1f}" y1="{y_of(low):.1f}" x2="{x + slot - 4:.1f}" '
                         f'y2="{y_of(low):.1f}"/>')
        css = "actual-met" if year["met"] else ("actual-progress" if year["status"] == "in_progress" else "actual-miss")
        bar_x, bar_w = x + slot * 0.3, slot * 0.4
        parts.append(f'<rect class="{css}" x="{bar_x:.1f}" y="{y_of(actual):.1f}" width="{bar_w:.1f}" '
                     f'height="{top + plot_h - y_of(actual):.1f}"><title>{escape(str(status))}</title></rect>')
        parts.append(f'<text x="{bar_x + bar_w / 2:.1f}" y="{y_of(actual) - 4:.1f}" '
                     f'text-anchor="middle">{number(actual, 0)}</text>')
        parts.append(f'<text class="axis" x="{x + slot / 2:.1f}" y="{height - bottom + 16}" '
                     f'text-anchor="middle">{escape(str(year["year"]))}</text>')
        parts.append(f'<text class="axis" x="{x + slot / 2:.1f}" y="{height - bottom + 30}" '
                     f'text-anchor="middle">{escape(status.vi)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def column_chart(title: str, labels: list[str], values: list[float], css: str, *, width: int = 300,
                 height: int = 150) -> str:
    """Small vertical columns (one severity's findings over the last runs)."""
    if not labels:
        return Markup()
    left, top, bottom = 8, 30, 22
    peak = max(values) or 1.0
    slot = (width - left * 2) / len(labels)
    plot_h = height - top - bottom
    parts = _open(title, width, height)
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        bar_h = plot_h * value / peak
        x = left + index * slot
        bar_w = max(2.0, min(slot - 4, 36.0))
        parts.append(f'<rect class="{css}" x="{x + (slot - bar_w) / 2:.1f}" y="{top + plot_h - bar_h:.1f}" '
                     f'width="{bar_w:.1f}" height="{max(1.0, bar_h):.1f}">'
                     f'<title>{escape(label)}: {number(value, 0)}</title></rect>')
        parts.append(f'<text x="{x + slot / 2:.1f}" y="{top + plot_h - bar_h - 3:.1f}" text-anchor="middle" '
                     f'class="axis">{number(value, 0)}</text>')
        parts.append(f'<text x="{x + slot / 2:.1f}" y="{height - 6}" text-anchor="middle" '
                     f'class="axis">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
