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

Row = tuple[int, list[object]]
_CHUNK = 1 << 20
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class UnreadableFile(Exception):
    """The file is not what its extension says (rule F001)."""


def detect_encoding(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")("strict")
        try:
            while chunk := handle.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1258"
    return "utf-8"


def _check_text(path: Path, encoding: str) -> None:
    """Binary junk decodes 'fine' as cp1258; control characters give it away."""
    try:
        with path.open(encoding=encoding, newline="") as handle:
            while chunk := handle.read(_CHUNK):
                if _CONTROL.search(chunk):
                    raise UnreadableFile("control characters: not a text file")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(f"undecodable as {encoding}") from exc


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
        delimiter = sniff_delimiter(handle.read(64 * 1024))
    with path.open(encoding=encoding, newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        start = 1
        for cells in reader:
            yield start, list(cells)
            start = reader.line_num + 1


def read_excel(path: Path) -> Iterator[Row]:
    from python_calamine import CalamineWorkbook

    if path.stat().st_size == 0:
        raise UnreadableFile("empty file")
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0)
        rows = sheet.iter_rows()
    except Exception as exc:  # calamine raises several unrelated types for a bad file
        raise UnreadableFile(f"{type(exc).__name__}: {exc}") from exc
    for index, cells in enumerate(rows):
        yield index + 1, list(cells)


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
