"""Everything the auditor report shows, read from the warehouse in one place.

Queries that depend on optional marts return nothing when the mart is absent, so an
older warehouse still gets a report rather than a crash.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from pipelines.publish.gate import GateResult, evaluate_gate
from pipelines.quality.control_totals import Reconciliation, reconcile

FINDINGS_LIST_LIMIT = 5000


@dataclass
class ReportData:
    run_id: str
    gate: GateResult
    files: list[dict]
    reconciliations: list[Reconciliation]
    by_rule: list[dict]
    trend: list[dict]
    findings: list[dict]
    findings_total: int
    coverage_by_zone: list[tuple[str, float]] = field(default_factory=list)
    targets: list[dict] = field(default_factory=list)


def _dicts(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cursor = con.execute(sql, params or [])
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _exists(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    return bool(con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, name]).fetchone()[0])


def _coverage_by_zone(con: duckdb.DuckDBPyConnection) -> list[tuple[str, float]]:
    if not _exists(con, "marts", "headline_by_zone"):
        return []
    rows = con.execute(
        "select z.zone_name, h.value from marts.headline_by_zone h "
        "join marts.dim_industrial_zone z using (zone_code) "
        "where h.metric = 'union_enterprises' and h.as_of = (select max(as_of) from marts.headline_by_zone) "
        "order by h.value desc"
    ).fetchall()
    return [(name, float(value or 0)) for name, value in rows]


def _targets(con: duckdb.DuckDBPyConnection) -> list[dict]:
    if not _exists(con, "marts", "target_tracking"):
        return []
    return _dicts(con, "select * from marts.target_tracking order by metric, year")


def gather(con: duckdb.DuckDBPyConnection, run_id: str, publish_anyway: bool = False) -> ReportData:
    findings_total = con.execute("select count(*) from audit.dq_findings_current").fetchone()[0]
    return ReportData(
        run_id=run_id,
        gate=evaluate_gate(con, run_id, publish_anyway=publish_anyway),
        files=_dicts(con, "select source_file, kind, status, sha256, rows_read, rows_loaded, rows_quarantined, "
                          "detail from audit.file_manifest where run_id = ? order by kind, source_file", [run_id]),
        reconciliations=reconcile(con),
        by_rule=_dicts(con, "select rule_id, severity, count(*) as findings from audit.dq_findings_current "
                            "group by all order by rule_id"),
        trend=_dicts(con, "select r.run_id, r.finished_at, r.findings_error, r.findings_warning, r.findings_info "
                          "from audit.runs r order by r.finished_at desc limit 12"),
        findings=_dicts(con, f"""
            select c.rule_id, c.severity, c.tax_code, c.period, c.source_file, c.source_row,
                   c.message_vi, c.message_en, c.observed, c.expected, l.first_seen_at as open_since
            from audit.dq_findings_current c left join audit.finding_lifecycle l using (finding_key)
            order by case c.severity when 'error' then 0 when 'warning' then 1 else 2 end,
                     c.rule_id, c.source_file, c.source_row, c.tax_code, c.period
            limit {FINDINGS_LIST_LIMIT}"""),
        findings_total=findings_total,
        coverage_by_zone=_coverage_by_zone(con),
        targets=_targets(con),
    )
