"""Sheet layout: title block, header, numbering row, blank rows, totals, footer."""

from __future__ import annotations

import pytest

from pipelines.ingest.sheet import (
    NoHeader,
    TotalsChecker,
    data_events,
    is_numbering_row,
    is_totals_row,
    locate_header,
)

HEADER = ["STT", "Kỳ báo cáo", "Mã số thuế", "Tổng số lao động", "Tổng số đoàn viên"]


def numbered(rows):
    return [(i + 1, r) for i, r in enumerate(rows)]


def test_header_after_title_block_and_numbering_row_dropped():
    rows = numbered([
        ["BÁO CÁO SỐ LIỆU CÔNG ĐOÀN CƠ SỞ QUÝ III/2022", "", "", "", ""],
        ["Đơn vị: KCN Đình Vũ"],
        [],
        HEADER,
        ["(1)", "(2)", "(3)", "(4)", "(5)"],
        ["1", "Q3/2022", "0200000007", "10", "5"],
    ])
    layout, rest = locate_header("union_reports", rows)
    assert layout.header_row == 4
    assert layout.columns == {1: "period", 2: "tax_code", 3: "workers_total", 4: "members_total"}
    assert layout.title_lines == ["BÁO CÁO SỐ LIỆU CÔNG ĐOÀN CƠ SỞ QUÝ III/2022", "Đơn vị: KCN Đình Vũ"]
    assert [r for r, _ in rest] == [6]


def test_first_data_row_is_not_mistaken_for_numbering():
    rows = numbered([HEADER, ["1", "Q3/2022", "0200000007", "1", "1"]])
    layout, rest = locate_header("union_reports", rows)
    assert [r for r, _ in rest] == [2]


def test_no_header_within_fifteen_rows():
    rows = numbered([["tiêu đề"]] * 15 + [HEADER])
    with pytest.raises(NoHeader):
        locate_header("union_reports", rows)


@pytest.mark.parametrize(("cells", "expected"), [
    (["1", "2", "3"], True), (["(1)", "(2)", "", "(3)"], True), (["A", "B", "C"], True),
    (["1", "Q3/2022"], False), ([""], False),
])
def test_numbering_row(cells, expected):
    assert is_numbering_row(cells) is expected


@pytest.mark.parametrize(("cells", "expected"), [
    (["", "Tổng cộng", "", 10], True), (["Cộng"], True), (["TOTAL"], True), (["TỔNG"], True),
    (["1", "Tổng"], False), (["Công ty"], False),
])
def test_totals_row(cells, expected):
    assert is_totals_row(cells) is expected


def test_blank_rows_never_end_data_and_footer_is_dropped():
    layout, rest = locate_header("union_reports", numbered([
        HEADER,
        ["1", "Q3/2022", "0200000007", "10", "5"],
        ["", "", "", "", ""],
        ["2", "Q3/2022", "", "10", "5"],       # key blank but followed by a keyed row: data
        ["3", "Q3/2022", "0200000014", "10", "5"],
        ["", "Tổng cộng", "", "30", "15"],
        [],
        ["", "", "Hải Phòng, ngày 05/10/2022"],
        ["NGƯỜI LẬP BIỂU", "", "", "CHỦ TỊCH CĐCS"],
        ["", "", "", "Nguyễn Văn A"],
    ]))
    events = [(e.kind, e.source_row) for e in data_events(layout, "tax_code", rest)]
    assert events == [("data", 2), ("data", 4), ("data", 5), ("totals", 6)]


def test_signer_names_in_the_key_column_are_footer_but_a_full_row_without_key_is_data():
    layout, rest = locate_header("union_reports", numbered([
        HEADER,
        ["1", "Q3/2022", "0200000007", "10", "5"],
        ["2", "Q3/2022", "chưa có", "10", "5"],      # key without a digit, but a full row: data
        [],
        ["", "", "NGƯỜI LẬP BIỂU", "", "CHỦ TỊCH CĐCS"],
        ["", "", "(Ký, ghi rõ họ tên)"],
        ["", "", "Nguyễn Thị Lan", "", "Trần Văn Hùng"],  # names under the signatures, key column
    ]))
    events = [(e.kind, e.source_row) for e in data_events(layout, "tax_code", rest)]
    assert events == [("data", 2), ("data", 3)]


def test_org_codes_need_no_digit():
    layout, rest = locate_header("party_orgs", numbered([
        ["Mã tổ chức Đảng", "Tên tổ chức Đảng", "Loại tổ chức"],
        ["CBNC", "Chi bộ nòng cốt", "Chi bộ nòng cốt"],
        ["", "NGƯỜI LẬP BIỂU"],
    ]))
    assert [(e.kind, e.source_row) for e in data_events(layout, "org_code", rest)] == [("data", 2)]


def test_totals_checker_sections_and_grand_total():
    checker = TotalsChecker()
    checker.add({"workers_total": 10})
    checker.add({"workers_total": 5})
    assert checker.check({"workers_total": 15}) == []
    checker.add({"workers_total": 7})
    assert checker.check({"workers_total": 8}) == [("workers_total", 8, 7)]
    checker.add({"workers_total": 1})
    assert checker.check({"workers_total": 23}) == []  # grand total since the start
