"""DDL and bulk inserts for the tables of docs/raw-layer.md.

Inserts go through a column-wise pandas DataFrame and `INSERT ... BY NAME`, so the column order of
a record never matters and DuckDB does the type casts in bulk.
"""

from __future__ import annotations

from pipelines.lib.audit import ensure_audit_schema
from pipelines.lib.duckdb_tools import insert_rows

__all__ = ["TABLES", "RAW_BOOKKEEPING", "ensure_schema", "insert_rows", "ingested_files", "current_versions"]

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

# Raw-side bookkeeping tables (the audit.* tables belong to pipelines/lib/audit.py).
RAW_BOOKKEEPING: dict[str, str] = {
    "raw.quarantine_personal": "run_id VARCHAR, source_file VARCHAR, source_row INTEGER, raw_values VARCHAR",
    "raw.file_versions": "source_file VARCHAR, sha256 VARCHAR, kind VARCHAR, status VARCHAR, run_id VARCHAR, "
    "recorded_at TIMESTAMP",
}


def ensure_schema(con) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    for name, columns in {**TABLES, **RAW_BOOKKEEPING}.items():
        lineage = f", {LINEAGE}" if name in TABLES else ""
        con.execute(f"CREATE TABLE IF NOT EXISTS {name} ({columns}{lineage})")
    ensure_audit_schema(con)


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
