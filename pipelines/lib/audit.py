"""The audit schema: every `audit.*` table is created here, and nowhere else.

Which module writes which table (one writer each):

| table | written by |
|---|---|
| `file_manifest`, `quarantine`, `ingest_findings` | this module (ingest and the findings step call it) |
| `dq_findings`, `finding_lifecycle` | `pipelines/quality/lifecycle.py` |
| `gx_results`, `gx_findings` | `pipelines/quality/gx_results.py` |
| `gx_chunks` | `pipelines/quality/gx_reuse.py` |
| `dbt_test_results` | `pipelines/warehouse/test_results.py` |
| `gate_verdicts` | `pipelines/publish/gate.py` |
| `runs` | `pipelines/publish/run_log.py` |
| `build_log` | `pipelines/lib/build_state.py` |

`dq_findings_current` is a view over the lifecycle, so it can never drift from it.
`ensure_audit_schema` is idempotent and also brings a warehouse made by an older version
up to date (added columns; `finding_lifecycle` was a view before it became a table).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from pipelines.lib.duckdb_tools import columns_by_table, insert_rows
from pipelines.lib.findings import Finding

AUDIT_DDL: tuple[str, ...] = (
    # One row per inbox file per run. rows_quarantined counts every rejected row of the
    # file, those rejected by a warehouse rule (rows_quarantined_in_warehouse) included.
    """create table if not exists audit.file_manifest (
        run_id VARCHAR, source_file VARCHAR, sha256 VARCHAR, kind VARCHAR, file_format VARCHAR,
        size_bytes BIGINT, status VARCHAR, rows_read INTEGER, rows_loaded INTEGER,
        rows_quarantined INTEGER, detail VARCHAR, ingested_at TIMESTAMP,
        rows_quarantined_in_warehouse INTEGER DEFAULT 0
    )""",
    # Every rejected row with its (redacted) values; origin: the layer that rejected it.
    """create table if not exists audit.quarantine (
        run_id VARCHAR, source_file VARCHAR, source_row INTEGER, sha256 VARCHAR, kind VARCHAR,
        rule_id VARCHAR, raw_values VARCHAR, origin VARCHAR DEFAULT 'ingest'
    )""",
    # What ingest found in one version (sha256) of a file; the findings step reads it.
    """create table if not exists audit.ingest_findings (
        run_id VARCHAR, source_file VARCHAR, sha256 VARCHAR, rule_id VARCHAR, tax_code VARCHAR,
        period VARCHAR, source_row INTEGER, message_vi VARCHAR, message_en VARCHAR,
        observed VARCHAR, expected VARCHAR, detected_at TIMESTAMP, finding_key VARCHAR
    )""",
    # One row per finding occurrence (first seen, re-opened, or changed while open).
    """create table if not exists audit.dq_findings (
        run_id VARCHAR, rule_id VARCHAR, severity VARCHAR, tax_code VARCHAR, period VARCHAR,
        source_file VARCHAR, source_row INTEGER, message_vi VARCHAR, message_en VARCHAR,
        observed VARCHAR, expected VARCHAR, detected_at TIMESTAMP, finding_key VARCHAR,
        origin VARCHAR
    )""",
    # One row per finding_key.
    """create table if not exists audit.finding_lifecycle (
        finding_key VARCHAR, first_seen_run VARCHAR, first_seen_at TIMESTAMP,
        last_seen_run VARCHAR, last_seen_at TIMESTAMP, rule_id VARCHAR, severity VARCHAR,
        tax_code VARCHAR, period VARCHAR, source_file VARCHAR, source_row INTEGER,
        status VARCHAR, origin VARCHAR, opened_run VARCHAR, opened_at TIMESTAMP,
        resolved_run VARCHAR, resolved_at TIMESTAMP, times_opened INTEGER
    )""",
    """create table if not exists audit.gx_results (
        run_id VARCHAR, suite VARCHAR, check_name VARCHAR, rule_id VARCHAR, success BOOLEAN,
        element_count BIGINT, unexpected_count BIGINT, offending_rows VARCHAR,
        partial_unexpected VARCHAR, error VARCHAR, validated_at TIMESTAMP
    )""",
    # The findings of the latest GX validation (replaced by each validation).
    """create table if not exists audit.gx_findings (
        run_id VARCHAR, suite VARCHAR, check_name VARCHAR, rule_id VARCHAR, tax_code VARCHAR,
        period VARCHAR, source_file VARCHAR, source_row INTEGER, message_vi VARCHAR,
        message_en VARCHAR, observed VARCHAR, expected VARCHAR, detected_at TIMESTAMP
    )""",
    # Per suite, each chunk (run of whole file groups) of its latest GX validation with its full
    # results as JSON, so the next validation re-validates only what changed (gx_reuse.py).
    """create table if not exists audit.gx_chunks (
        suite VARCHAR, chunk INTEGER, reuse_key VARCHAR, groups VARCHAR, results VARCHAR,
        run_id VARCHAR, validated_at TIMESTAMP
    )""",
    """create table if not exists audit.dbt_test_results (
        run_id VARCHAR, unique_id VARCHAR, test_name VARCHAR, attached_node VARCHAR,
        attached_schema VARCHAR, status VARCHAR, failures INTEGER, message VARCHAR,
        checked_at TIMESTAMP
    )""",
    """create table if not exists audit.gate_verdicts (
        run_id VARCHAR, status VARCHAR, reasons VARCHAR, blocking_findings INTEGER,
        failing_mart_tests VARCHAR, has_union_reports BOOLEAN, publish_anyway BOOLEAN,
        decided_at TIMESTAMP
    )""",
    """create table if not exists audit.runs (
        run_id VARCHAR, started_at TIMESTAMP, finished_at TIMESTAMP, started_by VARCHAR,
        inbox VARCHAR, warehouse VARCHAR, pipeline_version VARCHAR, files_seen INTEGER,
        rows_loaded INTEGER, rows_quarantined INTEGER, findings_error INTEGER,
        findings_warning INTEGER, findings_info INTEGER, gate_result VARCHAR,
        gate_reasons VARCHAR, published BOOLEAN
    )""",
    # What each build step (dbt, a GX suite) did in a run, the fingerprint of its inputs, and
    # the code version it ran (an incremental model built by other code is rebuilt whole).
    """create table if not exists audit.build_log (
        run_id VARCHAR, step VARCHAR, action VARCHAR, fingerprint VARCHAR, reason VARCHAR,
        logged_at TIMESTAMP, code_version VARCHAR
    )""",
)

AUDIT_TABLE_NAMES = tuple(re.match(r"\s*create table if not exists audit\.(\w+)", ddl).group(1)
                          for ddl in AUDIT_DDL)

# Columns added after a table first shipped: older warehouses get them on the next run.
_ADDED_COLUMNS = {
    "file_manifest": ("rows_quarantined_in_warehouse INTEGER DEFAULT 0",),
    "quarantine": ("origin VARCHAR DEFAULT 'ingest'",),
    "dq_findings": ("origin VARCHAR",),
    "build_log": ("code_version VARCHAR",),
}

CURRENT_FINDINGS_VIEW = """
create or replace view audit.dq_findings_current as
select f.* exclude (occurrence)
from (
    select d.*, row_number() over (partition by d.finding_key order by d.detected_at desc, d.run_id desc)
        as occurrence
    from audit.dq_findings d
) f
inner join audit.finding_lifecycle l on l.finding_key = f.finding_key and l.status = 'open'
where f.occurrence = 1
"""


def _relation_type(con, name: str) -> str | None:
    row = con.execute(
        "select table_type from information_schema.tables where table_schema = 'audit' and table_name = ? "
        "and table_catalog = current_database()", [name]).fetchone()
    return None if row is None else row[0]


def _audit_tables_current(con) -> bool:
    """Every audit table is there as a table, with every column added since it first shipped.

    One catalog query: the steps call `ensure_audit_schema` a dozen times a run, and its ~20
    `if not exists` statements were ~10 ms a call on a warehouse that already has them all.
    """
    columns = columns_by_table(con, "audit", tables_only=True)
    return all(name in columns for name in AUDIT_TABLE_NAMES) and all(
        added.split()[0] in columns[name] for name, added_columns in _ADDED_COLUMNS.items() for added in added_columns)


def ensure_audit_schema(con) -> None:
    if not _audit_tables_current(con):
        con.execute("create schema if not exists audit")
        if _relation_type(con, "finding_lifecycle") == "VIEW":  # a warehouse from before the lifecycle table
            con.execute("drop view audit.finding_lifecycle")
        for statement in AUDIT_DDL:
            con.execute(statement)
        for name, columns in _ADDED_COLUMNS.items():
            for column in columns:
                con.execute(f"alter table audit.{name} add column if not exists {column}")
    con.execute(CURRENT_FINDINGS_VIEW)  # replaced every time: its columns follow dq_findings


# --- the writers of the tables that ingest and the findings step both feed ----------------------

def record_manifest(con, rows: list[dict[str, object]]) -> None:
    insert_rows(con, "audit.file_manifest", rows)


def record_quarantine(con, rows: list[dict[str, object]]) -> None:
    """Rows ingest rejected (inside the file's transaction)."""
    insert_rows(con, "audit.quarantine", [{**row, "origin": "ingest"} for row in rows])


def record_ingest_findings(con, run_id: str, source_file: str, sha256: str | None,
                           findings: Iterable[Finding]) -> None:
    rows = []
    for finding in findings:
        row = finding.as_row(run_id)
        rows.append({name: row[name] for name in (
            "run_id", "rule_id", "tax_code", "period", "source_file", "source_row", "message_vi",
            "message_en", "observed", "expected", "detected_at", "finding_key")})
        rows[-1]["source_file"] = finding.source_file or source_file
        rows[-1]["sha256"] = sha256
    insert_rows(con, "audit.ingest_findings", rows)


def settle_warehouse_quarantine(con, run_id: str, rows: list[dict[str, object]]) -> dict[str, int]:
    """Make the rows rejected by warehouse (dbt) rules exactly `rows`, and count them in the manifest.

    `rows` is the whole current set (source_file, source_row, sha256, kind, rule_id, raw_values):
    a row no longer rejected (a later correction made it acceptable) leaves quarantine, a row
    still rejected keeps the run that first quarantined it. The manifest row that loaded the
    file moves those rows from `rows_loaded` to `rows_quarantined`, so rows_read =
    rows_loaded + rows_quarantined stays true. Returns counts: added, released, kept.
    """
    frame_rows = [{**row, "run_id": run_id, "origin": "dbt"} for row in rows]
    con.execute("create or replace temp table _uw_rejected as select * from audit.quarantine where false")
    insert_rows(con, "_uw_rejected", frame_rows)
    key = "q.source_file = n.source_file and q.source_row = n.source_row and q.sha256 = n.sha256 " \
          "and q.rule_id = n.rule_id"
    released = con.execute(f"""
        delete from audit.quarantine q where q.origin = 'dbt'
          and not exists (select 1 from _uw_rejected n where {key})
        returning 1""").fetchall()
    added = con.execute(f"""
        insert into audit.quarantine by name
        select * from _uw_rejected n
        where not exists (select 1 from audit.quarantine q where q.origin = 'dbt' and {key})
        returning 1""").fetchall()
    con.execute("""
        update audit.file_manifest m set
            rows_loaded = m.rows_loaded + coalesce(m.rows_quarantined_in_warehouse, 0) - c.rejected,
            rows_quarantined = m.rows_quarantined - coalesce(m.rows_quarantined_in_warehouse, 0) + c.rejected,
            rows_quarantined_in_warehouse = c.rejected
        from (
            select m2.run_id, m2.source_file, m2.sha256, count(distinct (q.source_row)) filter (
                where q.source_row is not null) as rejected
            from audit.file_manifest m2
            left join audit.quarantine q
                on q.origin = 'dbt' and q.source_file = m2.source_file and q.sha256 = m2.sha256
            where m2.status = 'loaded'
            group by all
        ) c
        where c.run_id = m.run_id and c.source_file = m.source_file and c.sha256 = m.sha256
          and m.status = 'loaded' and coalesce(m.rows_quarantined_in_warehouse, 0) <> c.rejected""")
    con.execute("drop table _uw_rejected")
    return {"added": len(added), "released": len(released), "kept": len(frame_rows) - len(added)}


def quarantine_values(values: dict[str, object]) -> str:
    """Cell values as the JSON `audit.quarantine.raw_values` holds."""
    return json.dumps(values, ensure_ascii=False, default=str)
