"""The outreach assets: feedback in the run job after the findings; forms partitioned by quarter,
kept out of the run job and materialised by their own job."""

from __future__ import annotations

from datetime import date

from dagster import AssetKey, DagsterInstance, materialize

from pipelines.definitions import FULL_RUN_JOB, defs
from pipelines.lib.partitions import REPORTING_QUARTER
from pipelines.outreach.assets import (
    FEEDBACK_ASSET,
    TEMPLATES_ASSET,
    TEMPLATES_JOB,
    feedback_packets,
    report_templates,
)
from pipelines.resources import PipelinePaths
from tests.outreach.warehouse_stub import make_warehouse


def test_feedback_runs_in_the_run_job_after_the_findings_and_templates_do_not():
    graph = defs.resolve_asset_graph()
    assert AssetKey(["audit", "dq_findings"]) in graph.get(FEEDBACK_ASSET).parent_keys
    run_job = defs.resolve_job_def(FULL_RUN_JOB).asset_layer.executable_asset_keys
    assert FEEDBACK_ASSET in run_job and TEMPLATES_ASSET not in run_job
    assert graph.get(TEMPLATES_ASSET).partitions_def == REPORTING_QUARTER
    assert defs.resolve_job_def(TEMPLATES_JOB).asset_layer.executable_asset_keys == {TEMPLATES_ASSET}


def test_template_asset_writes_the_quarters_forms_under_the_warehouse(tmp_path):
    make_warehouse(tmp_path / "warehouse.duckdb", [
        {"tax_code": "0201000017", "enterprise_name": "Công ty An", "union_founded_on": date(2015, 1, 1)}])
    instance = DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(REPORTING_QUARTER.name, ["2023-Q4"])
    result = materialize([report_templates], partition_key="2023-Q4", instance=instance,
                         resources={"paths": PipelinePaths(inbox_dir=str(tmp_path), warehouse_dir=str(tmp_path))})
    assert result.success
    assert [p.name for p in (tmp_path / "templates" / "2023-Q4").iterdir()] == ["0201000017_Cong_ty_An_2023-Q4.xlsx"]


def test_feedback_asset_writes_reports_feedback(tmp_path):
    make_warehouse(tmp_path / "warehouse.duckdb", [{"tax_code": "0201000017", "enterprise_name": "Công ty An"}],
                   findings=[{"finding_key": "k", "rule_id": "F004", "severity": "error", "tax_code": "0201000017"}])
    result = materialize([feedback_packets], instance=DagsterInstance.ephemeral(),
                         resources={"paths": PipelinePaths(inbox_dir=str(tmp_path), warehouse_dir=str(tmp_path))})
    assert result.success
    names = sorted(p.name for p in (tmp_path / "reports" / "feedback").iterdir())
    assert names == ["0201000017_Cong_ty_An_phieu_phan_hoi.xlsx", "feedback_summary.csv"]


def test_a_registry_file_never_asks_the_run_job_for_the_forms():
    """The sensor's run for a register file selects everything downstream of it, which
    includes the forms; the run job does not hold them, so the sensor must leave them out."""
    from types import SimpleNamespace

    from pipelines.orchestration.sensors import _register_selection

    context = SimpleNamespace(repository_def=defs.get_repository_def())
    selection = set(_register_selection(context, {"enterprises"}))
    run_job = defs.resolve_job_def(FULL_RUN_JOB).asset_layer.executable_asset_keys
    assert FEEDBACK_ASSET in selection and selection <= run_job
