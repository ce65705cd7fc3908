"""Two-row headers (inbound-reports.md §2.1): a group cell over sub-headers.

Excel keeps a merged group cell's text in its first column only, and a CSV exported from
the sheet does the same (the merge is lost, the other cells are blank), so a column's
group is the nearest group cell at or left of it. The danger this module exists for is
the *half-read*: group cells such as `Tổng số CNLĐ` or `Số đoàn viên` are themselves
known headers, and taking them as columns would drop every sub-column under them (female
counts, joins, leavers, candidates would load as quiet zeros). So a group cell that has
sub-headers under it is never a column by itself, and a sub-column under a known group
that cannot be placed rejects the file (F002) instead of disappearing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.ingest.dates import parse_period
from pipelines.ingest.headers import match_header
from pipelines.ingest.labels import group_columns, is_known_sub_header, match_group, match_sub_header
from pipelines.ingest.values import ValueProblem, normalize_text

_VALUE_TEXT = re.compile(r"^[\d\s.,/()+-]*\d[\d\s.,/()+-]*$")


class UnplacedColumns(Exception):
    """Sub-columns under a known group whose sub-header names no column (rule F002)."""

    def __init__(self, headers: list[str]) -> None:
        super().__init__(", ".join(headers))
        self.headers = headers


def looks_like_value(cell: object) -> bool:
    """A number, a date, digits with separators or a period: what data rows hold and headers
    never do. Keeps a title line such as `Ngày báo cáo: | 05/10/2023 | Lần nộp: | 1` or a data
    row from being taken for a header row."""
    if cell is None:
        return False
    if not isinstance(cell, str):
        return True
    text = normalize_text(cell)
    if not text:
        return False
    if _VALUE_TEXT.match(text):
        return True
    try:
        return parse_period(text) is not None
    except ValueProblem:
        return False


def is_sub_header_row(kind: str, header: list[object], below: list[object]) -> bool:
    """The row under a header row holds sub-headers, not data: no value in it, and at least one
    cell is a known sub-header or header, or sits under a blank header cell (a merged span) of a
    header that has a known group cell. Data rows hold values (tax codes, counts, periods)."""
    texts = {i: normalize_text(c) for i, c in enumerate(below)}
    texts = {i: t for i, t in texts.items() if t}
    if not texts or any(looks_like_value(c) for c in below):
        return False
    if any(is_known_sub_header(t) or match_header(kind, t) is not None for t in texts.values()):
        return True
    has_group = any(match_group(kind, c) is not None for c in header if normalize_text(c))
    return has_group and any(index >= len(header) or not normalize_text(header[index]) for index in texts)


@dataclass
class HeaderColumns:
    columns: dict[int, str]
    extra: dict[int, str]
    headers: dict[int, str]


def combine(kind: str, header: list[object], below: list[object]) -> HeaderColumns:
    """Names every column from its group (the group cell at or left of it) and its sub-header.

    A cell standing alone over both rows (`STT`, `Mã số thuế`) keeps its own name.
    """
    result = HeaderColumns({}, {}, {})
    unplaced: list[str] = []
    group_text = ""
    for index in range(max(len(header), len(below))):
        top = normalize_text(header[index]) if index < len(header) else ""
        sub = normalize_text(below[index]) if index < len(below) else ""
        if top:
            group_text = top
        if not top and not sub:
            continue
        if not sub:
            display, name, group = top, match_header(kind, top), None
        else:
            display = f"{group_text} / {sub}" if group_text else sub
            group = match_group(kind, group_text) if group_text else None
            name = _place(kind, group, group_text, sub)
            if name is None and group is not None:
                unplaced.append(display)
        result.headers[index] = display
        if name is not None and name not in result.columns.values():
            result.columns[index] = name
        else:
            result.extra[index] = display
    if unplaced:
        raise UnplacedColumns(unplaced)
    return result


def _place(kind: str, group: str | None, group_text: str, sub: str) -> str | None:
    if group is not None:
        name = match_sub_header(group, sub)
        if name is None:
            spelled = match_header(kind, sub)  # `Đoàn viên nữ` under `Đoàn viên`
            name = spelled if spelled in group_columns(group) else None
        return name
    return match_header(kind, sub) or (match_header(kind, f"{group_text} {sub}") if group_text else None)
