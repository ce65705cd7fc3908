"""The dbt project as one multi-asset: staging → intermediate → marts, with tests as checks.

Models are built first and tested after (`dbt seed`, `dbt run`, `dbt test`) rather than
with `dbt build`, because `build` skips every model downstream of a failing test; the
publish gate, not dbt, decides what a failing test means for the users.
"""


import json
import os

from dagster import AssetExecutionContext
from dagster_dbt import DbtCliResource, dbt_assets

from pipelines.resources import PipelinePaths
from pipelines.warehouse.project import WAREHOUSE_DB_ENV, dbt_project, ensure_manifest
from pipelines.warehouse.test_results import record_test_results
from pipelines.warehouse.translator import WarehouseTranslator

ensure_manifest()


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=WarehouseTranslator(),
    name="warehouse_models",
)
def warehouse_models(context: AssetExecutionContext, dbt: DbtCliResource, paths: PipelinePaths):
    warehouse_db = paths.resolve().warehouse_db
    # dbt runs in a subprocess that inherits this environment; profiles.yml reads it.
    os.environ[WAREHOUSE_DB_ENV] = str(warehouse_db)
    yield from dbt.cli(["seed"], context=context).stream()
    yield from dbt.cli(["run"], context=context).stream()
    tests = dbt.cli(["test"], context=context, raise_on_error=False)
    yield from tests.stream()
    manifest = json.loads(dbt_project.manifest_path.read_text())
    recorded = record_test_results(warehouse_db, context.run_id, tests.get_artifact("run_results.json"), manifest)
    context.log.info(f"dbt tests recorded in audit.dbt_test_results: {recorded}")
