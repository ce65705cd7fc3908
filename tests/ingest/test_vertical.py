"""The vertical form (inbound-reports.md §2.2) and how a sheet's layout is recognised."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.ingest import ingest_inbox
from pipelines.ingest.columns import KINDS
from pipelines.ingest.readers import read_rows
from pipelines.ingest.records import parse_row
from pipelines.ingest.sheet import NoHeader, SheetRejected, data_events, locate_header
from pipelines.ingest.vertical import title_values
from tests.fixtures.form_sheets import UNUSED_VALUES, vertical_sheet
from tests.fixtures.layouts import REPORT_COUNTS, write_csv

TAX = "0201000017"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
TODAY = date(2023, 12, 1)


def numbered(rows):
    return [(i + 1, r) for i, r in enumerate(rows)]


def read(rows):
    """The layout and the parsed record of a vertical sheet's one report."""
    layout, rest = locate_header("union_reports", numbered(rows))
    events = list(data_events(layout, "tax_code", rest))
    assert [e.kind for e in events] == ["data"]
    return layout, events[0], parse_row(KINDS["union_reports"], layout, events[0].cells, TODAY)


figures = st.fixed_dictionaries({c: st.integers(0, 5000) for c in REPORT_COUNTS})


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(figures, st.sampled_from(["one", "two"]), st.sampled_from(["TT", "label"]), st.booleans(),
       st.sampled_from([None, 1, 2]), st.sampled_from([None, "Quý III/2023", "2023-Q3", "quý 3 năm 2023"]),
       st.sampled_from([("TT", "Nội dung", "Đơn vị tính", "Số lượng", "Ghi chú"), ("STT", "Chỉ tiêu", "Số liệu"),
                        ("Số TT", "Nội dung chỉ tiêu", "ĐVT", "Giá trị")]))
def test_any_vertical_form_gives_its_figures_and_their_rows(values, pairs, numbering, extra, revision, line, header):
    sheet = vertical_sheet(TAX, "QUÝ III/2023", values, name="Công ty TNHH ABC Việt Nam", pairs=pairs,
                           numbering=numbering, extra=extra, revision=revision, period_line=line, header=header,
                           submitted="05/10/2023")
    layout, event, parsed = read(sheet.rows)
    assert layout.form == "vertical_form"
    record = parsed.record
    assert {c: record[c] for c in REPORT_COUNTS} == values
    assert (record["tax_code"], record["period"], record["submitted_on"]) == (TAX, "2023-Q3", date(2023, 10, 5))
    assert record["enterprise_name"] == "Công ty TNHH ABC Việt Nam"
    assert record["revision"] == (revision or 1)
    assert event.source_row == sheet.value_rows["workers_total"]
    assert {c: layout.row_of(c, 0) for c in sheet.value_rows} == sheet.value_rows
    kept = set(layout.extra.values())
    assert any("lao động nước ngoài" in k for k in kept) is extra
    assert not any("Nguyễn" in str(c) or "CHỦ TỊCH" in str(c) for c in event.cells)  # footer is not data


def test_female_rows_follow_the_total_above_them():
    rows = [["Mã số thuế: " + TAX], ["Kỳ báo cáo: Q3/2023"], ["Nội dung", "Số lượng"],
            ["Số lao động ký hợp đồng dài hạn", 50], ["- Trong đó: nữ", 20],
            ["Tổng số lao động", 100], ["- Trong đó: lao động nước ngoài", 3], ["- Trong đó: nữ", 40],
            ["Tổng số đoàn viên", 90], ["+ Nữ", 30], ["Lao động nữ", 41]]
    layout, event, parsed = read(rows)
    assert (parsed.record["workers_female"], parsed.record["members_female"]) == (40, 30)
    assert layout.source_rows["workers_female"] == 8
    assert set(layout.extra.values()) == {"Số lao động ký hợp đồng dài hạn",
                                          "Số lao động ký hợp đồng dài hạn / Trong đó: nữ",
                                          "Tổng số lao động / Trong đó: lao động nước ngoài", "Lao động nữ"}


@pytest.mark.parametrize(("cells", "expected"), [
    ([["Mã số thuế: 0201000017"]], {"tax_code": "0201000017"}),
    ([["Mã số thuế:", 201000017.0]], {"tax_code": 201000017.0}),
    ([["Mã số thuế", "", "0201000017"]], {"tax_code": "0201000017"}),
    ([["MST : 0201000017"]], {"tax_code": "0201000017"}),
    ([["Ngày báo cáo: 05/10/2023 Lần nộp: 2"]], {"submitted_on": "05/10/2023", "revision": "2"}),
    ([["Ngày báo cáo:", "05/10/2023", "Lần nộp:", 2]], {"submitted_on": "05/10/2023", "revision": 2}),
    ([["Đơn vị báo cáo: CĐCS Công ty Cổ phần X"]], {"enterprise_name": "CĐCS Công ty Cổ phần X"}),
    ([["Công đoàn cấp trên: Công đoàn Khu kinh tế Hải Phòng"]], {}),
    ([["BÁO CÁO SỐ LIỆU CÔNG ĐOÀN CƠ SỞ QUÝ III/2023"]], {}),
])
def test_title_block_label_and_value_in_one_cell_or_two(cells, expected):
    found = title_values(numbered(cells))
    assert {column: f.value for column, f in found.items()} == expected


@pytest.mark.parametrize("title", ["BÁO CÁO SỐ LIỆU CÔNG ĐOÀN CƠ SỞ QUÝ III/2023", "Báo cáo quý 3 năm 2023",
                                   "BÁO CÁO Q3/2023", "Báo cáo kỳ 2023-Q3", "Số liệu III/2023"])
def test_period_from_the_title_in_any_spelling(title):
    rows = [["Mã số thuế: " + TAX], [title], ["Ngày báo cáo: 05/10/2023"], ["Nội dung", "Số lượng"],
            ["Tổng số lao động", 10], ["Tổng số đoàn viên", 5]]
    _, _, parsed = read(rows)
    assert parsed.record["period"] == "2023-Q3"


def test_the_enterprise_name_drops_the_union_prefix():
    rows = [["Đơn vị báo cáo:", "CĐCS Công ty Cổ phần X"], ["Mã số thuế: " + TAX], ["Quý III/2023"],
            ["Nội dung", "Số lượng"], ["Tổng số lao động", 10], ["Tổng số đoàn viên", 5]]
    assert read(rows)[2].record["enterprise_name"] == "Công ty Cổ phần X"


@pytest.mark.parametrize(("omit", "named"), [
    (("tax_code",), "Mã số thuế"), (("period",), "Kỳ báo cáo"), (("workers_total",), "Tổng số lao động"),
    (("members_total",), "Tổng số đoàn viên"), (("tax_code", "members_total"), "Mã số thuế, Tổng số đoàn viên"),
])
def test_what_is_missing_is_named(omit, named):
    sheet = vertical_sheet(TAX, "QUÝ III/2023", dict.fromkeys(REPORT_COUNTS, 1), name="X", omit=omit)
    with pytest.raises(SheetRejected) as rejected:
        locate_header("union_reports", numbered(sheet.rows))
    assert rejected.value.detail_vi == f"biểu dọc thiếu {named}"


def _ingest_one(tmp_path, rows):
    write_csv(tmp_path / "inbox/union_reports/bieu.csv", rows, "utf-8", ",")
    ingest_inbox(tmp_path / "inbox", tmp_path / "w.duckdb", tmp_path / "archive", "r", today=TODAY)
    return duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)


def test_a_blank_required_value_is_f009_on_its_own_row(tmp_path):
    values = dict.fromkeys(REPORT_COUNTS, 2) | {"members_total": "-"}
    sheet = vertical_sheet(TAX, "QUÝ III/2023", values, name="X", submitted="05/10/2023")
    with _ingest_one(tmp_path, sheet.rows) as con:
        assert con.execute("select rule_id, source_row from audit.ingest_findings").fetchall() == [
            ("F009", sheet.value_rows["members_total"])]
        assert con.execute("select source_row, rule_id from audit.quarantine").fetchall() == [
            (sheet.value_rows["workers_total"], "F009")]


def test_rules_name_the_rows_of_their_values(tmp_path):
    """L001 on members_total's row, L003 on the core-cell row, L008 on the date's title line, E001
    on the tax code's title line: every rule of a wide sheet, at the value's own row."""
    values = dict.fromkeys(REPORT_COUNTS, 2) | {"members_total": 9, "admitted_via_core_cell": 3}
    sheet = vertical_sheet("0201000018", "QUÝ III/2023", values, name="X", submitted="05/06/2023")
    with _ingest_one(tmp_path, sheet.rows) as con:
        found = con.execute("select rule_id, source_row from audit.ingest_findings order by 1").fetchall()
        shown = con.execute("select raw_values from audit.quarantine").fetchone()[0]
        kept = con.execute("select raw_values from raw.quarantine_personal").fetchone()[0]
    rows = sheet.value_rows
    assert found == [("E001", rows["tax_code"]), ("L001", rows["members_total"]),
                     ("L003", rows["admitted_via_core_cell"]), ("L008", rows["submitted_on"])]
    # An indicator the warehouse does not use is kept whole in raw; the audit copy shows only
    # allow-listed columns (docs/reliability.md), so an unknown one is redacted there.
    unused = "Thu nhập bình quân (triệu đồng/tháng)"
    assert json.loads(kept)[unused] == UNUSED_VALUES[unused]
    assert json.loads(shown)[unused] == "<redacted>"


def test_unused_indicators_are_kept_in_raw(tmp_path):
    sheet = vertical_sheet(TAX, "QUÝ III/2023", dict.fromkeys(REPORT_COUNTS, 2), name="X", submitted="05/10/2023")
    with _ingest_one(tmp_path, sheet.rows) as con:
        (extra,) = con.execute("select extra_columns from raw.union_reports").fetchone()
    assert json.loads(extra) == {"Tổng số lao động / Trong đó: lao động nước ngoài": "3",
                                 "Thu nhập bình quân (triệu đồng/tháng)": "8,5", "Số vụ tranh chấp lao động": "0"}


# --- recognising the layout ------------------------------------------------------------------

WIDE_FIXTURES = sorted(p for p in (FIXTURES / "inbox/union_reports").rglob("*")
                       if p.suffix in (".csv", ".xlsx", ".xls") and p.stat().st_size > 0
                       and not p.name.startswith(("~$", ".", "co_mat_khau", "thieu_cot")))
VERTICAL_FIXTURES = sorted((FIXTURES / "forms_inbox/union_reports").glob("bieu_doc_*"))


@pytest.mark.parametrize("path", WIDE_FIXTURES, ids=lambda p: p.name)
def test_a_wide_sheet_is_never_read_as_a_vertical_form(path):
    assert locate_header("union_reports", read_rows(path))[0].form == "wide"


@pytest.mark.parametrize("path", [p for p in VERTICAL_FIXTURES if "thieu" not in p.name], ids=lambda p: p.name)
def test_a_vertical_form_is_never_read_as_a_wide_sheet(path):
    assert locate_header("union_reports", read_rows(path))[0].form == "vertical_form"


def test_title_lines_holding_known_labels_and_values_are_not_a_wide_header():
    rows = [["Mã số thuế:", TAX, "Kỳ báo cáo:", "Quý III/2023"], ["Ngày báo cáo:", "05/10/2023", "Lần nộp:", 1],
            ["TT", "Nội dung", "ĐVT", "Số lượng"], ["1", "Tổng số lao động", "người", 10],
            ["2", "Tổng số đoàn viên", "người", 5]]
    layout, _, parsed = read(rows)
    assert layout.form == "vertical_form"
    assert parsed.record["revision"] == 1


@pytest.mark.parametrize(("rows", "says"), [
    ([["Danh sách"], ["Họ tên", "Chức vụ"], ["A", "B"]], "cũng không có biểu dọc"),
    ([["Mã số thuế: " + TAX], ["Nội dung", "Ghi chú"], ["Tổng số lao động", ""]], "thiếu cột «Số lượng»"),
    ([["Mã số thuế: " + TAX], ["TT", "Số lượng"], ["1", 10]], "thiếu cột «Nội dung»"),
])
def test_a_sheet_in_neither_layout_says_what_was_looked_for(rows, says):
    with pytest.raises(NoHeader) as missing:
        locate_header("union_reports", numbered(rows))
    assert says in missing.value.args[0]


def test_other_kinds_are_never_vertical_forms():
    rows = [["Chỉ tiêu", "Giá trị", "Ngày số liệu"], ["workers", "156915", "2022-09-30"]]
    layout, _ = locate_header("control_totals", numbered(rows))
    assert layout.form == "wide"
    assert layout.columns == {0: "metric", 1: "value", 2: "as_of"}


@pytest.mark.parametrize(("changes", "rule", "at"), [
    ({"period_line": "Quý 5/2023"}, "F003", "period"),
    ({"submitted": "31/02/2023"}, "F005", "submitted_on"),
    ({"submitted": "05/10/2024"}, "L008", "submitted_on"),
])
def test_title_values_that_cannot_be_read_name_their_line(tmp_path, changes, rule, at):
    sheet = vertical_sheet(TAX, "QUÝ III/2023", dict.fromkeys(REPORT_COUNTS, 2), name="X",
                           **{"submitted": "05/10/2023", **changes})
    with _ingest_one(tmp_path, sheet.rows) as con:
        assert con.execute("select rule_id, source_row from audit.ingest_findings").fetchall() == [
            (rule, sheet.value_rows[at])]


def test_a_label_merged_from_the_numbering_column_is_found():
    """`TT` and `Nội dung` merged over a row: Excel keeps the label in the `TT` cell."""
    rows = [["Mã số thuế: " + TAX], ["Quý III/2023"], ["TT", "Nội dung", "Số lượng"],
            ["1. Tổng số lao động", "", 10], ["", "Tổng số đoàn viên", 5]]
    _, event, parsed = read(rows)
    assert (parsed.record["workers_total"], parsed.record["members_total"], event.source_row) == (10, 5, 4)


def test_a_sheet_of_thousands_of_indicator_rows_is_refused_not_held():
    from pipelines.ingest.vertical import MAX_INDICATOR_ROWS

    rows = [["Mã số thuế: " + TAX], ["Quý III/2023"], ["Nội dung", "Số lượng"],
            ["Tổng số lao động", 10], ["Tổng số đoàn viên", 5]]
    rows += [[f"Chỉ tiêu {i}", i] for i in range(MAX_INDICATOR_ROWS)]
    with pytest.raises(SheetRejected) as rejected:
        locate_header("union_reports", numbered(rows))
    assert rejected.value.subject == "too_many_indicators"
