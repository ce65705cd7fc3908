"""The Dagster code location: one asset graph for the UI, the CLI and the schedules.

Domains keep their own assets; this module only assembles them. Runs use the in-process
executor because DuckDB admits one writer: steps must take turns on `warehouse.duckdb`.
"""

from __future__ import annotations

from dagster import AssetSelection, Definitions, define_asset_job, in_process_executor
from dagster_dbt import DbtCliResource

from pipelines.ingest.assets import inbox_ingest
from pipelines.publish.assets import serving_duckdb
from pipelines.quality.assets import c001_control_totals, dq_findings
from pipelines.report.assets import dq_report
from pipelines.resources import PipelinePaths
from pipelines.warehouse.assets import warehouse_models
from pipelines.warehouse.project import dbt_project

FULL_RUN_JOB = "union_warehouse_run"

full_run = define_asset_job(
    FULL_RUN_JOB,
    selection=AssetSelection.all(),
    description="Ingest the inbox, build the warehouse, check it, report, and publish through the gate.",
)

defs = Definitions(
    assets=[inbox_ingest, warehouse_models, dq_findings, dq_report, serving_duckdb],
    asset_checks=[c001_control_totals],
    jobs=[full_run],
    resources={"paths": PipelinePaths(), "dbt": DbtCliResource(project_dir=dbt_project)},
    executor=in_process_executor,
)
