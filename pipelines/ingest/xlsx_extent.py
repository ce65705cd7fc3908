"""How big a grid an .xlsx sheet really makes, found before calamine builds it.

calamine turns the first sheet into one dense grid of (last row × last column) cells of
about 32 bytes each, whatever lies between: a 1.5 KB workbook with cells at A1 and
XFD1048576 asks for ~550 GB (the process aborts), A1 and ZZ200000 for 4.4 GB. The
`<dimension ref=…>` a writer declares is not what counts (a claim of A1:XFD1048576 over one
cell costs calamine nothing, measured); the cells' own positions are. So the sheet's XML is
streamed once through `zipfile` (which also stops at the size the zip declares and fails on
a CRC mismatch, so a zip lying about its sizes is caught here) and the last row and column
of any `<c>` are tracked. Over `MAX_SHEET_CELLS` the file is F001 (docs/reliability.md).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from operator import itemgetter

# 10 million cells ≈ 320 MB of calamine grid: 500 000 rows of a 20-column form. A real
# quarterly form has a few thousand cells; a consolidated export that big belongs in a CSV.
MAX_SHEET_CELLS = 10_000_000
_CHUNK = 1 << 20
_MAX_TAG_BYTES = 1 << 20
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])([^<>]*)>")
_REF = re.compile(rb'(?:^|\s)r\s*=\s*["\']([A-Za-z]{0,3})(\d*)["\']')
# The general scan, in C: every cell tag, with its row captured when it opens with `r="B12"` as
# writers emit it (first attribute, double quotes, letters then digits) and b"" otherwise; then
# the letters of those same references. A b"" row sends the part to the exact scan.
_CELL_ROW = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?c(?=[\s/>])(?: r="[A-Z]{1,3}([0-9]+)")?')
_CELL_LETTERS = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?c r="([A-Z]{1,3})[0-9]')
# The usual case, twice as fast: a pattern that opens with a literal lets `re` skip ahead.
_PLAIN_REF = re.compile(rb'<c r="([A-Z]{1,3})([0-9]+)"')
_FIRST_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\br:id\s*=\s*[\"']([^\"']+)[\"']")


class SheetTooLarge(Exception):
    """The sheet's cells span a grid over the limit, or its XML cannot be scanned."""


def column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + (letter - 64)
    return number


def first_sheet_part(archive: zipfile.ZipFile) -> str | None:
    """The part name of the workbook's first sheet (the one calamine reads), if it can be told."""
    try:
        workbook = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return None
    match = _FIRST_SHEET.search(workbook)
    if match is None:
        return None
    rel_id = re.escape(match.group(1))
    rel = re.search(rb"<Relationship\b[^>]*\bId\s*=\s*[\"']" + rel_id + rb"[\"'][^>]*>", rels)
    target = re.search(rb"\bTarget\s*=\s*[\"']([^\"']+)[\"']", rel.group(0)) if rel else None
    if target is None:
        return None
    name = target.group(1).decode("utf-8", "replace")
    return name.lstrip("/") if name.startswith("/") else posixpath.normpath(posixpath.join("xl", name))


def _chunks(archive: zipfile.ZipFile, part: str):
    """The part's XML in ~1 MB pieces, each ending before a tag that the next piece completes."""
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            buffer = tail + chunk
            cut = buffer.rfind(b"<")
            cut = len(buffer) if cut == -1 else cut
            yield buffer[:cut]
            tail = buffer[cut:]
            if len(tail) > _MAX_TAG_BYTES:
                raise SheetTooLarge("sheet XML has a tag over 1 MB")
    yield tail


def _referenced_extent(archive: zipfile.ZipFile, part: str) -> tuple[int, int] | None:
    """The extent when every cell names its own position (what writers do); None otherwise.

    C scans per piece instead of a Python step per tag: the exact scan was a fifth of ingest on
    the scale-40 sample, the general `_CELL_ROW` scan still a seventh (docs/performance.md).
    """
    last_row, letters = 0, set()
    for piece in _chunks(archive, part):
        refs = _plain_refs(piece)
        if refs is not None:
            rows, piece_letters = map(itemgetter(1), refs), map(itemgetter(0), refs)
        else:
            rows = _CELL_ROW.findall(piece)
            if b"" in rows:
                return None
            piece_letters = _CELL_LETTERS.findall(piece)
        last_row = max(last_row, max(map(int, rows), default=0))
        letters.update(piece_letters)
    return last_row, max(map(column_number, letters), default=0)


def _plain_refs(piece: bytes) -> list[tuple[bytes, bytes]] | None:
    """(letters, row) of every cell in the piece when each is a plain `<c r="B12"…`; None when
    some cell may not be (then the general scan decides).

    Sound because every unprefixed tag opening with `<c` that is not `<col…` is counted, every
    `_PLAIN_REF` match is one of them, and a prefixed cell (`<x:c`) contains ":c", which sends
    the piece to the general scan (so does ":c" in text: slower, never wrong).
    """
    if b":c" in piece:
        return None
    refs = _PLAIN_REF.findall(piece)
    if piece.count(b"<c") - piece.count(b"<col") != len(refs):
        return None
    return refs


def sheet_extent(archive: zipfile.ZipFile, part: str) -> tuple[int, int]:
    """(last row, last column) over every cell of the part; cells without `r` count in sequence."""
    referenced = _referenced_extent(archive, part)
    if referenced is not None:
        return referenced
    last_row = last_col = row = col = 0
    for piece in _chunks(archive, part):
        for match in _TAG.finditer(piece):
            ref = _REF.search(match.group(2))
            if match.group(1) == b"row":
                row = int(ref.group(2)) if ref and ref.group(2) else row + 1
                col = 0
            else:
                if ref and ref.group(1):
                    col = column_number(ref.group(1))
                    row = int(ref.group(2)) if ref.group(2) else row
                else:
                    col += 1
                last_row, last_col = max(last_row, row), max(last_col, col)
    return last_row, last_col


def sheets_to_scan(archive: zipfile.ZipFile, worksheets: list[str]) -> list[str]:
    """The sheet calamine will read, or every sheet when the workbook does not say which."""
    part = first_sheet_part(archive)
    return [part] if part in worksheets else list(worksheets)


def check_sheet_extent(archive: zipfile.ZipFile, scanned: list[str]) -> None:
    """Raise SheetTooLarge when a sheet of `scanned` (`sheets_to_scan`) makes a grid over the limit.

    Each is streamed to its end (`_chunks`), so `zipfile` checks its CRC on the way."""
    for name in scanned:
        rows, columns = sheet_extent(archive, name)
        if rows * columns > MAX_SHEET_CELLS:
            raise SheetTooLarge(f"sheet spans {rows:,} rows × {columns:,} columns "
                                f"(over {MAX_SHEET_CELLS:,} cells); send it as CSV")
