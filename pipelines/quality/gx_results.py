"""Where GX results go: `audit.gx_results` for the asset checks, `audit.dq_findings` for auditors.

The validation step stores one row per expectation and run, so the asset checks (which run
in their own step, and in `dagster dev` on their own) read a verdict without importing GX.
A failed expectation that maps to a rule id also becomes findings, one per offending row,
unless the layer that owns the rule (ingest or dbt) already reported that row: the GX
suites are a second line of defence, not a second voice for the same problem.

GX findings are recognised by `expected` starting with `gx:`; they are recomputed on every
run over the whole staging layer, so `dq_findings_current` takes them from the latest run
only (see `store.py`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import duckdb

from pipelines.quality.findings import Finding

GX_MARKER = "gx:"
MAX_FINDINGS_PER_CHECK = 500

GX_RESULTS_DDL = """
create schema if not exists audit;
create table if not exists audit.gx_results (
    run_id varchar, suite varchar, check_name varchar, rule_id varchar, success boolean,
    element_count bigint, unexpected_count bigint, offending_rows varchar,
    partial_unexpected varchar, error varchar, validated_at timestamp
)
"""


def write_results(con: duckdb.DuckDBPyConnection, run_id: str, results: Iterable) -> int:
    """Replace this run's results (a retried step must not count twice)."""
    con.execute(GX_RESULTS_DDL)
    con.execute("delete from audit.gx_results where run_id = ?", [run_id])
    rows = [
        (run_id, r.suite, r.check_name, r.rule_id, r.success, r.element_count, r.unexpected_count,
         json.dumps(r.offending_rows[:20], ensure_ascii=False, default=str),
         json.dumps(r.partial_unexpected, ensure_ascii=False), r.error)
        for r in results
    ]
    if rows:
        con.executemany("insert into audit.gx_results values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())", rows)
    return len(rows)


def latest_results(con: duckdb.DuckDBPyConnection, suite: str) -> dict[str, dict]:
    """The most recent stored result of every check of a suite, by check name."""
    exists = con.execute("select count(*) from information_schema.tables "
                         "where table_schema = 'audit' and table_name = 'gx_results'").fetchone()[0]
    if not exists:
        return {}
    cursor = con.execute(
        "select * exclude (recency) from (select *, row_number() over (partition by check_name "
        "order by validated_at desc) as recency from audit.gx_results where suite = ?) where recency = 1",
        [suite],
    )
    columns = [d[0] for d in cursor.description]
    return {row[2]: dict(zip(columns, row, strict=True)) for row in cursor.fetchall()}


def _already_reported(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str, int]]:
    return {
        (rule, file, int(row)) for rule, file, row in con.execute(
            "select rule_id, source_file, source_row from audit.dq_findings_current "
            f"where source_file is not null and source_row is not null "
            f"and coalesce(expected, '') not like '{GX_MARKER}%'"
        ).fetchall()
    }


def gx_findings(con: duckdb.DuckDBPyConnection, results: Iterable, descriptions: dict[str, tuple[str, str]]
                ) -> list[Finding]:
    """Findings for failed expectations that map to a rule, one per offending source row."""
    reported = _already_reported(con)
    findings: list[Finding] = []
    for result in results:
        if result.success or not result.rule_id:
            continue
        text_vi, text_en = descriptions.get(f"{result.suite}.{result.check_name}", ("", ""))
        for row in result.offending_rows[:MAX_FINDINGS_PER_CHECK]:
            source_file, source_row = row.get("source_file"), row.get("source_row")
            if source_file is None or (result.rule_id, source_file, int(source_row or 0)) in reported:
                continue
            values = {k: v for k, v in row.items() if k not in ("source_file", "source_row", "tax_code", "period")}
            findings.append(Finding(
                rule_id=result.rule_id, tax_code=row.get("tax_code"), period=row.get("period"),
                source_file=source_file, source_row=int(source_row or 0),
                observed=", ".join(f"{k}={v}" for k, v in sorted(values.items())) or None,
                expected=f"{GX_MARKER}{result.suite}.{result.check_name}",
                message_vi=f"Kiểm tra dữ liệu đã nạp (Great Expectations) không đạt: {text_vi}",
                message_en=f"Staged-data check (Great Expectations) failed: {text_en}",
                subject=f"{GX_MARKER}{result.check_name}",
            ))
    return findings
