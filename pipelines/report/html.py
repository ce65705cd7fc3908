"""Render the auditor report as one self-contained HTML file.

Everything is inline (CSS, SVG, a few lines of script for filtering) and a
Content-Security-Policy forbids the browser to fetch anything, so the report renders
the same on an air-gapped laptop and cannot leak. Every value from the data is
escaped where it is written (`markup`, `sections`, `svg`), because enterprise names and cell values come from
hundreds of hand-filled spreadsheets.
"""

from __future__ import annotations

from pipelines.report import sections
from pipelines.report.data import ReportData

STYLE = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:24px;color:#1d2433;max-width:1280px}
h1{font-size:1.5em;margin-bottom:0}h2{margin-top:1.6em;border-bottom:2px solid #c8102e;padding-bottom:4px}
h3{margin-bottom:4px}.en{color:#5b6478;font-weight:normal;font-size:.9em}
table{border-collapse:collapse;width:100%;font-size:.86em;margin:8px 0}
th,td{border:1px solid #d5d9e2;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f0f2f6}td.num{text-align:right;font-variant-numeric:tabular-nums}
table.kv{width:auto}table.kv th{width:260px}
.ok{color:#137333;font-weight:600}.bad{color:#b3261e;font-weight:600}
.sev-error{background:#fde7e9}.sev-warning{background:#fff4d6}.sev-info{background:#eef3fb}
.badge{display:inline-block;padding:2px 10px;border-radius:10px;color:#fff}
.badge.passed{background:#137333}.badge.blocked{background:#b3261e}.badge.overridden{background:#a05a00}
code{font-size:.85em;word-break:break-all}.charts{display:flex;flex-wrap:wrap;gap:12px 28px}
.chart{display:block;margin:8px 0;font-size:11px}.chart-title{font-weight:600;font-size:13px}
.chart .bar,.s-union{fill:#2d6cdf;stroke:#2d6cdf}.s-party{fill:#c8102e;stroke:#c8102e}
.chart .line{fill:none;stroke-width:2}.chart .grid{stroke:#e3e6ec}.chart .axis{fill:#5b6478;font-size:10px}
.chart .reference{stroke:#1d2433;stroke-dasharray:4 3;stroke-width:1.5}.target-band{fill:#137333;opacity:.14}
.actual-met{fill:#137333}.actual-miss{fill:#b3261e}.actual-progress{fill:#a05a00}
.s-error{fill:#b3261e}.s-warning{fill:#d39b00}.s-info{fill:#2d6cdf}
.cell-empty{fill:#f6f7f9}.cell-dark{fill:#fff;font-size:10px}.cell-light{fill:#1d2433;font-size:10px}
.filters input,.filters select{margin:4px 8px 4px 0;padding:3px}.note{color:#5b6478;font-size:.88em}
"""

# Filtering the findings list, and a self-check the browser test reads back from the DOM:
# how many charts were laid out with a real size, and how many reconciliation rows show.
SCRIPT = """
function uwFilter(){var q=document.getElementById('q').value.toLowerCase();
var s=document.getElementById('sev').value,r=document.getElementById('rule').value,
p=document.getElementById('period').value,shown=0;
document.querySelectorAll('#findings tbody tr').forEach(function(t){
var ok=(!s||t.dataset.severity===s)&&(!r||t.dataset.rule===r)&&(!p||t.dataset.period===p)
&&(!q||t.textContent.toLowerCase().indexOf(q)>=0);t.style.display=ok?'':'none';if(ok)shown++;});
document.getElementById('shown').textContent=shown;}
window.addEventListener('load',function(){var n=0;document.querySelectorAll('svg.chart').forEach(function(c){
var b=c.getBBox();if(b.width>0&&b.height>0)n++;});var d=document.body.dataset;d.chartsRendered=n;
var t=document.querySelector('#reconciliation tbody');d.reconciliationRows=t?t.rows.length:0;
d.reconciliationHeight=t?t.getBoundingClientRect().height:0;});
"""

CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; "
       "font-src 'none'; connect-src 'none'; form-action 'none'; base-uri 'none'")


def render_report(data: ReportData, inbox: str) -> str:
    body = [
        sections.run_section(data, inbox),
        sections.reconciliation_section(data),
        sections.charts_section(data),
        sections.summary_section(data),
        sections.findings_section(data),
        sections.files_section(data),
    ]
    return (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Báo cáo chất lượng dữ liệu — Data-quality report</title>"
        f"<style>{STYLE}</style></head><body>"
        "<h1>Báo cáo chất lượng dữ liệu <span class=\"en\">/ Data-quality report</span></h1>"
        "<p>Công đoàn Khu kinh tế Hải Phòng <span class=\"en\">/ Trade Union of the Haiphong Economic Zone</span></p>"
        + "".join(body)
        + f"<script>{SCRIPT}</script></body></html>"
    )
