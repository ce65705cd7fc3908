"""Where GX results go: `audit.gx_results` for the asset checks, `audit.gx_findings` for the lifecycle.

The validation step stores one row per expectation and run, so the asset checks (which run
in their own step, and in `dagster dev` on their own) read a verdict without importing GX.
A failed expectation that maps to a rule id also becomes findings, one per offending row
(origin `gx`), kept in `audit.gx_findings` as the latest validation left them: the findings
step reads them from there, drops those the layer that owns the rule (ingest or dbt) already
reports (the suites are a second line of defence, not a second voice for the same problem),
and a run that skips validation still sees them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime

import duckdb

from pipelines.lib.duckdb_tools import insert_rows, table_exists
from pipelines.lib.findings import Finding

MAX_FINDINGS_PER_CHECK = 500


def write_results(con: duckdb.DuckDBPyConnection, run_id: str, results: Iterable) -> int:
    """Replace this run's results (a retried step must not count twice)."""
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
    if not table_exists(con, "audit", "gx_results"):
        return {}
    cursor = con.execute(
        "select * exclude (recency) from (select *, row_number() over (partition by check_name "
        "order by validated_at desc) as recency from audit.gx_results where suite = ?) where recency = 1",
        [suite],
    )
    columns = [d[0] for d in cursor.description]
    return {row[2]: dict(zip(columns, row, strict=True)) for row in cursor.fetchall()}


def gx_finding_rows(run_id: str, results: Iterable, descriptions: dict[str, tuple[str, str]]) -> list[dict]:
    """Rows of audit.gx_findings: one per offending source row of a failed expectation with a rule."""
    rows: list[dict] = []
    detected_at = datetime.now(UTC).replace(tzinfo=None)
    for result in results:
        if result.success or not result.rule_id:
            continue
        text_vi, text_en = descriptions.get(f"{result.suite}.{result.check_name}", ("", ""))
        for row in result.offending_rows[:MAX_FINDINGS_PER_CHECK]:
            if row.get("source_file") is None:
                continue
            values = {k: v for k, v in row.items() if k not in ("source_file", "source_row", "tax_code", "period")}
            rows.append({
                "run_id": run_id, "suite": result.suite, "check_name": result.check_name,
                "rule_id": result.rule_id, "tax_code": row.get("tax_code"), "period": row.get("period"),
                "source_file": row["source_file"], "source_row": int(row.get("source_row") or 0),
                "observed": ", ".join(f"{k}={v}" for k, v in sorted(values.items())) or None,
                "expected": text_en or f"{result.suite}.{result.check_name}",
                "message_vi": f"Kiểm tra dữ liệu đã nạp (Great Expectations) không đạt: {text_vi}",
                "message_en": f"Staged-data check (Great Expectations) failed: {text_en}",
                "detected_at": detected_at,
            })
    return rows


def replace_gx_findings(con: duckdb.DuckDBPyConnection, suites: Iterable[str], rows: list[dict]) -> int:
    """The findings of the suites validated now replace those suites' previous findings.

    A suite that was not validated in this run (its inputs did not change, `gx_carry.py`) keeps
    the findings of its last validation: they are still true of the data it would have read.
    """
    validated = sorted(set(suites))
    if validated:
        con.execute(f"delete from audit.gx_findings where suite in ({', '.join('?' * len(validated))})", validated)
    insert_rows(con, "audit.gx_findings", rows)
    return len(rows)


def stored_gx_findings(con: duckdb.DuckDBPyConnection) -> list[Finding]:
    if not table_exists(con, "audit", "gx_findings"):
        return []
    cursor = con.execute("select check_name, rule_id, tax_code, period, source_file, source_row, observed, "
                         "expected, message_vi, message_en, detected_at from audit.gx_findings")
    return [
        Finding(rule_id=rule_id, tax_code=tax_code, period=period, source_file=source_file,
                source_row=source_row, observed=observed, expected=expected, message_vi=message_vi,
                message_en=message_en, subject=check_name, origin="gx", detected_at=detected_at)
        for (check_name, rule_id, tax_code, period, source_file, source_row, observed, expected,
             message_vi, message_en, detected_at) in cursor.fetchall()
    ]
