"""Publish `serving.duckdb` so that a BI tool never sees a half-written warehouse.

The new file is built beside the old one, flushed to disk and renamed over it in one
step. A reader that has the old file open keeps its (unlinked) inode and reads the old
version consistently; the next reader opens the new one. Readers never lock the
working `warehouse.duckdb`, which only the pipeline writes.

Each copy carries its own stamp, `audit.publication` (which run, when, which pipeline
version) and `audit.publication_tables` (rows per table), written inside the new file
before the rename: a BI tool or a test can tell which version it is reading and check
that every table it sees belongs to that version.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path

import duckdb

from pipelines.lib.crash_points import crash_point
from pipelines.lib.duckdb_tools import limit_memory
from pipelines.lib.warehouse_connection import connect_warehouse
from pipelines.publish.comments import comment_tables, load_descriptions
from pipelines.version import pipeline_version

SERVING_CATALOG = "uw_serving_copy"  # the new file's name while the warehouse's connection writes it
AUDIT_TABLES = (
    "dq_findings", "dq_findings_current", "finding_lifecycle", "file_manifest", "quarantine", "runs",
    "dbt_test_results",
)


def _relations(con: duckdb.DuckDBPyConnection, catalog: str, schema: str) -> list[str]:
    return [row[0] for row in con.execute(
        "select table_name from information_schema.tables where table_catalog = ? and table_schema = ? "
        "order by table_name", [catalog, schema]
    ).fetchall()]


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _latest_run(con: duckdb.DuckDBPyConnection, catalog: str) -> str | None:
    if "runs" not in _relations(con, catalog, "audit"):
        return None
    row = con.execute(
        f'select run_id from "{catalog}".audit.runs order by finished_at desc nulls last limit 1').fetchone()
    return None if row is None else row[0]


def _stamp(con: duckdb.DuckDBPyConnection, run_id: str | None, counts: dict[str, int]) -> None:
    con.execute("create table audit.publication as select ?::varchar as run_id, "
                "(now() at time zone 'UTC')::timestamp as published_at, ?::varchar as pipeline_version",
                [run_id, pipeline_version()])
    con.execute("create table audit.publication_tables (table_name varchar, row_count bigint)")
    if counts:
        con.executemany("insert into audit.publication_tables values (?, ?)", list(counts.items()))


def build_serving_copy(warehouse_db: Path, target: Path, run_id: str | None = None) -> dict[str, int]:
    """Copy the marts and the audit tables into a new database file; returns rows per table.

    The copy is written from the warehouse's own connection (the run's held instance,
    `pipelines/lib/warehouse_connection.py`), with the new file attached: a second
    instance of the warehouse in the same process would read it past that instance.
    """
    counts: dict[str, int] = {}
    with connect_warehouse(warehouse_db) as con:
        limit_memory(con)  # the copy of every mart and audit table runs here
        source = con.execute("select current_database()").fetchone()[0]
        con.execute(f"attach '{target}' as {SERVING_CATALOG}")
        try:
            con.execute(f"use {SERVING_CATALOG}")
            # one transaction: DuckDB commits each catalog change (a table, a comment) on its own,
            # and ~250 comments committed one by one were most of a no-op run's publish step
            con.execute("begin")
            for schema, wanted in (("marts", None), ("audit", AUDIT_TABLES)):
                con.execute(f"create schema if not exists {schema}")
                for name in _relations(con, source, schema):
                    if wanted is not None and name not in wanted:
                        continue
                    # DuckDB answers `create table … as` with the number of rows it wrote
                    copy = f'create table {schema}."{name}" as select * from "{source}".{schema}."{name}"'
                    counts[f"{schema}.{name}"] = con.execute(copy).fetchone()[0]
                    if (schema, name) == ("audit", "runs") and run_id is not None:
                        # this copy is only ever seen once swapped in, so within it the run is published
                        con.execute("update audit.runs set published = true where run_id = ?", [run_id])
            _stamp(con, run_id or _latest_run(con, source), counts)
            comment_tables(con, load_descriptions())
            con.execute("commit")
            con.execute(f"checkpoint {SERVING_CATALOG}")
        except BaseException:
            with contextlib.suppress(duckdb.Error):  # no transaction open is fine too
                con.execute("rollback")
            raise
        finally:
            con.execute(f'use "{source}"')
            con.execute(f"detach {SERVING_CATALOG}")
    return counts


def stale_temps(serving_db: Path) -> list[Path]:
    """Copies a killed publish left behind (`.serving.duckdb.<uuid>.tmp` and its `.wal`)."""
    return sorted(serving_db.parent.glob(f".{serving_db.name}.*.tmp")) + \
        sorted(serving_db.parent.glob(f".{serving_db.name}.*.tmp.wal"))


def publish_serving(warehouse_db: Path, serving_db: Path, run_id: str | None = None) -> dict[str, int]:
    """Build, flush and rename into place; `run_id` defaults to the warehouse's latest run.

    A kill (SIGKILL, power cut) skips the `finally` below, so the temporary copy of an
    earlier, killed publish is removed here first: publishing runs under the warehouse's
    run lock, so no other publisher can be using it.
    """
    serving_db.parent.mkdir(parents=True, exist_ok=True)
    for leftover in stale_temps(serving_db):
        leftover.unlink(missing_ok=True)
    staging = serving_db.with_name(f".{serving_db.name}.{uuid.uuid4().hex}.tmp")
    try:
        counts = build_serving_copy(warehouse_db, staging, run_id)
        _fsync(staging)
        crash_point("publish")
        os.replace(staging, serving_db)
        _fsync(serving_db.parent)
    finally:
        for leftover in (staging, staging.with_name(staging.name + ".wal")):
            leftover.unlink(missing_ok=True)
    return counts


def published_run(serving_db: Path) -> str | None:
    """The run whose copy `serving.duckdb` is (its stamp), or None without one."""
    if not serving_db.exists():
        return None
    try:
        with duckdb.connect(str(serving_db), read_only=True) as con:
            row = con.execute("select run_id from audit.publication").fetchone()
    except duckdb.Error:
        return None
    return row[0] if row else None


def mark_published(con: duckdb.DuckDBPyConnection, serving_db: Path) -> str | None:
    """`audit.runs.published` becomes true only for the run whose copy really is in place.

    The publish step records its run with `published = false` before building the copy and
    calls this after the swap; called again at the next publish, it also repairs a run killed
    between the swap and this update. Returns the run marked.
    """
    run_id = published_run(serving_db)
    if run_id is not None:
        con.execute("update audit.runs set published = true where run_id = ? and not published", [run_id])
    return run_id
