"""How dbt nodes appear in the Dagster asset graph.

Models are keyed by their schema (`marts/headline_figures`), which is how BI users and
auditors name them, and sources keep the `raw/<table>` keys of the ingest assets so the
graph joins up. Models guarded by a Great Expectations suite carry the
`great_expectations` kind, so the UI shows where GX checks live without opening them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dagster import AssetKey, AssetSpec
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings

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

    def get_asset_spec(self, manifest: Mapping[str, Any], unique_id: str, project) -> AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        if spec.key in self._gx_keys:
            spec = spec.merge_attributes(kinds={"great_expectations"})
        return spec
