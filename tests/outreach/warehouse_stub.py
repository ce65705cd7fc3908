"""A warehouse file holding only the shapes outreach reads, for fast tests of the selection
and grouping logic (the end-to-end tests use a real `uw run`)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb

from pipelines.outreach.warehouse_read import COUNT_COLUMNS, FINDING_COLUMNS


def make_warehouse(path: Path, registry: list[dict], reports: list[dict] = (), findings: list[dict] = ()) -> Path:
    """registry rows: tax_code, enterprise_name, valid_from, valid_to, operating_status, union_founded_on."""
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts; create schema audit")
        con.execute("""create table marts.dim_enterprise (tax_code varchar, enterprise_name varchar, valid_from date,
                       valid_to date, operating_status varchar, union_founded_on date)""")
        for row in registry:
            con.execute("insert into marts.dim_enterprise values (?, ?, ?, ?, ?, ?)",
                        [row["tax_code"], row["enterprise_name"], row.get("valid_from", date(2020, 1, 1)),
                         row.get("valid_to"), row.get("operating_status", "stable"), row.get("union_founded_on")])
        counts = ", ".join(f"{c} integer" for c in COUNT_COLUMNS)
        con.execute(f"create table marts.fct_union_report (tax_code varchar, period varchar, revision integer, "
                    f"{counts})")
        for report in reports:
            con.execute(f"insert into marts.fct_union_report values ({', '.join('?' * (3 + len(COUNT_COLUMNS)))})",
                        [report["tax_code"], report["period"], report.get("revision", 1),
                         *(report.get(c, 0) for c in COUNT_COLUMNS)])
        con.execute("create table audit.dq_findings_current (" + ", ".join(
            f"{c} {'integer' if c == 'source_row' else 'timestamp' if c == 'detected_at' else 'varchar'}"
            for c in FINDING_COLUMNS) + ")")
        for finding in findings:
            row = {"detected_at": datetime(2022, 10, 12), **finding}
            con.execute(f"insert into audit.dq_findings_current values ({', '.join('?' * len(FINDING_COLUMNS))})",
                        [row.get(c) for c in FINDING_COLUMNS])
    return path
