"""Everything the auditor report and the findings spreadsheet show, read in one place.

The report runs before the publish step records the run in `audit.runs`, so the current
run's counts are computed here from the live views and appended to the past runs.
Queries on optional marts return nothing when the mart is absent, so an older or
partly built warehouse still gets a report (that is when an auditor needs it most)
rather than a crash.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import duckdb

from pipelines.lib.duckdb_tools import dict_rows as dicts
from pipelines.lib.duckdb_tools import table_exists as exists
from pipelines.lib.quarters import short_quarter_label
from pipelines.publish.gate import GateResult, evaluate_gate, verdict_of
from pipelines.quality.control_totals import Reconciliation, reconcile

FINDINGS_LIST_LIMIT = 5000
TREND_RUNS = 12
SEVERITY_ORDER = "case c.severity when 'error' then 0 when 'warning' then 1 else 2 end"


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
    started_at: datetime | None = None
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC).replace(tzinfo=None))
    coverage_by_quarter: list[dict] = field(default_factory=list)
    coverage_by_zone: list[dict] = field(default_factory=list)
    targets: list[dict] = field(default_factory=list)


FINDINGS_ORDER = f"{SEVERITY_ORDER}, c.rule_id, c.source_file, c.source_row, c.tax_code, c.period"
FETCH_ROWS = 10_000


def _findings_sql(con: duckdb.DuckDBPyConnection, where: str = "", order: str | None = FINDINGS_ORDER) -> str:
    """Current findings with the enterprise's current registry name (never a person's data)."""
    names = ("(select tax_code, any_value(enterprise_name) as enterprise_name from marts.dim_enterprise "
             "where is_current group by tax_code)" if exists(con, "marts", "dim_enterprise")
             else "(select null::varchar as tax_code, null::varchar as enterprise_name where false)")
    return f"""
        select c.rule_id, c.severity, c.tax_code, e.enterprise_name, c.period, c.source_file, c.source_row,
               c.message_vi, c.message_en, c.observed, c.expected, coalesce(l.opened_at, l.first_seen_at) as open_since,
               l.first_seen_run, c.finding_key
        from audit.dq_findings_current c
        left join audit.finding_lifecycle l on l.finding_key = c.finding_key
        left join {names} e on e.tax_code = c.tax_code
        {where}
        {f"order by {order}" if order else ""}"""


def load_findings(con: duckdb.DuckDBPyConnection, limit: int | None = None) -> list[dict]:
    """Current findings in report order, as dicts (the HTML list: the first FINDINGS_LIST_LIMIT)."""
    return dicts(con, _findings_sql(con) + ("" if limit is None else f" limit {int(limit)}"))


class WarehouseFindings:
    """Every current finding, streamed from the warehouse in batches for the findings workbook.

    At scale 400 there are ~490,000, and as one list of dicts they cost ~2 GB of the run's
    memory (~4 KB each: a dict and Vietnamese text as Python strings); streamed, a batch.
    The workbook asks the warehouse for their digest (to see whether they changed), then
    reads them once per sheet, each time from its own cursor.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con

    def _stream(self, sql: str, params: list | None = None) -> Iterator[dict]:
        cursor = self.con.cursor()
        try:
            cursor.execute(sql, params or [])
            columns = [d[0] for d in cursor.description]
            while batch := cursor.fetchmany(FETCH_ROWS):
                yield from (dict(zip(columns, row, strict=True)) for row in batch)
        finally:
            cursor.close()

    def counts(self) -> dict[str, int]:
        return dict(self.con.execute("select severity, count(*) from audit.dq_findings_current group by all")
                    .fetchall())

    def digest(self) -> str:
        """What the findings hold, computed in the warehouse: each row's JSON hashed (MD5, in
        parallel), combined in any order (XOR; finding keys are unique) with the count.
        ~0.25 s at scale 40, where hashing them row by row in Python took ~1.3 s."""
        count, combined = self.con.execute(
            f"select count(*), bit_xor(md5_number(to_json(f)::varchar)) from ({_findings_sql(self.con, order=None)}) f"
        ).fetchone()
        return f"warehouse:{count}:{combined or 0:032x}"

    def of_severity(self, severity: str) -> Iterator[dict]:
        return self._stream(_findings_sql(self.con, where="where c.severity = ?"), [severity])


def _by_rule(con: duckdb.DuckDBPyConnection, run_id: str) -> list[dict]:
    return dicts(con, """
        select rule_id, any_value(severity) as severity,
               count(*) filter (where status = 'open') as open_findings,
               count(*) filter (where status = 'open' and first_seen_run = ?) as new_findings,
               count(*) filter (where status = 'resolved') as resolved_findings
        from audit.finding_lifecycle group by rule_id
        order by case any_value(severity) when 'error' then 0 when 'warning' then 1 else 2 end, rule_id""",
        [run_id])


def _trend(con: duckdb.DuckDBPyConnection, run_id: str) -> list[dict]:
    past = dicts(con, f"""
        select run_id, finished_at, findings_error, findings_warning, findings_info, gate_result
        from audit.runs where run_id <> ? order by finished_at desc limit {TREND_RUNS - 1}""", [run_id])
    counts = dict(con.execute("select severity, count(*) from audit.dq_findings_current group by all").fetchall())
    current = {"run_id": run_id, "finished_at": None, "findings_error": counts.get("error", 0),
               "findings_warning": counts.get("warning", 0), "findings_info": counts.get("info", 0),
               "gate_result": None}
    return [*reversed(past), current]


def _coverage_by_quarter(con: duckdb.DuckDBPyConnection) -> list[dict]:
    if not exists(con, "marts", "headline_figures"):
        return []
    rows = con.execute("""
        select as_of, metric, value from marts.headline_figures
        where metric in ('union_coverage_pct', 'party_org_coverage_pct')
          and window_start = (select min(window_start) from marts.headline_figures)
        order by as_of""").fetchall()
    by_quarter: dict[date, dict] = {}
    for as_of, metric, value in rows:
        by_quarter.setdefault(as_of, {"as_of": as_of, "label": short_quarter_label(as_of)})[metric] = value
    return list(by_quarter.values())


def _coverage_by_zone(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """One row per zone and quarter with both coverage percentages."""
    if not exists(con, "marts", "headline_by_zone"):
        return []
    zone_name = ("coalesce(z.zone_name, h.zone_code)" if exists(con, "marts", "dim_industrial_zone")
                 else "h.zone_code")
    join = ("left join marts.dim_industrial_zone z using (zone_code)"
            if exists(con, "marts", "dim_industrial_zone") else "")
    rows = con.execute(f"""
        select h.as_of, {zone_name} as zone, h.metric, h.value from marts.headline_by_zone h {join}
        where h.metric in ('union_coverage_pct', 'party_org_coverage_pct')
          and h.window_start = (select min(window_start) from marts.headline_by_zone)
        order by zone, h.as_of""").fetchall()
    grid: dict[tuple[str, date], dict] = {}
    for as_of, zone, metric, value in rows:
        key = (zone or "?", as_of)
        grid.setdefault(key, {"zone": zone or "?", "as_of": as_of, "label": short_quarter_label(as_of)})[metric] = value
    return list(grid.values())


def _targets(con: duckdb.DuckDBPyConnection) -> list[dict]:
    if not exists(con, "marts", "target_tracking"):
        return []
    return dicts(con, "select year, metric, actual, target_min, target_max, met, status, is_current_year, "
                      "pace_needed_per_quarter from marts.target_tracking order by metric, year")


def gather(con: duckdb.DuckDBPyConnection, run_id: str) -> ReportData:
    """Everything the report shows; the gate verdict is the one the gate step recorded for this run
    (a report made outside a full run shows the verdict the warehouse would get now)."""
    findings_total = con.execute("select count(*) from audit.dq_findings_current").fetchone()[0]
    started_at = con.execute("select min(ingested_at) from audit.file_manifest where run_id = ?",
                             [run_id]).fetchone()[0]
    return ReportData(
        run_id=run_id,
        gate=verdict_of(con, run_id) or evaluate_gate(con),
        files=dicts(con, "select source_file, kind, status, sha256, rows_read, rows_loaded, rows_quarantined, "
                         "detail from audit.file_manifest where run_id = ? order by kind, source_file", [run_id]),
        reconciliations=reconcile(con),
        by_rule=_by_rule(con, run_id),
        trend=_trend(con, run_id),
        findings=load_findings(con, FINDINGS_LIST_LIMIT),
        findings_total=findings_total,
        started_at=started_at,
        coverage_by_quarter=_coverage_by_quarter(con),
        coverage_by_zone=_coverage_by_zone(con),
        targets=_targets(con),
    )
