"""One owner of the audit schema: every audit table is created once, in pipelines/lib/audit.py."""

import re
from collections import Counter

import duckdb

from pipelines.lib.audit import AUDIT_DDL, ensure_audit_schema
from tests.conftest import REPO_ROOT

CREATE = re.compile(r"create\s+(?:or\s+replace\s+)?table\s+(?:if\s+not\s+exists\s+)?audit\.(\w+)", re.IGNORECASE)


def _python_sources() -> dict[str, str]:
    return {str(p.relative_to(REPO_ROOT)): p.read_text(encoding="utf-8")
            for p in (REPO_ROOT / "pipelines").rglob("*.py")}


def test_each_audit_table_is_created_once_and_only_by_its_owner():
    created = Counter()
    where = set()
    for path, text in _python_sources().items():
        for name in CREATE.findall(text):
            created[name] += 1
            where.add(path)
    assert created and all(count == 1 for count in created.values()), created
    # the serving copy stamps its own publication tables inside serving.duckdb
    assert where <= {"pipelines/lib/audit.py", "pipelines/publish/serving.py"}
    assert {"file_manifest", "quarantine", "dq_findings", "finding_lifecycle", "runs"} <= set(created)


def test_no_hand_kept_rule_list_and_no_marker_in_stored_values():
    text = "".join(_python_sources().values())
    assert "INGEST_RULES" not in text
    assert '"gx:' not in text and "'gx:" not in text


def test_an_older_warehouse_is_brought_up_to_date():
    con = duckdb.connect()
    con.execute("create schema audit")
    con.execute("create table audit.dq_findings (run_id varchar, rule_id varchar, severity varchar, "
                "tax_code varchar, period varchar, source_file varchar, source_row integer, message_vi varchar, "
                "message_en varchar, observed varchar, expected varchar, detected_at timestamp, finding_key varchar)")
    con.execute("create view audit.finding_lifecycle as select finding_key from audit.dq_findings")
    ensure_audit_schema(con)
    ensure_audit_schema(con)  # idempotent
    kinds = dict(con.execute("select table_name, table_type from information_schema.tables "
                             "where table_schema = 'audit'").fetchall())
    assert kinds["finding_lifecycle"] == "BASE TABLE" and kinds["dq_findings_current"] == "VIEW"
    columns = {c for (c,) in con.execute("select column_name from information_schema.columns "
                                         "where table_name = 'dq_findings'").fetchall()}
    assert "origin" in columns and len(AUDIT_DDL) == len(kinds) - 1


def test_a_warehouse_missing_only_one_added_column_still_gains_it():
    """The one-query check of an up-to-date schema must not miss a single absent column."""
    con = duckdb.connect()
    ensure_audit_schema(con)
    con.execute("drop view audit.dq_findings_current")
    con.execute("alter table audit.build_log drop column code_version")
    ensure_audit_schema(con)
    columns = {c for (c,) in con.execute("select column_name from duckdb_columns() "
                                         "where schema_name = 'audit' and table_name = 'build_log'").fetchall()}
    assert "code_version" in columns
    assert con.execute("select count(*) from duckdb_views() where view_name = 'dq_findings_current'").fetchone()[0] == 1


def test_a_missing_audit_table_is_created_again():
    con = duckdb.connect()
    ensure_audit_schema(con)
    con.execute("drop table audit.gate_verdicts")
    ensure_audit_schema(con)
    assert con.execute("select count(*) from duckdb_tables() where schema_name = 'audit' "
                       "and table_name = 'gate_verdicts'").fetchone()[0] == 1
