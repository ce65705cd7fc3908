"""Keep dbt's test verdicts in the warehouse, where the publish gate can read them.

Dagster shows dbt tests as asset checks, but a run with failed checks still ends in
SUCCESS; the gate and the auditor report need the verdicts as data, per run.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from pipelines.lib.audit import ensure_audit_schema
from pipelines.lib.warehouse_connection import connect_warehouse


def test_rows(run_id: str, run_results: Mapping[str, Any], manifest: Mapping[str, Any]) -> list[tuple]:
    nodes = manifest.get("nodes", {})
    checked_at = datetime.now(UTC).replace(tzinfo=None)
    rows = []
    for result in run_results.get("results", []):
        unique_id = result["unique_id"]
        if not unique_id.startswith(("test.", "unit_test.")):
            continue
        node = nodes.get(unique_id) or manifest.get("unit_tests", {}).get(unique_id, {})
        attached = node.get("attached_node") or next(iter(node.get("depends_on", {}).get("nodes", [])), None)
        attached_schema = nodes.get(attached, {}).get("schema") if attached else None
        rows.append((
            run_id, unique_id, node.get("name", unique_id), attached, attached_schema,
            result["status"], result.get("failures"), result.get("message"), checked_at,
        ))
    return rows


def record_test_results(warehouse_db: Path, run_id: str, run_results: Mapping[str, Any],
                        manifest: Mapping[str, Any]) -> int:
    rows = test_rows(run_id, run_results, manifest)
    with connect_warehouse(warehouse_db) as con:
        ensure_audit_schema(con)
        if rows:
            # Only this invocation's tests: a run has two dbt steps (quarter-shaped and the rest).
            con.executemany("delete from audit.dbt_test_results where run_id = ? and unique_id = ?",
                            [(run_id, row[1]) for row in rows])
            con.executemany("insert into audit.dbt_test_results values (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return len(rows)


def carry_test_results(con: duckdb.DuckDBPyConnection, from_run: str, to_run: str) -> int:
    """A step that skipped its rebuild keeps its last verdicts: they are copied to this run.

    Tests another step already recorded in this run are left alone, so a step that skips
    never overwrites the fresh verdicts of one that built.
    """
    ensure_audit_schema(con)
    before = con.execute("select count(*) from audit.dbt_test_results where run_id = ?", [to_run]).fetchone()[0]
    con.execute("""
        insert into audit.dbt_test_results by name
        select * replace (? as run_id) from audit.dbt_test_results
        where run_id = ? and unique_id not in (select unique_id from audit.dbt_test_results where run_id = ?)
    """, [to_run, from_run, to_run])
    return con.execute("select count(*) from audit.dbt_test_results where run_id = ?", [to_run]).fetchone()[0] - before
