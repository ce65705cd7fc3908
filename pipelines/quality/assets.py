"""Findings step: fold every finding that is true now into the lifecycle, and quarantine dbt's rejects.

Findings are made in four places (ingest, dbt, GX, the control totals in dbt), graded by
the rule catalogue, written here by one writer (`lifecycle.record_findings`) and closed
when a run no longer sees them (docs/architecture.md, "Findings"). The step reads what
each layer last left, so it stays cheap and correct in a run that skipped dbt or GX.

C001 is also an asset check on `marts/headline_figures`, so the UI shows the verdict on
the asset it guards; both read `intermediate.int_control_total_checks`, where C001 is made.
"""

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetExecutionContext,
    AssetKey,
    MaterializeResult,
    asset,
    asset_check,
)

from pipelines.lib.audit import ensure_audit_schema
from pipelines.lib.duckdb_tools import limit_memory
from pipelines.lib.warehouse_connection import connect_warehouse
from pipelines.quality.control_totals import reconcile
from pipelines.quality.gx_assets import GX_VALIDATION
from pipelines.quality.lifecycle import record_current_findings
from pipelines.quality.warehouse_findings import warehouse_findings
from pipelines.quality.warehouse_quarantine import quarantine_rejected_rows
from pipelines.resources import PipelinePaths

HEADLINE_FIGURES = AssetKey(["marts", "headline_figures"])
CONTROL_TOTAL_CHECKS = AssetKey(["intermediate", "int_control_total_checks"])
DBT_FINDINGS = AssetKey(["intermediate", "int_dq_findings"])
FILE_MANIFEST = AssetKey(["audit", "file_manifest"])
FINDINGS_ASSET = AssetKey(["audit", "dq_findings"])


@asset_check(asset=HEADLINE_FIGURES, name="c001_control_totals", additional_deps=[CONTROL_TOTAL_CHECKS],
             description="C001: mỗi số liệu đã công bố khớp với số kho dữ liệu tính được / "
                         "every published control total matches the computed figure.")
def c001_control_totals(context: AssetCheckExecutionContext, paths: PipelinePaths) -> AssetCheckResult:
    with connect_warehouse(paths.resolve().warehouse_db, read_only=True) as con:
        reconciliations = reconcile(con)
    mismatches = [rec for rec in reconciliations if not rec.matches]
    return AssetCheckResult(
        passed=not mismatches,
        severity=AssetCheckSeverity.ERROR,
        metadata={
            "control_totals": len(reconciliations),
            "mismatches": len(mismatches),
            "mismatched_metrics": ", ".join(f"{rec.metric}@{rec.as_of}" for rec in mismatches) or "-",
        },
    )


@asset(key=FINDINGS_ASSET, deps=[FILE_MANIFEST, DBT_FINDINGS, CONTROL_TOTAL_CHECKS, HEADLINE_FIGURES, GX_VALIDATION],
       group_name="quality", kinds={"python", "duckdb"}, owners=["team:data-quality"],
       description="Phát hiện chất lượng dữ liệu và vòng đời của chúng / every finding true after this run, "
                   "folded into audit.finding_lifecycle (open, resolved, re-opened); dbt's rejected rows "
                   "quarantined.")
def dq_findings(context: AssetExecutionContext, paths: PipelinePaths) -> MaterializeResult:
    with connect_warehouse(paths.resolve().warehouse_db) as con:
        limit_memory(con)
        ensure_audit_schema(con)
        quarantine = quarantine_rejected_rows(con, context.run_id, warehouse_findings(con))
        change = record_current_findings(con, context.run_id)
        by_severity = dict(con.execute(
            "select severity, count(*) from audit.dq_findings_current group by severity").fetchall())
    return MaterializeResult(metadata={
        "findings_open": change.open,
        "findings_new": change.new,
        "findings_reopened": change.reopened,
        "findings_changed": change.changed,
        "findings_resolved": change.resolved,
        "current_errors": by_severity.get("error", 0),
        "current_warnings": by_severity.get("warning", 0),
        "current_info": by_severity.get("info", 0),
        "rows_quarantined_by_dbt_rules_added": quarantine["added"],
        "rows_released_from_quarantine": quarantine["released"],
    })
