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
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import yaml

from pipelines.ingest.xlsx_extent import SheetTooLarge, check_sheet_extent

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


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# calamine holds the whole first sheet in memory (about twice its XML size), so a sheet
# bigger than this is refused (F001) instead of risking the run; ~500 000 rows of a wide
# report, far beyond any real form. Such an export belongs in a CSV, which streams.
MAX_SHEET_XML_BYTES = 256 << 20
MAX_XLS_BYTES = 256 << 20
MAX_WORKBOOK_XML_BYTES = 1 << 30  # every part together, as the zip declares them
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")


def _contains(path: Path, needle: bytes) -> bool:
    """Streamed search, so a large file is never read into memory at once."""
    tail = b""
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            if needle in tail + chunk:
                return True
            tail = chunk[-len(needle):]
    return False


def check_excel_container(path: Path) -> bool:
    """`inspect_excel_container`, once per file version and process.

    `uw run` looks into every new report file for its quarters before ingest reads it; the
    checks (a CRC pass and an extent scan over the sheet XML) are a third of each look, so
    the verdict is remembered by the file's identity (path, size, modification time, inode):
    a file rewritten in between is checked again. Ingest's worker processes are handed the
    verdicts the run's own process already holds (`container_verdict`, `remember_verdict`).
    """
    is_ole, refusal = _verdict(_identity(path), path)
    if refusal is not None:
        raise UnreadableFile(refusal)
    return is_ole


ContainerVerdict = tuple[bool, str | None]  # (an OLE .xls file, why refused or None)
_VERDICTS: dict[tuple[str, int, int, int], ContainerVerdict] = {}
MAX_REMEMBERED_VERDICTS = 4096


def _identity(path: Path) -> tuple[str, int, int, int]:
    stat = path.stat()
    return str(path), stat.st_size, stat.st_mtime_ns, stat.st_ino


def _verdict(identity: tuple[str, int, int, int], path: Path) -> ContainerVerdict:
    if identity not in _VERDICTS:
        try:
            verdict: ContainerVerdict = (inspect_excel_container(path), None)
        except UnreadableFile as refused:
            verdict = (False, str(refused))
        if len(_VERDICTS) >= MAX_REMEMBERED_VERDICTS:
            _VERDICTS.clear()
        _VERDICTS[identity] = verdict
    return _VERDICTS[identity]


def container_verdict(path: Path) -> tuple[tuple[str, int, int, int], ContainerVerdict] | None:
    """The verdict this process already holds for the file as it is now, with its identity."""
    try:
        identity = _identity(path)
    except OSError:
        return None
    verdict = _VERDICTS.get(identity)
    return None if verdict is None else (identity, verdict)


def remember_verdict(known: tuple[tuple[str, int, int, int], ContainerVerdict] | None) -> None:
    """Adopt another process's verdict; it applies only while the file keeps that identity."""
    if known is not None:
        _VERDICTS[known[0]] = known[1]


def inspect_excel_container(path: Path) -> bool:
    """Refuses what calamine would choke on or blow up with, before it opens the file.

    A password-protected .xlsx is not a zip at all: Office wraps the encrypted package in
    an OLE compound file with an `EncryptionInfo` stream. An OLE file without one, named
    .xlsx, is an old .xls renamed by hand, which calamine reads by content. Returns whether
    the file is an OLE (old .xls) container.
    """
    with path.open("rb") as handle:
        head = handle.read(8)
    size = path.stat().st_size
    if size == 0:
        raise UnreadableFile("empty file")
    if head.startswith(OLE_MAGIC):
        if _contains(path, _ENCRYPTION_STREAM):
            raise UnreadableFile("password-protected (encrypted) workbook")
        if size > MAX_XLS_BYTES:
            raise UnreadableFile(f"workbook too large ({size} bytes)")
        return True
    if path.suffix.lower() == ".xls":
        raise UnreadableFile("not an Excel 97-2003 (OLE) file")
    if not head.startswith(ZIP_MAGIC):
        raise UnreadableFile("not an Excel workbook (no zip or OLE signature)")
    try:
        with zipfile.ZipFile(path) as archive:
            _check_zip(archive)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError,
            zlib.error) as exc:
        raise UnreadableFile(f"corrupt zip: {exc}") from exc
    except SheetTooLarge as exc:
        raise UnreadableFile(str(exc)) from exc
    return False


def _check_zip(archive: zipfile.ZipFile) -> None:
    """Sizes as declared, then every member's CRC (reading stops at the declared size, so a zip
    that lies about its sizes fails here instead of inflating inside calamine), then the real
    extent of the sheet calamine will read."""
    members = archive.infolist()
    sheets = [i for i in members if i.filename.startswith("xl/worksheets/") and not i.is_dir()]
    strings = sum(i.file_size for i in members if i.filename == "xl/sharedStrings.xml")
    if not sheets:
        raise UnreadableFile("zip without worksheets: not an .xlsx workbook")
    if max(i.file_size for i in sheets) + strings > MAX_SHEET_XML_BYTES:
        raise UnreadableFile(f"sheet too large ({max(i.file_size for i in sheets) + strings} bytes of XML); "
                             "send it as CSV")
    if sum(i.file_size for i in members) > MAX_WORKBOOK_XML_BYTES:
        raise UnreadableFile("workbook too large once unpacked; send it as CSV")
    broken = archive.testzip()
    if broken is not None:
        raise UnreadableFile(f"corrupt zip member {broken}")
    check_sheet_extent(archive, [i.filename for i in sheets])


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
