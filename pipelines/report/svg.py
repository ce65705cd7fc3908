"""Inline SVG charts: the report must render on an air-gapped laptop, so no chart library."""

from __future__ import annotations

from html import escape


def bar_chart(title: str, bars: list[tuple[str, float]], *, unit: str = "", width: int = 640,
              reference: float | None = None, reference_label: str = "") -> str:
    """Horizontal bars, one per label; an optional dashed reference line (a target)."""
    if not bars:
        return ""
    row_height, label_width, top = 22, 170, 28
    plot_width = width - label_width - 70
    peak = max([value for _, value in bars] + [reference or 0]) or 1.0
    height = top + row_height * len(bars) + 10
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
        f'<text x="0" y="16" class="chart-title">{escape(title)}</text>',
    ]
    for index, (label, value) in enumerate(bars):
        y = top + index * row_height
        bar = max(1.0, plot_width * value / peak)
        parts.append(f'<text x="{label_width - 6}" y="{y + 14}" text-anchor="end">{escape(label)}</text>')
        parts.append(f'<rect class="bar" x="{label_width}" y="{y + 3}" width="{bar:.1f}" height="{row_height - 7}"/>')
        parts.append(f'<text x="{label_width + bar + 5:.1f}" y="{y + 14}">{value:,.1f}{escape(unit)}</text>')
    if reference is not None:
        x = label_width + plot_width * reference / peak
        parts.append(f'<line class="reference" x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 6}"/>')
        parts.append(f'<text x="{x + 3:.1f}" y="{top - 6}" class="reference-label">{escape(reference_label)}</text>')
    parts.append("</svg>")
    return "".join(parts)
