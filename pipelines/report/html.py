"""Render the auditor report as one self-contained HTML file.

Everything is inline (CSS, SVG, a few lines of script for filtering) and every value
from the data is escaped, because enterprise names and cell values come from hundreds
of hand-filled spreadsheets.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape

from pipelines.report.data import ReportData
from pipelines.report.svg import bar_chart
from pipelines.version import pipeline_version

STYLE = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:24px;color:#1d2433;max-width:1280px}
h1{font-size:1.5em;margin-bottom:0}h2{margin-top:2em;border-bottom:2px solid #c8102e;padding-bottom:4px}
.en{color:#5b6478;font-weight:normal;font-size:.9em}
table{border-collapse:collapse;width:100%;font-size:.88em;margin:8px 0}
th,td{border:1px solid #d5d9e2;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f0f2f6}td.num{text-align:right;font-variant-numeric:tabular-nums}
.ok{color:#137333;font-weight:600}.bad{color:#b3261e;font-weight:600}
.sev-error{background:#fde7e9}.sev-warning{background:#fff4d6}.sev-info{background:#eef3fb}
.badge{display:inline-block;padding:2px 10px;border-radius:10px;color:#fff}
.badge.passed{background:#137333}.badge.blocked{background:#b3261e}.badge.overridden{background:#a05a00}
code{font-size:.85em;word-break:break-all}.chart{display:block;margin:12px 0;font-size:12px}
.chart .bar{fill:#2d6cdf}.chart .reference{stroke:#c8102e;stroke-dasharray:4 3}
.chart-title{font-weight:600;font-size:13px}.filters input,.filters select{margin:4px 8px 4px 0}
"""

SCRIPT = """
function uwFilter(){var q=document.getElementById('q').value.toLowerCase();
var s=document.getElementById('sev').value;var shown=0;
document.querySelectorAll('#findings tbody tr').forEach(function(r){
var ok=(!s||r.dataset.severity===s)&&(!q||r.textContent.toLowerCase().indexOf(q)>=0);
r.style.display=ok?'':'none';if(ok)shown++;});document.getElementById('shown').textContent=shown;}
"""


def _cell(value: object, numeric: bool = False) -> str:
    if value is None:
        text = ""
    elif isinstance(value, float):
        text = f"{value:,.2f}"
    elif isinstance(value, int) and not isinstance(value, bool):
        text = f"{value:,}"
    else:
        text = str(value)
    return f'<td class="num">{escape(text)}</td>' if numeric else f"<td>{escape(text)}</td>"


def _heading(vi: str, en: str) -> str:
    return f'<h2>{escape(vi)} <span class="en">/ {escape(en)}</span></h2>'


def _table(headers: list[tuple[str, str]], rows: list[str], table_id: str = "") -> str:
    head = "".join(f'<th>{escape(vi)}<br><span class="en">{escape(en)}</span></th>' for vi, en in headers)
    id_attr = f' id="{table_id}"' if table_id else ""
    return f"<table{id_attr}><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _run_section(data: ReportData, inbox: str) -> str:
    loaded = sum(f["rows_loaded"] or 0 for f in data.files)
    quarantined = sum(f["rows_quarantined"] or 0 for f in data.files)
    gate = data.gate
    reasons = "; ".join(gate.reasons) or "không có / none"
    return (
        _heading("Lần chạy", "The run")
        + "<table>"
        + f"<tr><th>Mã lần chạy / run id</th><td><code>{escape(data.run_id)}</code></td></tr>"
        + f"<tr><th>Thời điểm / generated at (UTC)</th><td>{datetime.now(UTC):%Y-%m-%d %H:%M:%S}</td></tr>"
        + f"<tr><th>Hộp thư / inbox</th><td><code>{escape(inbox)}</code></td></tr>"
        + f"<tr><th>Phiên bản / pipeline version</th><td><code>{escape(pipeline_version())}</code></td></tr>"
        + f"<tr><th>Tệp / files</th><td>{len(data.files)}</td></tr>"
        + f"<tr><th>Dòng nạp / rows loaded</th><td>{loaded:,}</td></tr>"
        + f"<tr><th>Dòng cách ly / rows quarantined</th><td>{quarantined:,}</td></tr>"
        + f'<tr><th>Cổng công bố / publish gate</th><td><span class="badge {gate.status}">{gate.status}</span> '
        + f"{escape(reasons)}</td></tr></table>"
    )


def _reconciliation_section(data: ReportData) -> str:
    rows = []
    for rec in data.reconciliations:
        verdict = '<td class="ok">khớp / match</td>' if rec.matches else '<td class="bad">lệch / mismatch</td>'
        computed = None if rec.computed is None else round(rec.computed, rec.decimals)
        difference = None if rec.difference is None else round(rec.difference, rec.decimals)
        rows.append(
            "<tr>" + _cell(rec.metric) + _cell(rec.as_of) + _cell(rec.window_start)
            + _cell(f"{rec.published:.{rec.decimals}f}", True)
            + _cell(None if computed is None else f"{computed:.{rec.decimals}f}", True)
            + _cell(None if difference is None else f"{difference:+.{rec.decimals}f}", True)
            + verdict + _cell(rec.source) + "</tr>"
        )
    headers = [("Chỉ tiêu", "metric"), ("Tại ngày", "as of"), ("Từ ngày", "window start"),
               ("Số công bố", "published"), ("Số tính được", "computed"), ("Chênh lệch", "difference"),
               ("Kết quả", "result"), ("Nguồn", "source")]
    return (_heading("Đối chiếu số liệu đã công bố", "Reconciliation with published figures")
            + (_table(headers, rows, "reconciliation") if rows
               else "<p>Không có số liệu kiểm soát / no control totals in the inbox.</p>"))


def _files_section(data: ReportData) -> str:
    rows = [
        "<tr>" + _cell(f["source_file"]) + _cell(f["kind"]) + _cell(f["status"])
        + f'<td><code>{escape(f["sha256"] or "")}</code></td>' + _cell(f["rows_read"], True)
        + _cell(f["rows_loaded"], True) + _cell(f["rows_quarantined"], True) + "</tr>"
        for f in data.files
    ]
    headers = [("Tệp", "file"), ("Loại", "kind"), ("Trạng thái", "status"), ("SHA-256", "SHA-256"),
               ("Đọc", "read"), ("Nạp", "loaded"), ("Cách ly", "quarantined")]
    return _heading("Tệp đầu vào", "Input files") + _table(headers, rows, "files")


def _summary_section(data: ReportData) -> str:
    rows = [f'<tr class="sev-{escape(r["severity"])}">' + _cell(r["rule_id"]) + _cell(r["severity"])
            + _cell(r["findings"], True) + "</tr>" for r in data.by_rule]
    trend = ["<tr>" + _cell(t["run_id"]) + _cell(t["finished_at"]) + _cell(t["findings_error"], True)
             + _cell(t["findings_warning"], True) + _cell(t["findings_info"], True) + "</tr>" for t in data.trend]
    return (_heading("Phát hiện theo quy tắc", "Findings by rule and severity")
            + _table([("Quy tắc", "rule"), ("Mức độ", "severity"), ("Số phát hiện", "findings")], rows, "by-rule")
            + "<h3>Xu hướng qua các lần chạy <span class=\"en\">/ trend over recent runs</span></h3>"
            + _table([("Lần chạy", "run"), ("Kết thúc", "finished"), ("Lỗi", "errors"),
                      ("Cảnh báo", "warnings"), ("Thông tin", "info")], trend, "trend"))


def _findings_section(data: ReportData) -> str:
    rows = [
        f'<tr class="sev-{escape(f["severity"])}" data-severity="{escape(f["severity"])}">'
        + _cell(f["rule_id"]) + _cell(f["severity"]) + _cell(f["tax_code"]) + _cell(f["period"])
        + _cell(f["source_file"]) + _cell(f["source_row"], True)
        + f'<td>{escape(f["message_vi"] or "")}<br><span class="en">{escape(f["message_en"] or "")}</span></td>'
        + _cell(f["observed"]) + _cell(f["expected"]) + _cell(f["open_since"]) + "</tr>"
        for f in data.findings
    ]
    note = ""
    if data.findings_total > len(data.findings):
        note = (f"<p>Hiển thị {len(data.findings):,} / {data.findings_total:,} phát hiện; danh sách đầy đủ trong "
                f"dq_findings.xlsx / showing {len(data.findings):,} of {data.findings_total:,}.</p>")
    filters = ('<div class="filters"><input id="q" placeholder="Tìm / search" oninput="uwFilter()">'
               '<select id="sev" onchange="uwFilter()"><option value="">mọi mức độ / all</option>'
               '<option>error</option><option>warning</option><option>info</option></select>'
               f'<span id="shown">{len(rows)}</span> dòng / rows</div>')
    headers = [("Quy tắc", "rule"), ("Mức độ", "severity"), ("Mã số thuế", "tax code"), ("Quý", "quarter"),
               ("Tệp", "file"), ("Dòng", "row"), ("Nội dung", "message"), ("Thực tế", "observed"),
               ("Mong đợi", "expected"), ("Mở từ", "open since")]
    return _heading("Danh sách phát hiện", "Findings") + note + filters + _table(headers, rows, "findings")


def _charts_section(data: ReportData) -> str:
    charts = [bar_chart("Doanh nghiệp có CĐCS theo KCN / enterprises with a union by zone", data.coverage_by_zone)]
    for metric in sorted({t["metric"] for t in data.targets}):
        rows = [t for t in data.targets if t["metric"] == metric]
        target = next((t.get("target_min") for t in rows if t.get("target_min") is not None), None)
        charts.append(bar_chart(f"{metric}: thực hiện theo năm / actual by year",
                                [(str(t["year"]), float(t.get("actual") or 0)) for t in rows],
                                reference=None if target is None else float(target),
                                reference_label=f"chỉ tiêu / target {target}"))
    body = "".join(c for c in charts if c) or "<p>Chưa có dữ liệu biểu đồ / no chart data yet.</p>"
    return _heading("Biểu đồ", "Charts") + body


def render_report(data: ReportData, inbox: str) -> str:
    sections = [_run_section(data, inbox), _reconciliation_section(data), _charts_section(data),
                _summary_section(data), _findings_section(data), _files_section(data)]
    return (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Báo cáo chất lượng dữ liệu — Data-quality report</title>"
        f"<style>{STYLE}</style></head><body>"
        "<h1>Báo cáo chất lượng dữ liệu <span class=\"en\">/ Data-quality report</span></h1>"
        "<p>Công đoàn Khu kinh tế Hải Phòng <span class=\"en\">/ Trade Union of the Haiphong Economic Zone</span></p>"
        + "".join(sections)
        + f"<script>{SCRIPT}</script></body></html>"
    )
