"""`inbox_quarters`: which quarters the inbox's new files can change, read before a run starts."""

from __future__ import annotations

import duckdb

from pipelines.ingest.inbox_scan import inbox_quarters
from pipelines.ingest.inventory import sha256_of
from pipelines.ingest.store import ensure_schema
from tests.rules.inbox import REPORT_HEADER


def _report(inbox, name: str, period: str, tax_code: str = "0200000001"):
    path = inbox / "union_reports" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    row = [period, tax_code, "Công ty A", "100", "40", "90", "30", "2", "1", "3", "0", "0", "0", "2022-07-05", "1"]
    path.write_text(",".join(REPORT_HEADER) + "\n" + ",".join(row) + "\n", encoding="utf-8")
    return path


def _warehouse_with(db, inbox, loaded: dict[str, str]):
    """A warehouse that loaded each inbox file (path → its period) in run r1."""
    with duckdb.connect(str(db)) as con:
        ensure_schema(con)
        for source_file, period in loaded.items():
            sha = sha256_of(inbox / source_file)
            con.execute("insert into audit.file_manifest (run_id, source_file, sha256, status) "
                        "values ('r1', ?, ?, 'loaded')", [source_file, sha])
            con.execute("insert into raw.union_reports (period, tax_code, source_file, sha256) values (?, ?, ?, ?)",
                        [period, "0200000001", source_file, sha])


def test_a_new_quarter_file_changes_its_quarter_only(tmp_path):
    inbox, db = tmp_path / "inbox", tmp_path / "warehouse.duckdb"
    _report(inbox, "q1.csv", "2022-Q1")
    _warehouse_with(db, inbox, {"union_reports/q1.csv": "2022-Q1"})
    _report(inbox, "q2.csv", "2022-Q2")
    look = inbox_quarters(inbox, db)
    assert look.covered == {"2022-Q1", "2022-Q2"}
    assert look.changed == {"2022-Q2"}
    assert look.only_reports_new


def test_a_new_version_of_a_path_also_changes_the_quarters_its_old_version_loaded(tmp_path):
    inbox, db = tmp_path / "inbox", tmp_path / "warehouse.duckdb"
    _report(inbox, "bc.csv", "2022-Q1")
    _warehouse_with(db, inbox, {"union_reports/bc.csv": "2022-Q1"})
    _report(inbox, "bc.csv", "2022-Q2")  # the union corrected the period: Q1's rows are superseded
    assert inbox_quarters(inbox, db).changed == {"2022-Q1", "2022-Q2"}


def test_a_new_register_file_is_news_of_another_kind(tmp_path):
    inbox, db = tmp_path / "inbox", tmp_path / "warehouse.duckdb"
    _report(inbox, "q1.csv", "2022-Q1")
    _warehouse_with(db, inbox, {"union_reports/q1.csv": "2022-Q1"})
    assert inbox_quarters(inbox, db).only_reports_new  # nothing new at all
    (inbox / "enterprises").mkdir()
    (inbox / "enterprises" / "dn.csv").write_text("ma_so_thue\n0200000001\n", encoding="utf-8")
    look = inbox_quarters(inbox, db)
    assert not look.only_reports_new
    assert look.changed == set() and look.covered == {"2022-Q1"}
