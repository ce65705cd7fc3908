"""Byte-for-byte reproducible spreadsheet and CSV writers.

A sheet is a list of rows of plain cells (str, int, float, date, None); the writers
only decide how those cells land on disk, so the same sheet can become xlsx, xls or
any CSV dialect the data office has been sent.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from pathlib import Path

import xlsxwriter
import xlwt

FIXED_TIME = dt.datetime(2022, 10, 15, 8, 0, 0)
Cell = str | int | float | dt.date | None


def write_xlsx(path: Path, rows: list[list[Cell]], bold_rows: tuple[int, ...] = (),
               merges: tuple | list = ()) -> None:
    """`merges`: (first row, first column, last row, last column) ranges, 0-based; the text of a
    merged range is its first cell's, as Excel keeps it."""
    book = xlsxwriter.Workbook(str(path), {"in_memory": True})
    book.set_properties({"created": FIXED_TIME, "author": "CĐ KKT Hải Phòng"})
    sheet = book.add_worksheet("Sheet1")
    date_fmt = book.add_format({"num_format": "dd/mm/yyyy"})
    bold = book.add_format({"bold": True, "text_wrap": True})
    covered = set()
    for first_row, first_col, last_row, last_col in merges:
        value = rows[first_row][first_col] if first_col < len(rows[first_row]) else None
        sheet.merge_range(first_row, first_col, last_row, last_col, value if value is not None else "")
        covered |= {(r, c) for r in range(first_row, last_row + 1) for c in range(first_col, last_col + 1)}
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            fmt = bold if r in bold_rows else None
            if value is None or value == "" or (r, c) in covered:
                continue
            if isinstance(value, dt.date):
                sheet.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), date_fmt)
            elif isinstance(value, (int, float)):
                sheet.write_number(r, c, value, fmt)
            else:
                sheet.write_string(r, c, value, fmt)
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, 30, 16)
    book.close()


def write_xls(path: Path, rows: list[list[Cell]]) -> None:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Sheet1")
    date_style = xlwt.easyxf(num_format_str="dd/mm/yyyy")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, dt.date):
                sheet.write(r, c, dt.datetime(value.year, value.month, value.day), date_style)
            else:
                sheet.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())


def cell_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def to_cp1258(text: str) -> bytes:
    """Windows-1258 has no precomposed toned letters: spell them as base + tone mark."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", char)
        base, marks = decomposed[0], decomposed[1:]
        # ệ decomposes as e + dot below + circumflex: keep ê whole, the tone apart.
        options = [(marks[i], marks[:i] + marks[i + 1:]) for i in range(len(marks))] + [("", marks)]
        for kept, rest in options:
            try:
                out += unicodedata.normalize("NFC", base + kept).encode("cp1258") + rest.encode("cp1258")
                break
            except UnicodeEncodeError:
                continue
        else:
            raise UnicodeEncodeError("cp1258", char, 0, 1, "no cp1258 spelling")
    return bytes(out)


def write_csv(path: Path, rows: list[list[Cell]], encoding: str = "utf-8", delimiter: str = ",") -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    width = max(len(r) for r in rows)
    for row in rows:
        writer.writerow([cell_text(v) for v in row] + [""] * (width - len(row)))
    text = buffer.getvalue()
    if encoding == "cp1258":
        path.write_bytes(to_cp1258(text))
    elif encoding == "utf-16":
        path.write_bytes(text.encode("utf-16"))
    else:
        path.write_bytes(text.encode(encoding))


def nfd_rows(rows: list[list[Cell]]) -> list[list[Cell]]:
    return [[unicodedata.normalize("NFD", v) if isinstance(v, str) else v for v in row] for row in rows]
