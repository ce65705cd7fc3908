"""What is true now: every finding that holds for the warehouse as it stands, whichever layer made it.

Each origin says in its own way that a finding still holds, and this module is where
that is decided (docs/architecture.md, "Findings"):

- **ingest** parses a file version (path + SHA-256) once; its findings hold while the
  inbox, as the latest ingest saw it, still holds that version at that path (loaded,
  quarantined, or met again as a duplicate). A file that cannot even be hashed (a
  dangling symlink) has no version: its findings of the latest ingest that met it hold.
- **dbt** and **control_totals** findings are the rows of `intermediate.int_dq_findings`,
  a table: what dbt last computed over the whole warehouse.
- **gx** findings are the rows of `audit.gx_findings`, the latest validation's; one that
  the owning layer (ingest or dbt) already reports for the same rule and row is dropped.

Because dbt's and GX's findings are read from what they last left, a run that skips them
(nothing changed) still sees every finding they made.
"""

from __future__ import annotations

import duckdb

from pipelines.lib.duckdb_tools import table_exists
from pipelines.lib.findings import Finding
from pipelines.lib.rule_catalogue import severity_of
from pipelines.quality.gx_results import stored_gx_findings
from pipelines.quality.warehouse_findings import warehouse_findings

SEEN_COLUMNS = ("finding_key", "rule_id", "severity", "tax_code", "period", "source_file", "source_row",
                "message_vi", "message_en", "observed", "expected", "origin")

INGEST_FINDINGS_STILL_TRUE = """
with manifest_run as (
    select coalesce(
        (select max(run_id) from audit.file_manifest where run_id = $run_id),
        (select run_id from audit.file_manifest group by run_id order by max(ingested_at) desc limit 1)
    ) as run_id
),
present as (
    select distinct source_file, sha256 from audit.file_manifest
    where run_id = (select run_id from manifest_run) and status in ('loaded', 'quarantined', 'duplicate')
),
of_versions as (
    select f.* from audit.ingest_findings f
    inner join present p on p.source_file = f.source_file and p.sha256 = f.sha256
),
of_unhashable as (
    select f.* from audit.ingest_findings f
    inner join present p on p.source_file = f.source_file and p.sha256 is null and f.sha256 is null
    qualify f.run_id = first_value(f.run_id) over (partition by f.source_file order by f.detected_at desc)
)
select finding_key, rule_id, tax_code, period, source_file, source_row, message_vi, message_en,
       observed, expected
from (select * from of_versions union all select * from of_unhashable)
order by source_file, source_row nulls first, rule_id
"""


def _ingest_rows(con: duckdb.DuckDBPyConnection, run_id: str) -> list[dict]:
    if not table_exists(con, "audit", "ingest_findings"):
        return []
    cursor = con.execute(INGEST_FINDINGS_STILL_TRUE, {"run_id": run_id})
    names = [d[0] for d in cursor.description]
    rows = []
    for values in cursor.fetchall():
        row = dict(zip(names, values, strict=True))
        row.update(severity=severity_of(row["rule_id"]), origin="ingest")
        rows.append(row)
    return rows


def seen_row(finding: Finding) -> dict:
    """A Finding as a row of the set handed to the lifecycle writer."""
    row = finding.as_row("")
    return {name: row[name] for name in SEEN_COLUMNS}


def current_findings(con: duckdb.DuckDBPyConnection, run_id: str) -> list[dict]:
    """One row per finding_key (SEEN_COLUMNS) of every finding true after run `run_id`."""
    owned = _ingest_rows(con, run_id) + [seen_row(f) for f in warehouse_findings(con)]
    reported = {(r["rule_id"], r["source_file"], r["source_row"] or 0) for r in owned if r["source_file"]}
    second_line = [seen_row(f) for f in stored_gx_findings(con)
                   if (f.rule_id, f.source_file, f.source_row or 0) not in reported]
    by_key: dict[str, dict] = {}
    for row in owned + second_line:
        by_key.setdefault(row["finding_key"], row)
    return list(by_key.values())
