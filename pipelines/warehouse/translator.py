"""How dbt nodes appear in the Dagster asset graph.

Models are keyed by their schema (`marts/headline_figures`), which is how BI users and
auditors name them, and sources keep the `raw/<table>` keys of the ingest assets so the
graph joins up. Models guarded by a Great Expectations suite carry the
`great_expectations` kind, so the UI shows where GX checks live without opening them.
Storage reads as the real relation in `warehouse.duckdb`, and every dbt test's check has a
description (`check_descriptions.py`). Imported only to translate a new code version
(`asset_specs.py`): it imports dagster-dbt, and with it dbt.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dagster import AssetCheckSpec, AssetKey, AssetSpec
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings

from pipelines.warehouse.asset_specs import WAREHOUSE_CATALOG
from pipelines.warehouse.check_descriptions import describe_test

OWNERS = ["team:data-engineering"]


def _gx_guarded_keys() -> frozenset[AssetKey]:
    from pipelines.quality.gx_suites import load_suites

    try:
        return frozenset(AssetKey(list(suite.asset_key)) for suite in load_suites())
    except (OSError, ValueError):  # no suites is a valid state; the kind is only a label
        return frozenset()


class WarehouseTranslator(DagsterDbtTranslator):
    def __init__(self) -> None:
        super().__init__(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))
        self._gx_keys = _gx_guarded_keys()

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return super().get_asset_key(dbt_resource_props)
        return AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return "warehouse"

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> Sequence[str] | None:
        return OWNERS

    def get_metadata(self, dbt_resource_props: Mapping[str, Any]) -> Mapping[str, Any]:
        """Storage reads as the real relation (`warehouse.marts.headline_figures`)."""
        metadata = dict(super().get_metadata(dbt_resource_props))
        name = dbt_resource_props.get("alias") or dbt_resource_props.get("identifier") or dbt_resource_props["name"]
        metadata["dagster/table_name"] = f"{WAREHOUSE_CATALOG}.{dbt_resource_props['schema']}.{name}"
        return metadata

    def get_asset_check_spec(self, asset_spec: AssetSpec, manifest: Mapping[str, Any], unique_id: str,
                             project) -> AssetCheckSpec | None:
        """Every dbt test's check says what it checks and whether a failure blocks publishing.

        No check is `blocking` in Dagster's sense: dagster-dbt makes every error-severity test
        one, and a failed blocking check fails its step, so the run stopped before the
        findings, the gate, the report and the feedback (`uw run` exit 1, no report saying
        why). A failing test is a verdict the publish gate reads (`audit.dbt_test_results`);
        blocking publishing is the gate's job (docs/architecture.md).
        """
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None:
            return None
        spec = spec._replace(blocking=False)
        if spec.description:
            return spec
        test = manifest["nodes"].get(unique_id, {})
        attached = manifest["nodes"].get(test.get("attached_node") or "", {})
        return spec._replace(description=describe_test(test, attached.get("schema")))

    def get_asset_spec(self, manifest: Mapping[str, Any], unique_id: str, project) -> AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        if spec.key in self._gx_keys:
            spec = spec.merge_attributes(kinds={"great_expectations"})
        return spec
