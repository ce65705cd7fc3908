"""The findings workbook streamed from the warehouse is the workbook written from the list.

The report step no longer loads every finding as a dict (~2 GB at scale 400): it streams
them (`WarehouseFindings`). Same cells, same sheets; the warehouse computes the digest that
tells whether the findings changed, and it must change whenever a finding does.
"""

import hashlib
import json

import duckdb
import openpyxl

from pipelines.report.data import WarehouseFindings, load_findings
from pipelines.report.xlsx import _digest, write_findings_xlsx
from tests.report.hostile import RUN_ID, build_hostile_warehouse


def _cells(path):
    book = openpyxl.load_workbook(path, read_only=True)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def test_streamed_workbook_equals_the_listed_one(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    build_hostile_warehouse(warehouse)
    listed, streamed = tmp_path / "listed" / "dq_findings.xlsx", tmp_path / "streamed" / "dq_findings.xlsx"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        findings = load_findings(con)
        from_list = write_findings_xlsx(findings, listed, run_id=RUN_ID)
        from_warehouse = write_findings_xlsx(WarehouseFindings(con), streamed, run_id=RUN_ID)

    assert from_warehouse == from_list and sum(from_list.values()) == len(findings) > 3
    cells = _cells(streamed)
    assert cells == _cells(listed) and sum(len(rows) - 1 for rows in cells.values()) == len(findings)


def test_the_warehouse_digest_follows_every_change_to_a_finding(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    build_hostile_warehouse(warehouse)
    target = tmp_path / "reports" / "dq_findings.xlsx"
    with duckdb.connect(str(warehouse)) as con:
        first = WarehouseFindings(con).digest()
        assert WarehouseFindings(con).digest() == first
        write_findings_xlsx(WarehouseFindings(con), target, run_id=RUN_ID)
        written = target.stat().st_mtime_ns
        write_findings_xlsx(WarehouseFindings(con), target, run_id="again")
        assert target.stat().st_mtime_ns == written  # unchanged: left in place
        seen = set()
        for change in ("update marts.dim_enterprise set enterprise_name = enterprise_name || ' (mới)'",
                       "update audit.dq_findings set message_en = message_en || '.' where rule_id = 'L001'",
                       "delete from audit.dq_findings where rule_id = 'F006'"):
            con.execute(change)
            digest = WarehouseFindings(con).digest()
            assert digest not in seen | {first}, change
            seen.add(digest)
        write_findings_xlsx(WarehouseFindings(con), target, run_id="changed")
        assert target.stat().st_mtime_ns != written
    assert sum(len(rows) - 1 for rows in _cells(target).values()) == 8 - 1


def test_the_listed_digest_is_the_one_of_the_whole_json_list():
    """Hashed item by item, but equal to the one-string digest."""
    findings = [{"finding_key": "b", "source_row": 4, "message_vi": "thay thế"},
                {"finding_key": "a", "open_since": None, "rule_id": "E005"}]
    whole = hashlib.sha256(json.dumps(findings, sort_keys=True, default=str).encode()).hexdigest()
    assert _digest(iter(findings)) == whole
    assert _digest([]) == hashlib.sha256(b"[]").hexdigest()


def test_rows_are_not_held_in_memory_until_the_end(tmp_path):
    """constant_memory mode: in-line strings (no shared-string table kept to the end), no temp files left."""
    import zipfile

    target = tmp_path / "reports" / "dq_findings.xlsx"
    findings = [{"finding_key": f"k{i}", "rule_id": "F007", "severity": "info", "message_en": f"row {i}",
                 "source_row": i} for i in range(50)]
    assert write_findings_xlsx(findings, target) == {"error": 0, "warning": 0, "info": 50}
    with zipfile.ZipFile(target) as archive:
        assert "xl/sharedStrings.xml" not in archive.namelist()
        assert 't="inlineStr"' in archive.read("xl/worksheets/sheet3.xml").decode()
    assert sorted(p.name for p in target.parent.iterdir()) == [".dq_findings.xlsx.sha256", "dq_findings.xlsx"]
    assert [row[10] for row in _cells(target)["Thông tin - info"][1:4]] == ["row 0", "row 1", "row 2"]
