"""What a dbt step reports when it skipped its rebuild: the same assets, the last verdicts.

Downstream steps wait for every output of the dbt step (Dagster skips a step whose inputs
were not yielded), so a skipped rebuild still yields each selected model, marked as
carried over rather than rebuilt, and each selected dbt test as a check result holding the
verdict of the build that is still in force (copied into this run by
`carry_test_results`). The UI and the gate therefore tell the same, true story.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from graphlib import TopologicalSorter
from pathlib import Path

import duckdb
from dagster import AssetCheckResult, AssetCheckSeverity, AssetExecutionContext, AssetKey, Output

from pipelines.warehouse.project import dbt_project


def _verdicts(warehouse_db: Path, run_id: str) -> dict[tuple[AssetKey, str], tuple[str, int | None]]:
    nodes = json.loads(dbt_project.manifest_path.read_text())["nodes"]
    with duckdb.connect(str(warehouse_db), read_only=True) as con:
        rows = con.execute("select test_name, attached_node, status, failures from audit.dbt_test_results "
                           "where run_id = ?", [run_id]).fetchall()
    verdicts = {}
    for test_name, attached, status, failures in rows:
        node = nodes.get(attached or "")
        if node:
            verdicts[(AssetKey([node["schema"], node["name"]]), test_name)] = (status, failures)
    return verdicts


def carried_events(context: AssetExecutionContext, warehouse_db: Path, since_run: str) -> Iterator[object]:
    note = f"not rebuilt: inputs unchanged since run {since_run}"
    assets_def = context.assets_def
    selected = set(context.selected_asset_keys)
    # Dagster wants a multi-asset's outputs in dependency order.
    order = TopologicalSorter({key: {d for d in assets_def.asset_deps.get(key, ()) if d in selected}
                               for key in selected}).static_order()
    for key in order:
        yield Output(None, output_name=assets_def.get_output_name_for_asset_key(key), metadata={"rebuild": note})
    verdicts = _verdicts(warehouse_db, context.run.run_id)
    for check in context.selected_asset_check_keys:
        status, failures = verdicts.get((check.asset_key, check.name), (None, None))
        if status is None:
            continue
        yield AssetCheckResult(
            asset_key=check.asset_key, check_name=check.name, passed=status == "pass",
            severity=AssetCheckSeverity.WARN if status == "warn" else AssetCheckSeverity.ERROR,
            metadata={"status": status, "failures": failures or 0, "verdict_of_run": since_run},
        )
