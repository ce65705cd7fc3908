"""Which layout a sheet is in: a wide table (one or two header rows) or the vertical form.

Rows are read from the top. The first row that is a **vertical-form header** (a label
column `Nội dung`/`Chỉ tiêu` and a value column `Số lượng`/`Số liệu`/`Giá trị`, union
reports only, within 20 rows) makes the sheet a vertical form; the first row that is a
**wide header** (at least half of its filled cells, and at least two, are known headers or
§2.1 group cells, and none of them is a value) within 15 rows makes it a wide table, two
rows deep when the row below holds sub-headers. The two tests exclude each other, so a
wide sheet is never read as a vertical form or the other way round; a sheet that is
neither is F002 with a message saying what was looked for.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import chain

from pipelines.ingest.headers import map_header_row, match_header
from pipelines.ingest.labels import match_group
from pipelines.ingest.readers import Row
from pipelines.ingest.sheet import HEADER_SEARCH_ROWS, Layout, NoHeader, SheetRejected, drop_numbering_row
from pipelines.ingest.two_row import UnplacedColumns, combine, is_sub_header_row, looks_like_value
from pipelines.ingest.values import normalize_text
from pipelines.ingest.vertical import read_vertical, vertical_roles

VERTICAL_SEARCH_ROWS = 20
VERTICAL_KINDS = frozenset({"union_reports"})


def is_wide_header(kind: str, cells: list[object]) -> bool:
    texts = [normalize_text(c) for c in cells]
    filled = [t for t in texts if t]
    known = sum(1 for t in filled if match_header(kind, t) is not None or match_group(kind, t) is not None)
    return known >= 2 and known * 2 >= len(filled) and not any(looks_like_value(c) for c in cells)


def open_layout(kind: str, rows: Iterable[Row]) -> tuple[Layout, Iterator[Row]]:
    """The layout and the rows after the header, or NoHeader / SheetRejected (both F002)."""
    iterator = iter(rows)
    vertical = kind in VERTICAL_KINDS
    titles: list[Row] = []
    half_vertical: set[str] = set()
    for position in range(VERTICAL_SEARCH_ROWS if vertical else HEADER_SEARCH_ROWS):
        try:
            source_row, cells = next(iterator)
        except StopIteration:
            break
        roles = vertical_roles(cells) if vertical else {}
        if "label" in roles and "value" in roles:
            return read_vertical(titles, source_row, roles, iterator)
        if position < HEADER_SEARCH_ROWS and is_wide_header(kind, cells):
            return _wide(kind, source_row, cells, titles, iterator)
        half_vertical |= roles.keys() & {"label", "value"}
        titles.append((source_row, cells))
    raise NoHeader(*_no_header_detail(vertical, half_vertical))


def _no_header_detail(vertical: bool, half_vertical: set[str]) -> tuple[str, str]:
    if half_vertical == {"label"}:
        return ("biểu dọc có cột «Nội dung» nhưng thiếu cột «Số lượng»",
                "vertical form with a label column but no value column (Số lượng)")
    if half_vertical == {"value"}:
        return ("biểu dọc có cột «Số lượng» nhưng thiếu cột «Nội dung»",
                "vertical form with a value column but no label column (Nội dung)")
    if vertical:
        return ("không tìm thấy dòng tiêu đề bảng (Kỳ báo cáo, Mã số thuế, Tổng số lao động…) trong 15 dòng "
                "đầu, cũng không có biểu dọc (cột «Nội dung» và «Số lượng») trong 20 dòng đầu",
                "no table header (period, tax code, workers…) within the first 15 rows and no vertical form "
                "(columns Nội dung and Số lượng) within the first 20")
    return ("không tìm thấy dòng tiêu đề trong 15 dòng đầu", "no header row within the first 15 rows")


def _wide(kind: str, header_row: int, cells: list[object], titles: list[Row],
          rows: Iterator[Row]) -> tuple[Layout, Iterator[Row]]:
    title_lines = [normalize_text(c) for _, row in titles for c in row if normalize_text(c)]
    below = next(rows, None)
    if below is not None and is_sub_header_row(kind, cells, below[1]):
        try:
            combined = combine(kind, cells, below[1])
        except UnplacedColumns as unplaced:
            names = ", ".join(f"«{h}»" for h in unplaced.headers)
            raise SheetRejected(f"tiêu đề hai dòng có cột không xác định được: {names}",
                                f"two-row header with columns that cannot be placed: {names}",
                                observed="; ".join(unplaced.headers), subject="unplaced_columns") from None
        layout = Layout(header_row, combined.columns, combined.extra, combined.headers, title_lines,
                        form="two_row_header")
        return layout, drop_numbering_row(rows)
    columns, extra = map_header_row(kind, cells)
    headers = {i: normalize_text(c) for i, c in enumerate(cells) if normalize_text(c)}
    layout = Layout(header_row, columns, extra, headers, title_lines)
    return layout, drop_numbering_row(chain([below] if below is not None else [], rows))
