"""Rows that a warehouse (dbt) error rule keeps out of every figure, into `audit.quarantine`.

E002, E004, E009 and E010 are decided in dbt, over all rows at once, so ingest has loaded
those rows before anyone knows they will be rejected. `rules.md` still wants each of them
quarantined with its raw values and rule id, and the manifest to count it, so after every
dbt build the findings step hands the current set to the audit writer
(`settle_warehouse_quarantine`): new rejections are added, rows a later correction made
acceptable leave quarantine, and the manifest row that loaded the file moves them from
`rows_loaded` to `rows_quarantined`.

Which rules: every rule the catalogue says is made in dbt with severity error. Values
come from the raw row of the file's current version, through an allow-list: the kind's
non-personal columns and the pseudonymous candidate key. Names, citizen ids, birth dates
and reporters' names and phones are written as `<redacted>`, as ingest does, and columns
ingest could not map (`extra_columns`) are left out, since nothing says what they hold.
"""

from __future__ import annotations

from datetime import date, datetime

import duckdb

from pipelines.ingest.columns import KINDS
from pipelines.lib.audit import quarantine_values, settle_warehouse_quarantine
from pipelines.lib.duckdb_tools import insert_rows, table_exists
from pipelines.lib.findings import Finding
from pipelines.lib.rule_catalogue import rule_catalogue

REDACTED = "<redacted>"
ALWAYS_SHOWN = ("candidate_key",)

CURRENT_ROWS = """
with current_version as (
    select source_file, sha256 from (
        select source_file, sha256,
               row_number() over (partition by source_file order by recorded_at desc, sha256 desc) as recency
        from raw.file_versions
    ) where recency = 1
)
select j.rule_id, r.*
from {table} as r
inner join _uw_rejects as j on j.source_file = r.source_file and j.source_row = r.source_row
where not exists (
    select 1 from current_version as v where v.source_file = r.source_file and v.sha256 <> r.sha256
)
"""


def rejecting_rules() -> frozenset[str]:
    return frozenset(r.rule_id for r in rule_catalogue().values() if r.severity == "error" and "dbt" in r.made_in)


def _text(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def _shown_values(kind: str, row: dict[str, object]) -> dict[str, str]:
    values: dict[str, str] = {}
    for column in KINDS[kind].columns:
        name = "zone_code" if kind == "enterprises" and column.name == "industrial_zone" else column.name
        if name not in row:
            continue
        text = _text(row[name])
        values[column.name] = REDACTED if column.personal and text else text
    for name in ALWAYS_SHOWN:
        if name in row:
            values[name] = _text(row[name])
    return values


def rejected_rows(con: duckdb.DuckDBPyConnection, findings: list[Finding]) -> list[dict[str, object]]:
    """One quarantine row per (row, rule) a dbt error rule rejects, from the current file versions."""
    rules = rejecting_rules()
    rejects = {(f.source_file, f.source_row, f.rule_id) for f in findings
               if f.origin == "dbt" and f.rule_id in rules and f.source_file and f.source_row}
    if not rejects:
        return []
    con.execute("create or replace temp table _uw_rejects (source_file varchar, source_row integer, rule_id varchar)")
    insert_rows(con, "_uw_rejects", [{"source_file": f, "source_row": r, "rule_id": rule} for f, r, rule in rejects])
    rows: list[dict[str, object]] = []
    try:
        for kind in KINDS.values():
            schema, name = kind.table.split(".")
            if not table_exists(con, schema, name) or not table_exists(con, "raw", "file_versions"):
                continue
            cursor = con.execute(CURRENT_ROWS.format(table=kind.table))
            names = [d[0] for d in cursor.description]
            for values in cursor.fetchall():
                raw = dict(zip(names, values, strict=True))
                rows.append({"source_file": raw["source_file"], "source_row": raw["source_row"],
                             "sha256": raw["sha256"], "kind": kind.name, "rule_id": raw["rule_id"],
                             "raw_values": quarantine_values(_shown_values(kind.name, raw))})
    finally:
        con.execute("drop table if exists _uw_rejects")
    return rows


def quarantine_rejected_rows(con: duckdb.DuckDBPyConnection, run_id: str, findings: list[Finding]) -> dict[str, int]:
    return settle_warehouse_quarantine(con, run_id, rejected_rows(con, findings))
