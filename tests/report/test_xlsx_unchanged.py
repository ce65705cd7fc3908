"""The findings workbook is rewritten only when the findings changed (docs/performance.md)."""

from __future__ import annotations

import openpyxl

from pipelines.report.xlsx import write_findings_xlsx


def _finding(key: str, severity: str = "info") -> dict:
    return {"finding_key": key, "rule_id": "E005", "severity": severity, "tax_code": "0200000000",
            "period": "2022-Q3", "message_vi": "thay thế", "message_en": "superseded", "source_row": 4}


def test_same_findings_leave_the_workbook_in_place_and_new_ones_rewrite_it(tmp_path):
    target = tmp_path / "dq_findings.xlsx"
    findings = [_finding("a"), _finding("b", "error")]
    assert write_findings_xlsx(findings, target, run_id="r1") == {"error": 1, "warning": 0, "info": 1}
    written = target.stat().st_mtime_ns
    # Same findings in another order: same workbook, not written again.
    assert write_findings_xlsx(list(reversed(findings)), target, run_id="r2") == {"error": 1, "warning": 0, "info": 1}
    assert target.stat().st_mtime_ns == written
    changed = [*findings, _finding("c", "warning")]
    assert write_findings_xlsx(changed, target, run_id="r3") == {"error": 1, "warning": 1, "info": 1}
    book = openpyxl.load_workbook(target, read_only=True)
    rows = {ws.title: list(ws.iter_rows(min_row=2, values_only=True)) for ws in book.worksheets}
    assert [len(r) and r[0][0] for r in rows.values()] == ["E005", "E005", "E005"]
    assert sum(len(r) for r in rows.values()) == 3


def test_a_workbook_removed_by_hand_is_written_again(tmp_path):
    target = tmp_path / "dq_findings.xlsx"
    write_findings_xlsx([_finding("a")], target)
    target.unlink()
    write_findings_xlsx([_finding("a")], target)
    assert target.exists()


def test_new_code_rewrites_the_workbook_even_for_the_same_findings(tmp_path, monkeypatch):
    # what a row shows (columns, the catalogue's meanings, the cell writer) is code: a new
    # version must not leave a workbook the old one wrote
    from pipelines.report import xlsx

    target = tmp_path / "dq_findings.xlsx"
    findings = [_finding("a")]
    monkeypatch.setattr(xlsx, "code_version", lambda: "v1")
    write_findings_xlsx(findings, target, run_id="r1")
    written = target.stat().st_mtime_ns
    write_findings_xlsx(findings, target, run_id="r2")
    assert target.stat().st_mtime_ns == written
    monkeypatch.setattr(xlsx, "code_version", lambda: "v2")
    write_findings_xlsx(findings, target, run_id="r3")
    assert target.stat().st_mtime_ns != written
