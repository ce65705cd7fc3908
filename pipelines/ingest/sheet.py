"""Where the data is inside a sheet: title block, header, numbering row, data, totals, footer.

Works on a stream of rows. The footer ("rows after the last row with a key value") needs
look-ahead, so rows without a key value are held back until a keyed row confirms they are
data; whatever is still held at the end is footer. Memory is bounded by the longest run
of key-less rows, not by the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

from pipelines.ingest.readers import Row
from pipelines.ingest.values import normalize_text

HEADER_SEARCH_ROWS = 15
_NUMBERING = re.compile(r"^\(?(?:\d{1,3}|[A-Za-z])\)?$")
_TOTALS = re.compile(r"^(?:tổng|cộng|total)", re.IGNORECASE)
_FOOTER_WORDS = re.compile(r"ngày|người lập|lập biểu|chủ tịch|giám đốc|thủ trưởng|xác nhận|kế toán"
                           r"|\(ký|ký tên",
                           re.IGNORECASE)


class NoHeader(Exception):
    """No row within the first 15 looks like this kind's header (rule F002); args are the
    Vietnamese and English detail of the finding."""


class SheetRejected(Exception):
    """A header was found but the sheet cannot be read as it says (rule F002): the message
    names what is missing or cannot be placed."""

    def __init__(self, detail_vi: str, detail_en: str, observed: str | None = None,
                 expected: str | None = None, subject: str = "missing_columns") -> None:
        super().__init__(detail_en)
        self.detail_vi, self.detail_en = detail_vi, detail_en
        self.observed, self.expected, self.subject = observed, expected, subject


@dataclass
class Layout:
    header_row: int
    columns: dict[int, str]
    extra: dict[int, str]
    headers: dict[int, str]
    title_lines: list[str] = field(default_factory=list)
    form: str = "wide"  # wide | two_row_header | vertical_form
    # vertical form: the sheet row each value was read from (a finding names the value's own row)
    source_rows: dict[str, int] = field(default_factory=dict)

    def row_of(self, column: str | None, default: int) -> int:
        return self.source_rows.get(column, default) if column else default

    @cached_property
    def positions(self) -> dict[str, int]:
        return {name: index for index, name in self.columns.items()}

    def index_of(self, column: str) -> int | None:
        return self.positions.get(column)


@dataclass
class Event:
    kind: str  # "data" or "totals"
    source_row: int
    cells: list[object]


def is_empty(cells: list[object]) -> bool:
    """No cell with a value; `str.strip` drops the same white space as `normalize_text`.

    A plain loop: this runs once per row of every file, and most rows end it at their first cell."""
    for cell in cells:
        if cell is None or cell == "":
            continue
        if not isinstance(cell, str) or cell.strip():
            return False
    return True


def is_numbering_row(cells: list[object]) -> bool:
    texts = [normalize_text(c) for c in cells if normalize_text(c)]
    return bool(texts) and all(_NUMBERING.match(t) for t in texts)


def is_totals_row(cells: list[object]) -> bool:
    """The first cell with text starts with "Tổng"/"Cộng"/"Total". A number, date or boolean
    there never does, so only text is normalised (once; this runs for every row)."""
    for cell in cells:
        if cell is None:
            continue
        if type(cell) is not str:
            return False
        text = normalize_text(cell)
        if text:
            return bool(_TOTALS.match(text))
    return False


_DIGIT = re.compile(r"\d")
# Keys that are numbers by nature: a cell without a digit there is a signature name
# ("Nguyễn Thị Lan" under "NGƯỜI LẬP BIỂU"), not a key.
NUMERIC_KEYS = frozenset({"tax_code", "citizen_id"})


def is_key_value(cell: object, numeric: bool = False, remember: bool = False) -> bool:
    """A footer may sit in any column, the key column too ("Hải Phòng, ngày …", "NGƯỜI LẬP
    BIỂU", the signer's name), so footer wording in the key cell does not count as a key,
    nor, for a tax code or citizen id, text without a single digit.

    Asked once per row; every enterprise's tax code comes back each quarter, so with `remember`
    the verdicts are kept per process (dropped whole when full). The caller never asks that for
    a personal key (a citizen id), as `records.parse_cell` never remembers personal cells."""
    if not remember:
        return _is_key_value(cell, numeric)
    key = (type(cell), cell, numeric)
    try:
        return _KEY_VERDICTS[key]
    except KeyError:
        pass
    except TypeError:
        return _is_key_value(cell, numeric)
    if len(_KEY_VERDICTS) >= KEY_VERDICTS_LIMIT:
        _KEY_VERDICTS.clear()
    verdict = _KEY_VERDICTS[key] = _is_key_value(cell, numeric)
    return verdict


_KEY_VERDICTS: dict[tuple[type, object, bool], bool] = {}
KEY_VERDICTS_LIMIT = 100_000
# Keys whose verdicts may be remembered: not personal data.
REMEMBERED_KEYS = frozenset({"tax_code", "org_code"})


def _is_key_value(cell: object, numeric: bool) -> bool:
    text = normalize_text(cell)
    if not text or _FOOTER_WORDS.search(text):
        return False
    return not numeric or bool(_DIGIT.search(text))


def looks_like_data(layout: Layout, cells: list[object]) -> bool:
    """Filled in at least half of the known columns (and three): a data row whatever its key
    cell says. Footer lines fill one or two cells, so this keeps a key-less data row at the
    end of a sheet from being dropped as footer; it then fails F009/E001 visibly instead."""
    filled = sum(1 for i in layout.columns if i < len(cells) and normalize_text(cells[i]))
    return filled >= 3 and filled * 2 >= len(layout.columns)


def locate_header(kind: str, rows: Iterable[Row]) -> tuple[Layout, Iterator[Row]]:
    """Returns the layout and the rows after the header (numbering row already dropped).

    The layout is recognised by `pipelines.ingest.detect` (wide, two-row header or vertical form).
    """
    from pipelines.ingest.detect import open_layout

    return open_layout(kind, rows)


def drop_numbering_row(rows: Iterator[Row]) -> Iterator[Row]:
    for source_row, cells in rows:
        if is_empty(cells):
            continue
        if not is_numbering_row(cells):
            yield source_row, cells
        break
    yield from rows


def data_events(layout: Layout, key_column: str, rows: Iterable[Row]) -> Iterator[Event]:
    """Data and totals rows in file order; blank rows skipped; the footer dropped.

    Totals rows in the footer region are still yielded (a grand total usually sits right
    above the signatures and has no key), and so are rows that look like data; other
    key-less rows there are footer.
    """
    key_index = layout.index_of(key_column)
    numeric = key_column in NUMERIC_KEYS
    remember = key_column in REMEMBERED_KEYS
    pending: list[Event] = []
    for source_row, cells in rows:
        if is_empty(cells):
            continue
        event = Event("totals" if is_totals_row(cells) else "data", source_row, cells)
        has_key = (key_index is not None and key_index < len(cells)
                   and is_key_value(cells[key_index], numeric, remember))
        if event.kind == "data" and has_key:
            yield from pending
            pending.clear()
            yield event
        else:
            pending.append(event)
    yield from (e for e in pending if e.kind == "totals" or looks_like_data(layout, e.cells))


class TotalsChecker:
    """F008: a totals row must equal the sum of the data rows since the previous totals row.

    A grand total below sub-totals equals the sum since the start instead, so that is
    accepted too.
    """

    def __init__(self, columns: Iterable[str] | None = None) -> None:
        self.columns = None if columns is None else tuple(columns)
        self.since_last: dict[str, int] = {}
        self.since_start: dict[str, int] = {}

    def add(self, counts: dict[str, object]) -> None:
        """Adds the int values of the summed columns (all of `counts` if none were given)."""
        since_last, since_start = self.since_last, self.since_start
        for column in counts if self.columns is None else self.columns:
            value = counts.get(column)
            if type(value) is int:
                since_last[column] = since_last.get(column, 0) + value
                since_start[column] = since_start.get(column, 0) + value

    def add_sums(self, sums: dict[str, int]) -> None:
        """Adds sums of the summed columns already taken over several rows (`block.Block.sums`)."""
        for column, value in sums.items():
            self.since_last[column] = self.since_last.get(column, 0) + value
            self.since_start[column] = self.since_start.get(column, 0) + value

    def check(self, totals: dict[str, int]) -> list[tuple[str, int, int]]:
        """(column, written total, computed sum) for every column that does not add up."""
        mismatches = []
        for column, written in totals.items():
            section = self.since_last.get(column, 0)
            if written not in (section, self.since_start.get(column, 0)):
                mismatches.append((column, written, section))
        self.since_last = {}
        return mismatches

