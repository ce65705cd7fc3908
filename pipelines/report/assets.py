"""Report step: the auditor's HTML report, written whether or not the gate will pass."""


import os

import duckdb
from dagster import AssetExecutionContext, AssetKey, MaterializeResult, MetadataValue, asset

from pipelines.report.data import gather
from pipelines.report.html import render_report
from pipelines.resources import PipelinePaths

REPORT_ASSET = AssetKey(["reports", "dq_report"])


@asset(key=REPORT_ASSET, deps=[AssetKey(["audit", "dq_findings"])], group_name="report", kinds={"html"},
       owners=["team:data-quality"],
       description="Báo cáo kiểm toán chất lượng dữ liệu / the auditor's self-contained HTML report.")
def dq_report(context: AssetExecutionContext, paths: PipelinePaths) -> MaterializeResult:
    resolved = paths.resolve()
    with duckdb.connect(str(resolved.warehouse_db), read_only=True) as con:
        data = gather(con, context.run_id)
    resolved.reports.mkdir(parents=True, exist_ok=True)
    target = resolved.reports / "dq_report.html"
    staging = target.with_suffix(".html.tmp")
    staging.write_text(render_report(data, str(resolved.inbox)), encoding="utf-8")
    os.replace(staging, target)
    return MaterializeResult(metadata={
        "path": MetadataValue.path(str(target)),
        "findings_listed": len(data.findings),
        "control_totals_mismatched": sum(not rec.matches for rec in data.reconciliations),
    })
