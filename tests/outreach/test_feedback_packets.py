"""Feedback packets from a stub warehouse: who gets what, in which order and words, and that
inbox text can never become a live formula (in the workbook or in the summary CSV)."""

from __future__ import annotations

import csv
from datetime import date

import duckdb
import openpyxl
import pytest

from pipelines.lib.rule_catalogue import rule
from pipelines.outreach.feedback import OFFICE_FILE, SUMMARY_CSV, write_feedback
from pipelines.outreach.feedback_rows import column_of
from pipelines.outreach.feedback_writer import HEADER_ROW
from tests.outreach.warehouse_stub import make_warehouse

A, B, C = "0201000017", "0201000024", "0201000031"
REGISTRY = [{"tax_code": A, "enterprise_name": "Công ty An"},
            {"tax_code": B, "enterprise_name": "+Công ty Bình"},
            {"tax_code": C, "enterprise_name": "Công ty Cường"}]
FINDINGS = [
    {"finding_key": "a-warn", "rule_id": "E006", "severity": "warning", "tax_code": A, "period": "2022-Q3",
     "message_vi": "Không có báo cáo", "message_en": "No report"},
    {"finding_key": "a-err", "rule_id": "F004", "severity": "error", "tax_code": A, "period": "2022-Q3",
     "source_file": "union_reports/a.xlsx", "source_row": 7, "observed": "-3",
     "message_vi": "Giá trị không phải số (tệp a.xlsx, dòng 7, cột «Lao động nữ»)",
     "message_en": "Not a count (file a.xlsx, row 7, column «Lao động nữ»)"},
    {"finding_key": "b-warn", "rule_id": "E003", "severity": "warning", "tax_code": B, "period": "2022-Q3",
     "source_file": "@union_reports/b.csv", "source_row": 2, "observed": '=HYPERLINK("http://x.invalid","y")'},
    {"finding_key": "c-info", "rule_id": "E005", "severity": "info", "tax_code": C, "period": "2022-Q3"},
    {"finding_key": "office-1", "rule_id": "F001", "severity": "error", "source_file": "union_reports/hong.xlsx"},
    {"finding_key": "office-2", "rule_id": "E001", "severity": "error", "tax_code": "0201000018",
     "source_file": "union_reports/x.csv", "source_row": 3},
]


def packet_rows(path) -> list[dict]:
    sheet = openpyxl.load_workbook(path).active
    rows = list(sheet.iter_rows(min_row=HEADER_ROW + 1))
    headers = [c.value.split("\n")[1] for c in rows[0]]
    return [dict(zip(headers, row, strict=True)) for row in rows[1:]]


@pytest.fixture()
def written(tmp_path):
    db = make_warehouse(tmp_path / "w.duckdb", REGISTRY, findings=FINDINGS)
    out = tmp_path / "feedback"
    out.mkdir()
    (out / "0201000999_Old_phieu_phan_hoi.xlsx").write_bytes(b"stale")  # an enterprise since corrected
    (out / "ghi_chu.txt").write_text("office notes")
    return write_feedback(db, out, prepared_on=date(2022, 10, 12)), out


def test_one_packet_per_enterprise_with_error_or_warning_plus_office(written):
    run, out = written
    assert sorted(p.name for p in out.glob("*.xlsx")) == sorted(
        [OFFICE_FILE, f"{A}_Cong_ty_An_phieu_phan_hoi.xlsx", f"{B}_Cong_ty_Binh_phieu_phan_hoi.xlsx"])
    assert (out / "ghi_chu.txt").exists()
    assert (run.enterprise_packets, run.office_packet, run.findings) == (2, True, 5)


def test_packet_lists_exactly_its_findings_errors_first_with_catalogue_words(written):
    _, out = written
    rows = packet_rows(out / f"{A}_Cong_ty_An_phieu_phan_hoi.xlsx")
    assert [r["Finding key"].value for r in rows] == ["a-err", "a-warn"]
    first = rows[0]
    assert first["Severity"].value.startswith("Lỗi")
    assert first["Column"].value == "Lao động nữ" and first["Row"].value == 7
    assert first["Quarter"].value == "Quý III/2022 (2022-Q3)"
    f004 = rule("F004")
    assert (first["Rule meaning"].value, first["Rule meaning (English)"].value) == (f004.meaning_vi, f004.meaning_en)
    assert (first["What to do"].value, first["What to do (English)"].value) == (f004.action_vi, f004.action_en)
    office = packet_rows(out / OFFICE_FILE)
    assert {r["Finding key"].value for r in office} == {"office-1", "office-2"}


def test_inbox_text_is_text_never_a_formula(written):
    _, out = written
    for path in out.glob("*.xlsx"):
        for sheet in openpyxl.load_workbook(path):
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (path.name, cell.coordinate)
                    if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                        assert cell.quotePrefix, (path.name, cell.coordinate, cell.value)
    rows = packet_rows(out / f"{B}_Cong_ty_Binh_phieu_phan_hoi.xlsx")
    assert rows[0]["What was read"].value == '=HYPERLINK("http://x.invalid","y")'
    assert rows[0]["File"].value == "@union_reports/b.csv"


def test_summary_csv_one_row_per_packet_with_counts_by_severity(written):
    _, out = written
    with (out / SUMMARY_CSV).open(encoding="utf-8-sig", newline="") as handle:
        rows = {r["file_name"]: r for r in csv.DictReader(handle)}
    assert set(rows) == {p.name for p in out.glob("*.xlsx")}
    a = rows[f"{A}_Cong_ty_An_phieu_phan_hoi.xlsx"]
    assert (a["tax_code"], a["enterprise_name"], a["error"], a["warning"]) == (A, "Công ty An", "1", "1")
    assert rows[f"{B}_Cong_ty_Binh_phieu_phan_hoi.xlsx"]["enterprise_name"] == "'+Công ty Bình"
    assert (rows[OFFICE_FILE]["tax_code"], rows[OFFICE_FILE]["error"]) == ("", "2")


def test_no_open_finding_writes_only_an_empty_summary(tmp_path):
    db = make_warehouse(tmp_path / "w.duckdb", REGISTRY, findings=[FINDINGS[3]])
    run = write_feedback(db, tmp_path / "out")
    assert run.enterprise_packets == 0 and not run.office_packet
    assert (tmp_path / "out" / SUMMARY_CSV).read_text(encoding="utf-8-sig").splitlines() == [
        "tax_code,enterprise_name,error,warning,file_name"]


@pytest.mark.parametrize(("finding", "column"), [
    ({"message_vi": "x (tệp a, dòng 2, cột «MST»)"}, "MST"),
    ({"message_vi": "không có cột", "message_en": "y (column «Tổng số lao động (người)»)"}, "Tổng số lao động (người)"),
    ({"message_vi": None, "message_en": None}, ""),
])
def test_column_is_read_from_the_message(finding, column):
    assert column_of(finding) == column


def test_without_a_registry_every_finding_goes_to_the_office(tmp_path):
    db = make_warehouse(tmp_path / "w.duckdb", [], findings=FINDINGS)
    with duckdb.connect(str(db)) as con:
        con.execute("drop table marts.dim_enterprise")
    run = write_feedback(db, tmp_path / "out")
    assert (run.enterprise_packets, run.office_packet, run.findings) == (0, True, 5)
