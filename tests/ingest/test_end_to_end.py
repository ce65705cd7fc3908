"""A tiny inbox through `ingest_inbox`: raw rows, quarantine, manifest, findings, rerun."""

from __future__ import annotations

import json
import shutil
from datetime import date

import duckdb
import pytest
import xlsxwriter

from pipelines.ingest import IngestSummary, ingest_inbox
from tests.ingest.cp1258 import encode_cp1258

TODAY = date(2022, 12, 1)
A, B, C, D = "0200000007", "0200000014", "0201234569", "0209876543"  # valid check digits


def write_report_xlsx(path):
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Q3")
    rows = [
        ["BÁO CÁO SỐ LIỆU CÔNG ĐOÀN CƠ SỞ QUÝ III/2022"],
        ["Đơn vị: Công đoàn KCN Đình Vũ"],
        [],
        ["STT", "Kỳ", "Mã số DN", "Tên đơn vị", "Tổng số CNLĐ (người)", "Trong đó nữ (CNLĐ)",
         "Số đoàn viên (*)", "Ghi chú"],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)"],
        [1, "Quý III/2022", 200000007, "Công ty A", 1234, "600", "1.000", ""],          # row 6: F007
        [2, "Q3/2022", B, "Công ty B", "12a", 5, 5, "sai"],                          # row 7: F004
        [],                                                                           # row 8 blank
        [3, "III/2022", C, "Công ty C", 100, 0, 150, ""],                            # row 9: L001
        [4, "2022-Q3", "0201234560", "Công ty D", 10, 0, 5, ""],                     # row 10: E001
        [5, "quý 3 năm 2022", D, "Công ty E", "1 000", "-", 900, "đúng"],           # row 11
        ["Tổng cộng", "", "", "", 2400, 605, 2060, ""],                              # row 12: F008
        [],
        ["", "", "", "", "Hải Phòng, ngày 05/10/2022"],
        ["NGƯỜI LẬP BIỂU", "", "", "", "CHỦ TỊCH CĐCS"],
    ]
    for index, row in enumerate(rows):
        sheet.write_row(index, 0, row)
    book.close()


ENTERPRISE_CSV = (
    "DANH MỤC DOANH NGHIỆP tính đến ngày 30/09/2022\n"
    "Mã số thuế;Tên doanh nghiệp;Khu công nghiệp;Loại hình;Tình trạng hoạt động;"
    "Đủ điều kiện thành lập CĐCS;Ngày thành lập CĐCS;Số điện thoại DN\n"
    f"{A};Công ty TNHH A;KCN Đình Vũ;FDI;Hoạt động ổn định;Có;01/03/2015;0225 123\n"
    f"{B};;Trang Due;Tư nhân;Mới thành lập;Không;;\n"
    f"{C};Công ty C;Khu công nghiệp Tràng Duệ;Nhà nước;Tạm ngừng;x;31/02/2020;\n"
)

ROSTER_CSV = (
    "Số CCCD,Họ và tên,Ngày sinh,Giới tính,MST nơi làm việc,Ngày giới thiệu,Ngày kết nạp\n"
    f"31090123456,Nguyễn Văn An,01/05/1990,Nam,{A},01/02/2022,\n"
    f"031190123456,Trần Văn Bình,01/05/1990,Nam,{A},01/02/2022,\n"
)

CONTROL_YAML = ("- metric: union_rate\n  as_of: 2022-09-30\n  value: 95,2\n  source: bài báo\n"
                "- metric: workers\n  as_of: 2022-09-30\n  value: '156915'\n")


@pytest.fixture()
def inbox(tmp_path):
    root = tmp_path / "inbox"
    for folder in ("union_reports/2022", "enterprises", "candidates", "control_totals"):
        (root / folder).mkdir(parents=True)
    write_report_xlsx(root / "union_reports/2022/q3_dinh_vu.xlsx")
    shutil.copy(root / "union_reports/2022/q3_dinh_vu.xlsx", root / "union_reports/q3_copy.xlsx")
    (root / "union_reports/corrupt.xlsx").write_bytes(b"PK\x03\x04 this is not a workbook")
    (root / "enterprises/danh_muc.csv").write_bytes(encode_cp1258(ENTERPRISE_CSV))
    (root / "candidates/roster.csv").write_text(ROSTER_CSV, encoding="utf-8-sig")
    (root / "candidates/~$roster.xlsx").write_bytes(b"lock")
    (root / "candidates/ghi_chu.pdf").write_bytes(b"%PDF-1.4")
    (root / "control_totals/published.yaml").write_text(CONTROL_YAML, encoding="utf-8")
    (root / "README.txt").write_text("not a kind", encoding="utf-8")
    return root


def run(inbox, tmp_path, run_id: str) -> IngestSummary:
    return ingest_inbox(inbox, tmp_path / "wh" / "warehouse.duckdb", tmp_path / "archive", run_id,
                        today=TODAY)


def query(tmp_path, sql: str):
    con = duckdb.connect(str(tmp_path / "wh" / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_end_to_end(inbox, tmp_path, monkeypatch):
    monkeypatch.setenv("UW_PSEUDONYM_KEY", "test-key")
    summary = run(inbox, tmp_path, "run-1")

    assert (summary.files_seen, summary.files_loaded, summary.files_quarantined, summary.files_duplicate,
            summary.files_skipped) == (9, 4, 1, 1, 3)
    assert summary.kinds_loaded == {"candidates": 1, "control_totals": 2, "enterprises": 1,
                                    "union_reports": 2}
    assert summary.rows_read == summary.rows_loaded + summary.rows_quarantined == 12

    reports = query(tmp_path, "SELECT source_row, tax_code, period, workers_total, workers_female, "
                              "members_total, revision, extra_columns FROM raw.union_reports ORDER BY 1")
    assert reports == [
        (6, A, "2022-Q3", 1234, 600, 1000, 1, json.dumps({"STT": "1", "Ghi chú": ""}, ensure_ascii=False)),
        (11, D, "2022-Q3", 1000, 0, 900, 1, json.dumps({"STT": "5", "Ghi chú": "đúng"}, ensure_ascii=False)),
    ]
    assert query(tmp_path, "SELECT DISTINCT source_file FROM raw.union_reports") == \
        [("union_reports/2022/q3_dinh_vu.xlsx",)]

    quarantine = query(tmp_path, "SELECT source_file, source_row, kind, rule_id FROM audit.quarantine "
                                 "ORDER BY 1, 2")
    assert quarantine == [
        ("candidates/roster.csv", 3, "candidates", "E008"),
        ("enterprises/danh_muc.csv", 4, "enterprises", "F009"),
        ("enterprises/danh_muc.csv", 5, "enterprises", "F005"),
        ("union_reports/2022/q3_dinh_vu.xlsx", 7, "union_reports", "F004"),
        ("union_reports/2022/q3_dinh_vu.xlsx", 9, "union_reports", "L001"),
        ("union_reports/2022/q3_dinh_vu.xlsx", 10, "union_reports", "E001"),
    ]
    raw_values = json.loads(query(tmp_path, "SELECT raw_values FROM audit.quarantine "
                                            "WHERE source_row = 7 AND kind = 'union_reports'")[0][0])
    assert raw_values["Tổng số CNLĐ (người)"] == "12a"
    personal = json.loads(query(tmp_path, "SELECT raw_values FROM audit.quarantine "
                                          "WHERE kind = 'candidates'")[0][0])
    assert personal["Số CCCD"] == personal["Họ và tên"] == personal["Ngày sinh"] == "<redacted>"
    kept = json.loads(query(tmp_path, "SELECT raw_values FROM raw.quarantine_personal")[0][0])
    assert kept["Họ và tên"] == "Trần Văn Bình"

    enterprises = query(tmp_path, "SELECT tax_code, enterprise_name, zone_code, ownership, snapshot_as_of, "
                                  "union_founded_on, extra_columns FROM raw.enterprises")
    assert enterprises == [(A, "Công ty TNHH A", "DV", "fdi", date(2022, 9, 30), date(2015, 3, 1),
                            json.dumps({"Số điện thoại DN": "0225 123"}, ensure_ascii=False))]

    candidates = query(tmp_path, "SELECT citizen_id, birth_year, length(candidate_key) FROM raw.candidates")
    assert candidates == [("031090123456", 1990, 64)]
    totals = query(tmp_path, "SELECT metric, value, value_decimals, source FROM raw.control_totals "
                             "ORDER BY 1")
    assert totals == [("union_rate", 95.2, 1, "bài báo"), ("workers", 156915.0, 0, None)]

    manifest = dict(query(tmp_path, "SELECT source_file, status FROM audit.file_manifest"))
    assert manifest == {
        "README.txt": "skipped", "candidates/ghi_chu.pdf": "skipped", "candidates/roster.csv": "loaded",
        "candidates/~$roster.xlsx": "skipped", "control_totals/published.yaml": "loaded",
        "enterprises/danh_muc.csv": "loaded", "union_reports/2022/q3_dinh_vu.xlsx": "loaded",
        "union_reports/corrupt.xlsx": "quarantined", "union_reports/q3_copy.xlsx": "duplicate",
    }
    accounting = query(tmp_path, "SELECT count(*) FROM audit.file_manifest WHERE status = 'loaded' "
                                 "AND rows_read <> rows_loaded + rows_quarantined")
    assert accounting == [(0,)]
    assert query(tmp_path, "SELECT rows_read, rows_loaded, rows_quarantined FROM audit.file_manifest "
                           "WHERE source_file = 'union_reports/2022/q3_dinh_vu.xlsx'") == [(5, 2, 3)]

    findings = query(tmp_path, "SELECT rule_id, source_file, source_row FROM audit.ingest_findings "
                               "ORDER BY 2, 3, 1")
    assert ("F001", "union_reports/corrupt.xlsx", None) in findings
    assert ("F006", "union_reports/q3_copy.xlsx", None) in findings
    assert ("F007", "union_reports/2022/q3_dinh_vu.xlsx", 6) in findings
    assert ("F007", "candidates/roster.csv", 2) in findings
    assert ("F008", "union_reports/2022/q3_dinh_vu.xlsx", 12) in findings
    assert [f for f in findings if f[0] == "F008"] == [("F008", "union_reports/2022/q3_dinh_vu.xlsx", 12)]
    texts = query(tmp_path, "SELECT message_vi || message_en || coalesce(observed, '') "
                            "FROM audit.ingest_findings")
    messages = " ".join(text for (text,) in texts)
    for secret in ("Trần Văn Bình", "031190123456", "31090123456", "1990"):
        assert secret not in messages
    assert summary.findings_by_severity["error"] == 7

    archived = sorted(p.name for p in (tmp_path / "archive").rglob("*") if p.is_file())
    assert len(archived) == 5


COUNTS = ("SELECT (SELECT count(*) FROM raw.union_reports), (SELECT count(*) FROM audit.quarantine), "
          "(SELECT count(*) FROM audit.ingest_findings), (SELECT count(*) FROM raw.enterprises)")


def test_rerun_of_unchanged_inbox_parses_nothing(inbox, tmp_path, monkeypatch):
    run(inbox, tmp_path, "run-1")
    counts_before = query(tmp_path, COUNTS)
    import pipelines.ingest.ingest as ingest_module

    def must_not_parse(*args, **kwargs):
        raise AssertionError("a known file was parsed again")

    monkeypatch.setattr(ingest_module, "load_file", must_not_parse)
    summary = run(inbox, tmp_path, "run-2")
    assert (summary.files_loaded, summary.files_quarantined, summary.files_duplicate, summary.rows_read) == \
        (0, 0, 6, 0)
    assert summary.findings_by_severity == {}
    assert query(tmp_path, COUNTS) == counts_before


def test_same_bytes_under_a_new_name_later_is_f006(inbox, tmp_path):
    run(inbox, tmp_path, "run-1")
    shutil.copy(inbox / "enterprises/danh_muc.csv", inbox / "enterprises/danh_muc (1).csv")
    summary = run(inbox, tmp_path, "run-2")
    assert summary.findings_by_severity == {"info": 1}
    assert query(tmp_path, "SELECT rule_id, source_file FROM audit.ingest_findings WHERE run_id = 'run-2'") == \
        [("F006", "enterprises/danh_muc (1).csv")]


def test_missing_required_column_is_f002(tmp_path):
    inbox = tmp_path / "inbox"
    (inbox / "party_orgs").mkdir(parents=True)
    (inbox / "party_orgs/x.csv").write_text("Mã TCĐ,Tên chi bộ,MST\nCB1,Chi bộ A,\n", encoding="utf-8")
    (inbox / "party_orgs/y.csv").write_text("Họ và tên,Ghi chú\nA,B\n", encoding="utf-8")
    summary = run(inbox, tmp_path, "run-1")
    assert summary.files_quarantined == 2
    findings = query(tmp_path, "SELECT source_file, rule_id, observed FROM audit.ingest_findings ORDER BY 1")
    assert findings == [("party_orgs/x.csv", "F002", "org_type, established_on"),
                        ("party_orgs/y.csv", "F002", None)]
