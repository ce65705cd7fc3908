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
            Reconciliation("union_coverage_pct", date(2022, 9, 30), None, 95.2, 1, 95.1557, "bài báo", "c.csv", 2,
                           0.0, True),
            Reconciliation("workers", date(2022, 9, 30), None, 156915, 0, 156000, "bài báo", "c.csv", 3,
                           -915.0, False),
        ],
        by_rule=[{"rule_id": "C001", "severity": "error", "open_findings": 1, "new_findings": 1,
                  "resolved_findings": 0}],
        trend=[{"run_id": "run-0", "finished_at": None, "findings_error": 2, "findings_warning": 1,
                 "findings_info": 5, "gate_result": "passed"}],
        findings=[{"rule_id": "E003", "severity": "warning", "tax_code": "0200000000", "period": "2022-Q3",
                   "source_file": "a.xlsx", "source_row": 5, "message_vi": HOSTILE, "message_en": HOSTILE,
                   "observed": HOSTILE, "expected": "x", "open_since": None, "enterprise_name": HOSTILE}],
        findings_total=1,
        coverage_by_zone=[{"zone": HOSTILE, "as_of": date(2022, 9, 30), "label": "Q3/22",
                           "union_coverage_pct": 90.0, "party_org_coverage_pct": 10.0},
                          {"zone": "Đình Vũ", "as_of": date(2022, 9, 30), "label": "Q3/22",
                           "union_coverage_pct": 95.0, "party_org_coverage_pct": 20.0}],
        coverage_by_quarter=[{"as_of": date(2022, 6, 30), "label": "Q2/22", "union_coverage_pct": 94.0,
                              "party_org_coverage_pct": 15.0},
                             {"as_of": date(2022, 9, 30), "label": "Q3/22", "union_coverage_pct": 95.2,
                              "party_org_coverage_pct": 15.4}],
        targets=[{"year": 2022, "metric": "party_members_admitted", "actual": 48.0, "target_min": 50.0,
                  "target_max": None, "met": False, "status": "in_progress", "is_current_year": True,
                  "pace_needed_per_quarter": 2.0}],
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
    charts = html.split('id="charts"')[1].split('id="by-rule-h"')[0]
    # coverage by quarter, by zone, two zone × quarter heat maps, one target chart; three trend charts after
    assert charts.count("<svg") == 5 and html.count("<svg") == 8
    assert "Đình Vũ" in charts and "95.2%" in charts and "in_progress" in charts


def test_the_page_forbids_every_fetch():
    html = render_report(_data(), inbox="/inbox")
    assert "Content-Security-Policy" in html and "default-src 'none'" in html


def test_run_section_names_time_inbox_version_and_rows():
    html = render_report(_data(), inbox="/srv/inbox")
    run = html.split('id="run"')[1].split("</table>")[0]
    for expected in ("run-1", "/srv/inbox", "pipeline version", "rows loaded", "2", "rows quarantined", "SHA-256"):
        assert expected in run
