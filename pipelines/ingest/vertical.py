"""The vertical form (inbound-reports.md §2.2): one enterprise per sheet, one indicator per row.

The sheet is turned into **one synthetic wide row** (tax code, period, name, … then every
indicator's value) with a matching `Layout`, so the record layer, the rules, the quarantine
and the raw row are exactly those of a wide sheet. `Layout.source_rows` remembers the sheet
row of every value, so a finding about one value names that value's own row; the report's
`source_row` is the row of `workers_total`. Indicators the warehouse does not use become
extra columns of that row, so they are kept in the raw layer (`extra_columns`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from pipelines.ingest.dates import parse_period
from pipelines.ingest.labels import (
    FEMALE,
    FEMALE_OF,
    REQUIRED_INDICATORS,
    TITLE_LABELS,
    UNION_PREFIX,
    display_label,
    is_breakdown,
    match_indicator,
    match_title_label,
    match_vertical_header,
)
from pipelines.ingest.readers import Row
from pipelines.ingest.sheet import Layout, SheetRejected, is_empty, is_numbering_row
from pipelines.ingest.values import ValueProblem, normalize_text

_TITLE_PAIR = re.compile(
    r"(?:^|(?<=[\s,;(]))(" + "|".join(sorted((re.escape(label) for labels in TITLE_LABELS.values()
                                             for label in labels), key=len, reverse=True)) + r")\s*:",
    re.IGNORECASE)
_PERIOD_IN_TEXT = re.compile(r"quý\s*[ivx\d]+\s*(?:/|-|năm)\s*\d{4}|\d{4}\s*-\s*q[1-4]\b|\bq[1-4]\s*[/-]\s*\d{4}"
                             r"|\b[ivx]{1,4}\s*/\s*\d{4}", re.IGNORECASE)
_FOOTER = re.compile(r"người lập|lập biểu|chủ tịch|thủ trưởng|giám đốc|xác nhận|\(ký|ký tên|đóng dấu"
                     r"|, ngày|^ngày \d", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
# A form has a few dozen indicators; a sheet with far more rows under a `Nội dung | Số lượng`
# header is something else, and keeping its rows would hold the whole file in memory.
MAX_INDICATOR_ROWS = 1000
TITLE_ORDER = ("tax_code", "period", "enterprise_name", "submitted_on", "revision")
OFFICIAL = {"tax_code": "Mã số thuế", "period": "Kỳ báo cáo", "workers_total": "Tổng số lao động",
            "members_total": "Tổng số đoàn viên"}


def vertical_roles(cells: list[object]) -> dict[str, int]:
    """Role (`label`, `value`, `unit`, `note`, `number`) → cell index of a table-header row."""
    roles: dict[str, int] = {}
    for index, cell in enumerate(cells):
        if isinstance(cell, str) and (role := match_vertical_header(cell)) is not None:
            roles.setdefault(role, index)
    return roles


def is_vertical_header(cells: list[object]) -> bool:
    roles = vertical_roles(cells)
    return "label" in roles and "value" in roles


@dataclass
class Found:
    row: int
    value: object
    label: str


def title_values(titles: Iterable[Row]) -> dict[str, Found]:
    """Tax code, name, period, date and revision from the title block: `label: value` in one
    cell (several pairs may share a cell), or a label cell and the next filled cell."""
    found: dict[str, Found] = {}
    for source_row, cells in titles:
        for index, cell in enumerate(cells):
            if not isinstance(cell, str) or not (text := normalize_text(cell)):
                continue
            pairs = list(_TITLE_PAIR.finditer(text))
            if not pairs and match_title_label(text) is not None:
                pairs = [None]
            for number, pair in enumerate(pairs):
                label = text if pair is None else pair.group(1)
                end = len(text) if number + 1 == len(pairs) else pairs[number + 1].start()
                value: object = "" if pair is None else text[pair.end():end].strip()
                if value == "":
                    value = next((c for c in cells[index + 1:] if normalize_text(c)), None)
                column = match_title_label(label)
                if column is not None and normalize_text(value):
                    found.setdefault(column, Found(source_row, value, label))
    return found


def period_in_titles(titles: Iterable[Row]) -> Found | None:
    """The period written in the form's title (`BÁO CÁO … QUÝ III/2023`), any §3 spelling."""
    for source_row, cells in titles:
        for cell in cells:
            for match in _PERIOD_IN_TEXT.finditer(normalize_text(cell)):
                try:
                    if parse_period(match.group(0)):
                        return Found(source_row, match.group(0), "Kỳ báo cáo")
                except ValueProblem:
                    continue
    return None


@dataclass
class Indicator:
    row: int
    label: str
    value: object
    note: str


def indicator_rows(roles: dict[str, int], rows: Iterable[Row]) -> list[Indicator]:
    """Rows of the table up to the footer. A row counts when its label is a known indicator or
    its value holds a digit; rows without either are kept only when a counting row follows
    (section headings, blank unused indicators), else they are the footer (signers' names)."""
    label_at, value_at, note_at = roles["label"], roles["value"], roles.get("note")
    kept: list[Indicator] = []
    pending: list[Indicator] = []
    first = True
    for source_row, cells in rows:
        if is_empty(cells):
            continue
        if first and is_numbering_row(cells):
            first = False
            continue
        first = False
        label = _label(cells, label_at, value_at, roles)
        known = match_indicator(label) is not None if label else False
        if not known and any(_FOOTER.search(normalize_text(c)) for c in cells):
            break
        value = cells[value_at] if value_at < len(cells) else None
        note = normalize_text(cells[note_at]) if note_at is not None and note_at < len(cells) else ""
        row = Indicator(source_row, label, value, note)
        if known or _DIGIT.search(normalize_text(value)):
            kept.extend(pending)
            pending.clear()
            kept.append(row)
        elif label:
            pending.append(row)
        if len(kept) + len(pending) > MAX_INDICATOR_ROWS:
            raise SheetRejected(f"biểu dọc có hơn {MAX_INDICATOR_ROWS} dòng chỉ tiêu",
                                f"vertical form with more than {MAX_INDICATOR_ROWS} indicator rows",
                                observed=f"> {MAX_INDICATOR_ROWS}", subject="too_many_indicators")
    return kept


def _label(cells: list[object], label_at: int, value_at: int, roles: dict[str, int]) -> str:
    """The label cell; when it is blank, the first text left of the value (a label typed in the
    numbering column, or a merged label cell that starts further left)."""
    text = normalize_text(cells[label_at]) if label_at < len(cells) else ""
    if text:
        return text
    skip = {roles.get("unit"), roles.get("note")}
    for index, cell in enumerate(cells[:value_at]):
        candidate = normalize_text(cell)
        if index not in skip and isinstance(cell, str) and re.search(r"[^\W\d_]", candidate):
            return candidate
    return ""


class _Row:
    """The synthetic wide row being assembled."""

    def __init__(self) -> None:
        self.cells: list[object] = []
        self.columns: dict[int, str] = {}
        self.extra: dict[int, str] = {}
        self.headers: dict[int, str] = {}
        self.rows: dict[str, int] = {}

    def add(self, value: object, display: str, row: int, column: str | None) -> None:
        index = len(self.cells)
        if display in self.headers.values():
            display = f"{display} (dòng {row})"
        self.cells.append(value)
        self.headers[index] = display
        if column is not None and column not in self.columns.values():
            self.columns[index] = column
            self.rows[column] = row
        else:
            self.extra[index] = display


def read_vertical(titles: list[Row], header_row: int, roles: dict[str, int],
                  rows: Iterable[Row]) -> tuple[Layout, Iterator[Row]]:
    """The layout and the one synthetic row of a vertical form, or SheetRejected (F002)."""
    found = title_values(titles)
    if "period" not in found and (period := period_in_titles(titles)) is not None:
        found["period"] = period
    if "enterprise_name" in found:
        name = UNION_PREFIX.sub("", normalize_text(found["enterprise_name"].value)).strip()
        found["enterprise_name"].value = name or found["enterprise_name"].value
    synthetic = _Row()
    for column in TITLE_ORDER:
        if column in found:
            synthetic.add(found[column].value, display_label(found[column].label), found[column].row, column)
    parent: str | None = None
    parent_label = ""
    for indicator in indicator_rows(roles, rows):
        match = match_indicator(indicator.label)
        display = display_label(indicator.label)
        breakdown = match == FEMALE or is_breakdown(indicator.label)
        if breakdown and parent_label:
            display = f"{parent_label} / {display}"
        column = FEMALE_OF.get(parent) if match == FEMALE else match
        if not breakdown:
            parent, parent_label = match, display_label(indicator.label)
        synthetic.add(indicator.value, display, indicator.row, column)
        if indicator.note:
            synthetic.add(indicator.note, f"{display} / Ghi chú", indicator.row, None)
    missing = [c for c in ("tax_code", "period") if c not in found]
    missing += [c for c in REQUIRED_INDICATORS if c not in synthetic.rows]
    if missing:
        names = ", ".join(OFFICIAL[c] for c in missing)
        raise SheetRejected(f"biểu dọc thiếu {names}", f"vertical form without {', '.join(missing)}",
                            observed=", ".join(missing), expected=names)
    titles_text = [normalize_text(c) for _, cells in titles for c in cells if normalize_text(c)]
    layout = Layout(header_row, synthetic.columns, synthetic.extra, synthetic.headers, titles_text,
                    form="vertical_form", source_rows=synthetic.rows)
    return layout, iter([(synthetic.rows["workers_total"], synthetic.cells)])
