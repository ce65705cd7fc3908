"""File → rows, whatever the container: (source_row, cells) with Excel's own row numbers.

CSV is streamed line by line (a 100 MB export never sits in memory); the encoding is
decided before reading by one validating pass, because a UTF-8 error found half-way
through would otherwise leave half a file loaded.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import yaml

from pipelines.ingest.containers import check_excel_container
from pipelines.ingest.errors import UnreadableFile

Row = tuple[int, list[object]]
_CHUNK = 1 << 20
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def detect_encoding(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        handle.seek(0)
        bomless = _utf16_without_bom(handle.read(4096))
        if bomless:
            return bomless
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")("strict")
        try:
            while chunk := handle.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1258"
    return "utf-8"


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 saved without a BOM: digits, delimiters and line breaks (ASCII) leave a NUL in
    every other byte, which no UTF-8 or cp1258 text has."""
    even, odd = head[0:len(head) - len(head) % 2:2], head[1:len(head) - len(head) % 2:2]
    if len(even) < 8:
        return None
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _check_text(path: Path, encoding: str) -> None:
    """Binary junk decodes 'fine' as cp1258; control characters give it away. A file of
    nothing but a BOM and white space is empty (F001), not a sheet without a header."""
    blank = True
    try:
        with path.open(encoding=encoding, newline="") as handle:
            while chunk := handle.read(_CHUNK):
                if _CONTROL.search(chunk):
                    raise UnreadableFile("control characters: not a text file")
                blank = blank and not chunk.strip()
    except UnicodeDecodeError as exc:
        raise UnreadableFile(f"undecodable as {encoding}") from exc
    if blank:
        raise UnreadableFile("empty file")


def sniff_delimiter(sample: str) -> str:
    """`;`, tab or `,`: the one that splits the lines most consistently into several fields.

    Tab is not in the spec but is what Excel's "Unicode Text" export writes (UTF-16 with
    BOM, usually renamed to .csv), so it is accepted too.

    A tie goes to `;`: commas are common inside Vietnamese values (decimal commas, "chi bộ,
    đảng bộ"), semicolons in a comma file are rare.
    """
    lines = [line for line in sample.splitlines()[:50] if line.strip()]
    best, best_score = ",", (-1, -1)
    for delimiter in (";", "\t", ","):
        widths = [len(row) for row in csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)]
        wide = Counter(w for w in widths if w > 1)
        if not wide:
            continue
        width, frequency = max(wide.items(), key=lambda item: (item[1], item[0]))
        if (frequency, width) > best_score:
            best, best_score = delimiter, (frequency, width)
    return best


def read_csv(path: Path) -> Iterator[Row]:
    if path.stat().st_size == 0:
        raise UnreadableFile("empty file")
    encoding = detect_encoding(path)
    _check_text(path, encoding)
    with path.open(encoding=encoding, newline="") as handle:
        sample = handle.read(64 * 1024)
    delimiter = sniff_delimiter(sample)
    width = _usual_width(sample, delimiter)
    with path.open(encoding=encoding, newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        start = 1
        try:
            for cells in reader:
                if reader.line_num > start:
                    _check_multiline_record(cells, start, reader.line_num, delimiter, width)
                yield start, list(cells)
                start = reader.line_num + 1
        except csv.Error as exc:  # e.g. a field over the csv module's 131 072 characters
            raise UnreadableFile(f"malformed CSV from line {start}: {exc} (a quote that is never closed?)") from exc


# A quoted cell may hold a line break (an address, a note), but a record spanning more physical
# lines than this, or a cell holding a whole row's worth of delimiters after a line break, is a
# stray quote swallowing the rows below it: the file is F001 instead of losing them silently.
MAX_RECORD_LINES = 20


def _usual_width(sample: str, delimiter: str) -> int:
    lines = [line for line in sample.splitlines()[:50] if line.strip()]
    widths = Counter(len(row) for row in csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter))
    return max(widths.items(), key=lambda item: (item[1], item[0]))[0] if widths else 0


def _check_multiline_record(cells: list[str], start: int, end: int, delimiter: str, width: int) -> None:
    if end - start + 1 > MAX_RECORD_LINES:
        raise UnreadableFile(f"malformed CSV: the record starting on line {start} runs over {end - start + 1} "
                             "lines (a quote opened there is never closed)")
    if width < 3:
        return
    for cell in cells:
        for line in cell.split("\n")[1:]:
            if line.count(delimiter) >= width - 1:
                raise UnreadableFile(f"malformed CSV: a quoted cell starting on line {start} holds whole rows "
                                     f"(lines {start}–{end}; a stray quote?)")


def read_excel(path: Path) -> Iterator[Row]:
    from python_calamine import CalamineWorkbook

    is_ole = check_excel_container(path)
    try:
        if is_ole and path.suffix.lower() != ".xls":
            with path.open("rb") as handle:  # a renamed .xls: let calamine sniff the content
                workbook = CalamineWorkbook.from_filelike(handle)
        else:
            workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0)
        rows = sheet.iter_rows()
    except Exception as exc:  # calamine raises several unrelated types for a bad file
        raise UnreadableFile(f"{type(exc).__name__}: {exc}") from exc
    for index, cells in enumerate(rows):
        yield index + 1, cells if type(cells) is list else list(cells)  # calamine makes a new list per row


def read_yaml(path: Path) -> Iterator[Row]:
    """A list of mappings becomes a header row plus rows; scalars stay text as written."""
    try:
        with path.open(encoding="utf-8-sig") as handle:
            document = yaml.load(handle, Loader=yaml.BaseLoader)  # noqa: S506 - BaseLoader is safe
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise UnreadableFile(f"YAML: {exc}") from exc
    if isinstance(document, dict):
        document = next((v for v in document.values() if isinstance(v, list)), None)
    if not isinstance(document, list) or not all(isinstance(item, dict) for item in document):
        raise UnreadableFile("YAML is not a list of mappings")
    header: list[str] = []
    for item in document:
        header.extend(k for k in item if k not in header)
    yield 1, list(header)
    for index, item in enumerate(document):
        yield index + 2, [item.get(k, "") for k in header]


READERS = {".csv": read_csv, ".xlsx": read_excel, ".xls": read_excel, ".xlsm": read_excel,
           ".yaml": read_yaml, ".yml": read_yaml}


def read_rows(path: Path) -> Iterator[Row]:
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise UnreadableFile(f"no reader for {path.suffix}")
    return reader(path)
