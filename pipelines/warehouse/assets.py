"""The dbt project as two multi-assets: models shaped by quarter, and the rest; tests as checks.

Every model downstream of `stg_union_reports` is quarter-shaped and partitioned by
reporting quarter (`warehouse_quarter_models`); the registers, dimensions and seeds are
not (`warehouse_models`). The split follows the dbt graph (`stg_union_reports+`), so no
unpartitioned model sits between two partitioned ones and the two steps never form a
cycle. A quarter range runs as one dbt invocation (single-run backfill policy).

Models are built with their tests in one `dbt build`, and built again for what it skipped:
dbt build skips every model downstream of a failing test, but the publish gate, not dbt,
decides what a failing test means for the users, so no model may stay unbuilt because of
one (`dbt_in_process.build_past_failing_tests`). One command per step when every test passes
(until session 11 two: models, then `dbt test`); it runs inside this process on one parse of
the project (`dbt_in_process.py`), so a command costs its own work, not a Python start and a parse.

A step whose inputs did not change since its last build (`pipelines/lib/build_state.py`)
skips dbt altogether and carries its last test verdicts into this run, so the gate and the
report stay true; tag a run `uw/rebuild=always` to build regardless. That tag, and the first
build after a code change, also rebuild the incremental models whole (`--full-refresh`):
rows an older version of their SQL computed would otherwise stay.
"""

import json
import os
import shutil
import uuid
from pathlib import Path

from dagster import AssetExecutionContext, AssetKey, BackfillPolicy, multi_asset

from pipelines.lib.build_state import BUILT, SKIPPED, built_by_other_code, fingerprint, last_build, log_build
from pipelines.lib.partitions import REPORTING_QUARTER
from pipelines.lib.quarters import later_quarters, quarter_range_label
from pipelines.lib.warehouse_connection import connect_warehouse
from pipelines.lib.warm_worker import start_worker
from pipelines.resources import PipelinePaths
from pipelines.warehouse.asset_specs import dbt_selection, step_definition
from pipelines.warehouse.carried import step_events
from pipelines.warehouse.dbt_in_process import DbtCommandFailed, build_past_failing_tests, failed_builds
from pipelines.warehouse.project import dbt_project, prune_invocation_folders
from pipelines.warehouse.test_results import carry_test_results, record_test_results

REBUILD_TAG = "uw/rebuild"
GX_VALIDATION = AssetKey(["audit", "gx_validation"])
KEEP_ARTIFACTS_ENV = "UW_KEEP_DBT_ARTIFACTS"
REGISTER_TABLES = ("enterprises", "party_orgs", "candidates", "control_totals", "file_versions")
ALL_RAW_TABLES = (*REGISTER_TABLES, "union_reports")
# Each dbt step → (raw tables in its fingerprint, file-version kind it never reads).
DBT_BUILD_STEPS = {"warehouse_models": (REGISTER_TABLES, "union_reports"),
                   "warehouse_quarter_models": (ALL_RAW_TABLES, None)}


def _invocation_folder(warehouse: Path, context: AssetExecutionContext) -> Path:
    """dbt's artifacts and log of one invocation, under the warehouse (removed once read)."""
    return warehouse / "dbt" / f"{context.op_execution_context.op.name}-{context.run.run_id[:8]}-{uuid.uuid4().hex[:8]}"


def _skipped_build(context: AssetExecutionContext, warehouse_db: Path, step: str, current: str) -> str | None:
    """The run whose build still holds, when nothing this step reads has changed since."""
    if context.run.tags.get(REBUILD_TAG) == "always":
        return None
    with connect_warehouse(warehouse_db) as con:
        previous = last_build(con, step)
        if previous is None or previous[1] != current:
            return None
        carried = carry_test_results(con, previous[0], context.run.run_id)
        log_build(con, context.run.run_id, step, SKIPPED, current, f"inputs unchanged since run {previous[0]}")
    context.log.info(f"{step}: inputs unchanged since run {previous[0]}: dbt skipped, "
                     f"{carried} test verdicts carried into this run")
    return previous[0]


def _full_refresh(context: AssetExecutionContext, step: str, other_code: bool) -> list[str]:
    """`--full-refresh` when the incremental models must be rebuilt whole: under `uw run --rebuild`
    (a rebuild that left `fct_union_report` to its change detection would change nothing), and at
    the first build after a code change (`build_state.built_by_other_code`)."""
    if context.run.tags.get(REBUILD_TAG) == "always":
        reason = "a rebuild was asked for"
    elif other_code:
        reason = "no earlier build ran this code version"
    else:
        return []
    context.log.info(f"{step}: incremental models rebuilt whole (--full-refresh): {reason}")
    return ["--full-refresh"]


def _validates_later(context: AssetExecutionContext) -> bool:
    """The run goes on to the Great Expectations validation (`audit/gx_validation`, quality domain).

    A run of the whole job has no asset selection: None, or (from `execute_in_process`
    without one) an empty set, which until session 5 read as "not validating" and kept
    the warm-up from ever starting."""
    selection = context.run.asset_selection
    return not selection or GX_VALIDATION in selection


def _node_selection(context: AssetExecutionContext, step_selection: list[str]) -> list[str]:
    """The step's own dbt selection, or the selected models by name when the UI picked a subset."""
    assets_def = context.assets_def
    selected = set(context.selected_asset_keys)
    if selected == set(assets_def.keys):
        return step_selection
    nodes = json.loads(dbt_project.manifest_path.read_text())["nodes"].values()
    names = sorted(node["name"] for node in nodes if node["resource_type"] in ("model", "seed")
                   and AssetKey([node["schema"], node["name"]]) in selected)
    return ["--select", *names]


def _build(context: AssetExecutionContext, paths: PipelinePaths, step: str, resource_types: tuple[str, ...]):
    raw_tables, skip_kind = DBT_BUILD_STEPS[step]
    resolved = paths.resolve()
    warehouse_db = resolved.warehouse_db
    with connect_warehouse(warehouse_db) as con:
        current = fingerprint(con, step, raw_tables, skip_kind=skip_kind)
        other_code = built_by_other_code(con, step)
    if since_run := _skipped_build(context, warehouse_db, step, current):
        yield from step_events(context, warehouse_db, since_run, f"not rebuilt: inputs unchanged since run {since_run}",
                               built=False)
        return
    if _validates_later(context):  # GX is imported in a worker process meanwhile (lib/warm_worker.py)
        start_worker("great_expectations")
    prune_invocation_folders(resolved.warehouse / "dbt")
    selection = _node_selection(context, dbt_selection(step))
    refresh = _full_refresh(context, step, other_code)
    # dbt unit tests check the SQL's logic, which only a code change can break: they run in
    # `make test` (tests/dbt/test_dbt_build.py), not against every run's data.
    types = [arg for resource_type in resource_types for arg in ("--resource-type", resource_type)]
    passes = build_past_failing_tests(["build", *types, "--exclude-resource-type", "unit_test", *refresh],
                                      selection, warehouse_db, lambda: _invocation_folder(resolved.warehouse, context))
    folders = [folder for folder, _ in passes]
    if failed := failed_builds(passes):
        raise DbtCommandFailed(f"dbt could not build {len(failed)} node(s): " + "; ".join(failed[:5])
                               + f" (log: {folders[-1] / 'dbt.log'})")
    manifest = json.loads(dbt_project.manifest_path.read_text())
    for _, run_results in passes:  # in order: a test a later pass ran again keeps that verdict
        recorded = record_test_results(warehouse_db, context.run.run_id, run_results, manifest)
        context.log.info(f"dbt tests recorded in audit.dbt_test_results: {recorded}")
    with connect_warehouse(warehouse_db) as con:
        log_build(con, context.run.run_id, step, BUILT, current)
    if not os.environ.get(KEEP_ARTIFACTS_ENV):  # `make bench` replays the SQL kept in them
        for folder in folders:  # a failed build raised above and keeps its folder (dbt.log) for reading
            shutil.rmtree(folder, ignore_errors=True)
    yield from step_events(context, warehouse_db, context.run.run_id, "rebuilt in this run", built=True)


@multi_asset(**step_definition("warehouse_models"))
def warehouse_models(context: AssetExecutionContext, paths: PipelinePaths):
    # Seeds, models and their tests in one command (`build_past_failing_tests`).
    # Report files never reach these models, so a new quarter alone does not rebuild them.
    yield from _build(context, paths, "warehouse_models", ("seed", "model", "test"))


@multi_asset(**step_definition("warehouse_quarter_models"), partitions_def=REPORTING_QUARTER,
             backfill_policy=BackfillPolicy.single_run())
def warehouse_quarter_models(context: AssetExecutionContext, paths: PipelinePaths):
    # No `--vars` with the quarter range: vars are part of dbt's parse state, so a range that
    # changes every quarter would force a full re-parse. The incremental models find what is
    # new by `loaded_at` themselves (fct_union_report).
    keys = context.partition_keys
    context.log.info(f"dbt for quarter(s) {quarter_range_label(keys)} ({len(keys)}): quarter-shaped tables rebuild "
                     "whole, fct_union_report only the pairs with newer rows")
    if later := later_quarters(keys, context.instance.get_dynamic_partitions(REPORTING_QUARTER.name)):
        context.log.warning(f"quarters {quarter_range_label(later)} look back at {max(keys)} and are rebuilt in "
                            "the tables too, but this run does not mark them materialised: include them in the "
                            "range (uw run and the inbox sensor do)")
    yield from _build(context, paths, "warehouse_quarter_models", ("model", "test"))
