"""The report's sections, in the order an auditor reads them.

Run → reconciliation → charts → findings by rule (with trend) → the findings list →
the input files. Each section is a function of `ReportData` only, so it can be tested
on hand-made data without a warehouse.
"""

from __future__ import annotations

from collections import Counter
from html import escape

from pipelines.lib.quarters import short_quarter_label
from pipelines.report.data import ReportData
from pipelines.report.markup import cell, heading, table, text
from pipelines.report.svg import column_chart, grouped_bar_chart, heatmap, line_chart, target_chart
from pipelines.version import pipeline_version

METRIC_LABELS = {
    "registered_enterprises": "Doanh nghiệp đăng ký / registered enterprises",
    "stable_enterprises": "DN hoạt động ổn định / stable enterprises",
    "union_eligible_enterprises": "DN đủ điều kiện lập CĐCS / union-eligible enterprises",
    "union_enterprises": "DN có CĐCS / enterprises with a union",
    "workers": "Lao động / workers",
    "members": "Đoàn viên / union members",
    "enterprise_party_orgs": "Tổ chức Đảng trong DN / enterprise Party organisations",
    "candidates_introduced": "Quần chúng được giới thiệu / candidates introduced",
    "candidates_admitted": "Quần chúng được kết nạp / candidates admitted",
    "admitted_via_core_cell": "Kết nạp qua chi bộ nòng cốt / admitted via a core cell",
    "party_orgs_established": "Tổ chức Đảng thành lập mới / Party organisations established",
    "party_orgs_established_via_transfer": "Thành lập qua chuyển sinh hoạt / established via transfer",
    "party_members_transferred": "Đảng viên chuyển sinh hoạt / Party members transferred",
    "union_coverage_pct": "Tỷ lệ DN có CĐCS (%) / union coverage (%)",
    "party_org_coverage_pct": "Tỷ lệ DN có tổ chức Đảng (%) / Party-organisation coverage (%)",
    "admission_rate_pct": "Tỷ lệ kết nạp (%) / admission rate (%)",
    "party_members_admitted": "Kết nạp đảng viên / Party members admitted",
}
SEVERITY_LABELS = {"error": "Lỗi / error", "warning": "Cảnh báo / warning", "info": "Thông tin / info"}
UNION, PARTY = "CĐCS / union", "Tổ chức Đảng / Party org"


def metric_label(metric: str) -> str:
    return METRIC_LABELS.get(metric, metric)


def run_section(data: ReportData, inbox: str) -> str:
    loaded = sum(f["rows_loaded"] or 0 for f in data.files)
    quarantined = sum(f["rows_quarantined"] or 0 for f in data.files)
    statuses = ", ".join(f"{n:,} {s}" for s, n in sorted(Counter(f["status"] for f in data.files).items()))
    gate = data.gate
    reasons = "; ".join(gate.reasons) or "không có / none"
    rows = [
        ("Mã lần chạy / run id", f"<code>{escape(data.run_id)}</code>"),
        ("Bắt đầu nạp / started (UTC)", escape(text(data.started_at))),
        ("Lập báo cáo / report generated (UTC)", escape(text(data.generated_at))),
        ("Hộp thư / inbox", f"<code>{escape(inbox)}</code>"),
        ("Phiên bản / pipeline version", f"<code>{escape(pipeline_version())}</code>"),
        ("Tệp / files", f'{len(data.files):,} ({escape(statuses)}) — <a href="#files">SHA-256</a>'),
        ("Dòng nạp / rows loaded", f"{loaded:,}"),
        ("Dòng cách ly / rows quarantined", f"{quarantined:,}"),
        ("Cổng công bố / publish gate",
         f'<span class="badge {escape(gate.status)}">{escape(gate.status)}</span> {escape(reasons)}'),
    ]
    body = "".join(f"<tr><th>{escape(label)}</th><td>{value}</td></tr>" for label, value in rows)
    return heading("Lần chạy", "The run", "run-h") + f'<table class="kv" id="run">{body}</table>'


def reconciliation_section(data: ReportData) -> str:
    rows = []
    for rec in data.reconciliations:
        verdict = cell("khớp / match", css="ok") if rec.matches else cell("lệch / mismatch", css="bad")
        computed = None if rec.computed is None else f"{round(rec.computed, rec.decimals):.{rec.decimals}f}"
        difference = None if rec.difference is None else f"{rec.difference:+.{rec.decimals}f}"
        rows.append(
            f'<tr data-match="{str(rec.matches).lower()}">' + cell(metric_label(rec.metric)) + cell(rec.as_of)
            + cell(rec.window_start) + cell(f"{rec.published:.{rec.decimals}f}", True)
            + cell(computed if computed is not None else "không tính được / not computed", True)
            + cell(difference, True) + verdict + cell(rec.source) + "</tr>"
        )
    headers = [("Chỉ tiêu", "metric"), ("Tại ngày", "as of"), ("Từ ngày", "window start"),
               ("Số công bố", "published"), ("Số tính được", "computed"), ("Chênh lệch", "difference"),
               ("Kết quả", "result"), ("Nguồn", "source")]
    matched = sum(rec.matches for rec in data.reconciliations)
    summary = (f'<p class="note">{matched:,} / {len(rows):,} số liệu khớp '
               f"/ {matched:,} of {len(rows):,} figures match.</p>")
    return (heading("Đối chiếu số liệu đã công bố", "Reconciliation with published figures", "reconciliation-h")
            + (summary + table(headers, rows, "reconciliation") if rows
               else "<p>Không có số liệu kiểm soát / no control totals in the inbox.</p>"))


def _coverage_charts(data: ReportData) -> list[str]:
    charts = []
    quarters = data.coverage_by_quarter
    charts.append(line_chart(
        "Độ bao phủ theo quý (%) / coverage by quarter (%)", [q["label"] for q in quarters],
        [(UNION, [q.get("union_coverage_pct") for q in quarters], "s-union"),
         (PARTY, [q.get("party_org_coverage_pct") for q in quarters], "s-party")], unit="%"))
    if data.coverage_by_zone:
        latest = max(row["as_of"] for row in data.coverage_by_zone)
        zones = sorted((r for r in data.coverage_by_zone if r["as_of"] == latest),
                       key=lambda r: -(r.get("union_coverage_pct") or 0))
        charts.append(grouped_bar_chart(
            f"Độ bao phủ theo KCN, {short_quarter_label(latest)} (%) / coverage by zone (%)",
            [z["zone"] for z in zones],
            [(UNION, [z.get("union_coverage_pct") for z in zones], "s-union"),
             (PARTY, [z.get("party_org_coverage_pct") for z in zones], "s-party")], unit="%", peak=100.0))
        names = sorted({r["zone"] for r in data.coverage_by_zone})
        columns = [short_quarter_label(d) for d in sorted({r["as_of"] for r in data.coverage_by_zone})]
        for metric, title in (("union_coverage_pct", "Tỷ lệ DN có CĐCS theo KCN và quý (%) / union coverage"),
                              ("party_org_coverage_pct",
                               "Tỷ lệ DN có tổ chức Đảng theo KCN và quý (%) / Party-org coverage")):
            values = {(r["zone"], r["label"]): r[metric] for r in data.coverage_by_zone
                      if r.get(metric) is not None}
            charts.append(heatmap(f"{title} (zone × quarter)", names, columns, values))
    return charts


def _targets_block(data: ReportData) -> str:
    charts, rows = [], []
    for metric in sorted({t["metric"] for t in data.targets}):
        years = [t for t in data.targets if t["metric"] == metric]
        charts.append(target_chart(metric_label(metric), years))
    for t in data.targets:
        target = text(t["target_min"]) + ("" if t["target_max"] is None else f"–{text(t['target_max'])}")
        rows.append("<tr>" + cell(str(t["year"])) + cell(metric_label(t["metric"])) + cell(t["actual"], True)
                    + cell(target, True) + cell(t["status"], css="ok" if t["met"] else "bad")
                    + cell(t["pace_needed_per_quarter"], True) + "</tr>")
    if not rows:
        return ""
    headers = [("Năm", "year"), ("Chỉ tiêu", "metric"), ("Thực hiện", "actual"), ("Chỉ tiêu đề ra", "target"),
               ("Tình trạng", "status"), ("Cần mỗi quý còn lại", "needed per remaining quarter")]
    return ("<h3>Chỉ tiêu và thực hiện theo năm <span class=\"en\">/ targets against actuals by year</span></h3>"
            f'<div class="charts" id="target-charts">{"".join(c for c in charts if c)}</div>'
            '<p class="note">Cột: thực hiện (xanh: đạt, đỏ: không đạt/vượt, cam: năm đang thực hiện); nét đứt: chỉ '
            "tiêu tối thiểu; vùng nhạt: khoảng chỉ tiêu / columns: actual (green met, red missed or above the "
            "maximum, amber year in progress); dashed line: minimum target; shaded band: target range.</p>"
            + table(headers, rows, "targets"))


def charts_section(data: ReportData) -> str:
    coverage = "".join(c for c in _coverage_charts(data) if c)
    body = (f'<div class="charts" id="coverage-charts">{coverage}</div>' if coverage
            else "<p>Chưa có dữ liệu độ bao phủ / no coverage data yet.</p>")
    return (heading("Biểu đồ", "Charts", "charts")
            + "<h3>Độ bao phủ CĐCS và tổ chức Đảng <span class=\"en\">/ union and Party-organisation "
              "coverage</span></h3>" + body + _targets_block(data))


def summary_section(data: ReportData) -> str:
    rows = [f'<tr class="sev-{escape(r["severity"] or "")}">' + cell(r["rule_id"])
            + cell(SEVERITY_LABELS.get(r["severity"], r["severity"])) + cell(r["open_findings"], True)
            + cell(r["new_findings"], True) + cell(r["resolved_findings"], True) + "</tr>" for r in data.by_rule]
    labels = [f"#{i + 1}" for i in range(len(data.trend))]
    charts = "".join(column_chart(f"{SEVERITY_LABELS[s]}", labels, [float(t[f"findings_{s}"] or 0)
                                                                   for t in data.trend], f"s-{s}")
                     for s in ("error", "warning", "info"))
    trend = ["<tr>" + cell(label) + cell(t["run_id"]) + cell(t["finished_at"] or "lần này / this run")
             + cell(t["findings_error"], True) + cell(t["findings_warning"], True)
             + cell(t["findings_info"], True) + cell(t["gate_result"]) + "</tr>"
             for label, t in zip(labels, data.trend, strict=True)]
    return (heading("Phát hiện theo quy tắc và mức độ", "Findings by rule and severity", "by-rule-h")
            + table([("Quy tắc", "rule"), ("Mức độ", "severity"), ("Đang mở", "open"),
                     ("Mới trong lần chạy này", "new this run"), ("Đã khắc phục", "resolved")], rows, "by-rule")
            + "<h3>Xu hướng qua các lần chạy gần đây <span class=\"en\">/ trend over recent runs</span></h3>"
            + f'<div class="charts" id="trend-charts">{charts}</div>'
            + table([("Lần", "#"), ("Lần chạy", "run"), ("Kết thúc", "finished"), ("Lỗi", "errors"),
                     ("Cảnh báo", "warnings"), ("Thông tin", "info"), ("Cổng", "gate")], trend, "trend"))


def _options(values: set[str]) -> str:
    return "".join(f'<option value="{escape(v)}">{escape(v)}</option>' for v in sorted(values))


def findings_section(data: ReportData) -> str:
    rows = []
    for f in data.findings:
        enterprise = escape(f["tax_code"] or "")
        if f.get("enterprise_name"):
            enterprise += f'<br><span class="en">{escape(f["enterprise_name"])}</span>'
        rows.append(
            f'<tr class="sev-{escape(f["severity"] or "")}" data-severity="{escape(f["severity"] or "")}" '
            f'data-rule="{escape(f["rule_id"] or "")}" data-period="{escape(f["period"] or "")}">'
            + cell(f["rule_id"]) + cell(f["severity"]) + f"<td>{enterprise}</td>" + cell(f["period"])
            + cell(f["source_file"]) + cell(f["source_row"], True)
            + f'<td>{escape(f["message_vi"] or "")}<br><span class="en">{escape(f["message_en"] or "")}</span></td>'
            + cell(f["observed"]) + cell(f["expected"]) + cell(f["open_since"]) + "</tr>")
    note = ""
    if data.findings_total > len(data.findings):
        note = (f'<p class="note">Hiển thị {len(data.findings):,} / {data.findings_total:,} phát hiện; danh sách '
                f"đầy đủ trong dq_findings.xlsx / showing {len(data.findings):,} of {data.findings_total:,}; "
                "the full list is in dq_findings.xlsx.</p>")
    filters = (
        '<div class="filters"><input id="q" placeholder="Tìm / search" oninput="uwFilter()">'
        '<select id="sev" onchange="uwFilter()"><option value="">mọi mức độ / any severity</option>'
        + _options({f["severity"] for f in data.findings if f["severity"]})
        + '</select><select id="rule" onchange="uwFilter()"><option value="">mọi quy tắc / any rule</option>'
        + _options({f["rule_id"] for f in data.findings if f["rule_id"]})
        + '</select><select id="period" onchange="uwFilter()"><option value="">mọi quý / any quarter</option>'
        + _options({f["period"] for f in data.findings if f["period"]})
        + f'</select><span id="shown">{len(rows)}</span> dòng / rows</div>')
    headers = [("Quy tắc", "rule"), ("Mức độ", "severity"), ("Doanh nghiệp", "enterprise"), ("Quý", "quarter"),
               ("Tệp", "file"), ("Dòng", "row"), ("Nội dung", "message"), ("Thực tế", "observed"),
               ("Mong đợi", "expected"), ("Mở từ", "open since")]
    return heading("Danh sách phát hiện", "Findings", "findings-h") + note + filters + table(headers, rows, "findings")


def files_section(data: ReportData) -> str:
    rows = ["<tr>" + cell(f["source_file"]) + cell(f["kind"]) + cell(f["status"])
            + f'<td><code>{escape(f["sha256"] or "")}</code></td>' + cell(f["rows_read"], True)
            + cell(f["rows_loaded"], True) + cell(f["rows_quarantined"], True) + "</tr>" for f in data.files]
    headers = [("Tệp", "file"), ("Loại", "kind"), ("Trạng thái", "status"), ("SHA-256", "SHA-256"),
               ("Đọc", "read"), ("Nạp", "loaded"), ("Cách ly", "quarantined")]
    return heading("Tệp đầu vào của lần chạy", "Input files of this run", "input-files") + table(headers, rows, "files")
