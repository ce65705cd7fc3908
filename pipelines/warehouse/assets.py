"""The dbt project as two multi-assets: models shaped by quarter, and the rest; tests as checks.

Every model downstream of `stg_union_reports` is quarter-shaped and partitioned by
reporting quarter (`warehouse_quarter_models`); the registers, dimensions and seeds are
not (`warehouse_models`). The split follows the dbt graph (`stg_union_reports+`), so no
unpartitioned model sits between two partitioned ones and the two steps never form a
cycle. A quarter range runs as one dbt invocation (single-run backfill policy) with the
range passed as `--vars {quarter_from, quarter_to}`.

Models are built first and tested after (seeds and models, then `dbt test`) rather than
with a plain `dbt build`, because that skips every model downstream of a failing test; the
publish gate, not dbt, decides what a failing test means for the users.
"""


import json
import os

from dagster import AssetExecutionContext, BackfillPolicy
from dagster_dbt import DbtCliResource, dbt_assets

from pipelines.lib.partitions import REPORTING_QUARTER
from pipelines.resources import PipelinePaths
from pipelines.warehouse.metadata import with_table_metadata
from pipelines.warehouse.project import WAREHOUSE_DB_ENV, dbt_project, ensure_manifest
from pipelines.warehouse.test_results import record_test_results
from pipelines.warehouse.translator import WarehouseTranslator

ensure_manifest()

QUARTER_SHAPED = "stg_union_reports+"


def _build(context: AssetExecutionContext, dbt: DbtCliResource, paths: PipelinePaths,
           build: list[str], extra: list[str]):
    warehouse_db = paths.resolve().warehouse_db
    # dbt runs in a subprocess that inherits this environment; profiles.yml reads it.
    os.environ[WAREHOUSE_DB_ENV] = str(warehouse_db)
    events = list(dbt.cli([*build, *extra], context=context).stream())
    yield from with_table_metadata(events, warehouse_db)
    tests = dbt.cli(["test", *extra], context=context, raise_on_error=False)
    yield from tests.stream()
    manifest = json.loads(dbt_project.manifest_path.read_text())
    recorded = record_test_results(warehouse_db, context.run.run_id, tests.get_artifact("run_results.json"), manifest)
    context.log.info(f"dbt tests recorded in audit.dbt_test_results: {recorded}")


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=WarehouseTranslator(),
    name="warehouse_models",
    exclude=QUARTER_SHAPED,
)
def warehouse_models(context: AssetExecutionContext, dbt: DbtCliResource, paths: PipelinePaths):
    # Seeds and models in one invocation (each dbt start costs a full parse); no tests in it,
    # so nothing is skipped — they run after, as `dbt test`.
    yield from _build(context, dbt, paths, ["build", "--resource-type", "seed", "--resource-type", "model"], [])


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=WarehouseTranslator(),
    name="warehouse_quarter_models",
    select=QUARTER_SHAPED,
    partitions_def=REPORTING_QUARTER,
    backfill_policy=BackfillPolicy.single_run(),
)
def warehouse_quarter_models(context: AssetExecutionContext, dbt: DbtCliResource, paths: PipelinePaths):
    keys = sorted(context.partition_keys)
    dbt_vars = json.dumps({"quarter_from": keys[0], "quarter_to": keys[-1]})
    context.log.info(f"dbt over quarters {keys[0]}..{keys[-1]} ({len(keys)})")
    yield from _build(context, dbt, paths, ["run"], ["--vars", dbt_vars])
