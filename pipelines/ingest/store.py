"""DDL and bulk inserts for the tables of docs/raw-layer.md.

Inserts go through a column-wise pandas DataFrame and `INSERT ... BY NAME`, so the column order of
a record never matters and DuckDB does the type casts in bulk.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipelines.quality.findings import FINDING_COLUMNS, Finding

LINEAGE = ("source_file VARCHAR, source_row INTEGER, sha256 VARCHAR, run_id VARCHAR, "
           "loaded_at TIMESTAMP, extra_columns VARCHAR")

TABLES: dict[str, str] = {
    "raw.enterprises": "snapshot_as_of DATE, tax_code VARCHAR, enterprise_name VARCHAR, zone_code VARCHAR, "
    "ownership VARCHAR, investor_country VARCHAR, established_on DATE, operating_status VARCHAR, "
    "union_eligible BOOLEAN, union_founded_on DATE, updated_on DATE",
    "raw.union_reports": "period VARCHAR, tax_code VARCHAR, enterprise_name VARCHAR, workers_total INTEGER, "
    "workers_female INTEGER, members_total INTEGER, members_female INTEGER, members_joined INTEGER, "
    "members_left INTEGER, party_members INTEGER, candidates_introduced INTEGER, "
    "candidates_admitted INTEGER, admitted_via_core_cell INTEGER, submitted_on DATE, revision INTEGER, "
    "reporter_name VARCHAR, reporter_phone VARCHAR",
    "raw.party_orgs": "org_code VARCHAR, org_name VARCHAR, org_type VARCHAR, tax_code VARCHAR, "
    "established_on DATE, dissolved_on DATE, members_at_founding INTEGER, via_core_cell_transfer BOOLEAN, "
    "transferred_members INTEGER",
    "raw.candidates": "citizen_id VARCHAR, full_name VARCHAR, birth_date DATE, gender VARCHAR, "
    "tax_code VARCHAR, introduced_on DATE, trained_on DATE, admitted_on DATE, admitting_org_code VARCHAR, "
    "candidate_key VARCHAR, birth_year INTEGER",
    "raw.control_totals": "metric VARCHAR, as_of DATE, window_start DATE, value DOUBLE, "
    "value_decimals INTEGER, source VARCHAR",
}

AUDIT_TABLES: dict[str, str] = {
    "audit.file_manifest": "run_id VARCHAR, source_file VARCHAR, sha256 VARCHAR, kind VARCHAR, "
    "file_format VARCHAR, size_bytes BIGINT, status VARCHAR, rows_read INTEGER, rows_loaded INTEGER, "
    "rows_quarantined INTEGER, detail VARCHAR, ingested_at TIMESTAMP",
    "audit.quarantine": "run_id VARCHAR, source_file VARCHAR, source_row INTEGER, sha256 VARCHAR, "
    "kind VARCHAR, rule_id VARCHAR, raw_values VARCHAR",
    "raw.quarantine_personal": "run_id VARCHAR, source_file VARCHAR, source_row INTEGER, raw_values VARCHAR",
    "raw.file_versions": "source_file VARCHAR, sha256 VARCHAR, kind VARCHAR, status VARCHAR, run_id VARCHAR, "
    "recorded_at TIMESTAMP",
    "audit.dq_findings": "run_id VARCHAR, rule_id VARCHAR, severity VARCHAR, tax_code VARCHAR, "
    "period VARCHAR, source_file VARCHAR, source_row INTEGER, message_vi VARCHAR, message_en VARCHAR, "
    "observed VARCHAR, expected VARCHAR, detected_at TIMESTAMP, finding_key VARCHAR",
}


def ensure_schema(con) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    con.execute("CREATE SCHEMA IF NOT EXISTS audit")
    for name, columns in {**TABLES, **AUDIT_TABLES}.items():
        lineage = f", {LINEAGE}" if name in TABLES else ""
        con.execute(f"CREATE TABLE IF NOT EXISTS {name} ({columns}{lineage})")


def insert_rows(con, table: str, rows: list[dict[str, object]]) -> None:
    """One bulk insert of dict rows, column-wise.

    Each column becomes one object array (values are already canonical Python objects and
    None), so pandas does no per-cell type inference or NaN replacement; DuckDB scans the
    frame once and casts to the table's types. About twice as fast as `from_records` +
    `astype(object)` + `where`, and far faster than `executemany`.
    """
    if not rows:
        return
    names = list(rows[0])
    for row in rows[1:]:
        names.extend(k for k in row if k not in names)
    columns = {name: np.array([row.get(name) for row in rows], dtype=object) for name in names}
    frame = pd.DataFrame(columns, copy=False)
    con.register("_uw_ingest_batch", frame)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _uw_ingest_batch")
    finally:
        con.unregister("_uw_ingest_batch")


def insert_findings(con, run_id: str, findings: list[Finding]) -> None:
    rows = [finding.as_row(run_id) for finding in findings]
    if rows:
        assert set(rows[0]) == set(FINDING_COLUMNS)
    insert_rows(con, "audit.dq_findings", rows)


def ingested_files(con) -> dict[str, set[str]]:
    """sha256 → every source_file it was seen under before, for files already ingested.

    A sha counts as ingested once it was loaded or quarantined; the paths include those
    recorded as duplicates so that a rerun of an unchanged inbox stays quiet.
    """
    done = {sha for (sha,) in con.execute(
        "SELECT DISTINCT sha256 FROM audit.file_manifest WHERE status IN ('loaded', 'quarantined')"
    ).fetchall()}
    paths: dict[str, set[str]] = {sha: set() for sha in done}
    for sha, source_file in con.execute(
        "SELECT DISTINCT sha256, source_file FROM audit.file_manifest WHERE sha256 IS NOT NULL"
    ).fetchall():
        if sha in paths:
            paths[sha].add(source_file)
    return paths


def current_versions(con) -> dict[str, str]:
    """source_file → sha256 of the bytes last recorded at that inbox path.

    `raw.file_versions` is append-only, so the current version of a path is its latest row;
    staging keeps only the raw rows of that version (dbt macro `current_file_rows`). The
    tie-break on sha256 only makes the answer deterministic; dbt orders the same way.
    """
    rows = con.execute(
        "SELECT source_file, sha256 FROM raw.file_versions ORDER BY recorded_at, sha256"
    ).fetchall()
    return dict(rows)


def loaded_shas(con) -> set[str]:
    """Every sha256 loaded at least once: the bytes that may stand as a path's version."""
    return {sha for (sha,) in con.execute(
        "SELECT DISTINCT sha256 FROM audit.file_manifest WHERE status = 'loaded'").fetchall()}
