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

from pipelines.lib.duckdb_tools import insert_rows, table_exists
from pipelines.lib.findings import Finding
from pipelines.lib.rule_catalogue import rule_catalogue
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
       observed, expected, detected_at
from (select * from of_versions union all select * from of_unhashable)
"""


SEEN_TABLE = "_uw_seen"  # this connection's current findings, staged for the lifecycle writer
_SEEN_DDL = f"create or replace temp table {SEEN_TABLE} (" + ", ".join(
    f"{name} {'integer' if name == 'source_row' else 'varchar'}" for name in SEEN_COLUMNS) + ")"
_OTHERS_TABLE = "_uw_seen_others"


def create_seen_table(con: duckdb.DuckDBPyConnection) -> None:
    """An empty `_uw_seen`, replacing any left by an earlier step on this connection."""
    con.execute(_SEEN_DDL)


def _stage_ingest_rows(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    """Ingest's findings go from `audit.ingest_findings` to the staging table without leaving
    DuckDB: they are nearly all the findings (52,930 of 52,933 at scale 40, ~490,000 at
    national size), and as Python dicts they were the findings step's time and, at scale
    400, the run's peak memory. Graded from the rule catalogue, as every ingest finding is;
    a key met twice (a version ingested by two runs) keeps its latest detection."""
    if not table_exists(con, "audit", "ingest_findings"):
        return
    catalogue = rule_catalogue()
    con.execute(f"""
        insert into {SEEN_TABLE} by name
        with still_true as ({INGEST_FINDINGS_STILL_TRUE}),
        grades as (select unnest($rule_ids::varchar[]) as rule_id, unnest($severities::varchar[]) as severity)
        select t.finding_key, t.rule_id, g.severity, t.tax_code, t.period, t.source_file, t.source_row,
               t.message_vi, t.message_en, t.observed, t.expected, 'ingest' as origin
        from still_true t left join grades g using (rule_id)
        qualify row_number() over (partition by t.finding_key order by t.detected_at desc) = 1""",
                {"run_id": run_id, "rule_ids": list(catalogue), "severities": [r.severity for r in catalogue.values()]})
    ungraded = con.execute(f"select distinct rule_id from {SEEN_TABLE} where severity is null").fetchall()
    if ungraded:
        raise KeyError(f"ingest findings with rules outside the catalogue: {sorted(r for (r,) in ungraded)}")


def seen_row(finding: Finding) -> dict:
    """A Finding as a row of the set handed to the lifecycle writer."""
    row = finding.as_row("")
    return {name: row[name] for name in SEEN_COLUMNS}


def _stage_others(con: duckdb.DuckDBPyConnection) -> None:
    """dbt's and control totals' findings (owned), then GX's (a second line): each row only when
    its key is not staged yet, the first of a key winning; a GX finding only when no owned one
    reports the same rule on the same file row."""
    owned = [seen_row(f) | {"second_line": False} for f in warehouse_findings(con)]
    second_line = [seen_row(f) | {"second_line": True} for f in stored_gx_findings(con)]
    others = [row | {"ordinal": n} for n, row in enumerate(owned + second_line)]
    if not others:
        return
    con.execute(f"create or replace temp table {_OTHERS_TABLE} as select *, 0 as ordinal, "
                f"false as second_line from {SEEN_TABLE} limit 0")
    try:
        insert_rows(con, _OTHERS_TABLE, others)
        con.execute(f"""
            insert into {SEEN_TABLE} by name
            with reported as (
                select rule_id, source_file, coalesce(source_row, 0) as source_row from {SEEN_TABLE}
                where source_file <> ''
                union
                select rule_id, source_file, coalesce(source_row, 0) from {_OTHERS_TABLE}
                where not second_line and source_file <> ''
            )
            select * exclude (ordinal, second_line) from {_OTHERS_TABLE} o
            where o.finding_key not in (select finding_key from {SEEN_TABLE})
              and not (o.second_line and exists (
                  select 1 from reported r where r.rule_id = o.rule_id and r.source_file = o.source_file
                  and r.source_row = coalesce(o.source_row, 0)))
            qualify row_number() over (partition by o.finding_key order by o.ordinal) = 1""")
    finally:
        con.execute(f"drop table if exists {_OTHERS_TABLE}")


def stage_current_findings(con: duckdb.DuckDBPyConnection, run_id: str) -> int:
    """`_uw_seen` holds one row per finding_key (SEEN_COLUMNS) of every finding true after run
    `run_id`; returns how many. Ingest's own come first, so an ingest finding wins its key."""
    create_seen_table(con)
    _stage_ingest_rows(con, run_id)
    _stage_others(con)
    return con.execute(f"select count(*) from {SEEN_TABLE}").fetchone()[0]


def current_findings(con: duckdb.DuckDBPyConnection, run_id: str) -> list[dict]:
    """The staged findings as dicts: for readers and tests; the findings step keeps them in SQL."""
    stage_current_findings(con, run_id)
    try:
        cursor = con.execute(f"select {', '.join(SEEN_COLUMNS)} from {SEEN_TABLE}")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
    finally:
        con.execute(f"drop table if exists {SEEN_TABLE}")
