import re
from datetime import date

from pipelines.publish.gate import GateResult
from pipelines.quality.control_totals import Reconciliation
from pipelines.report.data import ReportData
from pipelines.report.html import render_report

HOSTILE = '<script>alert(1)</script>=HYPERLINK("http://x")'


def _data() -> ReportData:
    return ReportData(
        run_id="run-1",
        gate=GateResult(blocking_findings=1),
        files=[{"source_file": f"union_reports/{HOSTILE}.xlsx", "kind": "union_reports", "status": "loaded",
                "sha256": "ab" * 32, "rows_read": 3, "rows_loaded": 2, "rows_quarantined": 1, "detail": None}],
        reconciliations=[
            Reconciliation("union_coverage_pct", date(2022, 9, 30), None, 95.2, 1, 95.1557, "bài báo", "c.csv", 2),
            Reconciliation("workers", date(2022, 9, 30), None, 156915, 0, 156000, "bài báo", "c.csv", 3),
        ],
        by_rule=[{"rule_id": "C001", "severity": "error", "findings": 1}],
        trend=[],
        findings=[{"rule_id": "E003", "severity": "warning", "tax_code": "0200000000", "period": "2022-Q3",
                   "source_file": "a.xlsx", "source_row": 5, "message_vi": HOSTILE, "message_en": HOSTILE,
                   "observed": HOSTILE, "expected": "x", "open_since": None}],
        findings_total=1,
        coverage_by_zone=[(HOSTILE, 3.0), ("Đình Vũ", 5.0)],
    )


def test_data_is_escaped_everywhere():
    html = render_report(_data(), inbox="/in<b>ox")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "/in&lt;b&gt;ox" in html
    assert html.count("<script>") == 1  # only the report's own inline filter script


def test_self_contained_no_external_references():
    html = render_report(_data(), inbox="/inbox")
    outside_data = html.replace("http://x", "")
    assert not re.search(r"(https?:)?//[a-z0-9]", outside_data, re.IGNORECASE)
    assert not re.search(r"<(link|img|iframe)\b", html)
    assert not re.search(r"\bsrc\s*=", html)


def test_reconciliation_shows_match_mismatch_and_difference():
    html = render_report(_data(), inbox="/inbox")
    table = html.split('id="reconciliation"')[1].split("</table>")[0]
    assert "95.2" in table and "khớp / match" in table
    assert "156000" in table and "-915" in table and "lệch / mismatch" in table
    assert 'class="badge blocked"' in html


def test_charts_are_inline_svg():
    html = render_report(_data(), inbox="/inbox")
    assert html.count("<svg") == 1 and "Đình Vũ" in html
