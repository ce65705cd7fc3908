"""Reading one kind's file into raw rows, quarantine rows and findings.

Everything a file produces is returned or written through the connection given, inside
the caller's transaction, so a file that fails half-way leaves nothing behind.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from pipelines.ingest.block import parse_block
from pipelines.ingest.columns import KINDS, Kind
from pipelines.ingest.dates import find_date_in_text
from pipelines.ingest.messages import Problem, file_finding, row_finding
from pipelines.ingest.raw_rows import insert_columns, raw_columns
from pipelines.ingest.readers import read_rows
from pipelines.ingest.records import RowResult
from pipelines.ingest.sheet import (
    Event,
    Layout,
    NoHeader,
    SheetRejected,
    TotalsChecker,
    data_events,
    locate_header,
)
from pipelines.ingest.store import insert_rows
from pipelines.ingest.values import ValueProblem, cell_text, parse_count
from pipelines.lib.audit import record_quarantine
from pipelines.lib.findings import Finding

log = logging.getLogger(__name__)

PSEUDONYM_ENV = "UW_PSEUDONYM_KEY"
DEVELOPMENT_KEY = "uw-development-key-NOT-FOR-PRODUCTION"
REDACTED = "<redacted>"
BATCH_ROWS = 20_000
_warned_about_key = False


class FileRejected(Exception):
    """The whole file is quarantined; carries the finding that says why."""

    def __init__(self, finding: Finding, detail: str) -> None:
        super().__init__(detail)
        self.finding = finding
        self.detail = detail


@dataclass
class FileResult:
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    findings: list[Finding] = field(default_factory=list)
    layout: str = "wide"  # how the sheet was recognised (docs/ingest.md), shown in the manifest


def pseudonym_key() -> bytes:
    global _warned_about_key
    key = os.environ.get(PSEUDONYM_ENV)
    if not key:
        if not _warned_about_key:
            log.warning("%s is not set: candidate keys use the development key (not for production)",
                        PSEUDONYM_ENV)
            _warned_about_key = True
        key = DEVELOPMENT_KEY
    return key.encode("utf-8")


@dataclass
class FileContext:
    kind: Kind
    source_file: str
    sha256: str
    run_id: str
    today: date
    layout: Layout
    loaded_at: datetime = field(default_factory=lambda: datetime.now(UTC).replace(tzinfo=None))

    def header_of(self, column: str) -> str:
        index = self.layout.index_of(column)
        return self.layout.headers.get(index, column) if index is not None else column


def open_sheet(path: Path, kind: Kind, source_file: str):
    """Header located and required columns checked, or FileRejected (F002)."""
    try:
        layout, rows = locate_header(kind.name, read_rows(path))
    except NoHeader as exc:
        detail_vi, detail_en = exc.args if len(exc.args) == 2 else (
            "không tìm thấy dòng tiêu đề trong 15 dòng đầu", "no header row within the first 15 rows")
        raise FileRejected(file_finding("F002", source_file, detail_vi, detail_en, subject="no_header"),
                           detail_en) from None
    except SheetRejected as exc:
        raise FileRejected(file_finding("F002", source_file, exc.detail_vi, exc.detail_en, observed=exc.observed,
                                        expected=exc.expected, subject=exc.subject), exc.detail_en) from None
    missing = [c for c in kind.required_columns if layout.index_of(c) is None]
    if missing:
        names = ", ".join(kind.column(c).headers[0] for c in missing)
        raise FileRejected(file_finding(
            "F002", source_file, f"thiếu cột {names}", f"missing columns {', '.join(missing)}",
            observed=", ".join(missing), expected=names, subject="missing_columns"),
            f"missing required columns: {', '.join(missing)}")
    return layout, rows


def load_file(con, path: Path, kind_name: str, source_file: str, sha256: str, run_id: str,
              today: date) -> FileResult:
    kind = KINDS[kind_name]
    layout, rows = open_sheet(path, kind, source_file)
    ctx = FileContext(kind, source_file, sha256, run_id, today, layout)
    result = FileResult(layout=layout.form)
    totals = TotalsChecker(c for c in kind.summed_columns if layout.index_of(c) is not None)
    key = pseudonym_key() if kind_name == "candidates" else b""
    updated: list[date] = []
    for events in _batches(data_events(layout, kind.key, rows)):
        _load_batch(con, ctx, events, totals, key, result, updated)
    if kind_name == "enterprises":
        con.execute("UPDATE raw.enterprises SET snapshot_as_of = ? WHERE sha256 = ? AND run_id = ?",
                    [snapshot_date(updated, layout.title_lines, today), sha256, run_id])
    return result


def _batches(events: Iterable[Event]) -> Iterator[list[Event]]:
    """Up to BATCH_ROWS rows at a time: memory stays bounded whatever the file's size."""
    batch: list[Event] = []
    for event in events:
        batch.append(event)
        if len(batch) >= BATCH_ROWS:
            yield batch
            batch = []
    if batch:
        yield batch


def _load_batch(con, ctx: FileContext, events: list[Event], totals: TotalsChecker, key: bytes,
                result: FileResult, updated: list[date]) -> None:
    """Parses the batch's data rows as one block; findings, totals checks and quarantine rows
    are then produced in file order, and the rows that passed are inserted as columns."""
    data = [e for e in events if e.kind == "data"]
    block = parse_block(ctx.kind, ctx.layout, [e.cells for e in data], ctx.today)
    position = since = 0
    for event in events:
        if event.kind == "totals":
            totals.add_sums(block.sums(totals.columns, since, position))
            since = position
            result.findings.extend(check_totals(ctx, totals, event))
        else:
            if position in block.problems or position in block.restored:
                result.findings.extend(row_findings(ctx, event.source_row, block.result(position)))
            position += 1
    totals.add_sums(block.sums(totals.columns, since, position))
    quarantined, personal = [], []
    for row in sorted(block.problems):
        event = data[row]
        quarantined.append(quarantine_row(ctx, event, block.problems[row][0].rule_id, redact=True))
        if _redacts_anything(ctx, event.cells):
            personal.append(quarantine_row(ctx, event, None, redact=False))
    keep = [i for i in range(block.size) if i not in block.problems] if block.problems else None
    columns = raw_columns(ctx.kind.name, ctx.layout, block, data, keep, key)
    insert_columns(con, ctx.kind.table, columns, {"source_file": ctx.source_file, "sha256": ctx.sha256,
                                                   "run_id": ctx.run_id, "loaded_at": ctx.loaded_at})
    record_quarantine(con, quarantined)
    insert_rows(con, "raw.quarantine_personal", personal)
    result.rows_read += block.size
    result.rows_loaded += block.size - len(block.problems)
    result.rows_quarantined += len(block.problems)
    if "updated_on" in columns:
        updated.extend(d for d in set(columns["updated_on"]) if isinstance(d, date))


def snapshot_date(updated: list[date], title_lines: list[str], today: date) -> date:
    """§4.1: newest `Ngày cập nhật`, else the title's "tính đến ngày …", else today."""
    if updated:
        return max(updated)
    as_of_lines = [t for t in title_lines if "đến ngày" in t.lower()] or title_lines
    dates = [d for d in (find_date_in_text(t) for t in as_of_lines) if d is not None]
    return max(dates) if dates else today


def check_totals(ctx: FileContext, totals: TotalsChecker, event: Event) -> list[Finding]:
    written: dict[str, int] = {}
    for index, name in ctx.layout.columns.items():
        if name not in ctx.kind.summed_columns or index >= len(event.cells):
            continue
        try:
            value = parse_count(event.cells[index])
        except ValueProblem:
            continue
        if value is not None:
            written[name] = value
    findings = []
    for column, total, computed in totals.check(written):
        problem = Problem("F008", column, str(total), str(computed))
        findings.append(row_finding(problem, ctx.source_file, event.source_row, ctx.header_of(column)))
    return findings


def row_findings(ctx: FileContext, source_row: int, parsed: RowResult) -> list[Finding]:
    tax_code = parsed.record.get("tax_code") if isinstance(parsed.record.get("tax_code"), str) else None
    period = parsed.record.get("period") if isinstance(parsed.record.get("period"), str) else None
    at = ctx.layout.row_of  # a vertical form names the row of the value itself
    findings = [row_finding(p, ctx.source_file, at(p.column, source_row),
                            ctx.header_of(p.column) if p.column else None, tax_code, period)
                for p in parsed.problems]
    for column in parsed.restored:
        observed = None if ctx.kind.column(column).personal else parsed.record.get(column)
        problem = Problem("F007", column, observed, None)
        findings.append(row_finding(problem, ctx.source_file, at(column, source_row), ctx.header_of(column),
                                    tax_code, period))
    return findings


def may_leave_raw(ctx: FileContext, index: int) -> bool:
    """Redaction by allow-list: only a cell under a known column of the kind that is not
    personal may be shown outside `raw`. Extra columns ("Số điện thoại cá nhân", "Email",
    "Địa chỉ thường trú"…) and cells under no header are unknown, so they are withheld."""
    name = ctx.layout.columns.get(index)
    return name is not None and not ctx.kind.column(name).personal


def _redacts_anything(ctx: FileContext, cells: list[object]) -> bool:
    return any(cell_text(cell) and not may_leave_raw(ctx, index) for index, cell in enumerate(cells))


def _cells_by_header(ctx: FileContext, cells: list[object], redact: bool) -> dict[str, str]:
    values: dict[str, str] = {}
    for index, cell in enumerate(cells):
        text = cell_text(cell)
        header = ctx.layout.headers.get(index)
        if header is None:
            if not text:
                continue
            header = f"(cột {index + 1})"
        values[header] = REDACTED if redact and text and not may_leave_raw(ctx, index) else text
    return values


def quarantine_row(ctx: FileContext, event: Event, rule_id: str | None, redact: bool) -> dict[str, object]:
    raw_values = json.dumps(_cells_by_header(ctx, event.cells, redact), ensure_ascii=False)
    if rule_id is None:
        return {"run_id": ctx.run_id, "source_file": ctx.source_file, "source_row": event.source_row,
                "raw_values": raw_values}
    return {"run_id": ctx.run_id, "source_file": ctx.source_file, "source_row": event.source_row,
            "sha256": ctx.sha256, "kind": ctx.kind.name, "rule_id": rule_id, "raw_values": raw_values}
