"""Quality step: gather this run's warehouse-level findings next to the ingest ones.

C001 is also an asset check on `marts/headline_figures`, so the UI shows the verdict on
the asset it guards; the findings asset records the same reconciliation as data for the
report, the gate and the auditors.
"""


import duckdb
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

from pipelines.quality.control_totals import c001_findings, reconcile
from pipelines.quality.gx_assets import GX_VALIDATION
from pipelines.quality.store import ensure_audit_schema, rule_list, write_findings
from pipelines.quality.warehouse_findings import warehouse_findings
from pipelines.resources import PipelinePaths

HEADLINE_FIGURES = AssetKey(["marts", "headline_figures"])
FINDINGS_ASSET = AssetKey(["audit", "dq_findings"])


@asset_check(asset=HEADLINE_FIGURES, name="c001_control_totals",
             description="C001: mỗi số liệu đã công bố khớp với số kho dữ liệu tính được / "
                         "every published control total matches the computed figure.")
def c001_control_totals(context: AssetCheckExecutionContext, paths: PipelinePaths) -> AssetCheckResult:
    with duckdb.connect(str(paths.resolve().warehouse_db), read_only=True) as con:
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


@asset(key=FINDINGS_ASSET, deps=[HEADLINE_FIGURES, AssetKey(["raw", "control_totals"]), GX_VALIDATION],
       group_name="quality",
       kinds={"python", "duckdb"}, owners=["team:data-quality"],
       description="Phát hiện chất lượng dữ liệu / every data-quality finding of every run, with stable keys.")
def dq_findings(context: AssetExecutionContext, paths: PipelinePaths) -> MaterializeResult:
    with duckdb.connect(str(paths.resolve().warehouse_db)) as con:
        ensure_audit_schema(con)
        # A retried step must not record its findings twice; ingest's findings of this run stay.
        con.execute(f"delete from audit.dq_findings where run_id = ? and rule_id not in ({rule_list()})",
                    [context.run_id])
        findings = c001_findings(reconcile(con)) + warehouse_findings(con)
        written = write_findings(con, context.run_id, findings)
        by_severity = dict(con.execute(
            "select severity, count(*) from audit.dq_findings_current group by severity"
        ).fetchall())
    return MaterializeResult(metadata={
        "findings_written_this_step": written,
        "current_errors": by_severity.get("error", 0),
        "current_warnings": by_severity.get("warning", 0),
        "current_info": by_severity.get("info", 0),
    })
