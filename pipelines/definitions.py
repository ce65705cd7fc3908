"""The Dagster code location: one asset graph for the UI, the CLI, the sensor and the schedules.

Domains keep their own assets, and `pipelines.orchestration` the job, sensor, schedules
and hooks; this module only assembles them. Runs use the in-process
executor because DuckDB admits one writer: steps must take turns on `warehouse.duckdb`.
"""

from __future__ import annotations

from dagster import Definitions, in_process_executor

from pipelines.ingest.assets import inbox_ingest, union_reports
from pipelines.orchestration.instance import faster_sqlite_run_history
from pipelines.orchestration.jobs import FULL_RUN_JOB, build_full_run_job
from pipelines.orchestration.schedules import SCHEDULES
from pipelines.orchestration.sensors import inbox_sensor
from pipelines.outreach.assets import OUTREACH_ASSETS, prepare_report_templates
from pipelines.publish.assets import publish_gate, serving_duckdb
from pipelines.quality.assets import c001_control_totals, dq_findings
from pipelines.quality.gx_assets import GX_ASSET_CHECKS, gx_validation
from pipelines.report.assets import dq_report
from pipelines.resources import NoValuesIOManager, PipelinePaths
from pipelines.warehouse.assets import warehouse_models, warehouse_quarter_models

__all__ = ["FULL_RUN_JOB", "defs"]

# Runs launched from `dagster dev` write their history through this process too.
faster_sqlite_run_history()

full_run = build_full_run_job()

defs = Definitions(
    assets=[inbox_ingest, union_reports, warehouse_models, warehouse_quarter_models, dq_findings, dq_report,
            publish_gate, serving_duckdb, gx_validation, *OUTREACH_ASSETS],
    asset_checks=[c001_control_totals, *GX_ASSET_CHECKS],
    jobs=[full_run, prepare_report_templates],
    schedules=SCHEDULES,
    sensors=[inbox_sensor],
    resources={"paths": PipelinePaths(), "io_manager": NoValuesIOManager()},
    executor=in_process_executor,
)
