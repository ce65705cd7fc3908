"""The findings as a spreadsheet: one sheet per severity, filters on, headers frozen.

Each row carries its rule's meaning from the rule catalogue and its severity in words,
as the HTML report shows them. Auditors open this in Excel, and the cell texts come from hand-filled files: a name
like `=HYPERLINK(...)` must never become a live formula. So every text is written with
`write_string` (an in-line string, which Excel shows as text), the workbook is told
never to turn strings into formulas, numbers or links on its own, and a text that
starts like a formula also gets Excel's quote prefix, so it stays text even after
someone edits the cell.

The workbook is written in xlsxwriter's `constant_memory` mode: each row goes to a
temporary file beside the target as soon as the next begins, instead of every cell and a
shared-string table staying in memory until the end (~0.5 GB per 120,000 findings:
~2 GB at scale 400). The price: in-line strings instead of shared ones (the file is ~20 %
larger) and rows written strictly in order, which is how they are written anyway.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Protocol

import xlsxwriter

from pipelines.lib.cell_text import starts_like_formula
from pipelines.lib.labels import SEVERITY, words
from pipelines.lib.rule_catalogue import rule_catalogue

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


WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
    "default_date_format": "yyyy-mm-dd hh:mm:ss",
    "constant_memory": True,
}


class FindingSource(Protocol):
    """Where the workbook reads findings from: a list (`ListedFindings`) or the warehouse, streamed."""

    def counts(self) -> dict[str, int]: ...
    def by_key(self) -> Iterable[dict]: ...
    def of_severity(self, severity: str) -> Iterable[dict]: ...


class ListedFindings:
    """Findings already in memory, in report order."""

    def __init__(self, findings: list[dict]):
        self.findings = findings

    def counts(self) -> dict[str, int]:
        return {severity: sum(f.get("severity") == severity for f in self.findings) for severity, _ in SHEETS}

    def by_key(self) -> Iterable[dict]:
        return sorted(self.findings, key=lambda f: str(f.get("finding_key")))

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

    Writing ~50,000 findings (scale 40) takes ~10 s, so a workbook whose findings are exactly
    those it already holds (a run where nothing changed) is left in place: `<target>.sha256`
    remembers what it holds. Its document properties still name the run that wrote it.
    The findings are read one at a time (`report.data.WarehouseFindings` streams them).
    """
    source = ListedFindings(findings) if isinstance(findings, list) else findings
    target.parent.mkdir(parents=True, exist_ok=True)
    per_severity = source.counts()
    counts = {severity: int(per_severity.get(severity, 0)) for severity, _ in SHEETS}
    digest, digest_file = _digest(source.by_key()), target.with_name(f".{target.name}.sha256")
    if target.exists() and digest_file.exists() and digest_file.read_text() == digest:
        return counts
    digest_file.unlink(missing_ok=True)
    staging = target.with_name(f".{target.name}.tmp")
    workbook = xlsxwriter.Workbook(str(staging), {**WORKBOOK_OPTIONS, "tmpdir": str(target.parent)})
    try:
        workbook.set_properties({"title": "Phát hiện chất lượng dữ liệu / data-quality findings",
                                 "subject": f"run {run_id}", "company": "Công đoàn Khu kinh tế Hải Phòng"})
        header = workbook.add_format({"bold": True, "bg_color": "#F0F2F6", "text_wrap": True,
                                      "valign": "top", "border": 1})
        formats = {"when": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
                   "quoted": workbook.add_format({"quote_prefix": True})}
        for severity, sheet_name in SHEETS:
            rows = (_in_words(f) for f in source.of_severity(severity))
            _write_sheet(workbook.add_worksheet(sheet_name), rows, counts[severity], header, formats)
    finally:
        workbook.close()
    os.replace(staging, target)
    digest_file.write_text(digest)
    return counts


def _in_words(finding: dict) -> dict:
    """The rule's meaning from the catalogue and the severity in words, as the HTML report shows them."""
    rule = rule_catalogue().get(finding.get("rule_id") or "")
    return {**finding, "severity_words": str(words("severity", finding.get("severity"))),
            "rule_meaning_vi": rule.meaning_vi if rule else None, "rule_meaning_en": rule.meaning_en if rule else None}


def _write_sheet(sheet, rows: Iterable[dict], count: int, header, formats: dict) -> None:
    sheet.set_row(0, 32)
    for col, (_, vi, en, width) in enumerate(COLUMNS):
        sheet.write_string(0, col, f"{vi}\n{en}", header)
        sheet.set_column(col, col, width)
    names = [name for name, *_rest in COLUMNS]
    for row_index, finding in enumerate(rows, start=1):
        for col, name in enumerate(names):
            value = finding.get(name)
            if value is not None:  # an empty cell is simply not written
                _write_value(sheet, row_index, col, value, formats)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(1, count), len(COLUMNS) - 1)


def _write_value(sheet, row: int, col: int, value: object, formats: dict) -> None:
    if isinstance(value, bool):
        sheet.write_string(row, col, "có / yes" if value else "không / no")
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value)
    elif isinstance(value, datetime):
        sheet.write_datetime(row, col, value, formats["when"])
    else:
        value = str(value)
        quoted = formats["quoted"] if starts_like_formula(value) else None
        sheet.write_string(row, col, value, quoted)
