"""Readers: CSV encodings and delimiters, Excel (xlsx and old xls), YAML, unreadable files."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import pytest
import xlsxwriter
import xlwt

from pipelines.ingest.readers import UnreadableFile, detect_encoding, read_rows, sniff_delimiter
from pipelines.ingest.values import normalize_text
from tests.ingest.cp1258 import encode_cp1258

TEXT = "Mã số thuế;Tên doanh nghiệp;Khu công nghiệp\n0200000007;Công ty Tràng Duệ;Đồ Sơn\n"


@pytest.mark.parametrize(("encoded", "encoding"), [
    (TEXT.encode("utf-8"), "utf-8"),
    (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
    (TEXT.encode("utf-16"), "utf-16"),
    (TEXT.encode("utf-16-be").join([b"\xfe\xff", b""]), "utf-16"),
    (encode_cp1258(TEXT), "cp1258"),
])
def test_encoding_detection_and_text(tmp_path, encoded, encoding):
    path = tmp_path / "f.csv"
    path.write_bytes(encoded)
    assert detect_encoding(path) == encoding
    rows = list(read_rows(path))
    assert rows[0][1][0] == "Mã số thuế" or normalize_text(rows[0][1][0]) == "Mã số thuế"
    assert rows[1][0] == 2
    assert [normalize_text(c) for c in rows[1][1]] == ["0200000007", "Công ty Tràng Duệ", "Đồ Sơn"]


def test_cp1258_text_comes_back_as_nfc_after_normalisation(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(encode_cp1258(TEXT))
    cells = list(read_rows(path))[1][1]
    assert [normalize_text(c) for c in cells] == ["0200000007", "Công ty Tràng Duệ", "Đồ Sơn"]


@pytest.mark.parametrize(("sample", "delimiter"), [
    ("a,b,c\n1,2,3\n", ","),
    ("a;b;c\n1;2;3\n", ";"),
    ("Tên chi bộ, đảng bộ;Số lao động\n\"Chi bộ A, B\";1,234\nx;2,5\n", ";"),
    ('MST,Tên DN\n0200000007,"Công ty A; B"\n0200000014,"C, D"\n', ","),
    ("BÁO CÁO QUÝ III/2022\n\nKỳ;MST;Tổng số lao động\nQ3/2022;0200000007;1.234\n", ";"),
])
def test_delimiter_sniffing(sample, delimiter):
    assert sniff_delimiter(sample) == delimiter


def test_csv_source_rows_are_line_numbers_even_with_multiline_cells(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text('MST,Ghi chú\n0200000007,"dòng 1\ndòng 2"\n0200000014,x\n', encoding="utf-8")
    assert [row for row, _ in read_rows(path)] == [1, 2, 4]


def test_xlsx_rows_keep_excel_numbers_and_types(tmp_path):
    path = tmp_path / "f.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write(2, 0, "MST")
    sheet.write(3, 0, 200000007)
    sheet.write_datetime(3, 1, datetime(2022, 3, 5), book.add_format({"num_format": "dd/mm/yyyy"}))
    book.add_worksheet("second").write(0, 0, "ignored")
    book.close()
    rows = list(read_rows(path))
    assert rows[2] == (3, ["MST", ""])
    assert rows[3][0] == 4
    assert rows[3][1][0] == 200000007.0
    assert rows[3][1][1] in (date(2022, 3, 5), datetime(2022, 3, 5))


def test_old_xls_is_read(tmp_path):
    path = tmp_path / "f.xls"
    book = xlwt.Workbook()
    sheet = book.add_sheet("DN")
    sheet.write(0, 0, "Mã số thuế")
    sheet.write(1, 0, "0200000007")
    sheet.write(1, 1, 1234)
    book.save(str(path))
    rows = list(read_rows(path))
    assert rows[0] == (1, ["Mã số thuế", ""])
    assert rows[1] == (2, ["0200000007", 1234.0])


def _truncated_xlsx(tmp_path) -> bytes:
    path = tmp_path / "ok.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet().write(0, 0, "x")
    book.close()
    data = path.read_bytes()
    return data[: len(data) // 2]


def _zip_not_xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "make"), [
    ("empty.xlsx", lambda tmp: b""),
    ("empty.csv", lambda tmp: b""),
    ("random.xlsx", lambda tmp: bytes(range(256)) * 20),
    ("random.xls", lambda tmp: b"\xd0\xcf\x11\xe0garbage" * 50),
    ("truncated.xlsx", _truncated_xlsx),
    ("zip.xlsx", lambda tmp: _zip_not_xlsx()),
    ("binary.csv", lambda tmp: bytes(range(256)) * 20),
    ("nul.csv", lambda tmp: b"a,b\n\x00\x00\x00,1\n"),
    ("bad.yaml", lambda tmp: b"metric: [unclosed"),
    ("scalar.yaml", lambda tmp: b"just text"),
])
def test_unreadable_files_raise_unreadable(tmp_path, name, make):
    path = tmp_path / name
    path.write_bytes(make(tmp_path))
    with pytest.raises(UnreadableFile):
        list(read_rows(path))


def test_yaml_list_of_mappings_keeps_text_as_written(tmp_path):
    path = tmp_path / "ct.yaml"
    path.write_text("- metric: union_rate\n  as_of: 2022-09-30\n  value: 95.20\n"
                    "- metric: workers\n  as_of: 2022-09-30\n  value: 156915\n  source: bài báo\n",
                    encoding="utf-8")
    rows = list(read_rows(path))
    assert rows[0] == (1, ["metric", "as_of", "value", "source"])
    assert rows[1] == (2, ["union_rate", "2022-09-30", "95.20", ""])
    assert rows[2][1][3] == "bài báo"


def test_utf16_tab_export_of_excel_is_read(tmp_path):
    path = tmp_path / "unicode_text.csv"
    text = "Tiêu đề\t\t\r\nMã số thuế\tQuý\tSố lao động\r\n0200000007\tQ3/2022\t1.234\r\n"
    path.write_bytes(text.encode("utf-16"))
    rows = list(read_rows(path))
    assert rows[1] == (2, ["Mã số thuế", "Quý", "Số lao động"])
    assert rows[2] == (3, ["0200000007", "Q3/2022", "1.234"])


def test_a_container_verdict_from_another_process_holds_only_for_that_file_version(tmp_path):
    """Ingest workers adopt the run's verdict on a workbook; a rewritten file is checked again."""
    import os

    from pipelines.ingest import containers

    path = tmp_path / "report.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet().write_row(0, 0, ["Kỳ báo cáo", "MST"])
    book.close()
    known = containers.container_verdict(path)
    assert known is None or known[1] == (False, None)
    identity = containers._identity(path)
    containers.remember_verdict((identity, (False, "refused elsewhere")))
    with pytest.raises(UnreadableFile, match="refused elsewhere"):
        containers.check_excel_container(path)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # a new version
    assert containers.check_excel_container(path) is False
    assert containers.container_verdict(path)[1] == (False, None)
