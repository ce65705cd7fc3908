"""The bulk sheet writer: a cell reads back as xlsxwriter's would, whatever text a union typed.

The findings workbook used to be written by xlsxwriter; the streamed writer must give the
same cells (values, types, the quote prefix on formula-like text), the same layout (frozen
header, filter, sheet names) and never a formula, for any text including control
characters, Excel's own `_xHHHH_` escapes, edge spaces and over-long cells.
"""

from datetime import datetime

import openpyxl
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.lib.xlsx_stream import Column, Sheet, column_letters, write_workbook

COLUMNS = [Column("Văn bản\ntext", 20), Column("Số\nnumber", 8), Column("Lúc\nwhen", 18)]
TEXTS = ["a\x01b", "_x0041_", " lead", "trail ", "=HYPERLINK(\"x\")", "+1", "-1", "@dup.xlsx", "\ttab",
         "<&>\"'", "line\nbreak", "\ufffe", "x" * 40_000, "Công đoàn cơ sở", "", "_x005F_"]

cell_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
cell_value = st.one_of(st.none(), cell_text, st.integers(-10**12, 10**12), st.booleans(),
                       st.floats(allow_nan=False, allow_infinity=False, width=32),
                       st.datetimes(min_value=datetime(1901, 1, 1), max_value=datetime(2100, 1, 1)))


def _with_xlsxwriter(path, name, rows):
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False,
                                           "strings_to_urls": False, "constant_memory": True})
    sheet = book.add_worksheet(name)
    when, quoted = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}), book.add_format({"quote_prefix": True})
    for col, column in enumerate(COLUMNS):
        sheet.write_string(0, col, column.header)
    for row_index, values in enumerate(rows, start=1):
        for col, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, bool):
                sheet.write_string(row_index, col, "có / yes" if value else "không / no")
            elif isinstance(value, int | float):
                sheet.write_number(row_index, col, value)
            elif isinstance(value, datetime):
                sheet.write_datetime(row_index, col, value, when)
            else:
                sheet.write_string(row_index, col, value, quoted if value.startswith(tuple("=+-@\t\r")) else None)
    book.close()


def _cells(path):
    sheet = openpyxl.load_workbook(path).worksheets[0]
    return [[(cell.value, cell.quotePrefix) for cell in row] for row in sheet.iter_rows()]


def _both(tmp_path, rows):
    ours, theirs = tmp_path / "ours.xlsx", tmp_path / "theirs.xlsx"
    write_workbook(ours, [Sheet("Thông tin - info", COLUMNS, iter(rows), len(rows))], title="t")
    _with_xlsxwriter(theirs, "Thông tin - info", rows)
    return _cells(ours), _cells(theirs)


def test_hostile_texts_read_back_as_xlsxwriter_wrote_them(tmp_path):
    rows = [[text, index, datetime(2024, 5, 6, 7, 8, 9)] for index, text in enumerate(TEXTS)]
    ours, theirs = _both(tmp_path, rows)
    assert ours[1:] == theirs[1:]
    by_text = {text: row[0] for text, row in zip(TEXTS, ours[1:], strict=True)}
    assert by_text["=HYPERLINK(\"x\")"] == ("=HYPERLINK(\"x\")", True)
    assert by_text["Công đoàn cơ sở"] == ("Công đoàn cơ sở", False)
    assert len(by_text["x" * 40_000][0]) == 32_767  # Excel's limit, as xlsxwriter cuts it


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(cell_value, min_size=3, max_size=3), min_size=1, max_size=8))
def test_any_cells_read_back_as_xlsxwriter_wrote_them(tmp_path, rows):
    ours, theirs = _both(tmp_path, rows)
    assert ours[1:] == theirs[1:]
    assert all(not isinstance(value, str) or not value.startswith("=") or quoted
               for row in ours[1:] for value, quoted in row)


def test_layout_frozen_header_filter_and_no_formula(tmp_path):
    path = tmp_path / "book.xlsx"
    sheets = [Sheet("Lỗi - error", COLUMNS, iter([["=1+1", 1, None]]), 1),
              Sheet("Cảnh báo - warning", COLUMNS, iter([]), 0),
              Sheet("It's quoted", COLUMNS, iter([["b", 2, None], ["c", 3, None]]), 2)]
    write_workbook(path, sheets, title="Phát hiện", subject="run r1", company="Công đoàn")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Lỗi - error", "Cảnh báo - warning", "It's quoted"]
    assert [sheet.max_row for sheet in book.worksheets] == [2, 1, 3]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:C")
        assert sheet["A1"].font.b and sheet.column_dimensions["A"].width > 20
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert book.properties.title == "Phát hiện" and book.properties.subject == "run r1"


def test_a_sheet_that_yields_other_than_it_announced_is_an_error(tmp_path):
    with pytest.raises(ValueError, match="2 rows written, 3 announced"):
        write_workbook(tmp_path / "b.xlsx", [Sheet("s", COLUMNS, iter([["a"], ["b"]]), 3)])


def test_equal_values_of_other_types_keep_their_own_cells(tmp_path):
    """True, 1 and 1.0 are equal in Python: the cache of cells must not hand one the other's."""
    path = tmp_path / "b.xlsx"
    rows = [[True, 1, 1.0], [1, True, 1.0], ["1", 1.0, True], [["a", "list"], None, None]]
    write_workbook(path, [Sheet("s", COLUMNS, iter(rows), len(rows))])
    values = [[cell.value for cell in row] for row in openpyxl.load_workbook(path).worksheets[0].iter_rows(min_row=2)]
    assert values == [["có / yes", 1, 1], [1, "có / yes", 1], ["1", 1, "có / yes"], ["['a', 'list']", None, None]]


def test_column_letters_go_past_z():
    assert column_letters(28)[-3:] == ["Z", "AA", "AB"]
    assert column_letters(703)[-1] == "AAA"
