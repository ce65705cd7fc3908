"""Which charts the report draws, from `ReportData`: coverage, targets, and the findings trend.

Each function returns inline SVG (`Markup`) for the templates; `svg.py` draws them.
"""

from __future__ import annotations

from markupsafe import Markup

from pipelines.lib.labels import SEVERITY
from pipelines.lib.quarters import short_quarter_label as short_quarter
from pipelines.report.data import ReportData
from pipelines.report.svg import column_chart, grouped_bar_chart, heatmap, line_chart, target_chart
from pipelines.report.view import metric_words

UNION, PARTY = "CĐCS / union", "Tổ chức Đảng / Party org"


def coverage_charts(data: ReportData) -> list[Markup]:
    quarters = data.coverage_by_quarter
    charts = [line_chart(
        "Độ bao phủ theo quý (%) / coverage by quarter (%)", [q["label"] for q in quarters],
        [(UNION, [q.get("union_coverage_pct") for q in quarters], "s-union"),
         (PARTY, [q.get("party_org_coverage_pct") for q in quarters], "s-party")], unit="%")]
    if data.coverage_by_zone:
        latest = max(row["as_of"] for row in data.coverage_by_zone)
        zones = sorted((r for r in data.coverage_by_zone if r["as_of"] == latest),
                       key=lambda r: -(r.get("union_coverage_pct") or 0))
        charts.append(grouped_bar_chart(
            f"Độ bao phủ theo KCN, {short_quarter(latest)} (%) / coverage by zone (%)",
            [z["zone"] for z in zones],
            [(UNION, [z.get("union_coverage_pct") for z in zones], "s-union"),
             (PARTY, [z.get("party_org_coverage_pct") for z in zones], "s-party")], unit="%", peak=100.0))
        names = sorted({r["zone"] for r in data.coverage_by_zone})
        columns = [short_quarter(d) for d in sorted({r["as_of"] for r in data.coverage_by_zone})]
        for metric, title in (("union_coverage_pct", "Tỷ lệ DN có CĐCS theo KCN và quý (%) / union coverage"),
                              ("party_org_coverage_pct",
                               "Tỷ lệ DN có tổ chức Đảng theo KCN và quý (%) / Party-org coverage")):
            values = {(r["zone"], r["label"]): r[metric] for r in data.coverage_by_zone
                      if r.get(metric) is not None}
            charts.append(heatmap(f"{title} (zone × quarter)", names, columns, values))
    return [c for c in charts if c]


def target_charts(data: ReportData) -> list[Markup]:
    charts = []
    for metric in sorted({t["metric"] for t in data.targets}):
        years = [t for t in data.targets if t["metric"] == metric]
        charts.append(target_chart(str(metric_words(metric)), years))
    return [c for c in charts if c]


def trend_charts(data: ReportData) -> list[Markup]:
    labels = [f"#{i + 1}" for i in range(len(data.trend))]
    return [column_chart(str(SEVERITY[s]), labels, [float(t[f"findings_{s}"] or 0) for t in data.trend], f"s-{s}")
            for s in ("error", "warning", "info")]
