"""The hostile-input corpus of issue 13, written from scratch (no committed binaries).

    python -m tests.reliability.hostile_corpus --out DIR

writes `DIR/inbox` (the hostile files) and `DIR/outside` (files a link points at, which the
pipeline must never read). `CASES` says what each inbox entry is and which verdict it must
get: a manifest status and the rule of its finding (None = no finding expected, e.g. the
one readable control file). Everything is built at the byte level from the standard library,
xlsxwriter and `tests/fixtures/crafted.py`, so the corpus is reproducible and small on disk
except for the few cases whose point is size (they are generated, never committed).
"""

from __future__ import annotations

import argparse
import io
import os
import random
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter

from tests.fixtures import crafted
from tests.fixtures.fixture_data import T

# Values that must never leave raw: written into extra columns of a quarantined roster row.
PERSONAL_MARKERS = ("0912 345 678", "Số 7 ngõ Bí Mật, Lê Chân", "an.nguyen.bimat@example.vn")
# Written in the file outside the inbox: if any of it reaches the warehouse, the inbox leaked.
OUTSIDE_MARKER = "NGOAI_HOP_THU_KHONG_DUOC_DOC"

REPORT_HEADER = ["Kỳ báo cáo", "Mã số thuế", "Tên doanh nghiệp", "Tổng số lao động", "Lao động nữ",
                 "Tổng số đoàn viên", "Đoàn viên nữ", "Ngày báo cáo", "Lần nộp"]
CSV_HEADER = ",".join(REPORT_HEADER)


def report_line(i: int) -> str:
    return f"Quý III/2022,{T[i % len(T)]},Công ty {i},{100 + i},{40 + i % 7},{80 + i % 11},{30 + i % 5},05/10/2022,1"


def report_rows(count: int = 3) -> list[list[object]]:
    return [REPORT_HEADER, *[line.split(",") for line in (report_line(i) for i in range(count))]]


def good_report_csv() -> bytes:
    return ("\n".join([CSV_HEADER, *[report_line(i) for i in range(3)]]) + "\n").encode()


def xlsx_with_cells(cells: dict[tuple[int, int], object]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for (row, col), value in cells.items():
        sheet.write(row, col, value)
    book.close()
    return buffer.getvalue()


def data_on_second_sheet() -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.add_worksheet("Hướng dẫn").write(0, 0, "Xem trang sau")
    data = book.add_worksheet("Số liệu")
    for r, row in enumerate(report_rows()):
        data.write_row(r, 0, row)
    book.close()
    return buffer.getvalue()


def zip_lying_about_size() -> bytes:
    """A real workbook whose sheet entry claims 64 bytes unpacked, in both headers."""
    data = bytearray(crafted.xlsx_bytes(report_rows(200)))
    name = b"xl/worksheets/sheet1.xml"
    local = data.find(b"PK\x03\x04")
    while local != -1:
        name_len = struct.unpack_from("<H", data, local + 26)[0]
        if data[local + 30:local + 30 + name_len] == name:
            struct.pack_into("<I", data, local + 22, 64)
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_len = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46:central + 46 + name_len] == name:
            struct.pack_into("<I", data, central + 24, 64)
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


def zip_bomb() -> bytes:
    """Honest sizes, 300 MB of sheet XML deflated to a few hundred KB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            block = b" " * (1 << 20)
            for _ in range(300):
                sheet.write(block)
    return buffer.getvalue()


def unclosed_quote_csv(rows: int = 500, bad_row: int = 7) -> bytes:
    lines = [CSV_HEADER]
    for i in range(1, rows + 1):
        line = report_line(i)
        if i == bad_row - 1:  # line `bad_row` of the file (the header is line 1)
            line = line.replace("Công ty", '"Công ty', 1)
        lines.append(line)
    return ("\n".join(lines) + "\n").encode()


def long_field_csv() -> bytes:
    """One field over the csv module's 131 072-character limit (an unclosed quote over a long tail)."""
    return (CSV_HEADER + "\n" + report_line(1) + '\nQuý III/2022,"' + "x" * 200_000 + "\n").encode()


def multiline_cell_csv() -> bytes:
    """A legitimate quoted cell with a line break: must load, not be mistaken for a stray quote."""
    lines = [CSV_HEADER, report_line(1).replace("Công ty 1", '"Công ty 1\nChi nhánh Hải Phòng"'), report_line(2)]
    return ("\n".join(lines) + "\n").encode()


def roster_with_personal_extras() -> bytes:
    header = ["Số CCCD", "Họ và tên", "Ngày sinh", "Giới tính", "MST nơi làm việc", "Ngày giới thiệu",
              "Số điện thoại cá nhân", "Địa chỉ thường trú", "Email"]
    bad_row = ["031190123456", "Nguyễn Văn Ẩn", "01/05/1990", "Nam", T[0], "01/02/2030", *PERSONAL_MARKERS]
    return "\n".join(",".join(f'"{v}"' for v in row) for row in (header, bad_row)).encode("utf-8-sig")


def outside_csv() -> bytes:
    return (CSV_HEADER + "\n" + report_line(1).replace("Công ty 1", OUTSIDE_MARKER) + "\n").encode()


@dataclass(frozen=True)
class Case:
    path: str
    status: str
    rule: str | None
    build: object  # () -> bytes, or a str naming a special entry (link, fifo)
    why: str


def _random(seed: int, size: int) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.getrandbits(8) for _ in range(size))


Q = "union_reports/2022/Q3"
CASES: list[Case] = [
    Case(f"{Q}/bao_cao_hop_le.csv", "loaded", None, good_report_csv, "a readable control file"),
    Case(f"{Q}/o_xuong_dong.csv", "loaded", None, multiline_cell_csv, "a legitimate line break in a quoted cell"),
    Case(f"{Q}/cat_doi.xlsx", "quarantined", "F001", lambda: crafted.xlsx_bytes(report_rows(50))[:1500],
         "first half of a workbook"),
    Case(f"{Q}/xfd1048576.xlsx", "quarantined", "F001", lambda: xlsx_with_cells({(0, 0): "a", (1048575, 16383): "z"}),
         "cells at A1 and XFD1048576: a 550 GB grid"),
    Case(f"{Q}/zz200000.xlsx", "quarantined", "F001", lambda: xlsx_with_cells({(0, 0): "a", (199999, 701): "z"}),
         "cells at A1 and ZZ200000: a 4.4 GB grid"),
    Case(f"{Q}/truong_qua_dai.csv", "quarantined", "F001", long_field_csv, "a field over 131 072 characters"),
    Case(f"{Q}/ngoac_kep_ho.csv", "quarantined", "F001", unclosed_quote_csv, "an unclosed quote on line 7 of 501"),
    Case(f"{Q}/zero.csv", "quarantined", "F001", "link:/dev/zero", "a link to an endless device"),
    Case(f"{Q}/fifo.csv", "quarantined", "F001", "fifo", "a named pipe nobody writes to"),
    Case(f"{Q}/passwd.csv", "quarantined", "F001", "link:/etc/passwd", "a link to a system file"),
    Case(f"{Q}/ngoai.csv", "quarantined", "F001", "link:outside/bao_cao.csv", "a link to a readable report outside"),
    Case(f"{Q}/thu_muc_ngoai", "quarantined", "F001", "link:outside", "a link to a folder outside"),
    Case(f"{Q}/gay.csv", "quarantined", "F001", "link:outside/khong_ton_tai.csv", "a dangling link"),
    Case(f"{Q}/rong_1.xlsx", "quarantined", "F001", lambda: b"", "an empty file"),
    Case(f"{Q}/rong_2.xlsx", "quarantined", "F001", lambda: b"", "a second empty file (not F006)"),
    Case(f"{Q}/ngau_nhien.xlsx", "quarantined", "F001", lambda: _random(1, 30_000), "random bytes as xlsx"),
    Case(f"{Q}/ngau_nhien.csv", "quarantined", "F001", lambda: _random(2, 30_000), "random bytes as csv"),
    Case(f"{Q}/zip_doi_ten.xlsx", "quarantined", "F001", crafted.zip_not_xlsx, "a zip renamed .xlsx"),
    Case(f"{Q}/zip_noi_doi.xlsx", "quarantined", "F001", zip_lying_about_size, "a zip lying about its sizes"),
    Case(f"{Q}/zip_bom.xlsx", "quarantined", "F001", zip_bomb, "300 MB of XML in a few hundred KB"),
    Case(f"{Q}/ma_hoa.xlsx", "quarantined", "F001", crafted.encrypted_ooxml_lookalike, "an encrypted workbook"),
    Case(f"{Q}/trang_thu_hai.xlsx", "quarantined", "F002", data_on_second_sheet, "the data on the second sheet"),
    Case(f"{Q}/utf16_khong_bom.csv", "loaded", None,
         lambda: ("\n".join([CSV_HEADER, report_line(4)]) + "\n").encode("utf-16-le"), "UTF-16 without a BOM"),
    Case(f"{Q}/bao..cao..csv", "loaded", None,
         lambda: ("\n".join([CSV_HEADER, report_line(5)]) + "\n").encode(), "dots in the name"),
    Case(f"{Q}/..\\..\\etc\\x.csv", "skipped", None, lambda: _random(3, 500),
         "dots and backslashes: a leading dot is a hidden file"),
    Case(f"{Q}/lien_ket_trong.csv", "duplicate", "F006", "link:inbox/" + f"{Q}/bao_cao_hop_le.csv",
         "a link inside the inbox is read as its target"),
    Case(f"{Q}/dong\nmoi.csv", "quarantined", "F001", lambda: _random(4, 500), "a newline in the name"),
    Case(f"{Q}/<script>alert(1)<\u2044script>.csv", "quarantined", "F001", lambda: _random(5, 500),
         "markup in the name"),
    Case("candidates/ds_qcut_rieng_tu.csv", "loaded", None, roster_with_personal_extras,
         "a quarantined roster row with personal extra columns"),
]


def _make_fifo(path: Path) -> None:
    os.mkfifo(path)


def write_corpus(root: Path) -> Path:
    """Writes `root/inbox` and `root/outside`; returns the inbox."""
    inbox, outside = root / "inbox", root / "outside"
    outside.mkdir(parents=True, exist_ok=True)
    (outside / "bao_cao.csv").write_bytes(outside_csv())
    for case in CASES:
        target = inbox / case.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if callable(case.build):
            target.write_bytes(case.build())
        elif case.build == "fifo":
            _make_fifo(target)
        else:
            link = str(case.build).removeprefix("link:")
            target.symlink_to(link if link.startswith("/") else root / link)
    return inbox


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    inbox = write_corpus(args.out)
    print(f"{len(CASES)} hostile entries in {inbox}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
