"""Is this workbook safe to hand to calamine? Checked before it opens the file, once per version.

Refuses what calamine would choke on or blow up with (encrypted or oversized workbooks, zips
that lie, sheets whose cells span a huge grid: `xlsx_extent.py`), and remembers each verdict
by the file's identity, so the quarters look and ingest, and ingest's worker processes, do
not check a workbook twice.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from pipelines.ingest.errors import UnreadableFile
from pipelines.ingest.xlsx_extent import SheetTooLarge, check_sheet_extent, sheets_to_scan

_CHUNK = 1 << 20


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
    extent of the sheet calamine will read, whose scan checks that sheet's CRC as it goes."""
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
    scanned = sheets_to_scan(archive, [i.filename for i in sheets])
    for member in members:
        if member.filename not in scanned and not member.is_dir():
            _read_through(archive, member)
    check_sheet_extent(archive, scanned)


def _read_through(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """What `ZipFile.testzip` does for one member: read it to the end, where `zipfile` checks
    the CRC. The sheets the extent scan streams are left to it (it reads them to the end too),
    so the largest part of a workbook is inflated once, not twice."""
    try:
        with archive.open(member) as stream:
            while stream.read(_CHUNK):
                pass
    except zipfile.BadZipFile as exc:
        raise UnreadableFile(f"corrupt zip member {member.filename}") from exc
