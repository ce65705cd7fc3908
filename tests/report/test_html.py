import re
from datetime import date

from pipelines.lib.labels import FILE_STATUS, GATE, SEVERITY, TARGET_STATUS
from pipelines.lib.rule_catalogue import rule_catalogue
from pipelines.publish.gate import GateResult
from pipelines.quality.control_totals import Reconciliation
from pipelines.report.data import ReportData
from pipelines.report.html import render_report
from pipelines.report.view import INFO_ROWS_SHOWN

HOSTILE = '<script>alert(1)</script>=HYPERLINK("http://x")'
NBSP = "\u00a0"


def _finding(rule_id: str, severity: str, row: int, **extra) -> dict:
    return {"rule_id": rule_id, "severity": severity, "tax_code": "0200000000", "period": "2022-Q3",
            "source_file": "a.xlsx", "source_row": row, "message_vi": "m", "message_en": "m", "observed": "o",
            "expected": "x", "open_since": None, "enterprise_name": None, **extra}


def _data(info_rows: int = 0) -> ReportData:
    info = [_finding("F007", "info", 100 + i) for i in range(info_rows)]
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
                  "resolved_findings": 0},
                 {"rule_id": "E003", "severity": "warning", "open_findings": 1, "new_findings": 1,
                  "resolved_findings": 0},
                 {"rule_id": "F007", "severity": "info", "open_findings": info_rows, "new_findings": info_rows,
                  "resolved_findings": 0}],
        trend=[{"run_id": "run-0", "finished_at": None, "findings_error": 2, "findings_warning": 1,
                "findings_info": 5, "gate_result": "passed"},
               {"run_id": "run-1", "finished_at": None, "findings_error": 1, "findings_warning": 1,
                "findings_info": info_rows, "gate_result": None}],
        findings=[_finding("E003", "warning", 5, message_vi=HOSTILE, message_en=HOSTILE, observed=HOSTILE,
                           enterprise_name=HOSTILE),
                  _finding("C001", "error", 0, tax_code=None, source_file="c.csv")] + info,
        findings_total=2 + info_rows,
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


def _between(html: str, start: str, end: str) -> str:
    return html.split(start, 1)[1].split(end, 1)[0]


def test_data_is_escaped_everywhere():
    html = render_report(_data(), inbox="/in<b>ox")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "/in&lt;b&gt;ox" in html
    assert html.count("<script>") == 1  # only the report's own inline filter script


def test_self_contained_no_external_references():
    html = render_report(_data(), inbox="/inbox")
    outside_data = html.replace("http://x", "").replace("http:&#47;&#47;x", "")
    assert not re.search(r"(https?:)?//[a-z0-9]", outside_data, re.IGNORECASE)
    assert not re.search(r"<(link|img|iframe)\b", html)
    assert not re.search(r"\bsrc\s*=", html)


def test_the_page_forbids_every_fetch():
    html = render_report(_data(), inbox="/inbox")
    assert "Content-Security-Policy" in html and "default-src 'none'" in html


def test_reconciliation_in_vietnamese_numbers_mismatch_first():
    html = render_report(_data(), inbox="/inbox")
    table = _between(html, 'id="reconciliation"', "</table>")
    rows = table.split("<tr data-match=")[1:]
    assert rows[0].startswith('"false"') and rows[1].startswith('"true"')  # the mismatch leads
    assert "156.915" in rows[0] and "156.000" in rows[0] and "-915" in rows[0] and "Lệch" in rows[0]
    assert f"95,2{NBSP}%" in rows[1] and "Khớp" in rows[1] and "30/09/2022" in rows[1]
    assert 'class="badge blocked"' in html


def test_codes_are_words_vietnamese_first():
    html = render_report(_data(), inbox="/inbox")
    gate = _between(html, 'id="gate-verdict"', "</span></span>")
    assert GATE["blocked"].vi in gate and GATE["blocked"].en in gate
    assert "1 số liệu đã công bố không khớp (C001)" in html  # the gate's reason, not the English code sentence
    assert f'{SEVERITY["warning"].vi} <span class="en">/ {SEVERITY["warning"].en}</span>' in html
    assert FILE_STATUS["loaded"].vi in _between(html, 'id="files"', "</table>")
    assert TARGET_STATUS["in_progress"].vi in _between(html, 'id="targets"', "</table>")
    bare_code = r"<td[^>]*>\s*(in_progress|not_met|loaded|skipped|error|warning|info|passed|blocked)\s*</td>"
    assert not re.search(bare_code, html)


def test_every_rule_id_carries_its_catalogue_meaning():
    html = render_report(_data(info_rows=3), inbox="/inbox")
    by_rule = _between(html, 'id="by-rule"', "</table>")
    for rule_id in ("C001", "E003", "F007"):
        meaning = rule_catalogue()[rule_id]
        assert rule_id in by_rule and meaning.meaning_vi in by_rule and meaning.meaning_en in by_rule


def test_errors_and_warnings_are_listed_info_is_summarised_by_rule():
    html = render_report(_data(info_rows=3), inbox="/inbox")
    listed = _between(html, 'id="findings"', "</table>")
    assert listed.count('<tr class="finding') == 2
    assert listed.index('data-rule="C001"') < listed.index('data-rule="E003"')  # errors before warnings
    group = _between(html, '<details class="info-group" data-rule="F007">', "</details>")
    assert "<strong>3</strong>" in group and group.count('<tr class="finding') == 3
    assert rule_catalogue()["F007"].action_vi in group


def test_a_large_info_rule_shows_a_bounded_sample_and_points_to_the_spreadsheet():
    rows = INFO_ROWS_SHOWN + 250
    html = render_report(_data(info_rows=rows), inbox="/inbox")
    group = _between(html, '<details class="info-group" data-rule="F007">', "</details>")
    assert group.count('<tr class="finding') == INFO_ROWS_SHOWN
    assert f"<strong>{INFO_ROWS_SHOWN + 250:,}</strong>".replace(",", ".") in group
    assert "Còn 250 dòng" in group and "dq_findings.xlsx" in group


def test_the_trend_shows_every_verdict_including_this_run():
    html = render_report(_data(), inbox="/inbox")
    trend = _between(html, 'id="trend"', "</table>")
    assert GATE["passed"].vi in trend  # the earlier run
    current = trend.split('class="current"')[1]
    assert GATE["blocked"].vi in current and "lần này" in current


def test_charts_are_inline_svg_with_vietnamese_numbers():
    html = render_report(_data(), inbox="/inbox")
    charts = _between(html, 'id="charts"', 'id="input-files"')
    # coverage by quarter, by zone, two zone × quarter heat maps, one target chart; three trend charts elsewhere
    assert charts.count("<svg") == 5 and html.count("<svg") == 8
    assert "Đình Vũ" in charts and f"95,2{NBSP}%" in charts and TARGET_STATUS["in_progress"].vi in charts


def test_run_section_names_time_inbox_version_and_rows():
    html = render_report(_data(), inbox="/srv/inbox")
    run = _between(html, 'id="run"', "</table>")
    for expected in ("run-1", "/srv/inbox", "pipeline version", "rows loaded", "rows quarantined", "SHA-256"):
        assert expected in run
