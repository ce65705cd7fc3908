"""Publish `serving.duckdb` so that a BI tool never sees a half-written warehouse.

The new file is built beside the old one, flushed to disk and renamed over it in one
step. A reader that has the old file open keeps its (unlinked) inode and reads the old
version consistently; the next reader opens the new one. Readers never lock the
working `warehouse.duckdb`, which only the pipeline writes.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import duckdb

AUDIT_TABLES = (
    "dq_findings", "dq_findings_current", "finding_lifecycle", "file_manifest", "quarantine", "runs",
    "dbt_test_results",
)


def _relations(con: duckdb.DuckDBPyConnection, schema: str) -> list[str]:
    return [row[0] for row in con.execute(
        "select table_name from information_schema.tables where table_catalog = 'wh' and table_schema = ? "
        "order by table_name", [schema]
    ).fetchall()]


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def build_serving_copy(warehouse_db: Path, target: Path) -> dict[str, int]:
    """Copy the marts and the audit tables into a new database file; returns rows per table."""
    counts: dict[str, int] = {}
    with duckdb.connect(str(target)) as con:
        con.execute(f"attach '{warehouse_db}' as wh (read_only)")
        for schema, wanted in (("marts", None), ("audit", AUDIT_TABLES)):
            con.execute(f"create schema if not exists {schema}")
            for name in _relations(con, schema):
                if wanted is not None and name not in wanted:
                    continue
                con.execute(f'create table {schema}."{name}" as select * from wh.{schema}."{name}"')
                counts[f"{schema}.{name}"] = con.execute(f'select count(*) from {schema}."{name}"').fetchone()[0]
        con.execute("detach wh")
        con.execute("checkpoint")
    return counts


def publish_serving(warehouse_db: Path, serving_db: Path) -> dict[str, int]:
    serving_db.parent.mkdir(parents=True, exist_ok=True)
    staging = serving_db.with_name(f".{serving_db.name}.{uuid.uuid4().hex}.tmp")
    try:
        counts = build_serving_copy(warehouse_db, staging)
        _fsync(staging)
        os.replace(staging, serving_db)
        _fsync(serving_db.parent)
    finally:
        for leftover in (staging, staging.with_name(staging.name + ".wal")):
            leftover.unlink(missing_ok=True)
    return counts
