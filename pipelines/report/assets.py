"""Report step: the auditor's HTML report and the findings spreadsheet.

With them, `data_docs/index.html`: the Great Expectations results rendered by us, offline
(`validations.py`). All are written whether or not the gate will pass: a blocked run is exactly when the
auditor needs them. The spreadsheet is part of this asset rather than its own so the
two always describe the same run. Each file is written beside its target and renamed
into place, so a reader never opens a half-written report.
"""

import os

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, MetadataValue, asset

from pipelines.lib.duckdb_tools import limit_memory
from pipelines.lib.warehouse_connection import connect_warehouse
from pipelines.report.data import WarehouseFindings, gather
from pipelines.report.html import render_report, render_validations
from pipelines.report.validations import load_validations
from pipelines.report.xlsx import write_findings_xlsx
from pipelines.resources import PipelinePaths

REPORT_ASSET = AssetKey(["reports", "dq_report"])


def _write(target, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}.tmp")
    staging.write_text(text, encoding="utf-8")
    os.replace(staging, target)


@asset(key=REPORT_ASSET, deps=[AssetKey(["audit", "dq_findings"]), AssetKey(["audit", "publish_gate"])],
       group_name="report", kinds={"html", "excel"},
       owners=["team:data-quality"],
       description="Báo cáo kiểm toán chất lượng dữ liệu (HTML) và bảng phát hiện (xlsx) / the auditor's "
                   "self-contained HTML report and the findings spreadsheet.")
def dq_report(context: AssetExecutionContext, paths: PipelinePaths) -> MaterializeResult:
    resolved = paths.resolve()
    with connect_warehouse(resolved.warehouse_db, read_only=True) as con:
        limit_memory(con)
        data = gather(con, context.run_id)
        validations = load_validations(con)
        resolved.reports.mkdir(parents=True, exist_ok=True)
        target = resolved.reports / "dq_report.html"
        _write(target, render_report(data, str(resolved.inbox), validations))
        data_docs = resolved.reports / "data_docs" / "index.html"
        _write(data_docs, render_validations(validations, context.run_id, data.generated_at))
        workbook = resolved.reports / "dq_findings.xlsx"
        per_sheet = write_findings_xlsx(WarehouseFindings(con), workbook, run_id=context.run_id)
    return MaterializeResult(metadata={
        "path": MetadataValue.path(str(target)),
        "validation_page": MetadataValue.path(str(data_docs)),
        "xlsx_path": MetadataValue.path(str(workbook)),
        "findings_listed": len(data.findings),
        "findings_in_xlsx": sum(per_sheet.values()),
        "control_totals_mismatched": sum(not rec.matches for rec in data.reconciliations),
    })
