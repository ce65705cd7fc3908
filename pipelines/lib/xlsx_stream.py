"""A plain spreadsheet written as fast as its rows can be turned into text.

The findings workbook holds one row per finding: ~53,000 rows × 16 columns at scale 40,
~490,000 at scale 400. xlsxwriter spends ~10 µs per cell on checks and bookkeeping this
workbook never needs (9 s at scale 40, ~90 s at 400), so its rows are written here as
OOXML text in bulk: each row one string, many rows per write, streamed straight into the
zip member (memory stays one batch, whatever the row count).

What it can write is deliberately small: sheets with a styled, frozen header row, column
widths, a filter over the header, and cells that are text, numbers or date-times.
Text is always an in-line string (never a formula, never a number or a link guessed from
it), and a text that starts like a formula gets Excel's quote prefix so it stays text even
after someone edits the cell. Control characters are escaped the way Excel writes them
(`_x0001_`), and an existing `_xHHHH_` in the text is escaped in turn, so a cell reads back
exactly as it was written.
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from pipelines.lib.cell_text import starts_like_formula

MAX_TEXT = 32_767  # Excel's limit on a cell's text, in UTF-16 units
ROWS_PER_WRITE = 2_000
COMPRESS_LEVEL = 3  # half the time of zlib's default 6 on this XML, for a file ~12 % larger

_EXCEL_EPOCH = datetime(1899, 12, 30)  # serial 0, with Excel's 1900 leap-year day accounted for
_ESCAPE_LOOKALIKE = re.compile(r"(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]")
_NEEDS_WORK = re.compile(f"{_CONTROL.pattern}|{_ESCAPE_LOOKALIKE.pattern}")

# cellXfs: 0 plain, 1 header, 2 date-time, 3 text with the quote prefix
_HEADER, _WHEN, _QUOTED = 1, 2, 3
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


@dataclass(frozen=True)
class Column:
    header: str
    width: float


@dataclass
class Sheet:
    """A sheet's layout and its rows (each a sequence of values in column order; None = empty cell).

    `row_count` is the number of rows `rows` yields, known before they are written (the
    sheet's extent comes first in its XML); a different number is an error.
    """

    name: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[object]]
    row_count: int
    header_height: float = 32


def column_letters(count: int) -> list[str]:
    letters = []
    for index in range(count):
        name, n = "", index + 1
        while n:
            n, rest = divmod(n - 1, 26)
            name = chr(65 + rest) + name
        letters.append(name)
    return letters


def _text(value: str) -> str:
    if len(value) > MAX_TEXT // 2 and len(value.encode("utf-16-le")) // 2 > MAX_TEXT:
        value = value.encode("utf-16-le")[: MAX_TEXT * 2].decode("utf-16-le", errors="ignore")
    # Most texts are printable and hold no "_x": the two checks in C spare a regular expression.
    if (not value.isprintable() or "_x" in value) and _NEEDS_WORK.search(value):
        value = _ESCAPE_LOOKALIKE.sub(r"_x005F\1", value)
        value = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", value)
    return escape(value)


def _excel_serial(value: date) -> float:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        delta = value - _EXCEL_EPOCH
    else:
        delta = datetime(value.year, value.month, value.day) - _EXCEL_EPOCH
    return delta.days + (delta.seconds + delta.microseconds / 1e6) / 86_400


def _tail(value: object) -> str:
    """A non-empty cell's XML after `<c r="A1`: its style, type and value."""
    if isinstance(value, str):
        style = f'" s="{_QUOTED}' if starts_like_formula(value) else ""
        space = ' xml:space="preserve"' if value[:1].isspace() or value[-1:].isspace() else ""
        return f'{style}" t="inlineStr"><is><t{space}>{_text(value)}</t></is></c>'
    if isinstance(value, bool):
        return _tail("có / yes" if value else "không / no")
    if isinstance(value, int) or (isinstance(value, float) and math.isfinite(value)):
        return f'"><v>{value:.16G}</v></c>'  # Excel's precision, as xlsxwriter writes it
    if isinstance(value, date):
        return f'" s="{_WHEN}"><v>{_excel_serial(value):.16G}</v></c>'
    return _tail(str(value))


class _Tails(dict):
    """Each distinct value's XML, made once: findings repeat their rule, severity, file, messages,
    run and time. Keyed by the value itself for a text, by (type, value) otherwise, so that
    True, 1 and 1.0 (equal in Python) keep their own cells."""

    LIMIT = 200_000

    def __missing__(self, key) -> str:
        if len(self) >= self.LIMIT:
            self.clear()
        tail = self[key] = _tail(key if key.__class__ is str else key[1])
        return tail


def _rows_xml(first: int, letters: list[str], rows: list[Sequence[object]], tails: _Tails) -> str:
    parts = []
    for number, values in enumerate(rows, start=first):
        parts.append(f'<row r="{number}">')
        for letter, value in zip(letters, values, strict=False):
            if value is not None:
                if value.__class__ is str:
                    tail = tails[value]
                else:
                    try:
                        tail = tails[(value.__class__, value)]
                    except TypeError:  # unhashable (a list, say): written as its text, not remembered
                        tail = _tail(value)
                parts.append(f'<c r="{letter}{number}{tail}')
        parts.append("</row>")
    return "".join(parts)


def _batches(rows: Iterable[Sequence[object]]) -> Iterator[list[Sequence[object]]]:
    batch: list[Sequence[object]] = []
    for values in rows:
        batch.append(values)
        if len(batch) == ROWS_PER_WRITE:
            yield batch
            batch = []
    if batch:
        yield batch


def _write_sheet(archive: zipfile.ZipFile, member: str, sheet: Sheet, selected: bool) -> None:
    letters = column_letters(len(sheet.columns))
    last = f"{letters[-1]}{sheet.row_count + 1}"
    widths = "".join(f'<col min="{i}" max="{i}" width="{column.width + 0.7109375}" customWidth="1"/>'
                     for i, column in enumerate(sheet.columns, start=1))
    header = "".join(f'<c r="{letter}1" s="{_HEADER}" t="inlineStr"><is><t>{_text(column.header)}</t></is></c>'
                     for letter, column in zip(letters, sheet.columns, strict=True))
    shown = ' tabSelected="1"' if selected else ""
    head = (f'{_XML}<worksheet {_NS} xmlns:r="{_REL_NS}"><dimension ref="A1:{last}"/>'
            f'<sheetViews><sheetView{shown} workbookViewId="0">'
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
            f'<cols>{widths}</cols><sheetData><row r="1" ht="{sheet.header_height}" customHeight="1">{header}</row>')
    written, tails = 0, _Tails()
    with archive.open(member, "w", force_zip64=True) as part:
        part.write(head.encode())
        for batch in _batches(sheet.rows):
            part.write(_rows_xml(written + 2, letters, batch, tails).encode())
            written += len(batch)
        filter_end = f"{letters[-1]}{max(2, sheet.row_count + 1)}"
        part.write(f'</sheetData><autoFilter ref="A1:{filter_end}"/><pageMargins left="0.7" right="0.7" '
                   'top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>'.encode())
    if written != sheet.row_count:
        raise ValueError(f"sheet {sheet.name!r}: {written} rows written, {sheet.row_count} announced")


_STYLES = (
    f'{_XML}<styleSheet {_NS}><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm:ss"/>'
    '</numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFF0F2F6"/><bgColor indexed="64"/></patternFill></fill>'
    '</fills><borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border><border>'
    '<left style="thin"><color auto="1"/></left><right style="thin"><color auto="1"/></right>'
    '<top style="thin"><color auto="1"/></top><bottom style="thin"><color auto="1"/></bottom><diagonal/></border>'
    '</borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1" '
    'applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)


def _quoted_sheet_name(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _package_parts(sheets: Sequence[Sheet], title: str, subject: str, company: str,
                   created: datetime) -> dict[str, str]:
    count = len(sheets)
    sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{sheet_type}"/>'
                        for i in range(1, count + 1))
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    sheet_rels = "".join(f'<Relationship Id="rId{i}" Type="{rel}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                         for i in range(1, count + 1))
    entries = "".join(f"<sheet name={quoteattr(s.name)} sheetId=\"{i}\" r:id=\"rId{i}\"/>"
                      for i, s in enumerate(sheets, start=1))
    filters = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        f"{escape(_quoted_sheet_name(s.name))}!$A$1:${column_letters(len(s.columns))[-1]}${max(2, s.row_count + 1)}"
        "</definedName>" for i, s in enumerate(sheets))
    stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    titles = "".join(f"<vt:lpstr>{escape(s.name)}</vt:lpstr>" for s in sheets)
    package = "http://schemas.openxmlformats.org/package/2006"
    return {
        "[Content_Types].xml": (
            f'{_XML}<Types xmlns="{package}/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" '
            f'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>{overrides}</Types>'),
        "_rels/.rels": (
            f'{_XML}<Relationships xmlns="{package}/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            f'<Relationship Id="rId2" Type="{package}/relationships/metadata/core-properties" '
            'Target="docProps/core.xml"/>'
            f'<Relationship Id="rId3" Type="{rel}/extended-properties" Target="docProps/app.xml"/></Relationships>'),
        "xl/_rels/workbook.xml.rels": (
            f'{_XML}<Relationships xmlns="{package}/relationships">{sheet_rels}'
            f'<Relationship Id="rId{count + 1}" Type="{rel}/styles" Target="styles.xml"/></Relationships>'),
        "xl/workbook.xml": (
            f'{_XML}<workbook {_NS} xmlns:r="{_REL_NS}"><bookViews><workbookView/></bookViews>'
            f'<sheets>{entries}</sheets><definedNames>{filters}</definedNames></workbook>'),
        "xl/styles.xml": _STYLES,
        "docProps/core.xml": (
            f'{_XML}<cp:coreProperties xmlns:cp="{package}/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{escape(title)}</dc:title><dc:subject>{escape(subject)}</dc:subject>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>'),
        "docProps/app.xml": (
            f'{_XML}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            '<Application>Microsoft Excel</Application><HeadingPairs><vt:vector size="2" baseType="variant">'
            f"<vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant><vt:variant><vt:i4>{count}</vt:i4></vt:variant>"
            f'</vt:vector></HeadingPairs><TitlesOfParts><vt:vector size="{count}" baseType="lpstr">{titles}'
            f"</vt:vector></TitlesOfParts><Company>{escape(company)}</Company></Properties>"),
    }


def write_workbook(path: Path, sheets: Sequence[Sheet], *, title: str = "", subject: str = "",
                   company: str = "") -> None:
    """Write the workbook to `path` (the caller renames it into place); the first sheet is the one shown."""
    created = datetime.now(UTC)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as archive:
        for member, text in _package_parts(sheets, title, subject, company, created).items():
            archive.writestr(member, text)  # [Content_Types].xml first: what file-type sniffers look for
        for index, sheet in enumerate(sheets, start=1):
            _write_sheet(archive, f"xl/worksheets/sheet{index}.xml", sheet, selected=index == 1)
