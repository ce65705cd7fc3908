"""`uw run` on tests/fixtures/inbox: one small file per variation of inbound-reports.md.

One real run (the CLI in a child process); then exact figures: rows loaded per kind,
every quarantined row with its rule and Excel row, the manifest's accounting, the
findings each file was written to provoke, and the archive. See
tests/fixtures/make_fixture_inbox.py for what each file is.
"""

from __future__ import annotations

import hashlib
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from tests.conftest import run_uw
from tests.fixtures.fixture_data import BRANCH, CANDIDATES, ENTERPRISES, PARTY_ORGS, UNREGISTERED, T, report_figures

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("fixture_inbox")]

FIXTURE_INBOX = Path(__file__).resolve().parent.parent / "fixtures" / "inbox"
Q3 = "union_reports/2022/Q3/"

LOADED_PER_KIND = {"enterprises": 10, "union_reports": 13, "party_orgs": 7, "candidates": 7, "control_totals": 2}
QUARANTINED = [
    ("candidates/ds_qcut_bo_sung.csv", 3, "E008"),
    ("enterprises/danh_muc_DN_2022_09.xlsx", 10, "F010"),
    ("party_orgs/2022/to_chuc_dang_2022.xls", 4, "F010"),
    (Q3 + "bao_cao_dn_moi.csv", 2, "E002"),  # rejected in the warehouse (dbt), quarantined all the same
    (Q3 + "loi_gia_tri.csv", 2, "F003"),
    (Q3 + "loi_gia_tri.csv", 3, "F004"),
    (Q3 + "loi_gia_tri.csv", 4, "F005"),
    (Q3 + "loi_gia_tri.csv", 5, "F009"),
    (Q3 + "loi_gia_tri.csv", 6, "E001"),
]
FILE_STATUS = {
    "doc_truoc.txt": "skipped", Q3 + ".bao_cao_an.csv": "skipped", Q3 + "cong_van_kem_theo.pdf": "skipped",
    Q3 + "~$bao_cao_tong_hop_Q3.xlsx": "skipped", "union_reports/huong_dan.docx": "skipped",
    Q3 + "co_mat_khau.xlsx": "quarantined", Q3 + "co_mat_khau_cu.xls": "quarantined",
    Q3 + "rong.xlsx": "quarantined", Q3 + "thieu_cot.csv": "quarantined",
    Q3 + "tong_hop_gui_lai.xlsx": "duplicate",
}
FILE_FINDINGS = [
    ("F001", Q3 + "co_mat_khau.xlsx"), ("F001", Q3 + "co_mat_khau_cu.xls"), ("F001", Q3 + "rong.xlsx"),
    ("F002", Q3 + "thieu_cot.csv"), ("F006", Q3 + "tong_hop_gui_lai.xlsx"),
]
ROW_FINDINGS = [
    ("E002", Q3 + "bao_cao_dn_moi.csv", 2),
    ("F007", "candidates/ds_qcut_2022.xlsx", 4),
    ("F007", "candidates/ds_qcut_bo_sung.csv", 2),
    ("F007", "enterprises/danh_muc_DN_2022_09.xlsx", 6),
    ("F007", Q3 + "bao_cao_tong_hop_Q3.xlsx", 6),
    ("F007", Q3 + "bao_cao_utf8.csv", 3),
    ("F008", "union_reports/2022/Q2/tong_hop_Q2.xlsx", 8),
]


@pytest.fixture(scope="module")
def fixture_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("fixture_inbox")
    inbox = root / "inbox"
    shutil.copytree(FIXTURE_INBOX, inbox)
    result = run_uw("run", "--inbox", str(inbox), "--warehouse", str(root / "warehouse"))
    con = duckdb.connect(str(root / "warehouse" / "warehouse.duckdb"), read_only=True)
    yield inbox, root / "warehouse", result, con
    con.close()


def rows(con, sql: str, params=None) -> list[tuple]:
    return con.execute(sql, params or []).fetchall()


def test_run_exits_zero_and_control_totals_reconcile(fixture_run):
    _, _, result, con = fixture_run
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "gate:       passed" in result.stdout
    assert rows(con, "select count(*) from raw.control_totals") == [(2,)]
    assert rows(con, "select count(*) from audit.dq_findings where rule_id = 'C001'") == [(0,)]


def test_rows_loaded_per_kind(fixture_run):
    _, _, _, con = fixture_run
    loaded = {kind: rows(con, f"select count(*) from raw.{kind}")[0][0] for kind in LOADED_PER_KIND}
    assert loaded == LOADED_PER_KIND


def test_quarantined_rows_with_rule_and_excel_row(fixture_run):
    _, _, _, con = fixture_run
    assert rows(con, "select source_file, source_row, rule_id from audit.quarantine order by 1, 2") == QUARANTINED
    (raw_values,) = rows(con, "select raw_values from audit.quarantine where rule_id = 'F004'")[0]
    assert '"Tổng số CNLĐ": "12a"' in raw_values


def test_manifest_accounting_and_statuses(fixture_run):
    inbox, _, _, con = fixture_run
    manifest = {f: (s, r, lo, q) for f, s, r, lo, q in rows(
        con, "select source_file, status, rows_read, rows_loaded, rows_quarantined from audit.file_manifest")}
    every_file = {p.relative_to(inbox).as_posix() for p in inbox.rglob("*") if p.is_file()}
    assert set(manifest) == every_file
    for name, status in FILE_STATUS.items():
        assert manifest[name][0] == status, name
    loaded = {f: v for f, v in manifest.items() if v[0] == "loaded"}
    assert len(loaded) == 19
    assert all(read == ok + bad for _, read, ok, bad in loaded.values())
    # raw keeps every row read; a row a warehouse rule rejects counts as quarantined, not loaded
    rejected_in_warehouse = [q for q in QUARANTINED if q[2] in ("E002", "E004", "E009", "E010")]
    assert sum(v[2] for v in loaded.values()) == sum(LOADED_PER_KIND.values()) - len(rejected_in_warehouse)
    assert sum(v[3] for v in loaded.values()) == len(QUARANTINED)
    # title block, header, numbering row, blank middle row, totals row and footer are not rows
    assert manifest[Q3 + "bao_cao_tong_hop_Q3.xlsx"] == ("loaded", 3, 3, 0)
    assert manifest["enterprises/danh_muc_DN_2022_09.xlsx"] == ("loaded", 4, 3, 1)


def test_each_file_gets_the_finding_it_was_written_for(fixture_run):
    _, _, _, con = fixture_run
    found = rows(con, "select rule_id, source_file, source_row from audit.dq_findings_current "
                      "where rule_id like 'F%' or rule_id in ('E001', 'E002', 'E008')")
    file_level = sorted((r, f) for r, f, row in found if row is None)
    assert file_level == sorted(FILE_FINDINGS)
    row_level = sorted((r, f, row) for r, f, row in found if row is not None)
    # a quarantined row's rule is also a row finding (E002 is in both lists: found in dbt, quarantined)
    assert row_level == sorted(set(ROW_FINDINGS) | {(rule, f, row) for f, row, rule in QUARANTINED})
    e002 = rows(con, "select tax_code, period from audit.dq_findings_current where rule_id = 'E002'")
    assert e002 == [(UNREGISTERED, "2022-Q3")]
    # the figures are consistent, so no entity, logic, cross-source or anomaly rule fires
    others = rows(con, "select distinct rule_id from audit.dq_findings_current "
                       "where rule_id not like 'F%' and rule_id not in ('E001', 'E002', 'E008')")
    assert others == []


def test_values_read_in_every_spelling(fixture_run):
    _, _, _, con = fixture_run
    enterprises = dict((code, (zone, owner, status, eligible, founded)) for code, zone, owner, status, eligible,
                       founded in rows(con, "select tax_code, zone_code, ownership, operating_status, "
                                            "union_eligible, union_founded_on from raw.enterprises"))
    expected = {e[0]: (e[3], e[5], e[7], e[9], e[10]) for e in ENTERPRISES if e[3] is not None}
    assert enterprises == expected
    assert BRANCH in enterprises
    assert rows(con, "select distinct snapshot_as_of from raw.enterprises") == [(date(2022, 9, 30),)]
    reports = rows(con, "select tax_code, period, workers_total, workers_female, members_total, members_female, "
                        "members_joined, members_left, party_members, candidates_introduced, candidates_admitted, "
                        "admitted_via_core_cell from raw.union_reports where tax_code <> ?", [UNREGISTERED])
    assert len(reports) == 12
    for tax_code, period, *figures in reports:
        assert tuple(figures) == tuple(report_figures(tax_code, period).values()), (tax_code, period)
    names = rows(con, "select enterprise_name from raw.union_reports where tax_code = ? and period = '2022-Q2'",
                 [T[1]])
    assert names == [("Công ty Cổ phần Cảng Tràng Duệ",)]  # written NFD, stored NFC
    orgs = dict(rows(con, "select org_code, org_type from raw.party_orgs"))
    assert orgs == {o[0]: o[3] for o in PARTY_ORGS}
    people = dict(rows(con, "select citizen_id, gender from raw.candidates"))
    assert people == {c[0]: c[4] for c in CANDIDATES}


def test_archive_holds_each_parsed_file_by_sha256(fixture_run):
    inbox, warehouse, _, con = fixture_run
    parsed = rows(con, "select source_file, sha256 from audit.file_manifest where status in ('loaded', 'quarantined')")
    assert len(parsed) == 23
    archived = {p.name for p in (warehouse / "archive").rglob("*") if p.is_file()}
    assert len(archived) == len(parsed)
    for source_file, sha in parsed:
        digest = hashlib.sha256((inbox / source_file).read_bytes()).hexdigest()
        assert digest == sha
        assert f"{sha}{Path(source_file).suffix.lower()}" in archived
