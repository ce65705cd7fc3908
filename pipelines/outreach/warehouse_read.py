"""What outreach reads from the warehouse: registry in force, accepted figures, open findings.

Only published shapes are read (`marts.dim_enterprise`, `marts.fct_union_report`, and the
columns of `audit.dq_findings_current` listed in outputs.md §2), never `raw`: nothing read
here can carry a person's data, and a change in how findings are made does not reach us.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.lib.warehouse_connection import connect_warehouse
from pipelines.outreach.quarter import Quarter

COUNT_COLUMNS = ("workers_total", "workers_female", "members_total", "members_female", "members_joined",
                 "members_left", "party_members", "candidates_introduced", "candidates_admitted",
                 "admitted_via_core_cell")

# The columns of audit.dq_findings_current that outputs.md §2 promises.
FINDING_COLUMNS = ("rule_id", "severity", "tax_code", "period", "source_file", "source_row", "message_vi",
                   "message_en", "observed", "expected", "detected_at", "finding_key")


class WarehouseMissing(Exception):
    """No warehouse (or not the tables outreach needs) at the folder given."""


@dataclass(frozen=True)
class Enterprise:
    tax_code: str
    name: str


@dataclass(frozen=True)
class AcceptedReport:
    period: str
    figures: dict[str, int]
    revision: int | None = None


def connect(warehouse_db: Path) -> duckdb.DuckDBPyConnection:
    if not warehouse_db.is_file():
        raise WarehouseMissing(f"no warehouse at {warehouse_db} (run `uw run` first)")
    return connect_warehouse(warehouse_db, read_only=True)


def _require(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> None:
    found = con.execute("select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
                        [schema, table]).fetchone()[0]
    if not found:
        raise WarehouseMissing(f"the warehouse has no {schema}.{table} (run `uw run` first)")


def active_unions(con: duckdb.DuckDBPyConnection, quarter: Quarter) -> list[Enterprise]:
    """Enterprises whose union is active at the quarter's end in the registry version then in
    force: founded on or before that day, and the enterprise not dissolved."""
    _require(con, "marts", "dim_enterprise")
    rows = con.execute("""
        select tax_code, enterprise_name from marts.dim_enterprise
        where valid_from <= $end and (valid_to is null or $end <= valid_to)
          and operating_status <> 'dissolved'
          and union_founded_on is not null and union_founded_on <= $end
        order by tax_code
    """, {"end": quarter.end}).fetchall()
    return [Enterprise(tax_code, name) for tax_code, name in rows]


def last_accepted(con: duckdb.DuckDBPyConnection, quarter: Quarter) -> dict[str, AcceptedReport]:
    """Per tax code, the latest accepted report of a quarter up to the one given."""
    if not _exists(con, "marts", "fct_union_report"):
        return {}
    columns = ", ".join(COUNT_COLUMNS)
    rows = con.execute(f"""
        select tax_code, period, revision, {columns} from (
            select *, row_number() over (partition by tax_code order by period desc) as recency
            from marts.fct_union_report where period <= $period
        ) where recency = 1
    """, {"period": quarter.key}).fetchall()
    return {row[0]: AcceptedReport(row[1], dict(zip(COUNT_COLUMNS, row[3:], strict=True)), row[2]) for row in rows}


def registered_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Every tax code of the registry with its latest name; none before a registry is built
    (then every finding goes to the office packet rather than failing the run)."""
    if not _exists(con, "marts", "dim_enterprise"):
        return {}
    rows = con.execute("""
        select tax_code, arg_max(enterprise_name, valid_from) from marts.dim_enterprise group by tax_code
    """).fetchall()
    return dict(rows)


def open_findings(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Open error and warning findings: the ones an enterprise has to act on."""
    _require(con, "audit", "dq_findings_current")
    cursor = con.execute(f"""
        select {", ".join(FINDING_COLUMNS)} from audit.dq_findings_current
        where severity in ('error', 'warning')
    """)
    return [dict(zip(FINDING_COLUMNS, row, strict=True)) for row in cursor.fetchall()]


def _exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    try:
        _require(con, schema, table)
    except WarehouseMissing:
        return False
    return True
