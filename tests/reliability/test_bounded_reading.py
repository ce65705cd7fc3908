"""Bounded reading, file by file (issue 13, items 2, 3 and 5): the cheap, in-process checks.

What could hang or exhaust memory if it regressed (/dev/zero, a FIFO, a 550 GB grid) is
only ever read in a child process, by `test_hostile_corpus.py`; here the guards themselves
are checked without letting calamine or a read near them.
"""

from __future__ import annotations

import io
import os
import zipfile

import pytest

from pipelines.ingest.containers import check_excel_container
from pipelines.ingest.inbox_scan import peek_quarters, quarters_for_run
from pipelines.ingest.inventory import walk_inbox
from pipelines.ingest.readers import UnreadableFile, read_rows
from pipelines.ingest.xlsx_extent import MAX_SHEET_CELLS, column_number, first_sheet_part, sheet_extent
from tests.reliability import hostile_corpus as corpus


@pytest.mark.parametrize(("letters", "number"), [(b"A", 1), (b"Z", 26), (b"AA", 27), (b"ZZ", 702),
                                                 (b"XFD", 16384), (b"xfd", 16384)])
def test_column_numbers(letters, number):
    assert column_number(letters) == number


@pytest.mark.parametrize(("cells", "extent"), [
    ({(0, 0): "a", (1048575, 16383): "z"}, (1048576, 16384)),
    ({(0, 0): "a", (199999, 701): "z"}, (200000, 702)),
    ({(4, 2): 1, (9, 0): "x"}, (10, 3)),
])
def test_sheet_extent_is_the_cells_real_extent(cells, extent):
    with zipfile.ZipFile(io.BytesIO(corpus.xlsx_with_cells(cells))) as archive:
        part = first_sheet_part(archive)
        assert part == "xl/worksheets/sheet1.xml"
        assert sheet_extent(archive, part) == extent


def test_cells_without_positions_count_in_sequence():
    xml = ('<worksheet><sheetData><row><c><v>1</v></c><c/><c t="s"><v>0</v></c></row>'
           '<row r="40"><c r="B40"/><c/></row></sheetData></worksheet>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", xml)
    with zipfile.ZipFile(buffer) as archive:
        assert sheet_extent(archive, "xl/worksheets/sheet1.xml") == (40, 3)


@pytest.mark.parametrize("build", [lambda: corpus.xlsx_with_cells({(0, 0): "a", (1048575, 16383): "z"}),
                                   lambda: corpus.xlsx_with_cells({(0, 0): "a", (199999, 701): "z"}),
                                   corpus.zip_lying_about_size, corpus.zip_bomb])
def test_oversized_or_lying_workbooks_are_refused_before_calamine(tmp_path, build):
    path = tmp_path / "bao_cao.xlsx"
    path.write_bytes(build())
    with pytest.raises(UnreadableFile):
        check_excel_container(path)


def test_a_large_but_honest_grid_is_read():
    rows = 2000  # well under the limit, still far bigger than any real form
    assert rows * 20 < MAX_SHEET_CELLS


def test_a_stray_quote_makes_the_csv_unreadable_and_names_its_line(tmp_path):
    path = tmp_path / "bao_cao.csv"
    path.write_bytes(corpus.unclosed_quote_csv(rows=500, bad_row=7))
    with pytest.raises(UnreadableFile, match="line 7"):
        list(read_rows(path))
    # near the end of the file the record is short, but the swallowed rows still show
    path.write_bytes(corpus.unclosed_quote_csv(rows=20, bad_row=18))
    with pytest.raises(UnreadableFile, match="line 18"):
        list(read_rows(path))


def test_a_quoted_line_break_is_still_a_cell(tmp_path):
    path = tmp_path / "bao_cao.csv"
    path.write_bytes(corpus.multiline_cell_csv())
    rows = list(read_rows(path))
    assert [source_row for source_row, _ in rows] == [1, 2, 4]
    assert rows[1][1][2] == "Công ty 1\nChi nhánh Hải Phòng"


def test_utf16_without_bom_is_read(tmp_path):
    path = tmp_path / "bao_cao.csv"
    path.write_bytes(("\n".join([corpus.CSV_HEADER, corpus.report_line(4)]) + "\n").encode("utf-16-le"))
    assert list(read_rows(path))[1][1][1] == corpus.T[4]


def test_a_field_over_the_csv_limit_is_no_traceback_in_the_quarter_peek(tmp_path):
    inbox = tmp_path / "inbox"
    path = inbox / "union_reports" / "2022" / "bao_cao.csv"
    path.parent.mkdir(parents=True)
    path.write_bytes(corpus.long_field_csv())
    with pytest.raises(UnreadableFile, match="field larger"):
        list(read_rows(path))
    assert peek_quarters(path, "union_reports/2022/bao_cao.csv") == set()
    assert quarters_for_run(inbox, tmp_path / "missing.duckdb") == set()


def test_links_out_of_the_inbox_and_special_files_are_refused_without_reading(tmp_path):
    inbox, outside = tmp_path / "inbox", tmp_path / "outside"
    folder = inbox / "union_reports"
    folder.mkdir(parents=True)
    outside.mkdir()
    (outside / "bao_cao.csv").write_bytes(corpus.outside_csv())
    (folder / "that.csv").write_bytes(corpus.good_report_csv())
    (folder / "ngoai.csv").symlink_to(outside / "bao_cao.csv")
    (folder / "zero.csv").symlink_to("/dev/zero")
    (folder / "passwd.csv").symlink_to("/etc/passwd")
    (folder / "gay.csv").symlink_to(outside / "missing.csv")
    (folder / "thu_muc").symlink_to(outside)
    (folder / "ben_trong.csv").symlink_to("that.csv")
    (folder / "thu_muc_trong").symlink_to(folder)
    os.mkfifo(folder / "fifo.csv")
    items = {item.source_file.removeprefix("union_reports/"): item for item in walk_inbox(inbox)}
    refused = {name for name, item in items.items() if item.refusal}
    assert refused == {"ngoai.csv", "zero.csv", "passwd.csv", "gay.csv", "thu_muc", "fifo.csv"}
    assert items["ben_trong.csv"].readable and items["that.csv"].readable
    assert items["thu_muc_trong"].skip_reason.startswith("symbolic link to a folder")
    assert not any(item.readable for item in items.values() if item.refusal)
    # the sensor's and the CLI's look at the inbox skips them too (it would hash /dev/zero forever)
    assert quarters_for_run(inbox, tmp_path / "missing.duckdb") == {"2022-Q3"}
