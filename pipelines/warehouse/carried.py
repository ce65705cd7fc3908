"""What a dbt step tells Dagster: its models as outputs, its tests as checks, from the warehouse.

Both kinds of step end here. A step that built yields its models (with row counts) and the
verdicts its tests just recorded in `audit.dbt_test_results`; a step that skipped its
rebuild yields the same models marked as carried over, and the verdicts of the build still
in force (copied into this run by `carry_test_results`). Downstream steps wait for every
output of a dbt step (Dagster skips a step whose inputs were not yielded), and the UI, the
gate and the report read one story: the verdicts stored for this run.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from graphlib import TopologicalSorter
from pathlib import Path

from dagster import AssetCheckResult, AssetCheckSeverity, AssetExecutionContext, AssetKey, Output

from pipelines.lib.warehouse_connection import connect_warehouse
from pipelines.warehouse.metadata import with_table_metadata
from pipelines.warehouse.project import dbt_project


def _verdicts(warehouse_db: Path, run_id: str) -> dict[tuple[AssetKey, str], tuple[str, int | None]]:
    nodes = json.loads(dbt_project.manifest_path.read_text())["nodes"]
    with connect_warehouse(warehouse_db, read_only=True) as con:
        rows = con.execute("select test_name, attached_node, status, failures from audit.dbt_test_results "
                           "where run_id = ?", [run_id]).fetchall()
    verdicts = {}
    for test_name, attached, status, failures in rows:
        node = nodes.get(attached or "")
        if node:
            verdicts[(AssetKey([node["schema"], node["name"]]), test_name)] = (status, failures)
    return verdicts


def _model_outputs(context: AssetExecutionContext, rebuild_note: str) -> Iterator[Output]:
    assets_def = context.assets_def
    selected = set(context.selected_asset_keys)
    # Dagster wants a multi-asset's outputs in dependency order.
    order = TopologicalSorter({key: {d for d in assets_def.asset_deps.get(key, ()) if d in selected}
                               for key in selected}).static_order()
    for key in order:
        yield Output(None, output_name=assets_def.get_output_name_for_asset_key(key),
                     metadata={"rebuild": rebuild_note})


def step_events(context: AssetExecutionContext, warehouse_db: Path, verdicts_of_run: str,
                rebuild_note: str, *, built: bool) -> Iterator[object]:
    """Outputs for the selected models, then a check result per selected dbt test with a verdict."""
    outputs = _model_outputs(context, rebuild_note)
    yield from with_table_metadata(outputs, warehouse_db) if built else outputs
    verdicts = _verdicts(warehouse_db, context.run.run_id)
    for check in context.selected_asset_check_keys:
        status, failures = verdicts.get((check.asset_key, check.name), (None, None))
        if status is None:
            continue
        yield AssetCheckResult(
            asset_key=check.asset_key, check_name=check.name, passed=status == "pass",
            severity=AssetCheckSeverity.WARN if status == "warn" else AssetCheckSeverity.ERROR,
            metadata={"status": status, "failures": failures or 0, "verdict_of_run": verdicts_of_run},
        )
