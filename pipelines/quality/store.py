"""The findings table and the two views auditors read from it.

`dq_findings` is append-only history; `dq_findings_current` and `finding_lifecycle` are
views, so they can never drift from the history they summarise. Findings of the GX suites
(`expected` starting with `gx:`) carry ingest rule ids but are recomputed every run, so
the current view takes them from the latest run, like dbt's.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

from pipelines.quality.findings import Finding
from pipelines.quality.rules import INGEST_RULES

FINDINGS_DDL = """
create schema if not exists audit;
create table if not exists audit.dq_findings (
    run_id varchar, rule_id varchar, severity varchar, tax_code varchar, period varchar,
    source_file varchar, source_row integer, message_vi varchar, message_en varchar,
    observed varchar, expected varchar, detected_at timestamp, finding_key varchar
);
create table if not exists audit.file_manifest (
    run_id varchar, source_file varchar, sha256 varchar, kind varchar, file_format varchar,
    size_bytes bigint, status varchar, rows_read integer, rows_loaded integer,
    rows_quarantined integer, detail varchar, ingested_at timestamp
);
create table if not exists audit.runs (
    run_id varchar, started_at timestamp, finished_at timestamp, started_by varchar,
    inbox varchar, warehouse varchar, pipeline_version varchar, files_seen integer,
    rows_loaded integer, rows_quarantined integer, findings_error integer,
    findings_warning integer, findings_info integer, gate_result varchar,
    gate_reasons varchar, published boolean
)
"""


def rule_list() -> str:
    return ", ".join(f"'{rule}'" for rule in sorted(INGEST_RULES))


def views_ddl() -> str:
    return f"""
create or replace view audit.latest_run as
    select run_id from audit.file_manifest
    group by run_id order by max(ingested_at) desc limit 1;

create or replace view audit.dq_findings_current as
with latest_manifest as (
    select source_file, sha256 from audit.file_manifest
    where run_id = (select run_id from audit.latest_run)
),
ingest_findings as (
    select f.*, m.sha256 from audit.dq_findings f
    join audit.file_manifest m on m.run_id = f.run_id and m.source_file = f.source_file
    where f.rule_id in ({rule_list()}) and m.status in ('loaded', 'quarantined', 'duplicate')
      and coalesce(f.expected, '') not like 'gx:%'
),
still_true_ingest as (
    select i.* exclude (sha256) from ingest_findings i
    join latest_manifest l on l.source_file = i.source_file and l.sha256 = i.sha256
),
recomputed as (
    select * from audit.dq_findings
    where (rule_id not in ({rule_list()}) or coalesce(expected, '') like 'gx:%')
      and run_id = (select run_id from audit.latest_run)
),
unioned as (
    select * from still_true_ingest union all by name select * from recomputed
)
select * exclude (rank_in_key) from (
    select *, row_number() over (partition by finding_key order by detected_at desc) as rank_in_key
    from unioned
) where rank_in_key = 1;

create or replace view audit.finding_lifecycle as
with seen as (
    select finding_key,
           arg_min(run_id, detected_at) as first_seen_run, min(detected_at) as first_seen_at,
           arg_max(run_id, detected_at) as last_seen_run, max(detected_at) as last_seen_at,
           arg_max(rule_id, detected_at) as rule_id, arg_max(severity, detected_at) as severity,
           arg_max(tax_code, detected_at) as tax_code, arg_max(period, detected_at) as period,
           arg_max(source_file, detected_at) as source_file,
           arg_max(source_row, detected_at) as source_row
    from audit.dq_findings group by finding_key
)
select seen.*,
       case when cur.finding_key is null then 'resolved' else 'open' end as status
from seen left join (select distinct finding_key from audit.dq_findings_current) cur using (finding_key);
"""


def ensure_audit_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(FINDINGS_DDL)
    con.execute(views_ddl())


def write_findings(con: duckdb.DuckDBPyConnection, run_id: str, findings: Iterable[Finding]) -> int:
    rows = [tuple(f.as_row(run_id).values()) for f in findings]
    if rows:
        con.executemany(f"insert into audit.dq_findings values ({', '.join('?' * 13)})", rows)
    return len(rows)
