"""One row per run in `audit.runs`: what came in, what was found, what the gate decided."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb

from pipelines.config import Paths
from pipelines.publish.gate import GateResult
from pipelines.version import pipeline_version


def record_run(con: duckdb.DuckDBPyConnection, *, run_id: str, started_by: str, paths: Paths,
               gate: GateResult, published: bool) -> dict[str, object]:
    files_seen, rows_loaded, rows_quarantined, started_at = con.execute(
        "select count(*), coalesce(sum(rows_loaded), 0), coalesce(sum(rows_quarantined), 0), min(ingested_at) "
        "from audit.file_manifest where run_id = ?", [run_id]
    ).fetchone()
    severities = dict(con.execute(
        "select severity, count(*) from audit.dq_findings_current group by severity"
    ).fetchall())
    row = {
        "run_id": run_id,
        "started_at": started_at,
        "finished_at": datetime.now(UTC).replace(tzinfo=None),
        "started_by": started_by,
        "inbox": str(paths.inbox),
        "warehouse": str(paths.warehouse),
        "pipeline_version": pipeline_version(),
        "files_seen": files_seen,
        "rows_loaded": int(rows_loaded),
        "rows_quarantined": int(rows_quarantined),
        "findings_error": severities.get("error", 0),
        "findings_warning": severities.get("warning", 0),
        "findings_info": severities.get("info", 0),
        "gate_result": gate.status,
        "gate_reasons": "; ".join(gate.reasons),
        "published": published,
    }
    con.execute("delete from audit.runs where run_id = ?", [run_id])
    con.execute(f"insert into audit.runs values ({', '.join('?' * len(row))})", list(row.values()))
    return row
