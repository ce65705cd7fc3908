"""The findings as a spreadsheet: one sheet per severity, filters on, headers frozen.

Each row carries its rule's meaning from the rule catalogue and its severity in words,
as the HTML report shows them. Auditors open this in Excel, and the cell texts come from
hand-filled files: a name like `=HYPERLINK(...)` must never become a live formula. So every
text is an in-line string (which Excel shows as text, never a formula, number or link),
and a text that starts like a formula also gets Excel's quote prefix, so it stays text even
after someone edits the cell (`pipelines/lib/xlsx_stream.py`).

The rows are streamed: read from the warehouse a batch at a time and written into the zip
as text in bulk, so memory stays one batch at any size, and ~53,000 findings (scale 40)
take ~2.4 s instead of the ~9 s xlsxwriter's per-cell writing took.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol

from pipelines.lib.build_state import code_version
from pipelines.lib.labels import SEVERITY, words
from pipelines.lib.rule_catalogue import rule_catalogue
from pipelines.lib.xlsx_stream import Column, Sheet, write_workbook

SHEETS = tuple((code, f"{w.vi} - {w.en}") for code, w in SEVERITY.items())

# (field, Vietnamese header, English header, column width)
COLUMNS = (
    ("rule_id", "Quy tắc", "rule", 9),
    ("rule_meaning_vi", "Ý nghĩa quy tắc", "rule meaning (Vietnamese)", 40),
    ("rule_meaning_en", "Ý nghĩa quy tắc (tiếng Anh)", "rule meaning (English)", 40),
    ("severity_words", "Mức độ", "severity", 18),
    ("tax_code", "Mã số thuế", "tax code", 15),
    ("enterprise_name", "Doanh nghiệp", "enterprise", 36),
    ("period", "Quý", "quarter", 10),
    ("source_file", "Tệp", "file", 44),
    ("source_row", "Dòng", "row", 8),
    ("message_vi", "Nội dung", "message (Vietnamese)", 50),
    ("message_en", "Nội dung (tiếng Anh)", "message (English)", 50),
    ("observed", "Thực tế", "observed", 28),
    ("expected", "Mong đợi", "expected", 28),
    ("open_since", "Mở từ", "open since", 20),
    ("first_seen_run", "Lần chạy phát hiện đầu", "first seen in run", 38),
    ("finding_key", "Khoá phát hiện", "finding key", 34),
)

HEADERS = tuple(Column(f"{vi}\n{en}", width) for _, vi, en, width in COLUMNS)


class FindingSource(Protocol):
    """Where the workbook reads findings from: a list (`ListedFindings`) or the warehouse, streamed."""

    def counts(self) -> dict[str, int]: ...
    def digest(self) -> str: ...
    def of_severity(self, severity: str) -> Iterable[dict]: ...


class ListedFindings:
    """Findings already in memory, in report order."""

    def __init__(self, findings: list[dict]):
        self.findings = findings

    def counts(self) -> dict[str, int]:
        return {severity: sum(f.get("severity") == severity for f in self.findings) for severity, _ in SHEETS}

    def digest(self) -> str:
        return _digest(sorted(self.findings, key=lambda f: str(f.get("finding_key"))))

    def of_severity(self, severity: str) -> Iterable[dict]:
        return (f for f in self.findings if f.get("severity") == severity)


def _digest(findings: Iterable[dict]) -> str:
    """SHA-256 of the findings as one JSON list sorted by key, hashed item by item (never one big string)."""
    digest = hashlib.sha256(b"[")
    for position, finding in enumerate(findings):
        digest.update(((", " if position else "") + json.dumps(finding, sort_keys=True, default=str)).encode())
    digest.update(b"]")
    return digest.hexdigest()


def write_findings_xlsx(findings: FindingSource | list[dict], target: Path, *, run_id: str = "") -> dict[str, int]:
    """Write the workbook beside `target`, then rename it into place; returns rows per sheet.

    Even streamed, ~50,000 findings (scale 40) take ~2.4 s to write, so a workbook whose findings are exactly
    those it already holds (a run where nothing changed) is left in place: `<target>.sha256`
    remembers their digest (`FindingSource.digest`) with the code version that wrote them
    (`build_state.code_version`: a changed layout, writer or rule catalogue means a new
    workbook, with no version number to remember to raise). Its document properties still
    name the run that wrote it. The findings are read one at a time
    (`report.data.WarehouseFindings` streams them).
    """
    source = ListedFindings(findings) if isinstance(findings, list) else findings
    target.parent.mkdir(parents=True, exist_ok=True)
    per_severity = source.counts()
    counts = {severity: int(per_severity.get(severity, 0)) for severity, _ in SHEETS}
    digest = f"{code_version()}:{source.digest()}"
    digest_file = target.with_name(f".{target.name}.sha256")
    if target.exists() and digest_file.exists() and digest_file.read_text() == digest:
        return counts
    digest_file.unlink(missing_ok=True)
    staging = target.with_name(f".{target.name}.tmp")
    sheets = [Sheet(name, HEADERS, _rows(source.of_severity(severity)), counts[severity])
              for severity, name in SHEETS]
    try:
        write_workbook(staging, sheets, title="Phát hiện chất lượng dữ liệu / data-quality findings",
                       subject=f"run {run_id}", company="Công đoàn Khu kinh tế Hải Phòng")
    except BaseException:
        staging.unlink(missing_ok=True)
        raise
    os.replace(staging, target)
    digest_file.write_text(digest)
    return counts


def _in_words(finding: dict) -> dict:
    """The rule's meaning from the catalogue and the severity in words, as the HTML report shows them."""
    rule = rule_catalogue().get(finding.get("rule_id") or "")
    return {**finding, "severity_words": str(words("severity", finding.get("severity"))),
            "rule_meaning_vi": rule.meaning_vi if rule else None, "rule_meaning_en": rule.meaning_en if rule else None}


def _rows(findings: Iterable[dict]) -> Iterator[list]:
    """Each finding as its cells, in the order of `COLUMNS`."""
    names = [name for name, *_rest in COLUMNS]
    for finding in findings:
        in_words = _in_words(finding)
        yield [in_words.get(name) for name in names]
