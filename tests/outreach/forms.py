"""Test helpers: fill a form as a reporter would (or against its validation), read it as ingest does."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl

from pipelines.ingest.columns import UNION_REPORTS
from pipelines.ingest.loader import open_sheet
from pipelines.ingest.records import parse_row
from pipelines.ingest.sheet import data_events
from pipelines.outreach.template_writer import DATA_ROW, FORM_SHEET, HEADER_ROW

EXCEL_DATA_ROW = DATA_ROW + 1  # openpyxl counts from 1
EXCEL_HEADER_ROW = HEADER_ROW + 1


def header_columns(sheet) -> dict[str, int]:
    """Official header → Excel column number, from the form's own header row."""
    return {cell.value: cell.column for cell in sheet[EXCEL_HEADER_ROW] if cell.value}


def fill_form(source: Path, target: Path, values: dict[str, object], *, as_text: tuple[str, ...] = ()) -> Path:
    """Write `values` (column name → value) into the data row, by the official header of each
    column. Cells are written directly, so a value the validation would refuse is kept;
    columns in `as_text` are forced to text cells (openpyxl would make `=…` a formula)."""
    workbook = openpyxl.load_workbook(source)
    sheet = workbook[FORM_SHEET]
    columns = header_columns(sheet)
    for name, value in values.items():
        cell = sheet.cell(EXCEL_DATA_ROW, columns[UNION_REPORTS.column(name).headers[0]])
        cell.value = value
        if name in as_text:
            cell.data_type = "s"
    target.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(target)
    return target


def read_like_ingest(path: Path, today: date | None = None) -> list[tuple[int, dict, list]]:
    """(source_row, record, problems) of every data row, through ingest's own reader."""
    layout, rows = open_sheet(path, UNION_REPORTS, path.name)
    return [(event.source_row, parsed.record, parsed.problems)
            for event in data_events(layout, UNION_REPORTS.key, rows) if event.kind == "data"
            for parsed in [parse_row(UNION_REPORTS, layout, event.cells, today or date.today())]]
